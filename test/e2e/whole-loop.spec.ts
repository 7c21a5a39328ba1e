import { type Browser, expect, type Page, test } from '@playwright/test'
import { financialQuarterCode, financialQuarterOf } from '../../src/platform/calendar/quarters.ts'
import { startOwnServer } from './own-server.ts'
import { addIdentifiedSuspect, expectAccessible, fillDate, newNorthvaleUrn, recordCase, signIn } from './support.ts'

/**
 * Issue 4's "done when": the whole loop between police and CPS, with time moved forward on a
 * server of the journey's own (see own-server.ts), so the escalation and the three-month wait
 * happen in seconds. Every page visited is checked with axe.
 */

const port = Number(process.env.JOURNEY_PORT ?? 3123) + 1
let server: Awaited<ReturnType<typeof startOwnServer>>
test.beforeAll(async () => {
  server = await startOwnServer(port)
})
test.afterAll(async () => server?.close())
test.use({ baseURL: `http://127.0.0.1:${port}` })
test.setTimeout(240_000)

/** A date `days` on from the server's clock, for a GOV.UK date input. */
function inDays(days: number) {
  const d = new Date(server.clock.now().getTime() + days * 86_400_000)
  const [year, month, day] = d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' }).split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

const isoDate = (d: { day: string; month: string; year: string }) =>
  `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}`

/** A person at their own desk: a browser of their own, signed in (sessions end when time jumps, so sign in afresh). */
async function as(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` })
  const page = await context.newPage()
  await signIn(page, username)
  return page
}

async function section(page: Page, caseUrl: string, name: string) {
  await page.goto(caseUrl)
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name }).click()
  await expectAccessible(page)
}

async function issuePlan(page: Page, action: string) {
  await page.getByRole('button', { name: 'Issue an action plan' }).click()
  await expectAccessible(page)
  await fillPlan(page, action)
}

async function fillPlan(page: Page, action: string) {
  const first = page.getByRole('group', { name: 'Action 1' })
  await first.getByLabel('What should the police do?').fill(action)
  await first.getByLabel('Owner').selectOption({ label: 'DC Sam Okafor' })
  await fillDate(page, 'Target date for action 1', inDays(5))
  await fillDate(page, 'Review date for the plan', inDays(20))
  await page.getByRole('button', { name: 'Issue action plan' }).click()
}

async function respondDone(page: Page, caseUrl: string, details: string) {
  await section(page, caseUrl, 'Action plans')
  await page
    .getByRole('link', { name: /^Respond to action 1/ })
    .first()
    .click()
  await expectAccessible(page)
  await page.getByRole('radio', { name: 'Done', exact: true }).check()
  await page.getByLabel('Details').fill(details)
  await page.getByRole('button', { name: 'Send response' }).click()
  await expect(page.getByText('Your response has been recorded')).toBeVisible()
}

test('early advice, a Full Code Test referral, action plans with escalation, DCP approval, admin finalisation and reopening, and the quarterly return', async ({
  browser,
}) => {
  const urn = newNorthvaleUrn()
  const oic = await as(browser, 'oic.north')
  await recordCase(oic, urn)
  const caseUrl = oic.url()
  // A referral for a charging decision needs an identified suspect.
  await addIdentifiedSuspect(oic, { first: 'Sam', last: 'Invented' }, inDays(-10))

  await test.step('the investigator asks for early advice', async () => {
    await section(oic, caseUrl, 'Advice and charging')
    await oic.getByRole('button', { name: 'Request early advice' }).click()
    await oic.getByLabel('Summary of the facts').fill('Synthetic journey: reported the next morning')
    await oic.getByLabel('Lines of enquiry completed').fill('ABE interview')
    await oic.getByLabel('Lines of enquiry ongoing').fill('Phone download')
    await oic.getByLabel('Lines of enquiry planned').fill('Suspect interview')
    await oic.getByLabel('Issues in the case').fill('Consent is expected to be the issue')
    await oic.getByLabel('Questions for the prosecutor').fill('What is needed on consent?')
    await oic.getByRole('button', { name: 'Send request to the CPS' }).click()
    await expect(oic.getByText('Early advice has been requested from the CPS')).toBeVisible()
    await expectAccessible(oic)
  })

  const prosecutor = await as(browser, 'prosecutor')
  await test.step('the CPS triage the request, assign the prosecutor, who gives the advice', async () => {
    await section(prosecutor, caseUrl, 'Advice and charging')
    await prosecutor.getByRole('link', { name: 'Triage this request for early advice' }).click()
    await prosecutor.getByLabel('Unit', { exact: true }).selectOption({ label: 'RASSO unit' })
    await prosecutor.getByLabel('Prosecutor', { exact: true }).selectOption({ label: 'Alex Moreno (RASSO unit)' })
    await prosecutor.getByRole('button', { name: 'Accept and assign' }).click()
    await expect(prosecutor.getByText('The triage decision has been recorded')).toBeVisible()
    await prosecutor.getByRole('link', { name: 'Give advice on this request' }).click()
    await prosecutor.getByLabel('Your advice').fill('Obtain the phone download before interview')
    await prosecutor.getByRole('button', { name: 'Give advice' }).click()
    await expect(prosecutor.getByText('The advice has been given to the police')).toBeVisible()
    await expectAccessible(prosecutor)
  })

  await test.step('the investigator refers the file under the Full Code Test, and the CPS accept it', async () => {
    await section(oic, caseUrl, 'Advice and charging')
    await oic.getByRole('button', { name: 'Refer for a charging decision' }).click()
    await oic.getByLabel('Full Code Test').check()
    await oic.getByLabel('MG3 – Report to Crown Prosecutor for a charging decision').check()
    await oic.getByRole('button', { name: 'Refer for a charging decision' }).click()
    await expect(oic.getByText('The case has been referred to the CPS for a charging decision')).toBeVisible()
    await expectAccessible(oic)

    await section(prosecutor, caseUrl, 'Advice and charging')
    await prosecutor.getByRole('link', { name: 'Triage this charging referral' }).click()
    await prosecutor.getByLabel('Unit', { exact: true }).selectOption({ label: 'RASSO unit' })
    await prosecutor.getByLabel('Prosecutor', { exact: true }).selectOption({ label: 'Alex Moreno (RASSO unit)' })
    await prosecutor.getByRole('button', { name: 'Accept and assign' }).click()
    await expect(prosecutor.getByText('The triage decision has been recorded')).toBeVisible()
  })

  await test.step('the prosecutor issues an action plan', async () => {
    await section(prosecutor, caseUrl, 'Action plans')
    await issuePlan(prosecutor, 'Obtain the download of the victim’s phone')
    await expect(prosecutor.getByText('The action plan has been issued to the police')).toBeVisible()
    await expectAccessible(prosecutor)
  })

  await test.step('ten days on, the missed target has escalated to the supervisor’s queue', async () => {
    await server.passDays(10)
    const supervisor = await as(browser, 'supervisor.north')
    await supervisor.getByRole('banner').getByRole('link', { name: 'Work queue' }).click()
    const row = supervisor.getByRole('table', { name: /^Overdue/ }).getByRole('row', { name: new RegExp(urn) })
    await expect(row).toContainText('Action plan target')
    await expect(row).toContainText('DC Sam Okafor')
    await expect(row).toContainText('days overdue')
    await expectAccessible(supervisor)
    await supervisor.goto('/notifications')
    await expect(supervisor.getByRole('row', { name: new RegExp(urn) }).first()).toContainText('Overdue')
    await expectAccessible(supervisor)
    await supervisor.context().close()
  })

  await test.step('the police respond; a second plan is blocked until the DCP approves it', async () => {
    const police = await as(browser, 'oic.north')
    await respondDone(police, caseUrl, 'Download obtained; nothing on consent')
    await police.context().close()

    const cps = await as(browser, 'prosecutor')
    await section(cps, caseUrl, 'Action plans')
    await expect(cps.getByText('needs a District Crown Prosecutor’s approval before it can be issued')).toBeVisible()
    await expect(cps.getByRole('button', { name: 'Issue an action plan' })).toHaveCount(0)
    // Going straight to the form does not get round the rule: it is named instead.
    await cps.goto(`${caseUrl}/action-plans/new`)
    await expect(cps.getByRole('heading', { level: 1, name: 'This cannot be done' })).toBeVisible()
    await expect(cps.getByText('needs a District Crown Prosecutor’s approval first')).toBeVisible()
    await expectAccessible(cps)

    const dcp = await as(browser, 'dcp')
    await section(dcp, caseUrl, 'Action plans')
    await dcp.getByLabel('Main theme of why a further plan is needed').selectOption({ index: 1 })
    await dcp.getByLabel('Reason').fill('The first-account witness has not yet been traced')
    await dcp.getByRole('button', { name: 'Approve further plan' }).click()
    await expectAccessible(dcp)
    await dcp.context().close()

    await section(cps, caseUrl, 'Action plans')
    await issuePlan(cps, 'Obtain the first-account witness statement')
    await expect(cps.getByText('The action plan has been issued to the police')).toBeVisible()
    await expect(cps.getByText('DCP approval')).toBeVisible()
    await cps.context().close()
  })

  await test.step('three months past the target date without a response: the CPS may admin finalise, and the page says what that means', async () => {
    // The wait counts from the latest target date (5 days, perhaps moved to a working day), not from the issue date.
    await server.passDays(105)
    const cps = await as(browser, 'prosecutor')
    await section(cps, caseUrl, 'Action plans')
    await cps.getByRole('link', { name: 'Admin finalise the case' }).click()
    await expect(cps.getByTestId('admin-finalised-meaning')).toContainText('not a decision on the evidence')
    await expectAccessible(cps)
    await cps.getByRole('button', { name: 'Admin finalise the case' }).click()
    await expect(cps.getByText('This case is admin finalised.')).toBeVisible()
    await expectAccessible(cps)
    await cps.context().close()
  })

  await test.step('a police response reopens the case with its plan', async () => {
    const police = await as(browser, 'oic.north')
    await respondDone(police, caseUrl, 'Statement taken from the first-account witness')
    await expect(police.getByText('This case is admin finalised.')).toHaveCount(0)
    await police.goto(caseUrl)
    await expect(police.locator('.moj-timeline')).toContainText('Reopened after admin finalisation: police responded')
    await expectAccessible(police)
    await police.context().close()
  })

  await test.step('the quarterly assurance return lists the case with its approval theme', async () => {
    const dcp = await as(browser, 'dcp')
    await dcp.goto('/assurance/action-plans')
    await expectAccessible(dcp)
    // The financial-year quarter the further plan was issued in (Q1 is April to June).
    const quarter = financialQuarterCode(financialQuarterOf(isoDate(inDays(-95))))
    await dcp.getByLabel('Quarter').selectOption(quarter)
    await dcp.getByRole('button', { name: 'Show quarter' }).click()
    await expect(dcp.getByRole('row', { name: new RegExp(urn) })).toBeVisible()
    await expectAccessible(dcp)
    await dcp.context().close()
  })
})
