import { expect, type Page, test } from '@playwright/test'
import { expectAccessible, fillDate, signIn } from './support.ts'

// The demo's first case is referred to CPS Vale and Mere (without a charging referral, so a plan needs no DCP approval).
const demoUrn = `91NV10001${String(new Date().getFullYear() % 100).padStart(2, '0')}`

/** A date `days` from now, split for a GOV.UK date input. */
function inDays(days: number) {
  const d = new Date(Date.now() + days * 86_400_000)
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) }
}

async function openActionPlans(page: Page) {
  await page.getByRole('link', { name: demoUrn }).click()
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Action plans' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Action plans' })).toBeVisible()
  await expectAccessible(page)
}

test('a prosecutor issues an action plan and the investigator responds to it', async ({ page, browser }) => {
  const action = `Obtain the download of the victim’s phone (${Date.now().toString(36)})`

  await test.step('the prosecutor issues a plan with one action', async () => {
    await signIn(page, 'prosecutor')
    await openActionPlans(page)
    await page.getByRole('button', { name: 'Issue an action plan' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Issue an action plan' })).toBeVisible()
    await expectAccessible(page)
    const first = page.getByRole('group', { name: 'Action 1' })
    await first.getByLabel('What should the police do?').fill(action)
    await first.getByLabel('Owner').selectOption({ label: 'DC Sam Okafor' })
    await fillDate(page, 'Target date for action 1', { day: '1', month: '1', year: '2020' })
    await fillDate(page, 'Review date for the plan', inDays(28))
    await page.getByRole('button', { name: 'Issue action plan' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText('Action 1 has a target date in the past')
    await expectAccessible(page)
    await fillDate(page, 'Target date for action 1', inDays(14))
    await page.getByRole('button', { name: 'Issue action plan' }).click()
    await expect(page.getByText('The action plan has been issued to the police')).toBeVisible()
    await expect(page.getByRole('table')).toContainText(action)
    await expectAccessible(page)
  })

  await test.step('the investigator answers the action, and the plan is back with the CPS', async () => {
    const context = await browser.newContext()
    const police = await context.newPage()
    await signIn(police, 'oic.north')
    await openActionPlans(police)
    await police
      .getByRole('link', { name: /^Respond to action 1/ })
      .first()
      .click()
    await expect(police.getByText(action)).toBeVisible()
    await expectAccessible(police)
    await police.getByRole('radio', { name: 'Done', exact: true }).check()
    await police.getByLabel('Details').fill('Download obtained and reviewed; nothing relevant to consent')
    await police.getByRole('button', { name: 'Send response' }).click()
    await expect(police.getByText('Your response has been recorded')).toBeVisible()
    await expect(police.getByRole('table').first()).toContainText('Download obtained and reviewed')
    await expect(police.locator('.govuk-tag').first()).toHaveText('Police responded to every action')
    await expectAccessible(police)
    await context.close()
  })
})
