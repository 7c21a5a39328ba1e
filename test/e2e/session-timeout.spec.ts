import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './support.ts'

// The server's defaults: a session ends after 30 idle minutes, with a warning 5 minutes before.
test('the idle timeout warning lets a user stay signed in, and signs them out if they do nothing', async ({ page }) => {
  await page.clock.install()
  await signIn(page, 'supervisor.north')
  const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' })
  await expect(dialog).toBeHidden()

  await test.step('the warning opens after 25 idle minutes', async () => {
    await page.clock.fastForward('25:00')
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('we will sign you out in 5 minutes')
    await expectAccessible(page)
  })

  await test.step('"Stay signed in" closes it', async () => {
    await dialog.getByRole('button', { name: 'Stay signed in' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible()
  })

  await test.step('doing nothing after a new warning signs the user out', async () => {
    await page.clock.fastForward('25:00')
    await expect(dialog).toBeVisible()
    await page.clock.fastForward('05:00')
    await expect(page).toHaveURL(/\/signed-out\?timeout=1$/)
    await expect(page.getByRole('heading', { level: 1, name: 'You have been signed out' })).toBeVisible()
    await expect(page.getByText('We signed you out because you had not done anything for a while.')).toBeVisible()
    await expectAccessible(page)
    await page.goto('/cases')
    await expect(page).toHaveURL(/\/sign-in/)
  })
})
