import { expect, test } from '@playwright/test'
import { expectAccessible, signIn, uniqueSuffix } from './support.ts'

test('an administrator sees only their own force’s users and adds one who can then sign in', async ({ page }) => {
  const suffix = uniqueSuffix()
  const username = `dc.newcomer.${suffix}`
  const fullName = `DC Alex Newcomer ${suffix}`
  const password = `journey-password-${suffix}`

  await test.step('admin.north opens the user list', async () => {
    await signIn(page, 'admin.north')
    await page.getByRole('link', { name: 'Administration', exact: true }).click()
    await expect(page).toHaveURL(/\/admin\/users$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Users in Northvale Police' })).toBeVisible()
    const table = page.getByRole('table')
    await expect(table.getByRole('row').filter({ hasText: 'DC Sam Okafor' })).toHaveCount(1)
    await expect(table.getByRole('row').filter({ hasText: 'DC Jo Whitfield' })).toHaveCount(0)
    await expect(table.getByText('oic.south')).toHaveCount(0)
    await expectAccessible(page)
  })

  await test.step('adds a user', async () => {
    await page.getByRole('button', { name: 'Add a user' }).click()
    await expect(page).toHaveURL(/\/admin\/users\/new$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Add a user to Northvale Police' })).toBeVisible()
    await expectAccessible(page)

    await page.getByLabel('Full name').fill(fullName)
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Work email address').fill(`${username}@northvale.police.example`)
    await page.getByLabel('Direct phone number').fill('01632 960999')
    await page.getByRole('group', { name: 'Roles' }).getByLabel('Investigator (officer in charge)').check()
    await page.getByLabel('First password').fill(password)
    await page.getByRole('button', { name: 'Add user' }).click()
  })

  await test.step('sees "User added" and the new user in the list', async () => {
    await expect(page).toHaveURL(/\/admin\/users\?done=created$/)
    await expect(page.locator('.govuk-notification-banner--success')).toContainText('User added')
    const row = page.getByRole('table').getByRole('row').filter({ hasText: username })
    await expect(row).toHaveCount(1)
    await expect(row).toContainText(fullName)
    await expect(row).toContainText('Investigator (officer in charge)')
    await expect(row).toContainText('01632 960999')
    await expectAccessible(page)
  })

  await test.step('opens the new user and changes their phone number', async () => {
    await page.getByRole('link', { name: fullName }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Manage ${fullName}` })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Direct phone number').fill('01632 960998')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.locator('.govuk-notification-banner--success')).toContainText('Changes saved')
    await expect(page.getByRole('table').getByRole('row').filter({ hasText: username })).toContainText('01632 960998')
  })

  await test.step('the new user can sign in with the first password', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'You have been signed out' })).toBeVisible()
    await signIn(page, username, password)
    await expect(page.getByText(`${fullName}, Northvale Police`)).toBeVisible()
  })
})

test('an administrator gives a team a lead, who is then the top of its escalation ladder', async ({ page }) => {
  const name = `Online harms ${uniqueSuffix()}`
  await signIn(page, 'admin.north')
  await page.getByRole('link', { name: 'Administration', exact: true }).click()
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Teams' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Teams in Northvale Police' })).toBeVisible()
  await expect(page.getByRole('row').filter({ hasText: 'RASSO investigation team' })).toContainText('DI Amara Kent')
  await expectAccessible(page)

  await page.getByRole('button', { name: 'Add a team' }).click()
  await page.getByRole('button', { name: 'Add team' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the team’s name')
  await expectAccessible(page)
  await page.getByLabel('Team name').fill(name)
  await page.getByLabel('Lead').selectOption({ label: 'DS Priya Lang' })
  await page.getByRole('button', { name: 'Add team' }).click()
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Team added')
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('DS Priya Lang')
})
