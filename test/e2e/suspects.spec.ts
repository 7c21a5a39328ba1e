import { expect, type Locator, test } from '@playwright/test'
import { expectAccessible, expectAccessibleWithReveals, fillCaseForm, newNorthvaleUrn, signIn } from './support.ts'

/** Fills a GOV.UK date input found by its legend. */
async function fillDate(scope: Locator, day: string, month: string, year: string) {
  await scope.getByLabel('Day').fill(day)
  await scope.getByLabel('Month').fill(month)
  await scope.getByLabel('Year').fill(year)
}

test('an investigator adds a suspect, records arrest then bail, and sees the status', async ({ page }) => {
  const urn = newNorthvaleUrn()

  await test.step('oic.north signs in and records a case', async () => {
    await signIn(page, 'oic.north')
    await page.getByRole('button', { name: 'Record a new case' }).click()
    await expectAccessible(page)
    await fillCaseForm(page, {
      urn,
      offences: ['19C – Rape of a female aged 16 and over'],
      offence: { day: '31', month: '1', year: '2025' },
      reported: { day: '1', month: '2', year: '2025' },
    })
    await page.getByRole('button', { name: 'Record case' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('opens Suspects from the case sections: there are none yet', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Suspects' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Suspects' })).toBeVisible()
    await expect(page.getByText('No suspects have been recorded for this case.')).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('adds an identified suspect, after fixing a missing name', async () => {
    await page.getByRole('button', { name: 'Add a suspect' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Add a suspect' })).toBeVisible()
    await expectAccessibleWithReveals(page)
    await page.getByRole('radio', { name: 'Yes' }).check()
    // The conditional reveal shows the name and dates once "Yes" is chosen.
    await page.getByLabel('First name').fill('Jordan')
    await fillDate(page.getByRole('group', { name: 'Date identified' }), '3', '2', '2025')
    await page.getByRole('button', { name: 'Add suspect' }).click()

    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible()
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the suspect’s last name')
    await expect(page.getByLabel('First name')).toHaveValue('Jordan')
    await expectAccessibleWithReveals(page)

    await page.getByLabel('Last name').fill('Fictional')
    await fillDate(page.getByRole('group', { name: 'Date of birth (optional)' }), '27', '3', '1990')
    await page.getByRole('button', { name: 'Add suspect' }).click()
    await expect(page.getByText('Suspect added')).toBeVisible()
    await expectAccessible(page)
    const row = page.getByRole('row').filter({ hasText: 'Jordan Fictional' })
    await expect(row).toContainText('Identified')
    await expect(row).toContainText('27 March 1990')
    await expectAccessibleWithReveals(page)
  })

  await test.step('records the arrest', async () => {
    await page.getByRole('link', { name: 'Record a new status for Jordan Fictional' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Record a new status' })).toBeVisible()
    await expectAccessibleWithReveals(page)
    await page.getByRole('radio', { name: 'Arrested' }).check()
    await fillDate(page.getByRole('group', { name: 'When did this happen?' }), '10', '2', '2025')
    await page.getByRole('button', { name: 'Record status' }).click()
    await expect(page.getByText('Status recorded')).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: 'Jordan Fictional' })).toContainText('Arrested')
  })

  await test.step('records bail with a return date and conditions', async () => {
    await page.getByRole('link', { name: 'Record a new status for Jordan Fictional' }).click()
    await page.getByRole('radio', { name: 'On bail' }).check()
    await fillDate(page.getByRole('group', { name: 'Bail return date' }), '10', '5', '2025')
    await page.getByLabel('Bail conditions (optional)').fill('Not to contact the complainant')
    await expectAccessibleWithReveals(page)
    await fillDate(page.getByRole('group', { name: 'When did this happen?' }), '11', '2', '2025')
    await page.getByRole('button', { name: 'Record status' }).click()
  })

  await test.step('sees the suspect on bail, with the return date and the history', async () => {
    await expect(page.getByText('Status recorded')).toBeVisible()
    const row = page.getByRole('row').filter({ hasText: 'Jordan Fictional' })
    await expect(row).toContainText('On bail')
    await expect(row).toContainText('11 February 2025')
    const section = page.getByRole('region', { name: 'Jordan Fictional' })
    await expect(section.locator('.govuk-summary-list')).toContainText('10 May 2025')
    await expect(section.locator('.govuk-summary-list')).toContainText('Not to contact the complainant')
    await expect(section.locator('.moj-timeline__title')).toHaveText(['On bail', 'Arrested', 'Identified'])
    expect(page.url()).not.toContain('Jordan')
    await expectAccessible(page)
  })
})
