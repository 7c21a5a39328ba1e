import { expect, type Page, test } from '@playwright/test'
import { expectAccessible, fillCaseForm, newNorthvaleUrn, signIn } from './support.ts'

/** One radios group per characteristic: pick the answer by its label inside the group named by its legend. */
async function answer(page: Page, characteristic: string, label: string) {
  await page.getByRole('group', { name: characteristic, exact: true }).getByLabel(label, { exact: true }).check()
}

test('an investigator records the victim, their protected characteristics, and sees the task list complete', async ({ page }) => {
  const urn = newNorthvaleUrn()
  let victimUrl = ''

  await test.step('oic.north signs in and records a case', async () => {
    await signIn(page, 'oic.north')
    await page.getByRole('button', { name: 'Record a new case' }).click()
    await fillCaseForm(page, {
      urn,
      offences: ['19C – Rape of a female aged 16 and over'],
      offence: { day: '1', month: '9', year: '2025' },
      reported: { day: '3', month: '9', year: '2025' },
    })
    await page.getByRole('button', { name: 'Record case' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
  })

  await test.step('opens the Victim section: no victim is recorded yet', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Victim' }).click()
    await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/victim$/)
    victimUrl = new URL(page.url()).pathname
    await expect(page.getByRole('heading', { level: 1, name: 'Victim' })).toBeVisible()
    await expect(page.getByText('No victim recorded')).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Record the victim' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Record the victim' })).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('leaving out every contact method is refused, and what was typed is kept', async () => {
    await page.getByLabel('First name').fill('Alexandra')
    await page.getByLabel('Last name').fill('Quill')
    const dob = page.getByRole('group', { name: 'Date of birth' })
    await dob.getByLabel('Day').fill('27')
    await dob.getByLabel('Month').fill('3')
    await dob.getByLabel('Year').fill('1994')
    await page.getByLabel('Preferred language').fill('Welsh')
    await page.getByRole('group', { name: 'Does the victim need an interpreter?' }).getByLabel('Yes').check()
    await page.getByRole('group', { name: 'Is the victim vulnerable?' }).getByLabel('Yes').check()
    await page.getByLabel('Why is the victim vulnerable?').fill('Learning disability')
    await page.getByRole('button', { name: 'Record victim' }).click()

    const summary = page.locator('.govuk-error-summary')
    await expect(summary).toBeFocused()
    await expect(summary.getByRole('link')).toHaveText([
      'Enter at least one safe way to contact the victim: a phone number, an email address or a postal address',
    ])
    await expect(page.getByLabel('First name')).toHaveValue('Alexandra')
    await expect(page.getByLabel('Why is the victim vulnerable?')).toHaveValue('Learning disability')
    await expectAccessible(page)
  })

  await test.step('records the victim with a safe phone number', async () => {
    await page.getByLabel('Phone number (optional)').fill('07700 900982')
    await page.getByLabel('Needs and reasonable adjustments (optional)').fill('Breaks every hour during interviews')
    await page.getByRole('button', { name: 'Record victim' }).click()
    await expect(page).toHaveURL(`${victimUrl}?done=details`)
    // Names and personal data never go into a URL.
    expect(page.url()).not.toContain('Quill')
    await expect(page.getByText('The victim’s details have been saved')).toBeVisible()
    await expect(page.locator('.govuk-summary-card').first()).toContainText('Alexandra Quill')
    await expect(page.getByText('victims of sexual offences always have enhanced rights')).toBeVisible()
    await expect(page.locator('#victim-tasks-2-status')).toHaveText('Not yet started')
    await expectAccessible(page)
  })

  await test.step('answers the nine protected characteristics, one "prefers not to say"', async () => {
    await page.getByRole('link', { name: 'Protected characteristics' }).first().click()
    await expect(page.getByRole('heading', { level: 1, name: 'Protected characteristics' })).toBeVisible()
    // Every question starts at "not yet asked", never at an answer.
    await expect(page.getByRole('group', { name: 'Sex', exact: true }).getByLabel('Not yet asked')).toBeChecked()
    await expectAccessible(page)

    await answer(page, 'Age', 'Yes, confirmed: age is taken from the date of birth')
    await answer(page, 'Disability', 'No')
    await answer(page, 'Gender reassignment', 'Yes, the same')
    await answer(page, 'Marriage and civil partnership', 'Never married and never registered a civil partnership')
    await answer(page, 'Pregnancy and maternity', 'Neither')
    await answer(page, 'Race (ethnic group)', 'White')
    await answer(page, 'Religion or belief', 'Prefers not to say')
    await answer(page, 'Sex', 'Female')
    await answer(page, 'Sexual orientation', 'Bisexual')
    await page.getByRole('button', { name: 'Save protected characteristics' }).click()
  })

  await test.step('sees the task list completed, with "prefers not to say" recorded as an answer', async () => {
    await expect(page).toHaveURL(`${victimUrl}?done=characteristics`)
    await expect(page.getByText('The victim’s protected characteristics have been saved')).toBeVisible()
    await expect(page.locator('#victim-tasks-2-status')).toHaveText('Completed')
    await expect(page.locator('#victim-tasks-2-hint')).toHaveText('9 of 9 answered')
    const characteristics = page.locator('.govuk-summary-card').filter({ hasText: 'Protected characteristics' })
    await expect(characteristics.locator('.govuk-summary-list__row').filter({ hasText: 'Religion or belief' })).toContainText(
      'Prefers not to say',
    )
    await expectAccessible(page)
  })

  await test.step('the case timeline records the victim without naming them', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Overview' }).click()
    const timeline = page.locator('.moj-timeline')
    await expect(timeline).toContainText('Victim recorded')
    await expect(timeline).toContainText('Victim’s protected characteristics recorded')
    await expect(timeline).not.toContainText('Quill')
    await expectAccessible(page)
  })
})
