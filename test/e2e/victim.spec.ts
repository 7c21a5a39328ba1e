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
    const dob = page.getByRole('group', { name: 'Date of birth (optional)' })
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
    // Recorded, the victim has an address of their own in the case file (ids only).
    await expect(page).toHaveURL(/\/victims\/[0-9a-f-]{36}\?done=details$/)
    victimUrl = new URL(page.url()).pathname
    // Names and personal data never go into a URL.
    expect(page.url()).not.toContain('Quill')
    await expect(page.getByText('The victim’s details have been saved')).toBeVisible()
    await expect(page.locator('.govuk-summary-card').first()).toContainText('Alexandra Quill')
    await expect(page.getByText('victims of sexual offences always have enhanced rights')).toBeVisible()
    await expect(page.locator('#victim-tasks-2-status')).toHaveText('Not yet started')
    await expectAccessible(page)
  })

  await test.step('answers the protected characteristics, one "prefers not to say"; age comes from the date of birth', async () => {
    await page.getByRole('link', { name: 'Protected characteristics' }).first().click()
    await expect(page.getByRole('heading', { level: 1, name: 'Protected characteristics' })).toBeVisible()
    // Every question starts at "not yet asked", never at an answer.
    await expect(page.getByRole('group', { name: 'Sex', exact: true }).getByLabel('Not yet asked')).toBeChecked()
    await expectAccessible(page)

    await expect(page.getByText('Taken from the victim’s date of birth')).toBeVisible()
    await answer(page, 'Disability', 'No')
    await answer(page, 'Gender reassignment', 'Yes, the same')
    await answer(page, 'Marriage and civil partnership', 'Never married and never registered a civil partnership')
    await answer(page, 'Pregnancy and maternity', 'Neither')
    // Ethnic group is self-defined at the detailed 2021 Census level, under its broad group.
    const ethnicity = page.getByRole('group', { name: 'Race (ethnic group)', exact: true })
    await expect(ethnicity.getByRole('group', { name: 'White', exact: true })).toBeVisible()
    await ethnicity.getByLabel('Irish', { exact: true }).check()
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
    // Both levels of the ethnic group, and when and by whom each answer was recorded.
    const race = characteristics.locator('.govuk-summary-list__row').filter({ hasText: 'Race (ethnic group)' })
    await expect(race).toContainText('Irish')
    await expect(race).toContainText('Broad group: White')
    await expect(race).toContainText('by DC Sam Okafor')
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

test('a police supervisor reads the protected characteristics completeness of their force by quarter', async ({ page }) => {
  await signIn(page, 'supervisor.north')
  await page.getByRole('link', { name: 'Characteristics', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Protected characteristics completeness' })).toBeVisible()
  await expect(page.getByText('Figures count victims')).toBeVisible()
  await expect(page.getByRole('table', { name: /Victims with each question answered/ })).toBeVisible()
  await expectAccessible(page)

  // An earlier quarter, chosen from the list without JavaScript: a plain GET form.
  const quarter = page.getByLabel('Quarter (financial year)')
  const options = await quarter.locator('option').allTextContents()
  expect(options[0]).toMatch(/^\d{4}-\d{2} Q[1-4]: \w+ to \w+ \d{4}$/)
  await quarter.selectOption({ index: 2 })
  await page.getByRole('button', { name: 'Show quarter' }).click()
  await expect(page).toHaveURL(/\/victims\/completeness\?quarter=\d{4}-\d{2}-Q[1-4]$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Protected characteristics completeness' })).toBeVisible()
  await expectAccessible(page)
})
