import { expect, type Page, test } from '@playwright/test'
import { expectAccessible, newNorthvaleUrn, recordCase, signIn } from './support.ts'

/**
 * A restricted case (issue 10 item 2): a police supervisor restricts a case to named people. The
 * officer named still opens it; a supervisor of the same force and the prosecutor of the CPS Area
 * it is referred to are told it does not exist, and do not see it in their case list.
 */
const REASON = 'Synthetic: a serving officer of the force is a suspect'

const sections = (page: Page) => page.getByRole('navigation', { name: 'Case sections' })

async function expectNotThere(page: Page, casePath: string, urn: string) {
  await page.goto(casePath)
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
  await expect(page.locator('body')).not.toContainText(urn)
  await expectAccessible(page)
  await page.goto('/cases')
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible()
  await expect(page.locator('main')).not.toContainText(urn)
  await expect(page.locator(`a[href="${casePath}"]`)).toHaveCount(0)
}

test('a restricted case opens only for the people named: everyone else is told it does not exist', async ({ page }) => {
  test.setTimeout(180_000)
  const urn = newNorthvaleUrn()
  let casePath = ''

  await test.step('oic.north records a case and asks the CPS for early advice, which refers it to the CPS Area', async () => {
    await signIn(page, 'oic.north')
    await recordCase(page, urn)
    casePath = new URL(page.url()).pathname
    await sections(page).getByRole('link', { name: 'Advice and charging' }).click()
    await page.getByRole('button', { name: 'Request early advice' }).click()
    await page.getByLabel('Summary of the facts').fill('Synthetic summary')
    await page.getByLabel('Lines of enquiry completed').fill('Synthetic enquiries done')
    await page.getByLabel('Lines of enquiry ongoing').fill('Synthetic enquiries ongoing')
    await page.getByLabel('Lines of enquiry planned').fill('Synthetic enquiries planned')
    await page.getByLabel('Issues in the case').fill('Synthetic issues')
    await page.getByLabel('Questions for the prosecutor').fill('Synthetic questions')
    await page.getByRole('button', { name: 'Send request to the CPS' }).click()
    await expect(page.getByText('Early advice has been requested from the CPS')).toBeVisible()
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('before the restriction, the prosecutor and another supervisor of the force see it', async () => {
    for (const user of ['prosecutor', 'inspector.north']) {
      await signIn(page, user)
      await page.goto(casePath)
      await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
      await page.getByRole('button', { name: 'Sign out' }).click()
    }
  })

  await test.step('supervisor.north restricts the case, naming oic.north; a reason is needed', async () => {
    await signIn(page, 'supervisor.north')
    await page.goto(casePath)
    await page.getByRole('link', { name: 'Restrict this case to named people' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Restrict this case' })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('group', { name: 'Northvale Police' }).getByLabel('DC Sam Okafor').check()
    await page.getByRole('button', { name: 'Restrict the case' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the reason')
    await expect(page.getByRole('group', { name: 'Northvale Police' }).getByLabel('DC Sam Okafor')).toBeChecked()
    await expectAccessible(page)
    await page.getByLabel('Why are you restricting this case?').fill(REASON)
    await page.getByRole('button', { name: 'Restrict the case' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    await expect(page.locator('main')).toContainText('Restricted')
    await expect(page.locator('main')).toContainText('Case restricted to the people named')
    // The reason is not on the timeline: it stays with the restriction.
    await expect(page.locator('main')).not.toContainText(REASON)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Change who may open this restricted case' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Change the restriction' })).toBeVisible()
    await expect(page.locator('main')).toContainText(REASON)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('oic.north, named, still opens the case and finds it in the list', async () => {
    await signIn(page, 'oic.north')
    await expect(page.locator(`a[href="${casePath}"]`)).toHaveCount(1)
    await page.goto(casePath)
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
  })

  await test.step('inspector.north, a supervisor of the same force, and the prosecutor are told it does not exist', async () => {
    for (const user of ['inspector.north', 'prosecutor']) {
      await signIn(page, user)
      await expectNotThere(page, casePath, urn)
      await page.getByRole('button', { name: 'Sign out' }).click()
    }
  })
})
