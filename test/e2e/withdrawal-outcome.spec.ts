import { expect, test } from '@playwright/test'
import { expectAccessible, fillDate, newNorthvaleUrn, recordCase, signIn } from './support.ts'

test('an investigator records the victim’s withdrawal, then finalises with outcome 16', async ({ page }) => {
  const urn = newNorthvaleUrn()
  await signIn(page, 'oic.north')
  await recordCase(page, urn)

  await test.step('records the identified suspect (outcome 16 needs one)', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Suspects' }).click()
    await page.getByRole('button', { name: 'Add a suspect' }).click()
    await page.getByRole('radio', { name: 'Yes' }).check()
    await page.getByLabel('First name').fill('Sam')
    await page.getByLabel('Last name').fill('Invented')
    await fillDate(page, 'Date identified', { day: '5', month: '3', year: '2025' })
    await page.getByRole('button', { name: 'Add suspect' }).click()
    await expect(page.getByText('Suspect added')).toBeVisible()
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

  await test.step('finalises with outcome 16; the stage shows no further action', async () => {
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Outcome' }).click()
    await page.getByLabel('Home Office outcome').selectOption('16')
    await fillDate(page, 'Date of the outcome', { day: '1', month: '6', year: '2025' })
    await page.getByRole('button', { name: 'Finalise case' }).click()
    await expect(page.getByText('Outcome in force')).toBeVisible()
    await expect(page.locator('.govuk-summary-card')).toContainText(
      '16 – Evidential difficulties: suspect identified, victim does not support action',
    )
    await expectAccessible(page)
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Overview' }).click()
    await expect(page.getByText('No further action', { exact: true })).toBeVisible()
    await expect(page.locator('.moj-timeline')).toContainText('Victim withdrew support')
  })
})
