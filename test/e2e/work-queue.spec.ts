import { expect, type Page, test } from '@playwright/test'
import { agreeIsvaPlan, expectAccessible, newNorthvaleUrn, recordCase, referToIsva, signIn } from './support.ts'

/**
 * The journey makes its own clock on a new case (an agreed communication plan starts the clock for
 * the victim's next update) and follows it into the investigator's and the team's queues.
 */

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
}

test('an investigator’s agreed update to the victim appears in their queue and their supervisor’s team queue', async ({
  page,
}) => {
  const urn = newNorthvaleUrn()
  const header = page.getByRole('banner')
  const queues = page.getByRole('navigation', { name: 'Work queues' })

  await test.step('an ISVA has no work queue and is told why', async () => {
    await signIn(page, 'isva')
    await expect(header.getByRole('link', { name: 'Work queue' })).toHaveCount(0)
    await page.goto('/queue')
    await expect(page.getByRole('heading', { level: 1, name: 'You do not have a work queue' })).toBeVisible()
    await expectAccessible(page)
    await signOut(page)
  })

  await test.step('oic.north opens the work queue from the header', async () => {
    await signIn(page, 'oic.north')
    await header.getByRole('link', { name: 'Work queue' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'My work' })).toBeVisible()
    await expect(page.locator('.cb-queue-summary')).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('records a case and agrees a communication plan: updates every 14 days', async () => {
    await recordCase(page, urn)
    await referToIsva(page)
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Communication' }).click()
    await page.getByRole('button', { name: 'Agree a communication plan' }).click()
    await page.getByLabel('Safe times to contact the victim').fill('Weekdays after 6pm')
    await agreeIsvaPlan(page)
  })

  await test.step('the update is in My work as not due, and its URN leads to the Communication section', async () => {
    await header.getByRole('link', { name: 'Work queue' }).click()
    const table = page.getByRole('table', { name: /^Not due/ })
    const row = table.getByRole('row', { name: new RegExp(urn) })
    await expect(row).toContainText('Agreed update to the victim')
    await expect(row).toContainText('due in 14 days')
    await expect(row).toContainText('DC Sam Okafor')
    await expectAccessible(page)
    await row.getByRole('link', { name: urn }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Communication with the victim' })).toBeVisible()
  })

  await test.step('the team queue filtered to agreed updates holds it; notifications are empty for now', async () => {
    await page.goto('/queue')
    await queues.getByRole('link', { name: 'My team' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'My team' })).toBeVisible()
    await page.getByLabel('What is due').selectOption({ label: 'Agreed update to the victim' })
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect(page).toHaveURL(/scope=team&kind=victim_update/)
    await expect(page.getByRole('row', { name: new RegExp(urn) })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Your notifications' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible()
    await expectAccessible(page)
    await signOut(page)
  })

  await test.step('their supervisor sees it in the organisation queue', async () => {
    await signIn(page, 'supervisor.north')
    await header.getByRole('link', { name: 'Work queue' }).click()
    await queues.getByRole('link', { name: 'My organisation' }).click()
    await expect(page.getByRole('row', { name: new RegExp(urn) })).toContainText('Agreed update to the victim')
    await expectAccessible(page)
  })
})
