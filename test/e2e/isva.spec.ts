import { expect, test } from '@playwright/test'
import { expectAccessible, fillDate, newNorthvaleUrn, recordCase, signIn } from './support.ts'

test('an investigator refers the victim to an ISVA with limited consent; the ISVA sees only that', async ({ page }) => {
  const urn = newNorthvaleUrn()
  await test.step('oic.north records a case and refers the victim, sharing only their own details', async () => {
    await signIn(page, 'oic.north')
    await recordCase(page, urn)
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Support' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Support service').selectOption({ label: 'Vale Sexual Violence Support' })
    await page.getByLabel('Independent Sexual Violence Adviser (ISVA)').check()
    await page.getByLabel('The victim consents to this referral').check()
    await fillDate(page, 'Date the victim consented', { day: '3', month: '4', year: '2025' })
    await page.getByLabel('their own contact details, needs and adjustments').check()
    await page.getByRole('button', { name: 'Refer' }).click()
    await expect(page.locator('.govuk-summary-card')).toContainText('Vale Sexual Violence Support')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('the ISVA finds the case, sees no suspects section, and is told the outcome was not shared', async () => {
    await signIn(page, 'isva')
    await page.getByRole('link', { name: urn }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    const sections = page.getByRole('navigation', { name: 'Case sections' })
    await expect(sections.getByRole('link', { name: 'Suspects' })).toHaveCount(0)
    await expectAccessible(page)
    await sections.getByRole('link', { name: 'Outcome' }).click()
    await expect(
      page.getByText('The victim has not agreed to share decisions and the outcome of the case with their support service'),
    ).toBeVisible()
    await expectAccessible(page)
    const suspects = await page.goto(`${new URL(page.url()).pathname.replace('/outcome', '/suspects')}`)
    expect(suspects?.status()).toBe(404)
  })
})
