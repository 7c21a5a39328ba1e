import { expect, type Page, test } from '@playwright/test'
import { expectAccessible, fillCaseForm, signIn } from './support.ts'

/** GOV.UK error summary: the focusable wrapper around the role="alert" box. */
const errorSummary = (page: Page) => page.locator('.govuk-error-summary').filter({ hasText: 'There is a problem' })

async function submitEmptyForm(page: Page): Promise<void> {
  // The officer in charge is filled in for an investigator: clear it so every field is empty.
  await page.getByLabel('Officer in charge').selectOption('')
  await page.getByRole('button', { name: 'Record case' }).click()
  await expect(errorSummary(page)).toBeVisible()
}

test.describe('recording a case with mistakes', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'oic.north')
    await page.goto('/cases/new')
    await expect(page.getByRole('heading', { level: 1, name: 'Record a new case' })).toBeVisible()
  })

  test('an empty form lists every missing answer, each linked to its field', async ({ page }) => {
    await submitEmptyForm(page)
    await expect(page).toHaveTitle(/^Error: /)
    const summary = errorSummary(page)
    // GOV.UK Frontend moves focus to the summary so screen readers announce it.
    await expect(summary).toBeFocused()
    // Each message links to the field to fix, in the order of the form, and is repeated next to that field.
    const expected = [
      { message: 'Enter the URN', href: '#urn', fieldError: '#urn-error' },
      { message: 'Enter the crime reference number', href: '#crimeReference', fieldError: '#crimeReference-error' },
      { message: 'Select at least one offence', href: '#offences', fieldError: '#offences-error' },
      // Empty boxes ask for the date; "must be a real date" is for one that does not exist.
      { message: 'Enter the date of the offence', href: '#offenceDateFrom-day', fieldError: '#offenceDateFrom-error' },
      { message: 'Enter the date reported', href: '#dateReported-day', fieldError: '#dateReported-error' },
      { message: 'Enter the date the crime was recorded', href: '#dateRecorded-day', fieldError: '#dateRecorded-error' },
      { message: 'Select the officer in charge', href: '#officerInChargeId', fieldError: '#officerInChargeId-error' },
      { message: 'Select the supervisor', href: '#supervisorId', fieldError: '#supervisorId-error' },
    ]
    const links = summary.getByRole('link')
    await expect(links).toHaveCount(expected.length)
    for (const [i, { message, href, fieldError }] of expected.entries()) {
      await expect(links.nth(i)).toHaveText(message)
      await expect(links.nth(i)).toHaveAttribute('href', href)
      await expect(page.locator(fieldError)).toContainText(message)
    }
    await expectAccessible(page)

    // A summary link takes the user to the field to fix.
    await summary.getByRole('link', { name: 'Enter the URN' }).click()
    await expect(page.getByLabel('Unique reference number (URN)')).toBeFocused()
  })

  test('a malformed URN is reported and the other answers are kept', async ({ page }) => {
    await fillCaseForm(page, {
      urn: 'not-a-urn',
      offences: ['19F – Rape of a male aged 16 and over'],
      offence: { day: '1', month: '11', year: '2024' },
      reported: { day: '3', month: '11', year: '2024' },
    })
    await page.getByRole('button', { name: 'Record case' }).click()

    const summary = errorSummary(page)
    await expect(summary).toBeVisible()
    await expect(summary.getByRole('link')).toHaveCount(1)
    await expect(summary.getByRole('link', { name: /Enter the URN in the police format/ })).toHaveAttribute('href', '#urn')
    await expect(page.locator('#urn-error')).toContainText('Enter the URN in the police format')

    await expect(page.getByLabel('Unique reference number (URN)')).toHaveValue('not-a-urn')
    await expect(page.getByRole('group', { name: 'Offences' }).getByLabel('19F – Rape of a male aged 16 and over')).toBeChecked()
    const keptDate = page.getByRole('group', { name: 'Date reported' })
    await expect(keptDate.getByLabel('Day')).toHaveValue('3')
    await expect(keptDate.getByLabel('Month')).toHaveValue('11')
    await expect(keptDate.getByLabel('Year')).toHaveValue('2024')
    await expect(page.locator('#officerInChargeId option:checked')).toHaveText('DC Sam Okafor')
    await expectAccessible(page)
  })
})

test('a wrong password at sign-in is reported in an error summary', async ({ page }) => {
  await page.goto('/sign-in')
  // A user no other journey signs in as, so the failed attempt cannot count towards anyone's lockout.
  await page.getByLabel('Username').fill('analyst')
  await page.getByLabel('Password', { exact: true }).fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()

  await expect(page).toHaveTitle(/^Error: /)
  const summary = errorSummary(page)
  await expect(summary).toBeVisible()
  await expect(summary.getByRole('link', { name: /Enter a correct username and password/ })).toHaveAttribute('href', '#username')
  // The username is kept; the password never is.
  await expect(page.getByLabel('Username')).toHaveValue('analyst')
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('')
  await expectAccessible(page)
})
