import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './support.ts'

// A demo case: Northvale's first, referred to the CPS.
const demoUrn = `91NV10001${String(new Date().getFullYear() % 100).padStart(2, '0')}`

test('a supervisor sees who has accessed a case; an administrator finds it by URN', async ({ page }) => {
  await test.step('supervisor.north opens the case and its access log', async () => {
    await signIn(page, 'supervisor.north')
    await page.getByRole('link', { name: demoUrn }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${demoUrn}` })).toBeVisible()
    await page.getByRole('link', { name: 'Who has seen this record' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Who has seen this record' })).toBeVisible()
    const table = page.getByRole('table')
    await expect(table).toContainText('DS Priya Lang')
    await expect(table).toContainText('Looked at: case record and timeline')
    await expect(table).toContainText('case of own force')
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Show access to the victim’s details only' }).click()
    await expect(page.getByText('Showing access to the victim’s details only')).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('admin.north finds the case by URN and sees the supervisor’s visit', async () => {
    await signIn(page, 'admin.north')
    await page.getByRole('link', { name: 'Access log', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Who has seen a case' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Unique reference number (URN)').fill('91ZZ0000000')
    await page.getByRole('button', { name: 'Show access log' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText('There is no case with this URN that you oversee')
    await expectAccessible(page)
    await page.getByLabel('Unique reference number (URN)').fill(demoUrn)
    await page.getByRole('button', { name: 'Show access log' }).click()
    await expect(page.getByRole('table')).toContainText('DS Priya Lang')
    await expect(page.getByRole('table')).toContainText('Looked at: access log of the case')
  })
})
