import { expect, test } from '@playwright/test'
import { agreeIsvaPlan, expectAccessible, newNorthvaleUrn, recordCase, referToIsva, signIn } from './support.ts'

test('an investigator agrees a communication plan through the ISVA, records an update and sees the next one due', async ({
  page,
}) => {
  const urn = newNorthvaleUrn()
  const sections = page.getByRole('navigation', { name: 'Case sections' })

  await test.step('oic.north records a case and opens its Communication section', async () => {
    await signIn(page, 'oic.north')
    await recordCase(page, urn)
    await referToIsva(page) // contact through an ISVA needs one engaged
    await sections.getByRole('link', { name: 'Communication' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Communication with the victim' })).toBeVisible()
    await expect(page.getByText('No communication plan has been agreed')).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('an incomplete plan is refused with the error summary, keeping what was typed', async () => {
    await page.getByRole('button', { name: 'Agree a communication plan' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Agree a communication plan' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Safe times to contact the victim').fill('Weekdays after 6pm')
    await page.getByRole('button', { name: 'Agree plan' }).click()
    const summary = page.locator('.govuk-error-summary')
    await expect(summary).toBeFocused()
    await expect(summary).toContainText('Select how the victim prefers to be contacted')
    await expect(page.getByLabel('Safe times to contact the victim')).toHaveValue('Weekdays after 6pm')
    await expectAccessible(page)
  })

  await test.step('agrees contact through the ISVA, every 14 days, NFA news in person with the ISVA present', async () => {
    await agreeIsvaPlan(page)
    const card = page.locator('.govuk-summary-card', { hasText: 'Communication plan' })
    await expect(card).toContainText('Through their ISVA')
    await expect(card).toContainText('Every 14 days')
    await expect(card).toContainText('In person, with their ISVA present')
    await expect(card).toContainText('due in 14 days')
    await expectAccessible(page)
  })

  await test.step('records a planned update; it shows in the log and the next update is due in 14 days', async () => {
    await page.getByRole('button', { name: 'Record a contact' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Record a contact with the victim' })).toBeVisible()
    await expectAccessible(page)
    // The date boxes start at today; midnight today is always in the past.
    await page.getByLabel('Time of the contact').fill('00:00')
    await page.getByRole('group', { name: 'How was the contact made?' }).getByLabel('Through their ISVA').check()
    await page.getByRole('group', { name: 'Who made the contact?' }).getByLabel('Police').check()
    await page.getByRole('group', { name: 'Was this a planned update?' }).getByLabel('Yes').check()
    await page.getByLabel('Summary of the contact').fill('Update on the forensic results, passed on by the ISVA')
    await page.getByRole('button', { name: 'Record contact' }).click()
    await expect(page.getByText('The contact has been recorded')).toBeVisible()
    const log = page.getByRole('table')
    await expect(log).toContainText('Update on the forensic results, passed on by the ISVA')
    await expect(log).toContainText('Through their ISVA')
    await expect(page.locator('.govuk-summary-card', { hasText: 'Communication plan' })).toContainText('due in 14 days')
    await expectAccessible(page)
    await sections.getByRole('link', { name: 'Overview' }).click()
    await expect(page.locator('.moj-timeline')).toContainText('Communication plan agreed with the victim')
  })
})
