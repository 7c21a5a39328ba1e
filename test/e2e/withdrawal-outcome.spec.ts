import { expect, test } from '@playwright/test'
import { addIdentifiedSuspect, expectAccessible, fillDate, newNorthvaleUrn, recordCase, signIn } from './support.ts'

test('an investigator records the victim’s withdrawal and proposes outcome 16, which is not in force until a supervisor authorises it', async ({
  page,
}) => {
  const urn = newNorthvaleUrn()
  let outcomePage = ''
  await signIn(page, 'oic.north')
  await recordCase(page, urn)

  await test.step('records the identified suspect (outcome 16 needs one)', async () => {
    await addIdentifiedSuspect(page, { first: 'Sam', last: 'Invented' }, { day: '5', month: '3', year: '2025' })
  })

  await test.step('outcome 16 is refused before a withdrawal is recorded', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Outcome' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Outcome' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Home Office outcome').selectOption('16')
    await fillDate(page, 'Date of the outcome', { day: '1', month: '6', year: '2025' })
    await page.getByRole('button', { name: 'Finalise case' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText(
      'Outcome 16 needs the victim’s withdrawal of support to be recorded first',
    )
    await expectAccessible(page)
  })

  await test.step('records the withdrawal with its reasons', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Withdrawal' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Withdrawal of support' })).toBeVisible()
    await expectAccessible(page)
    await fillDate(page, 'Date the victim withdrew support', { day: '20', month: '5', year: '2025' })
    await page.getByLabel('Yes, they supported it and withdrew later').check()
    await page.getByLabel('Concern about requests for their phone or other devices').check()
    await page.getByLabel('Delay in the police investigation').check()
    await page.getByLabel('Never supported a prosecution from the outset').check()
    await page.getByRole('group', { name: 'Was a retraction statement taken?' }).getByLabel('Yes').check()
    await page.getByRole('button', { name: 'Record withdrawal' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText(
      '“never supported a prosecution from the outset” cannot also be a reason',
    )
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the date the retraction statement was taken')
    await expectAccessible(page)
    await page.getByLabel('Never supported a prosecution from the outset').uncheck()
    await fillDate(page, 'Date the statement was taken', { day: '21', month: '5', year: '2025' })
    await page.getByLabel('Officer who took the statement').fill('DC Invented 4321')
    await page
      .getByRole('group', { name: 'Does the victim maintain that their original account is true?' })
      .getByLabel('Yes')
      .check()
    await page
      .getByRole('group', { name: 'Is pressure or intimidation of the victim suspected?' })
      .getByLabel('Not known')
      .check()
    await page.getByLabel('The victim’s reasons in their own words').fill('Synthetic: I cannot keep waiting')
    await page.getByRole('button', { name: 'Record withdrawal' }).click()
    await expect(page.getByRole('heading', { name: 'Withdrew support on 20 May 2025' })).toBeVisible()
    const card = page.locator('.govuk-summary-card')
    await expect(card).toContainText('Investigation (before charge)') // the stage when the victim withdrew
    await expect(card).toContainText('Yes, and withdrew later')
    await expect(card).toContainText('21 May 2025 by DC Invented 4321')
    await expectAccessible(page)
  })

  await test.step('gives the police view on an evidence-led prosecution', async () => {
    await page.getByRole('link', { name: /^Record or update the evidence-led prosecution consideration/ }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Evidence-led prosecution' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Police view on an evidence-led prosecution').fill('Synthetic: the 999 call and first account')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Withdrawal of support' })).toBeVisible()
    await expect(page.locator('.govuk-summary-card')).toContainText('Under consideration')
  })

  await test.step('records why early advice is not sought (needed before no further action against a suspect)', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Advice and charging' }).click()
    await page.getByRole('button', { name: 'Record that early advice is not sought' }).click()
    await page.getByLabel('The victim withdrew support before any file was prepared').check()
    await page.getByLabel('Details').fill('Synthetic: the victim asked for no further police action')
    await page.getByRole('button', { name: 'Record reasons' }).click()
  })

  await test.step('proposes outcome 16 with its rationale: it waits for a supervisor and is not in force', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Outcome' }).click()
    await page.getByLabel('Home Office outcome').selectOption('16')
    await fillDate(page, 'Date of the outcome', { day: '1', month: '6', year: '2025' })
    await page.getByRole('button', { name: 'Finalise case' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText('Outcome 16 needs the rationale for the decision')
    await page.getByLabel('Rationale').fill('The victim has withdrawn support and does not want the case to go further')
    await page.getByRole('button', { name: 'Finalise case' }).click()
    await expect(page.getByText('Waiting for a supervisor’s authorisation')).toBeVisible()
    await expect(page.getByText('Outcome in force')).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Authorise no further action' })).toHaveCount(0)
    await expectAccessible(page)
    outcomePage = new URL(page.url()).pathname
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('the supervisor authorises it; the stage shows no further action', async () => {
    await signIn(page, 'supervisor.north')
    await page.goto(outcomePage)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Authorise no further action' }).click()
    await expect(page.getByText('Outcome in force')).toBeVisible()
    await expect(page.locator('.govuk-summary-card')).toContainText(
      '16 – Evidential difficulties: suspect identified, victim does not support action',
    )
    await expect(page.locator('.govuk-summary-card')).toContainText('Authorised by')
    await expectAccessible(page)
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Overview' }).click()
    await expect(page.getByText('No further action', { exact: true })).toBeVisible()
    await expect(page.locator('.moj-timeline')).toContainText('Victim withdrew support')
  })
})
