import { randomInt } from 'node:crypto'
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/** Every demo user has this password on a fresh embedded database. */
export const DEMO_PASSWORD = 'casebridge-demo'

/** The WCAG 2.2 AA rule set the service is assessed against. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Runs axe on the page as it is now and fails with a readable list of anything it finds. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const found = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }))
  expect(found, `axe violations on ${page.url()}`).toEqual([])
}

/**
 * expectAccessible, less one known finding: GOV.UK Frontend's script puts aria-expanded on radios
 * that reveal a question, which axe reports as aria-allowed-attr. GDS keep it on purpose because
 * screen readers announce it (alphagov/govuk-frontend#979), so axe runs with that one attribute
 * lifted from those radios only, and every other rule and element is checked as usual.
 */
export async function expectAccessibleWithReveals(page: Page) {
  const reveals = page.locator('.govuk-radios__input[aria-controls]')
  const states = await reveals.evaluateAll((inputs) =>
    inputs.map((i) => {
      const state = i.getAttribute('aria-expanded')
      i.removeAttribute('aria-expanded')
      return state
    }),
  )
  try {
    await expectAccessible(page)
  } finally {
    await reveals.evaluateAll((inputs, saved) => {
      inputs.forEach((i, n) => {
        const state = saved[n]
        if (state !== null) i.setAttribute('aria-expanded', state)
      })
    }, states)
  }
}

/** Signs in through the sign-in page (checked with axe) and waits for the case list. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in')
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Casebridge' })).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/cases$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible()
}

/** A Northvale (force 91) URN no other run is likely to have used: 91AB + 5 random digits + this year. */
export function newNorthvaleUrn(): string {
  const number = String(randomInt(0, 100_000)).padStart(5, '0')
  const year = String(new Date().getFullYear() % 100).padStart(2, '0')
  return `91AB${number}${year}`
}

/** A short random suffix for usernames and other values that must be unique per run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomInt(0, 1296).toString(36)}`
}

type DateParts = { day: string; month: string; year: string }

/** Fills one GOV.UK date input, found by its legend. */
export async function fillDate(page: Page, legend: string | RegExp, d: DateParts): Promise<void> {
  const group = page.getByRole('group', { name: legend })
  await group.getByLabel('Day').fill(d.day)
  await group.getByLabel('Month').fill(d.month)
  await group.getByLabel('Year').fill(d.year)
}

/** Fills the new-case form with a valid Northvale case; the officer in charge is left as chosen. */
export async function fillCaseForm(
  page: Page,
  c: { urn: string; crimeReference?: string; offences: string[]; reported: DateParts; offence: DateParts },
) {
  await page.getByLabel('Unique reference number (URN)').fill(c.urn)
  await page.getByLabel('Crime reference number').fill(c.crimeReference ?? `CR/${c.urn.slice(4)}`)
  for (const offence of c.offences) await page.getByRole('group', { name: 'Offences' }).getByLabel(offence).check()
  await fillDate(page, /^Date of the offence/, c.offence)
  await fillDate(page, 'Date reported', c.reported)
  await fillDate(page, 'Date the crime was recorded', c.reported)
  await page.getByLabel('Supervisor').selectOption({ label: 'DS Priya Lang' })
}

/** Records a valid Northvale rape case from the new-case page and waits for its page. */
export async function recordCase(page: Page, urn: string): Promise<void> {
  await page.goto('/cases/new')
  await fillCaseForm(page, {
    urn,
    offences: ['19C – Rape of a female aged 16 and over'],
    offence: { day: '1', month: '3', year: '2025' },
    reported: { day: '2', month: '3', year: '2025' },
  })
  await page.getByRole('button', { name: 'Record case' }).click()
  await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
}

/**
 * Fills the rest of the communication plan form as the victim agreed it: contact through their
 * ISVA, updates every 14 days, no messages, NFA news in person with the ISVA present; then agrees it.
 */
/**
 * From a case page: refers the victim, with their consent, to the demo ISVA service, sharing the
 * case summary and the parts named (by their checkbox labels). Contact through an ISVA needs one.
 */
export async function referToIsva(page: Page, shared: string[] = []): Promise<void> {
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Support' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible()
  await page.getByLabel('Support service').selectOption({ label: 'Vale Sexual Violence Support' })
  await page.getByLabel('Independent Sexual Violence Adviser (ISVA)').check()
  await page.getByLabel('The victim consents to this referral').check()
  await fillDate(page, 'Date the victim consented', { day: '3', month: '4', year: '2025' })
  for (const part of shared) await page.getByLabel(part).check()
  await page.getByRole('button', { name: 'Refer' }).click()
  await expect(page.locator('.govuk-summary-card')).toContainText('Vale Sexual Violence Support')
}

export async function agreeIsvaPlan(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'How does the victim prefer to be contacted?' }).getByLabel('Through their ISVA').check()
  await page.getByRole('group', { name: 'How often does the victim want updates?' }).getByLabel('Every 14 days').check()
  await page.getByRole('group', { name: 'May messages be left for the victim?' }).getByLabel('No').check()
  await page.getByRole('group', { name: 'Does contact go through the victim’s ISVA?' }).getByLabel('Yes').check()
  await page
    .getByRole('group', { name: 'How does the victim want to hear of a decision to take no further action?' })
    .getByLabel('In person, with their ISVA present')
    .check()
  await page.getByRole('button', { name: 'Agree plan' }).click()
  await expect(page.getByText('The communication plan has been saved')).toBeVisible()
}

/** From a case page: records an identified suspect (a referral for a charging decision needs one). */
export async function addIdentifiedSuspect(
  page: Page,
  name: { first: string; last: string },
  identified: DateParts,
): Promise<void> {
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Suspects' }).click()
  await page.getByRole('button', { name: 'Add a suspect' }).click()
  await page.getByRole('radio', { name: 'Yes' }).check()
  await page.getByLabel('First name').fill(name.first)
  await page.getByLabel('Last name').fill(name.last)
  await fillDate(page, 'Date identified', identified)
  await page.getByRole('button', { name: 'Add suspect' }).click()
  await expect(page.getByText('Suspect added')).toBeVisible()
}
