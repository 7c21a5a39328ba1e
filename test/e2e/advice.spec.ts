import { expect, test } from '@playwright/test'
import { expectAccessible, newNorthvaleUrn, recordCase, signIn } from './support.ts'

test('police ask for early advice, the CPS triage and advise; a referral before advice is considered is refused', async ({
  page,
}) => {
  const urn = newNorthvaleUrn()
  const sections = page.getByRole('navigation', { name: 'Case sections' })
  await signIn(page, 'oic.north')
  await recordCase(page, urn)
  const caseUrl = page.url()

  await test.step('a referral for a charging decision is refused until early advice has been considered', async () => {
    await sections.getByRole('link', { name: 'Advice and charging' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Advice and charging' })).toBeVisible()
    await expect(page.getByText('Not yet considered', { exact: true })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Refer for a charging decision' }).click()
    await expectAccessible(page)
    await page.getByLabel('Full Code Test').check()
    await page.getByLabel('MG3 – Report to Crown Prosecutor for a charging decision').check()
    await page.getByRole('button', { name: 'Refer for a charging decision' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText(
      'Early advice must be considered before a referral for a charging decision',
    )
    await expectAccessible(page)
  })

  await test.step('the officer requests early advice; every part is needed', async () => {
    await sections.getByRole('link', { name: 'Advice and charging' }).click()
    await page.getByRole('button', { name: 'Request early advice' }).click()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Send request to the CPS' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the questions you want the prosecutor to answer')
    await expectAccessible(page)
    await page.getByLabel('Summary of the facts').fill('Reported the morning after; first account to a friend')
    await page.getByLabel('Lines of enquiry completed').fill('ABE interview, first account statement')
    await page.getByLabel('Lines of enquiry ongoing').fill('Phone download')
    await page.getByLabel('Lines of enquiry planned').fill('Suspect interview')
    await page.getByLabel('Issues in the case').fill('Consent; the suspect is expected to say it was consensual')
    await page.getByLabel('Questions for the prosecutor').fill('What further evidence is needed on consent?')
    await page.getByRole('button', { name: 'Send request to the CPS' }).click()
    await expect(page.getByText('Early advice has been requested from the CPS')).toBeVisible()
    await expect(page.getByText('Advice due by')).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('the CPS triage: accept and assign a prosecutor', async () => {
    await signIn(page, 'prosecutor')
    await page.goto(`${caseUrl}/advice`)
    await page.getByRole('link', { name: 'Triage this request for early advice' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Triage the request for early advice' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'RASSO unit' })
    await page.getByLabel('Prosecutor', { exact: true }).selectOption({ label: 'Alex Moreno (RASSO unit)' })
    await page.getByRole('button', { name: 'Accept and assign' }).click()
    await expect(page.getByText('The triage decision has been recorded')).toBeVisible()
    await expect(page.getByText('assigned to Alex Moreno, RASSO unit')).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('the prosecutor gives the advice, on time', async () => {
    await page.getByRole('link', { name: 'Give advice on this request' }).click()
    await expect(page.getByText('What further evidence is needed on consent?')).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Your advice').fill('Obtain the first account witness’s phone records before interview')
    await page.getByRole('button', { name: 'Give advice' }).click()
    await expect(page.getByText('The advice has been given to the police')).toBeVisible()
    await expect(page.getByText('Advice given on time')).toBeVisible()
    await expectAccessible(page)
    await sections.getByRole('link', { name: 'Overview' }).click()
    await expect(page.locator('.moj-timeline')).toContainText('Early advice given by the CPS')
  })
})
