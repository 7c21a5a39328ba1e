import { expect, test } from '@playwright/test'
import { insertTeam, insertUser } from '../../src/modules/admin/queries.ts'
import { startOwnServer } from './own-server.ts'
import { DEMO_PASSWORD, expectAccessible, expectAccessibleWithReveals, signIn } from './support.ts'

/**
 * Issue 10's "done when" for stated reasons: an investigator of another team of Northvale opens a
 * case with a victim, is asked why, says why, and sees the victim; the supervisor then sees that
 * look flagged with the reason on "who has seen this record", and on the weekly review. The other
 * team and its investigator exist only on this journey's own server. Every page is checked with axe.
 */

const port = Number(process.env.JOURNEY_PORT ?? 3123) + 3
const baseURL = `http://127.0.0.1:${port}`
let server: Awaited<ReturnType<typeof startOwnServer>>
let caseId: string
let urn: string
let victimName: string

const OTHER = { username: 'dc.ppu.north', name: 'DC Wren Halloway' }

test.beforeAll(async () => {
  server = await startOwnServer(port)
  const [north] = await server.db.query<{ id: string }>("SELECT id FROM organisations WHERE name = 'Northvale Police'")
  const team = await insertTeam(server.db, north.id, 'Synthetic public protection unit')
  await insertUser(server.db, north.id, {
    username: OTHER.username,
    displayName: OTHER.name,
    email: 'dc.ppu.north@casebridge-demo.example',
    phone: '01632 960300',
    roles: ['investigator'],
    teamId: team,
    password: DEMO_PASSWORD,
  })
  // A demo case of Northvale with exactly one victim recorded.
  const [found] = await server.db.query<{ id: string; urn: string; name: string }>(
    `SELECT c.id, c.urn, v.first_name || ' ' || v.last_name AS name FROM cases c JOIN victims v ON v.case_id = c.id
      WHERE c.force_id = $1 AND (SELECT count(*) FROM victims w WHERE w.case_id = c.id) = 1 ORDER BY c.urn LIMIT 1`,
    [north.id],
  )
  caseId = found.id
  urn = found.urn
  victimName = found.name
})
test.afterAll(async () => server?.close())
test.use({ baseURL })

test('an investigator of another team states a reason, and the supervisor sees it flagged', async ({ page }) => {
  await signIn(page, OTHER.username)
  await page.goto(`/cases/${caseId}`)
  await expect(page.getByText('Victim 1', { exact: true }).first()).toBeVisible()
  await expect(page.getByText(victimName)).toHaveCount(0)
  await expectAccessible(page)

  await page.getByRole('link', { name: 'Victim', exact: true }).click()
  await expect(page).toHaveURL(/\/reason\?next=/)
  await expect(page.getByRole('heading', { name: 'Why do you need to see this case’s victims?' })).toBeVisible()
  await expectAccessibleWithReveals(page)
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('link', { name: 'Select why you need to see this case’s victims' })).toBeVisible()
  await expectAccessibleWithReveals(page)
  await page.getByLabel('Other reason').check()
  await page.getByLabel('Say why').fill('Synthetic: a linked missing-person enquiry')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}/victim$`))
  await expect(page.getByText(victimName).first()).toBeVisible()
  await expectAccessible(page)

  await page.context().clearCookies()
  await signIn(page, 'supervisor.north')
  await page.goto(`/cases/${caseId}/access-log?show=victim`)
  const row = page.getByRole('row').filter({ hasText: OTHER.name }).first()
  await expect(row).toContainText('Reason stated')
  await expect(row).toContainText('Synthetic: a linked missing-person enquiry')
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Review the reasons stated this week' }).click()
  const reviewed = page.getByRole('row').filter({ hasText: urn })
  await expect(reviewed).toContainText(OTHER.name)
  await expect(reviewed).toContainText('Other reason')
  await expectAccessible(page)
})
