import { expect, type Page, test } from '@playwright/test'
import {
  expectAccessible,
  expectAccessibleWithReveals,
  fillDate,
  newNorthvaleUrn,
  recordCase,
  referToIsva,
  signIn,
} from './support.ts'

/**
 * Distinctive synthetic words planted in the evidence and the police's reasoning. An ISVA is
 * independent of the investigation: none of them may reach any page an ISVA is shown.
 */
const SECRETS = {
  suspect: 'Quillerbrook',
  withdrawalDetails: 'Synthetic marigold lantern seventy',
  retractionWords: 'Synthetic periwinkle harbour words',
  statementOfficer: 'DC Brackenfold 6120',
  pressureDetails: 'Synthetic cobalt turnstile pressure',
  adviceDetails: 'Synthetic tangerine obelisk advice',
  rationale: 'Synthetic saffron viaduct rationale',
}

const VICTIM = { first: 'Odile', last: 'Fernsby' }
const WISH_MESSAGE = 'Synthetic: the victim would like to talk to the officer about going ahead after all'

const sections = (page: Page) => page.getByRole('navigation', { name: 'Case sections' })

/** Fails with the name of any planted word found anywhere in the page's HTML. */
async function expectNoEvidence(page: Page): Promise<void> {
  const html = await page.content()
  const found = Object.entries(SECRETS)
    .filter(([, words]) => html.includes(words))
    .map(([name]) => name)
  expect(found, `evidence or reasoning on ${page.url()}`).toEqual([])
}

test('an ISVA sees the outcome in plain words and never the evidence; the victim’s wish reaches the officer as a task', async ({
  page,
}) => {
  // One long journey through three users and every page an ISVA is offered, with axe on each.
  test.setTimeout(240_000)
  const urn = newNorthvaleUrn()
  let casePath = ''

  await test.step('oic.north records a case, its victim and an identified suspect', async () => {
    await signIn(page, 'oic.north')
    await expectAccessible(page)
    await recordCase(page, urn)
    await expectAccessible(page)
    casePath = new URL(page.url()).pathname

    await sections(page).getByRole('link', { name: 'Victim' }).click()
    await page.getByRole('button', { name: 'Record the victim' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Record the victim' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('First name').fill(VICTIM.first)
    await page.getByLabel('Last name').fill(VICTIM.last)
    await page.getByLabel('Phone number (optional)').fill('07700 900123')
    await page.getByLabel('Preferred language').fill('English')
    await page.getByRole('group', { name: 'Does the victim need an interpreter?' }).getByLabel('No').check()
    await page.getByRole('group', { name: 'Is the victim vulnerable?' }).getByLabel('No').check()
    await page.getByRole('button', { name: 'Record victim' }).click()
    await expect(page.getByText('The victim’s details have been saved')).toBeVisible()
    await expectAccessible(page)

    await sections(page).getByRole('link', { name: 'Suspects' }).click()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Add a suspect' }).click()
    await page.getByRole('radio', { name: 'Yes' }).check()
    await expectAccessibleWithReveals(page)
    await page.getByLabel('First name').fill('Lorcan')
    await page.getByLabel('Last name').fill(SECRETS.suspect)
    await fillDate(page, 'Date identified', { day: '5', month: '3', year: '2025' })
    await page.getByRole('button', { name: 'Add suspect' }).click()
    await expect(page.getByText('Suspect added')).toBeVisible()
    await expect(page.getByRole('heading', { name: `Lorcan ${SECRETS.suspect}` })).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('oic.north refers the victim to the ISVA service, sharing everything', async () => {
    await referToIsva(page, [
      'their own contact details, needs and adjustments',
      'their communication plan and the record of contact',
      'decisions and the outcome of the case',
    ])
    await expectAccessible(page)
  })

  await test.step('oic.north records the withdrawal with a retraction statement', async () => {
    await sections(page).getByRole('link', { name: 'Withdrawal' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Withdrawal of support' })).toBeVisible()
    await expectAccessible(page)
    await fillDate(page, 'Date the victim withdrew support', { day: '20', month: '5', year: '2025' })
    await page.getByLabel('Yes, they supported it and withdrew later').check()
    await page.getByLabel('Delay in the police investigation').check()
    await page.getByLabel('Details (optional unless you chose another reason)').fill(SECRETS.withdrawalDetails)
    await page.getByRole('group', { name: 'Was a retraction statement taken?' }).getByLabel('Yes').check()
    await fillDate(page, 'Date the statement was taken', { day: '21', month: '5', year: '2025' })
    await page.getByLabel('Officer who took the statement').fill(SECRETS.statementOfficer)
    await page
      .getByRole('group', { name: 'Does the victim maintain that their original account is true?' })
      .getByLabel('Yes')
      .check()
    await page.getByRole('group', { name: 'Is pressure or intimidation of the victim suspected?' }).getByLabel('Yes').check()
    await page.getByLabel('Details of the suspected pressure or intimidation (if suspected)').fill(SECRETS.pressureDetails)
    await page.getByLabel('The victim’s reasons in their own words').fill(SECRETS.retractionWords)
    await page.getByRole('button', { name: 'Record withdrawal' }).click()
    await expect(page.getByRole('heading', { name: 'Withdrew support on 20 May 2025' })).toBeVisible()
    const card = page.locator('.govuk-summary-card')
    await expect(card).toContainText(SECRETS.withdrawalDetails)
    await expect(card).toContainText(SECRETS.retractionWords)
    await expectAccessible(page)
  })

  await test.step('oic.north records that early advice is not sought', async () => {
    await sections(page).getByRole('link', { name: 'Advice and charging' }).click()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Record that early advice is not sought' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Record that early advice is not sought' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('The victim withdrew support before any file was prepared').check()
    await page.getByLabel('Details').fill(SECRETS.adviceDetails)
    await page.getByRole('button', { name: 'Record reasons' }).click()
    await expect(page.getByText(SECRETS.adviceDetails)).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('oic.north proposes outcome 16 with its rationale, then signs out', async () => {
    await sections(page).getByRole('link', { name: 'Outcome' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Outcome' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Home Office outcome').selectOption('16')
    await fillDate(page, 'Date of the outcome', { day: '1', month: '6', year: '2025' })
    await page.getByLabel('Rationale').fill(SECRETS.rationale)
    await page.getByRole('button', { name: 'Finalise case' }).click()
    await expect(page.getByText('Waiting for a supervisor’s authorisation')).toBeVisible()
    await expect(page.locator('.govuk-summary-card')).toContainText(SECRETS.rationale)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('supervisor.north authorises no further action, then signs out', async () => {
    await signIn(page, 'supervisor.north')
    await page.goto(`${casePath}/outcome`)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Authorise no further action' }).click()
    await expect(page.getByText('Outcome in force')).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('the ISVA finds the case and names themselves as the victim’s ISVA', async () => {
    await signIn(page, 'isva')
    await expectAccessible(page)
    await expectNoEvidence(page)
    await page.getByLabel('Search by URN or name').fill(urn)
    await page.getByRole('button', { name: 'Search' }).click()
    await expectAccessible(page)
    await expectNoEvidence(page)
    await page.getByRole('link', { name: urn, exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()

    await sections(page).getByRole('link', { name: 'Support' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Name me as this victim’s ISVA' }).click()
    await expect(page.locator('.govuk-summary-card')).toContainText('Robin Ashby')
    await expect(page.getByRole('button', { name: 'Name me as this victim’s ISVA' })).toHaveCount(0)
    await expectAccessible(page)
    await expectNoEvidence(page)
  })

  await test.step('the case sections offered to the ISVA show no evidence or reasoning', async () => {
    const nav = sections(page)
    await expect(nav.getByRole('link')).toHaveText(['Overview', 'Victim', 'Communication', 'Support', 'Outcome'])

    await nav.getByRole('link', { name: 'Overview' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    await expect(page.locator('.moj-timeline')).not.toContainText('withdrew')
    await expectAccessible(page)
    await expectNoEvidence(page)

    await nav.getByRole('link', { name: 'Victim' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Victim: ${VICTIM.first} ${VICTIM.last}` })).toBeVisible()
    await expect(page.locator('.govuk-summary-list').first()).toContainText(`${VICTIM.first} ${VICTIM.last}`)
    // The ISVA reads what the victim shared; changing it is police and CPS work, so no form is linked.
    await expect(page.getByRole('main').getByRole('link', { name: /^Change|^Identity|^Protected/ })).toHaveCount(0)
    await expectAccessible(page)
    await expectNoEvidence(page)

    await nav.getByRole('link', { name: 'Communication' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Communication with the victim' })).toBeVisible()
    await expectAccessible(page)
    await expectNoEvidence(page)
    await page.getByRole('button', { name: 'Record a contact' }).click()
    await expectAccessible(page)
    await expectNoEvidence(page)

    await nav.getByRole('link', { name: 'Support' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible()
    await expectAccessible(page)
    await expectNoEvidence(page)

    await nav.getByRole('link', { name: 'Outcome' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Outcome' })).toBeVisible()
    const decision = page.locator('.govuk-summary-card', { hasText: 'Decision in force' })
    await expect(decision).toContainText('The police decided to take no further action')
    await expect(decision).toContainText('1 June 2025')
    await expectAccessible(page)
    await expectNoEvidence(page)
  })

  await test.step('the sections the ISVA is not offered do not exist for them', async () => {
    for (const section of ['suspects', 'withdrawal', 'advice']) {
      const response = await page.goto(`${casePath}/${section}`)
      expect(response?.status(), `/${section}`).toBe(404)
      await expectAccessible(page)
      await expectNoEvidence(page)
    }
  })

  await test.step('the ISVA passes on that the victim wishes to re-engage, then signs out', async () => {
    await page.goto(`${casePath}/support`)
    await page.getByLabel('The victim wishes to re-engage with the investigation').check()
    await page.getByLabel('Anything the victim asked you to pass on (optional)').fill(WISH_MESSAGE)
    await page.getByRole('button', { name: 'Pass on to the officer in charge' }).click()
    const wish = page.locator('.govuk-summary-card', { hasText: 'The victim wishes to re-engage with the investigation' })
    await expect(wish).toContainText(WISH_MESSAGE)
    await expect(wish).toContainText('Not yet')
    await expectAccessible(page)
    await expectNoEvidence(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('oic.north sees the ISVA’s direct contacts on the case and acts on the wish', async () => {
    await signIn(page, 'oic.north')
    await page.goto(casePath)
    const isva = page.locator('.govuk-summary-card', { hasText: 'The victim’s ISVA' })
    await expect(isva).toContainText('Robin Ashby')
    await expect(isva).toContainText(/01632 960\d{3}/)
    await expect(isva).toContainText('isva@casebridge-demo.example')
    await expect(isva).toContainText('Vale Sexual Violence Support')
    await expectAccessible(page)

    await sections(page).getByRole('link', { name: 'Support' }).click()
    const wish = page.locator('.govuk-summary-card', { hasText: 'The victim wishes to re-engage with the investigation' })
    await expect(wish).toContainText(WISH_MESSAGE)
    await expect(wish).toContainText('Robin Ashby')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Mark as acted on' }).click()
    await expect(wish).toContainText('DC Sam Okafor')
    await expect(wish).not.toContainText('Not yet')
    await expect(page.getByRole('button', { name: 'Mark as acted on' })).toHaveCount(0)
    await expectAccessible(page)

    // Passing on a wish is never a withdrawal record: the only one is the officer's own.
    await sections(page).getByRole('link', { name: 'Withdrawal' }).click()
    await expect(page.getByRole('heading', { name: /^Withdrew support on/ })).toHaveCount(1)
    await expect(page.getByRole('heading', { name: 'Record re-engagement' })).toBeVisible()
  })

  await test.step('oic.north narrows consent: the victim no longer shares their own details', async () => {
    await sections(page).getByRole('link', { name: 'Support' }).click()
    await page.getByText('Change what the victim agrees to share').click()
    const consent = page.getByRole('group', { name: 'What does the victim now agree to share?' })
    await expect(consent.getByLabel('their own contact details, needs and adjustments')).toBeChecked()
    await consent.getByLabel('their own contact details, needs and adjustments').uncheck()
    await fillDate(page, 'Date the victim said so', { day: '2', month: '6', year: '2025' })
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save what the victim agrees to share' }).click()
    const referral = page.locator('.govuk-summary-card', { hasText: 'Vale Sexual Violence Support' })
    await expect(referral).not.toContainText('their own contact details, needs and adjustments')
    await expect(referral).toContainText('decisions and the outcome of the case')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('the ISVA is now refused the victim’s details', async () => {
    await signIn(page, 'isva')
    await page.goto(casePath)
    await sections(page).getByRole('link', { name: 'Victim' }).click()
    await expect(
      page.getByText(
        'The victim has not agreed to share their own contact details, needs and adjustments with their support service',
      ),
    ).toBeVisible()
    await expect(page.getByText(VICTIM.last)).toHaveCount(0)
    await expectAccessible(page)
    await expectNoEvidence(page)
  })
})
