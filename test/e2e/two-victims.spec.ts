import { type Browser, expect, type Page, test } from '@playwright/test'
import { insertOrganisation, insertUser } from '../../src/modules/admin/queries.ts'
import { startOwnServer } from './own-server.ts'
import { DEMO_PASSWORD, expectAccessible, fillDate, newNorthvaleUrn, recordCase, signIn } from './support.ts'

/**
 * Issue 9's "done when": one case file with two victims, each with their own crime, communication
 * plan and ISVA, where neither ISVA learns anything of the other victim. The second support service
 * and its ISVA exist only in this journey's own server (see own-server.ts), so the shared demo
 * server is untouched. Every page visited is checked with axe.
 */

const port = Number(process.env.JOURNEY_PORT ?? 3123) + 2
const baseURL = `http://127.0.0.1:${port}`
let server: Awaited<ReturnType<typeof startOwnServer>>

const VALE = 'Vale Sexual Violence Support'
/** Synthetic: a second support service, with its own ISVA, for the second victim. */
const OTHER_SERVICE = 'Harrowmere Synthetic Survivors Service'
const OTHER_ISVA = { username: 'isva.harrowmere', name: 'Tamsin Rookwood' }

test.beforeAll(async () => {
  server = await startOwnServer(port)
  const service = await insertOrganisation(server.db, { kind: 'support_service', name: OTHER_SERVICE })
  await insertUser(server.db, service, {
    username: OTHER_ISVA.username,
    displayName: OTHER_ISVA.name,
    email: 'isva.harrowmere@casebridge-demo.example',
    phone: '01632 960200',
    roles: ['isva'],
    teamId: null,
    password: DEMO_PASSWORD,
  })
})
test.afterAll(async () => server?.close())
test.use({ baseURL })

type Victim = { first: string; last: string; phone: string; safeTimes: string; updates: string }
const VICTIM_A: Victim = {
  first: 'Marisol',
  last: 'Thistlewood',
  phone: '07700 900411',
  safeTimes: 'Synthetic: weekdays after six in the evening',
  updates: 'Every 14 days',
}
const VICTIM_B: Victim = {
  first: 'Ysolde',
  last: 'Quennevais',
  phone: '07700 900522',
  safeTimes: 'Synthetic: Tuesday mornings only',
  updates: 'Every 28 days',
}
const fullName = (v: Victim) => `${v.first} ${v.last}`

const SHARED = [
  'their own contact details, needs and adjustments',
  'their communication plan and the record of contact',
  'decisions and the outcome of the case',
]

const sections = (page: Page) => page.getByRole('navigation', { name: 'Case sections' })

/** A person at their own desk: a browser of their own, signed in. */
async function as(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL })
  const page = await context.newPage()
  await signIn(page, username)
  return page
}

/** Fails naming anything of the other victim found anywhere in the page's HTML. */
async function expectNothingOf(page: Page, other: Record<string, string>): Promise<void> {
  const html = await page.content()
  const found = Object.entries(other)
    .filter(([, words]) => html.includes(words))
    .map(([name]) => name)
  expect(found, `the other victim's records on ${page.url()}`).toEqual([])
}

/** Records a victim on the details form this page shows, and waits for their page. */
async function fillVictim(page: Page, v: Victim): Promise<void> {
  await page.getByLabel('First name').fill(v.first)
  await page.getByLabel('Last name').fill(v.last)
  await page.getByLabel('Phone number (optional)').fill(v.phone)
  await page.getByLabel('Preferred language').fill('English')
  await page.getByRole('group', { name: 'Does the victim need an interpreter?' }).getByLabel('No').check()
  await page.getByRole('group', { name: 'Is the victim vulnerable?' }).getByLabel('No').check()
  await page.getByRole('button', { name: 'Record victim' }).click()
  await expect(page.getByText('The victim’s details have been saved')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: `Victim: ${fullName(v)}` })).toBeVisible()
}

/** From the case overview: refers the victim, with consent, to an ISVA at the service named, sharing everything. */
async function referForIsva(page: Page, casePath: string, v: Victim, service: string): Promise<void> {
  await page.goto(casePath)
  await page.getByRole('link', { name: `support for ${fullName(v)}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible()
  await expect(page.locator('.govuk-caption-l')).toHaveText(fullName(v))
  await expectAccessible(page)
  await page.getByLabel('Support service').selectOption({ label: service })
  await page.getByLabel('Independent Sexual Violence Adviser (ISVA)').check()
  await page.getByLabel('The victim consents to this referral').check()
  await fillDate(page, 'Date the victim consented', { day: '3', month: '4', year: '2025' })
  for (const part of SHARED) await page.getByLabel(part).check()
  await page.getByRole('button', { name: 'Refer' }).click()
  const cards = page.locator('.govuk-summary-card')
  await expect(cards).toHaveCount(1)
  await expect(cards).toContainText(service)
  await expectAccessible(page)
}

/** From the case overview: agrees the victim's own communication plan, contact through their ISVA. */
async function agreePlan(page: Page, casePath: string, v: Victim): Promise<void> {
  await page.goto(casePath)
  await page.getByRole('link', { name: `communication with ${fullName(v)}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Communication with the victim' })).toBeVisible()
  await expect(page.getByText('No communication plan has been agreed with the victim yet.')).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Agree a communication plan' }).click()
  await expectAccessible(page)
  await page.getByRole('group', { name: 'How does the victim prefer to be contacted?' }).getByLabel('Through their ISVA').check()
  await page.getByRole('group', { name: 'How often does the victim want updates?' }).getByLabel(v.updates).check()
  await page.getByLabel('Safe times to contact the victim').fill(v.safeTimes)
  await page.getByRole('group', { name: 'May messages be left for the victim?' }).getByLabel('No').check()
  await page.getByRole('group', { name: 'Does contact go through the victim’s ISVA?' }).getByLabel('Yes').check()
  await page
    .getByRole('group', { name: 'How does the victim want to hear of a decision to take no further action?' })
    .getByLabel('In person, with their ISVA present')
    .check()
  await page.getByRole('button', { name: 'Agree plan' }).click()
  await expect(page.getByText('The communication plan has been saved')).toBeVisible()
  const plan = page.locator('.govuk-summary-card', { hasText: 'Communication plan' })
  await expect(plan).toContainText(v.safeTimes)
  await expect(plan).toContainText(v.updates.replace('Every', 'every'), { ignoreCase: true })
  await expectAccessible(page)
}

/**
 * Opens every page of the case a support service's ISVA is offered, following the links each page
 * gives (sections, victims, crimes, forms reached by a link), as someone clicking through would.
 * Each must open, pass axe and hold nothing of the other victim. Returns the addresses visited.
 */
async function visitEverything(page: Page, casePath: string, other: Record<string, string>): Promise<string[]> {
  const seen = new Set<string>()
  const queue = [casePath]
  while (queue.length > 0) {
    const path = queue.shift() as string
    if (seen.has(path)) continue
    seen.add(path)
    expect(seen.size, 'pages offered to the ISVA').toBeLessThan(40)
    const response = await page.goto(path)
    expect(response?.status(), `${path} is offered, so it opens`).toBe(200)
    await expectAccessible(page)
    await expectNothingOf(page, other)
    const hrefs = await page
      .locator(`a[href^="${casePath}"]`)
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    for (const href of hrefs) {
      const next = href.split('#')[0]
      if (next && !seen.has(next)) queue.push(next)
    }
  }
  return [...seen]
}

/** What one ISVA sees: their own victim only; the other victim's addresses do not exist for them. */
async function expectOnlyTheirVictim(
  page: Page,
  o: {
    urn: string
    casePath: string
    own: { victim: Victim; victimId: string; crimeId: string; crimeReference: string; service: string; isva: string }
    others: { victimId: string; crimeId: string }
    nothingOf: Record<string, string>
  },
) {
  await expectNothingOf(page, o.nothingOf)
  await page.getByLabel('Search by URN or name').fill(o.urn)
  await page.getByRole('button', { name: 'Search' }).click()
  await expectAccessible(page)
  await expectNothingOf(page, o.nothingOf)
  await page.getByRole('link', { name: o.urn, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: `Case ${o.urn}` })).toBeVisible()

  const crimes = page.getByRole('table', { name: /Each crime has its own crime reference/ })
  await expect(crimes.getByRole('row')).toHaveCount(2)
  const row = crimes.getByRole('row', { name: new RegExp(o.own.crimeReference) })
  await expect(row).toContainText(fullName(o.own.victim))
  await expect(page.getByRole('link', { name: fullName(o.own.victim), exact: true })).toHaveCount(2)
  await expectAccessible(page)

  // The ISVA takes the victim on from her support page (the police see who on the overview).
  await page.getByRole('link', { name: `support for ${fullName(o.own.victim)}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Name me as this victim’s ISVA' }).click()
  await expect(page.locator('.govuk-summary-card')).toContainText(o.own.isva)
  await expectAccessible(page)
  await expectNothingOf(page, o.nothingOf)

  const visited = await visitEverything(page, o.casePath, o.nothingOf)
  const own = `${o.casePath}/victims/${o.own.victimId}`
  const offered = [
    own,
    `${own}/communication`,
    `${own}/communication/contacts`,
    `${own}/support`,
    `${o.casePath}/crimes/${o.own.crimeId}/outcome`,
    `${o.casePath}/victim`,
    `${o.casePath}/communication`,
    `${o.casePath}/support`,
    `${o.casePath}/outcome`,
  ]
  for (const expected of offered) {
    expect(visited, `the ISVA is offered ${expected}`).toContain(expected)
  }

  // The victim's page through the case's old address is their own victim's: they know of no other.
  await page.goto(`${o.casePath}/victim`)
  await expect(page.getByRole('heading', { level: 1, name: `Victim: ${fullName(o.own.victim)}` })).toBeVisible()
  await page.goto(`${o.casePath}/support`)
  await expect(page.locator('.govuk-summary-card').first()).toContainText(o.own.service)
  // The victim shared her communication plan with her service: the ISVA reads her own plan.
  await page.goto(`${own}/communication`)
  await expect(page.locator('.govuk-summary-card', { hasText: 'Communication plan' })).toContainText(o.own.victim.safeTimes)

  const theirs = `${o.casePath}/victims/${o.others.victimId}`
  for (const path of [
    theirs,
    `${theirs}/communication`,
    `${theirs}/support`,
    `${o.casePath}/crimes/${o.others.crimeId}/outcome`,
  ]) {
    const response = await page.goto(path)
    expect(response?.status(), `${path} does not exist for this ISVA`).toBe(404)
    await expectAccessible(page)
    await expectNothingOf(page, o.nothingOf)
  }
}

test('a case file with two victims, each with their own crime, plan and ISVA, where neither ISVA sees the other victim', async ({
  browser,
}) => {
  test.setTimeout(300_000)
  const urn = newNorthvaleUrn()
  const crimeA = `CR/${urn.slice(4)}` // what recordCase fills in
  const crimeB = `CR/QB/${urn.slice(4)}`
  let casePath = ''
  const ids = { victimA: '', victimB: '', crimeA: '', crimeB: '' }

  const oic = await as(browser, 'oic.north')
  await test.step('oic.north records the case and its first victim from the Victim tab', async () => {
    await expectAccessible(oic)
    await recordCase(oic, urn)
    await expectAccessible(oic)
    casePath = new URL(oic.url()).pathname

    await sections(oic).getByRole('link', { name: 'Victim' }).click()
    await expectAccessible(oic)
    await oic.getByRole('button', { name: 'Record the victim' }).click()
    await expect(oic.getByRole('heading', { level: 1, name: 'Record the victim' })).toBeVisible()
    await expectAccessible(oic)
    await fillVictim(oic, VICTIM_A)
    await expectAccessible(oic)
  })

  await test.step('oic.north adds a second victim and her own crime from the case overview', async () => {
    await sections(oic).getByRole('link', { name: 'Overview' }).click()
    await oic.getByRole('button', { name: 'Add a victim' }).click()
    await expect(oic.getByRole('heading', { level: 1, name: 'Add a victim to the case file' })).toBeVisible()
    await expectAccessible(oic)
    await fillVictim(oic, VICTIM_B)
    ids.victimB = new URL(oic.url()).pathname.split('/victims/')[1]
    await expectAccessible(oic)

    await sections(oic).getByRole('link', { name: 'Overview' }).click()
    await oic.getByRole('button', { name: 'Add a crime' }).click()
    await expect(oic.getByRole('heading', { level: 1, name: 'Add a crime' })).toBeVisible()
    await expectAccessible(oic)
    await oic.getByLabel('Crime reference number').fill(crimeB)
    await oic.getByRole('group', { name: 'Offences' }).getByLabel('19C – Rape of a female aged 16 and over').check()
    await oic.getByRole('group', { name: 'Victim' }).getByLabel(fullName(VICTIM_B)).check()
    await oic.getByRole('button', { name: 'Add crime' }).click()
    await expect(oic.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    await expectAccessible(oic)
  })

  await test.step('the overview lists both crimes, each with its victim, and both victims', async () => {
    const crimes = oic.getByRole('table', { name: /Each crime has its own crime reference/ })
    await expect(crimes.getByRole('row')).toHaveCount(3)
    await expect(crimes.getByRole('row', { name: new RegExp(crimeA) })).toContainText(fullName(VICTIM_A))
    await expect(crimes.getByRole('row', { name: new RegExp(crimeB) })).toContainText(fullName(VICTIM_B))
    const victims = oic.getByRole('heading', { name: 'Victims' }).locator('xpath=following-sibling::ul[1]')
    await expect(victims.getByRole('listitem')).toHaveCount(2)
    await expect(victims).toContainText(fullName(VICTIM_A))
    await expect(victims).toContainText(fullName(VICTIM_B))

    const idOf = async (name: string) =>
      ((await victims.getByRole('link', { name, exact: true }).getAttribute('href')) ?? '').split('/victims/')[1]
    ids.victimA = await idOf(fullName(VICTIM_A))
    expect(await idOf(fullName(VICTIM_B))).toBe(ids.victimB)
    const crimeIdOf = async (reference: string) =>
      ((await crimes.getByRole('link', { name: `Outcome of crime ${reference}` }).getAttribute('href')) ?? '').split('/')[4]
    ids.crimeA = await crimeIdOf(crimeA)
    ids.crimeB = await crimeIdOf(crimeB)
    expect(ids).toEqual({
      victimA: expect.any(String),
      victimB: expect.any(String),
      crimeA: expect.any(String),
      crimeB: expect.any(String),
    })
    expect(new Set(Object.values(ids)).size).toBe(4)
  })

  await test.step('each victim is referred to an ISVA of their own service and agrees their own plan', async () => {
    await referForIsva(oic, casePath, VICTIM_A, VALE)
    await agreePlan(oic, casePath, VICTIM_A)
    await referForIsva(oic, casePath, VICTIM_B, OTHER_SERVICE)
    await agreePlan(oic, casePath, VICTIM_B)

    // Each plan is its own: the first victim's still says what she agreed.
    await oic.goto(`${casePath}/victims/${ids.victimA}/communication`)
    const plan = oic.locator('.govuk-summary-card', { hasText: 'Communication plan' })
    await expect(plan).toContainText(VICTIM_A.safeTimes)
    await expect(plan).not.toContainText(VICTIM_B.safeTimes)
    await expectAccessible(oic)
  })

  await test.step('the first victim’s ISVA sees her only, and nothing of the second victim', async () => {
    const isva = await as(browser, 'isva')
    await expectOnlyTheirVictim(isva, {
      urn,
      casePath,
      own: {
        victim: VICTIM_A,
        victimId: ids.victimA,
        crimeId: ids.crimeA,
        crimeReference: crimeA,
        service: VALE,
        isva: 'Robin Ashby',
      },
      others: { victimId: ids.victimB, crimeId: ids.crimeB },
      nothingOf: {
        name: VICTIM_B.last,
        firstName: VICTIM_B.first,
        phone: VICTIM_B.phone,
        crimeReference: crimeB,
        service: OTHER_SERVICE,
        isva: OTHER_ISVA.name,
        plan: VICTIM_B.safeTimes,
      },
    })
    await isva.context().close()
  })

  await test.step('the second victim’s ISVA sees her only, and nothing of the first victim', async () => {
    const isva = await as(browser, OTHER_ISVA.username)
    await expectOnlyTheirVictim(isva, {
      urn,
      casePath,
      own: {
        victim: VICTIM_B,
        victimId: ids.victimB,
        crimeId: ids.crimeB,
        crimeReference: crimeB,
        service: OTHER_SERVICE,
        isva: OTHER_ISVA.name,
      },
      others: { victimId: ids.victimA, crimeId: ids.crimeA },
      nothingOf: {
        name: VICTIM_A.last,
        firstName: VICTIM_A.first,
        phone: VICTIM_A.phone,
        crimeReference: crimeA,
        service: VALE,
        isva: 'Robin Ashby',
        plan: VICTIM_A.safeTimes,
      },
    })
    await isva.context().close()
  })

  await test.step('the police see each victim’s own ISVA, and opening the old Victim tab are asked which victim', async () => {
    await oic.goto(casePath)
    const isvas = oic.locator('.govuk-summary-card', { hasText: 'The victim’s ISVA' })
    await expect(isvas.locator('.govuk-summary-list__row')).toHaveCount(2)
    const isvaOf = (v: Victim) => isvas.locator('.govuk-summary-list__row', { hasText: `ISVA for ${fullName(v)}` })
    await expect(isvaOf(VICTIM_A)).toContainText('Robin Ashby')
    await expect(isvaOf(VICTIM_A)).toContainText(VALE)
    await expect(isvaOf(VICTIM_B)).toContainText(OTHER_ISVA.name)
    await expect(isvaOf(VICTIM_B)).toContainText(OTHER_SERVICE)
    await expectAccessible(oic)
    await sections(oic).getByRole('link', { name: 'Victim' }).click()
    await expect(oic.getByRole('heading', { level: 1, name: 'Which victim?' })).toBeVisible()
    const main = oic.getByRole('main')
    await expect(main.getByRole('link', { name: fullName(VICTIM_A) })).toHaveAttribute(
      'href',
      `${casePath}/victims/${ids.victimA}`,
    )
    await expect(main.getByRole('link', { name: fullName(VICTIM_B) })).toHaveAttribute(
      'href',
      `${casePath}/victims/${ids.victimB}`,
    )
    await expectAccessible(oic)
    await oic.context().close()
  })
})
