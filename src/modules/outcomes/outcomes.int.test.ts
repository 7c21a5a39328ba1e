import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { migrate } from '../../db/migrate.ts'
import { createTestDatabase } from '../../db/test-database.ts'
import { sweepAll } from '../../platform/deadlines/sweeper.ts'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { OUTCOMES } from './codes.ts'

let t: TestApp
let oic: string
let supervisor: string
beforeAll(async () => {
  t = await startTestApp()
  oic = await t.token('oic.north')
  supervisor = await t.token('supervisor.north')
})
afterAll(() => t.close())

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, as = oic) =>
  api(t, as, { method, url, payload: payload as object })
const newCase = async () => (await call('POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
const finalise = (id: string, body: Record<string, unknown>, as = oic) =>
  call('POST', `/api/v1/cases/${id}/outcome`, { finalisedOn: '2026-11-01', ...body }, as)
const withdraw = (id: string) =>
  call('POST', `/api/v1/cases/${id}/withdrawals`, {
    withdrawnOn: '2026-10-20',
    everSupported: true,
    reasons: ['fear_of_court'],
    retractionStatementTaken: false,
  })
const identifiedSuspect = async (id: string) => {
  const res = await call('POST', `/api/v1/cases/${id}/suspects`, {
    status: 'identified',
    firstName: 'Sam',
    lastName: 'Invented',
    effectiveDate: '2026-10-02',
  })
  expect(res.statusCode).toBe(201)
}
const adviceNotSought = async (id: string) => {
  const res = await call('POST', `/api/v1/cases/${id}/advice/not-sought`, { reasons: ['other'], details: 'Synthetic reason' })
  expect(res.statusCode).toBe(201)
}

/** A case in the situation a code needs: suspect identified or not, victim withdrawn or not, early advice considered. */
async function caseFor(situation: { suspect: boolean; withdrawn: boolean }) {
  const id = await newCase()
  if (situation.suspect) {
    await identifiedSuspect(id)
    await adviceNotSought(id)
  }
  if (situation.withdrawn) expect((await withdraw(id)).statusCode).toBe(201)
  return id
}

const FULL = {
  rationale: 'The reasons for the decision',
  victimToldOn: '2026-11-01',
  victimToldHow: 'In person, with their ISVA present',
  cpsAgreedBy: 'A Crown Prosecutor',
  cpsAgreedOn: '2026-10-30',
}

async function refusedWithNothingWritten(
  res: Promise<{ statusCode: number; json: () => { errors: { field: string; message: string }[] } }>,
  field: string,
  message: RegExp,
) {
  const before = [await count(t.db, 'case_outcomes'), await count(t.db, 'outcome_proposals'), await count(t.db, 'case_events')]
  const r = await res
  expect(r.statusCode).toBe(400)
  const error = r.json().errors.find((e: { field: string }) => e.field === field)
  expect(error?.message).toMatch(message)
  expect([await count(t.db, 'case_outcomes'), await count(t.db, 'outcome_proposals'), await count(t.db, 'case_events')]).toEqual(
    before,
  )
}

describe('the outcome table, code by code, recorded by a supervisor', () => {
  // Where each code can stand, from DOMAIN.md; codes with no situation are never accepted from the police.
  const SITUATION: Record<string, { suspect: boolean; withdrawn: boolean } | null> = {
    '1': null,
    '1A': null,
    '2': { suspect: true, withdrawn: false },
    '3': { suspect: true, withdrawn: false },
    '4': { suspect: true, withdrawn: false },
    '5': { suspect: true, withdrawn: false },
    '6': null,
    '7': null,
    '8': null,
    '9': null,
    '10': { suspect: true, withdrawn: false },
    '11': { suspect: true, withdrawn: false },
    '12': { suspect: true, withdrawn: false },
    '13': { suspect: true, withdrawn: false },
    '14': { suspect: false, withdrawn: true },
    '15': { suspect: true, withdrawn: false },
    '16': { suspect: true, withdrawn: true },
    '17': null,
    '18': { suspect: false, withdrawn: false },
    '19': null,
    '20': { suspect: false, withdrawn: false },
    '21': { suspect: true, withdrawn: false },
    '22': { suspect: true, withdrawn: false },
  }

  test('the test covers every code in the table', () => {
    expect(Object.keys(SITUATION).sort()).toEqual(OUTCOMES.map((o) => o.code).sort())
  })

  for (const o of OUTCOMES) {
    test(`outcome ${o.code}`, async () => {
      const situation = SITUATION[o.code]
      const id = await caseFor(situation ?? { suspect: true, withdrawn: false })
      if (!situation) {
        await refusedWithNothingWritten(finalise(id, { code: o.code, ...FULL }, supervisor), 'code', /CPS|sexual offence/)
        return
      }
      const res = await finalise(id, { code: o.code, ...FULL }, supervisor)
      expect(res.json()).toEqual({ state: 'finalised' })
      const current = (await call('GET', `/api/v1/cases/${id}/outcome`)).json().current
      expect(current).toMatchObject({ code: o.code, decidedBy: 'police' })
      // A supervisor's own decision to take no further action is authorised as it is recorded.
      expect(current.authorisedBy).toBe(o.policeNfa ? 'DS Priya Lang' : null)
    })
  }
})

describe('a police decision to take no further action waits for a supervisor', () => {
  test('the officer’s decision is not in force until a supervisor authorises it, and the supervisor has a clock', async () => {
    const id = await caseFor({ suspect: true, withdrawn: true })
    const proposed = await finalise(id, { code: '16', rationale: 'The victim does not support a prosecution' })
    expect(proposed.statusCode).toBe(201)
    expect(proposed.json()).toEqual({ state: 'awaiting_authorisation' })
    let view = (await call('GET', `/api/v1/cases/${id}/outcome`)).json()
    expect(view.current).toBeNull()
    expect(view.proposal).toMatchObject({ code: '16', rationale: 'The victim does not support a prosecution' })
    expect((await call('GET', `/api/v1/cases/${id}`)).json().stage.code).not.toBe('no_further_action')
    const queue = (await call('GET', '/api/v1/queue?scope=mine', undefined, supervisor)).json()
    expect(JSON.stringify(queue)).toContain('outcome_authorisation')

    // The officer cannot authorise their own proposal, nor propose another meanwhile.
    const self = await call('POST', `/api/v1/cases/${id}/outcome/authorise`)
    expect(self.statusCode).toBe(403)
    expect(self.json().title).toMatch(/Only a police supervisor/)
    expect((await finalise(id, { code: '16', rationale: 'again' })).statusCode).toBe(409)

    expect((await call('POST', `/api/v1/cases/${id}/outcome/authorise`, undefined, supervisor)).statusCode).toBe(200)
    view = (await call('GET', `/api/v1/cases/${id}/outcome`)).json()
    expect(view.proposal).toBeNull()
    expect(view.current).toMatchObject({ code: '16', authorisedBy: 'DS Priya Lang', finalisedBy: 'DS Priya Lang' })
    expect((await call('GET', `/api/v1/cases/${id}`)).json().stage.code).toBe('no_further_action')
    const [clock] = await t.db.query<{ state: string }>(
      "SELECT state FROM deadlines WHERE case_id = $1 AND kind = 'outcome_authorisation'",
      [id],
    )
    expect(clock.state).toBe('met')
  })

  test('a proposal left waiting is chased: the team’s lead hears when the supervisor’s two working days pass', async () => {
    const id = await caseFor({ suspect: false, withdrawn: false })
    await finalise(id, { code: '18', rationale: 'No suspect' })
    const inspector = await t.token('inspector.north')
    const { urn } = (await call('GET', `/api/v1/cases/${id}`)).json()
    const waiting = async (as: string) =>
      (await call('GET', '/api/v1/queue?scope=mine', undefined, as))
        .json()
        .items.find((i: { kind: string; urn: string }) => i.kind === 'outcome_authorisation' && i.urn === urn)
    expect(await waiting(supervisor)).toMatchObject({ group: 'not_due' })
    expect(await waiting(inspector)).toBeUndefined()
    try {
      // Proposed on Monday 2 November: due by the end of Wednesday 4 November.
      t.clock.set('2026-11-05T09:00:00Z')
      await sweepAll(t.db, t.clock.now())
      expect(await waiting(supervisor)).toMatchObject({ group: 'overdue', escalationLevel: 1 })
      expect(await waiting(inspector)).toMatchObject({ group: 'overdue', escalationLevel: 1 })
    } finally {
      t.clock.set('2026-11-02T10:00:00Z')
    }
    expect((await call('POST', `/api/v1/cases/${id}/outcome/authorise`, undefined, supervisor)).statusCode).toBe(200)
  })

  test('a supervisor may decline with a reason; the investigation goes on and a new decision can be proposed', async () => {
    const id = await caseFor({ suspect: false, withdrawn: false })
    await finalise(id, { code: '18', rationale: 'All lines of enquiry complete' })
    const noReason = await call('POST', `/api/v1/cases/${id}/outcome/decline`, { reason: '' }, supervisor)
    expect(noReason.statusCode).toBe(400)
    expect(
      (await call('POST', `/api/v1/cases/${id}/outcome/decline`, { reason: 'Trace the second witness' }, supervisor)).statusCode,
    ).toBe(200)
    const view = (await call('GET', `/api/v1/cases/${id}/outcome`)).json()
    expect(view).toMatchObject({ current: null, proposal: null })
    const [row] = await t.db.query<{ declined_reason: string }>(
      'SELECT declined_reason FROM outcome_proposals WHERE case_id = $1',
      [id],
    )
    expect(row.declined_reason).toBe('Trace the second witness')
    expect((await finalise(id, { code: '18', rationale: 'Second witness traced; nothing further' })).json().state).toBe(
      'awaiting_authorisation',
    )
  })

  test('authorising re-checks the rules: a suspect identified since the proposal stops a no-suspect outcome', async () => {
    const id = await caseFor({ suspect: false, withdrawn: false })
    await finalise(id, { code: '18', rationale: 'No suspect' })
    await identifiedSuspect(id)
    const res = await call('POST', `/api/v1/cases/${id}/outcome/authorise`, undefined, supervisor)
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('outcome_rules_not_met')
    expect(res.json().errors[0].message).toMatch(/Outcome 18 is for a suspect not identified/)
  })

  test('no further action against an identified suspect needs early advice considered', async () => {
    const id = await newCase()
    await identifiedSuspect(id)
    await refusedWithNothingWritten(
      finalise(id, { code: '10', rationale: 'Not in the public interest' }, supervisor),
      'code',
      /Early advice must be considered/,
    )
  })

  test('outcomes that are not decisions to take no further action need no authorisation', async () => {
    const id = await caseFor({ suspect: true, withdrawn: false })
    expect((await finalise(id, { code: '5' })).json()).toEqual({ state: 'finalised' })
  })
})

describe('what the police cannot record', () => {
  test('charge, a CPS decision and 15 decided by the CPS are refused with the rule named', async () => {
    const id = await caseFor({ suspect: true, withdrawn: false })
    for (const code of ['1', '1A', '9']) {
      await refusedWithNothingWritten(finalise(id, { code }), 'code', /for rape the CPS decides whether to charge/)
    }
    await refusedWithNothingWritten(
      finalise(id, { code: '15', decidedBy: 'cps', rationale: 'x' }, supervisor),
      'decidedBy',
      /comes from a CPS charging decision/,
    )
  })

  test('a caution for rape needs the CPS’s agreement', async () => {
    const id = await caseFor({ suspect: true, withdrawn: false })
    await refusedWithNothingWritten(finalise(id, { code: '3' }), 'cpsAgreedBy', /CPS’s agreement/)
  })

  test('an unknown code is refused by the schema', async () => {
    const id = await newCase()
    await refusedWithNothingWritten(finalise(id, { code: '99' }), 'code', /Select the outcome/)
  })

  test('a finalised case cannot be finalised again', async () => {
    const id = await caseFor({ suspect: false, withdrawn: false })
    await finalise(id, { code: '20', rationale: 'Passed to another force' })
    const again = await finalise(id, { code: '20', rationale: 'again' })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('outcome_already_finalised')
    expect(again.json().title).toContain('already finalised')
  })
})

describe('reopening', () => {
  test('a finalised case is reopened with a reason, keeps its old outcome as history, and returns to investigation', async () => {
    const id = await newCase()
    await finalise(id, { code: '18', rationale: 'No suspect' }, supervisor)
    const noReason = await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: ' ' })
    expect(noReason.statusCode).toBe(400)
    expect((await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: 'New forensic result' })).statusCode).toBe(200)
    const outcome = (await call('GET', `/api/v1/cases/${id}/outcome`)).json()
    expect(outcome.current).toBeNull()
    expect(outcome.history).toHaveLength(1)
    expect(outcome.history[0]).toMatchObject({ code: '18', reopenReason: 'New forensic result' })
    const c = (await call('GET', `/api/v1/cases/${id}`)).json()
    expect(c.stage.code).toBe('investigation')
    expect(c.timeline.map((e: { type: string }) => e.type).slice(0, 2)).toEqual(['case.reopened', 'case.finalised'])
  })

  test('a case that is not finalised cannot be reopened', async () => {
    const id = await newCase()
    const reopen = await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: 'x' })
    expect(reopen.statusCode).toBe(409)
    expect(reopen.json().code).toBe('outcome_not_finalised')
  })
})

describe('who may finalise', () => {
  test('only the investigating force: the CPS may see the outcome but not record it; other forces get 404', async () => {
    const id = await newCase()
    await t.db.transaction(async (tx) => {
      const { markReferred } = await import('../cases/queries.ts')
      await markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    })
    const prosecutor = await t.token('prosecutor')
    expect((await call('GET', `/api/v1/cases/${id}/outcome`, undefined, prosecutor)).statusCode).toBe(200)
    await finalise(id, { code: '18', rationale: 'No suspect' }, supervisor)
    expect((await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: 'x' }, prosecutor)).statusCode).toBe(403)
    expect((await call('GET', `/api/v1/cases/${id}/outcome`, undefined, await t.token('oic.south'))).statusCode).toBe(404)
  })

  test('the outcome page offers only police outcomes, and shows errors in the GOV.UK error summary', async () => {
    const id = await caseFor({ suspect: true, withdrawn: false })
    const b = await signedIn(t, 'oic.north')
    const page = await b.get(`/cases/${id}/outcome`)
    expect(page.body).toContain('value="16"')
    for (const code of ['1', '1A', '6', '7', '8', '9', '17', '19']) expect(page.body).not.toContain(`value="${code}"`)
    const res = await b.post(`/cases/${id}/outcome`, {
      code: '21',
      'finalisedOn-day': '1',
      'finalisedOn-month': '11',
      'finalisedOn-year': '2026',
    })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('govuk-error-summary')
    expect(res.body).toContain('Outcome 21 needs the rationale for the decision')
    expect(res.body).toMatch(/value="21" selected/)
  })

  test('the supervisor authorises from the page', async () => {
    const id = await caseFor({ suspect: false, withdrawn: true })
    await finalise(id, { code: '14', rationale: 'The victim does not want the suspect traced' })
    const officerPage = await (await signedIn(t, 'oic.north')).get(`/cases/${id}/outcome`)
    expect(officerPage.body).toContain('Waiting for a supervisor’s authorisation')
    expect(officerPage.body).not.toContain('Authorise no further action')
    const b = await signedIn(t, 'supervisor.north')
    expect((await b.get(`/cases/${id}/outcome`)).body).toContain('Authorise no further action')
    expect((await b.post(`/cases/${id}/outcome/authorise`, {})).statusCode).toBe(303)
    expect((await b.get(`/cases/${id}/outcome`)).body).toContain('Outcome in force')
  })
})

describe('migration 0012 on outcomes recorded before the counting rules', () => {
  test('each old outcome takes its code’s own decider, 15 keeps what was recorded, and the later migrations run on the data', async () => {
    const db = await createTestDatabase({ migrated: false })
    try {
      await migrate(db, { before: '0012' })
      const [force] = await db.query<{ id: string }>(
        "INSERT INTO organisations (kind, name, force_code) VALUES ('police_force', 'Old Force', '91') RETURNING id",
      )
      const [user] = await db.query<{ id: string }>(
        `INSERT INTO users (organisation_id, username, display_name, email, phone, roles, password_hash)
         VALUES ($1, 'old.oic', 'DC Old', 'old@police.example', '01632 960000', ARRAY['investigator'], 'x') RETURNING id`,
        [force.id],
      )
      const outcomes: [string, string | null][] = [
        ['1', null],
        ['18', null],
        ['15', 'cps'],
        ['9', null],
      ]
      for (const [n, [code, decidedBy]] of outcomes.entries()) {
        const [c] = await db.query<{ id: string }>(
          `INSERT INTO cases (urn, force_id, date_reported, officer_in_charge_id, created_at, created_by, offence_date_from, date_recorded)
           VALUES ($1, $2, '2025-01-01', $3, now(), $3, '2025-01-01', '2025-01-01') RETURNING id`,
          [`91OLD0000${n}25`, force.id, user.id],
        )
        await db.query(
          `INSERT INTO case_outcomes (case_id, code, decided_by, finalised_on, finalised_by, finalised_at)
           VALUES ($1, $2, $3, '2025-02-01', $4, now())`,
          [c.id, code, decidedBy, user.id],
        )
      }
      const applied = await migrate(db)
      expect(applied).toContain('0012_outcome_rules.sql')
      expect(applied).toContain('0016_isva_independence.sql')
      const rows = await db.query<{ code: string; decided_by: string; authorised_by: string | null }>(
        'SELECT code, decided_by, authorised_by FROM case_outcomes ORDER BY code',
      )
      expect(rows.map((r) => [r.code, r.decided_by, r.authorised_by])).toEqual([
        ['1', 'cps', null],
        ['15', 'cps', null],
        ['18', 'police', null],
        ['9', 'cps', null],
      ])
    } finally {
      await db.close()
    }
  })
})
