import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { markReferred } from '../../modules/cases/queries.ts'
import { createCase } from '../../modules/cases/service.ts'
import { endOfLondonDay } from '../../platform/clock.ts'
import { type Deadline, type DeadlineKind, openDeadline, sideOwner, urgencyOf } from '../../platform/deadlines/deadlines.ts'
import { inGroupSql, URGENCY_ORDER, urgencySql } from '../../platform/deadlines/queue.ts'
import { sweepAll } from '../../platform/deadlines/sweeper.ts'
import { api, type Browser, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

/**
 * Work queues on both engines. The harness clock stands at Monday 2 November 2026, 10:00. The
 * first clocks are due so that every group is represented:
 *   critical  due Tue 20 Oct (level 2 from the end of Tue 27 Oct)
 *   overdue   due Fri 30 Oct (level 2 only from the end of Fri 6 Nov)
 *   due soon  due Tue 3 Nov  (reminder from Fri 30 Oct, 2 working days before)
 *   not due   due Fri 20 Nov (reminder from Wed 18 Nov)
 */

let t: TestApp
const START = '2026-11-02T10:00:00Z'
const tokens = new Map<string, string>()
const browsers = new Map<string, Browser>()
const token = async (u: string) => {
  if (!tokens.has(u)) tokens.set(u, await t.token(u))
  return tokens.get(u) as string
}
const browser = async (u: string) => {
  if (!browsers.has(u)) browsers.set(u, await signedIn(t, u))
  return browsers.get(u) as Browser
}

type Item = {
  id: string
  urn: string
  group: string
  kind: string
  href: string
  owner: { id: string } | null
  escalationLevel: number
  due: string
}
type QueueJson = { counts: Record<string, number>; total: number; page: number; items: Item[]; scopes: string[] }
async function queue(u: string, qs = ''): Promise<QueueJson> {
  const res = await api(t, await token(u), { method: 'GET', url: `/api/v1/queue${qs ? `?${qs}` : ''}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

async function newCase(username: 'oic.north' | 'oic.south' = 'oic.north') {
  const ctx = await t.ctx(username)
  const c = await createCase(ctx, t.caseInput(username))
  return { id: c.id, urn: c.urn }
}

async function clock(
  caseId: string,
  date: string,
  opts: { kind?: DeadlineKind; side?: 'police' | 'cps'; owner?: string } = {},
): Promise<Deadline> {
  return t.db.transaction(async (tx) =>
    openDeadline(tx, {
      kind: opts.kind ?? 'action_target',
      caseId,
      subjectId: crypto.randomUUID(),
      dueAt: endOfLondonDay(date),
      at: t.clock.now(),
      ...(await sideOwner(tx, caseId, opts.side ?? 'police', opts.owner)),
    }),
  )
}

const spread = { critical: '2026-10-20', overdue: '2026-10-30', due_soon: '2026-11-03', not_due: '2026-11-20' } as const
const cases: Record<string, { id: string; urn: string }> = {}
const clocks: Record<string, Deadline> = {}

beforeAll(async () => {
  t = await startTestApp()
  for (const [group, date] of Object.entries(spread)) {
    cases[group] = await newCase()
    clocks[group] = await clock(cases[group].id, date)
  }
  cases.south = await newCase('oic.south')
  clocks.south = await clock(cases.south.id, spread.overdue)
})
afterAll(() => t.close())

describe('grouping', () => {
  test('the SQL groups agree with urgencyOf at and around every ladder time', async () => {
    const kinds: DeadlineKind[] = ['victim_update', 'charging_decision', 'admin_finalise_wait', 'action_target']
    const c = await newCase()
    const opened = await Promise.all(
      kinds.map((kind, i) => clock(c.id, ['2026-11-06', '2026-12-24', '2026-11-02', '2027-03-31'][i], { kind })),
    )
    const ms = (d: Date, delta = 0) => new Date(d.getTime() + delta)
    for (const d of opened) {
      const moments = [
        ms(d.remindAt, -1),
        d.remindAt,
        ms(d.remindAt, 1),
        d.dueAt,
        ms(d.dueAt, 1),
        ms(d.criticalAt, -1),
        d.criticalAt,
        ms(d.criticalAt, 1),
      ]
      for (const now of moments) {
        const groups = URGENCY_ORDER.map((g) => `(${inGroupSql(g, '$1')}) AS "${g}"`).join(', ')
        const [row] = await t.db.query<Record<string, unknown>>(
          `SELECT ${urgencySql('$1')} AS urgency, ${groups} FROM deadlines d WHERE d.id = $2`,
          [now, d.id],
        )
        const expected = urgencyOf(d, now)
        expect(row.urgency, `${d.kind} at ${now.toISOString()}`).toBe(expected)
        // Each group's range conditions hold for exactly the group urgencyOf names.
        for (const g of URGENCY_ORDER) expect(row[g], `${g} for ${d.kind} at ${now.toISOString()}`).toBe(g === expected)
      }
    }
    await t.db.query(`UPDATE deadlines SET state = 'cancelled', closed_at = $2, next_step_at = NULL WHERE case_id = $1`, [
      c.id,
      t.clock.now(),
    ])
  })

  test('an officer’s queue holds one clock in each group, the most urgent first, with counts', async () => {
    const q = await queue('oic.north')
    expect(q.counts).toEqual({ critical: 1, overdue: 1, due_soon: 1, not_due: 1 })
    expect(q.total).toBe(4)
    expect(q.items.map((i) => i.group)).toEqual(['critical', 'overdue', 'due_soon', 'not_due'])
    expect(q.items.map((i) => i.urn)).toEqual([cases.critical.urn, cases.overdue.urn, cases.due_soon.urn, cases.not_due.urn])
    const [critical, overdue, dueSoon, notDue] = q.items
    expect(critical.href).toBe(`/cases/${cases.critical.id}/action-plans`)
    expect(critical.due).toBe('13 days overdue')
    expect(overdue.due).toBe('3 days overdue')
    expect(dueSoon.due).toBe('due in 1 working day')
    expect(notDue.due).toBe('due in 14 working days')
    expect(q.scopes).toEqual(['mine', 'team'])
  })

  test('the page shows the summary and one table a group, each row linking to the case section', async () => {
    const b = await browser('oic.north')
    const res = await b.get('/queue')
    expect(res.statusCode).toBe(200)
    for (const caption of ['Critically overdue (1)', 'Overdue (1)', 'Due soon (1)', 'Not due (1)'])
      expect(res.body).toContain(caption)
    expect(res.body).toContain(`href="/cases/${cases.overdue.id}/action-plans">${cases.overdue.urn}</a>`)
    expect(res.body).toContain('Action plan target')
    expect(res.body).toContain('DC Sam Okafor')
    expect(res.body).toContain('3 days overdue')
    expect(res.body).toContain('href="/queue?group=critical"')
    expect(res.body).toContain('aria-sort="ascending"')
    // Sub-navigation between the queues the officer has, and the header link to the queue.
    expect(res.body).toContain('href="/queue?scope=team"')
    expect(res.body).not.toContain('scope=organisation')
    expect(res.body).toContain('>Work queue<')
  })
})

describe('scopes and access', () => {
  test('a supervisor sees the team’s and organisation’s clocks; their own queue holds only what is escalated to them', async () => {
    expect((await queue('supervisor.north')).total).toBe(0)
    const team = await queue('supervisor.north', 'scope=team')
    expect(team.counts).toEqual({ critical: 1, overdue: 1, due_soon: 1, not_due: 1 })
    const org = await queue('supervisor.north', 'scope=organisation')
    expect(org.total).toBe(4)
    expect(org.scopes).toEqual(['mine', 'team', 'organisation'])
  })

  test('another force sees none of these clocks, in any of its queues', async () => {
    for (const scope of ['mine', 'team', 'organisation']) {
      const q = await queue('supervisor.south', `scope=${scope}`)
      expect(q.items.map((i) => i.urn).filter((u) => u.startsWith('91'))).toEqual([])
    }
    expect((await queue('oic.south')).items.map((i) => i.urn)).toEqual([cases.south.urn])
    const page = await (await browser('supervisor.south')).get('/queue?scope=organisation')
    for (const c of Object.values(cases).filter((c) => c.urn.startsWith('91'))) expect(page.body).not.toContain(c.urn)
  })

  test('a CPS clock on a referred case is in the CPS Area’s queue, not the force’s', async () => {
    const c = await newCase()
    await markReferred(t.db, c.id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    await clock(c.id, '2026-11-03', { kind: 'charging_decision', side: 'cps', owner: t.demo.users.prosecutor })
    // The demo's own referred case (91NV…) has its CPS clocks too; this test's case is the other.
    const notDemo = (urn: string) => !urn.startsWith('91NV')
    expect((await queue('prosecutor')).items.map((i) => i.urn).filter(notDemo)).toEqual([c.urn])
    expect((await queue('dcp', 'scope=organisation')).items.filter((i) => notDemo(i.urn)).map((i) => [i.urn, i.kind])).toEqual([
      [c.urn, 'charging_decision'],
    ])
    expect((await queue('supervisor.north', 'scope=organisation')).items.map((i) => i.urn)).not.toContain(c.urn)
  })

  test('the organisation queue is for supervisors and CPS managers; ISVAs, analysts and administrators have no queue', async () => {
    const res = await api(t, await token('oic.north'), { method: 'GET', url: '/api/v1/queue?scope=organisation' })
    expect(res.statusCode).toBe(403)
    expect((await (await browser('oic.north')).get('/queue?scope=organisation')).statusCode).toBe(403)
    for (const u of ['isva', 'analyst', 'admin.north']) {
      const page = await (await browser(u)).get('/queue')
      expect(page.statusCode, u).toBe(200)
      expect(page.body).toContain('You do not have a work queue')
      expect(page.body).not.toContain('>Work queue<')
      expect((await api(t, await token(u), { method: 'GET', url: '/api/v1/queue' })).statusCode, u).toBe(403)
    }
  })

  test('bad filters are a clear 400', async () => {
    const res = await api(t, await token('oic.north'), { method: 'GET', url: '/api/v1/queue?group=late&sort=colour' })
    expect(res.statusCode).toBe(400)
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['group', 'sort'])
    expect((await (await browser('oic.north')).get('/queue?page=0')).statusCode).toBe(400)
  })
})

describe('filters, sort and pages', () => {
  const many: { id: string; urn: string }[] = []
  beforeAll(async () => {
    // 30 more not-due clocks for the team: 10 agreed victim updates owned by the supervisor.
    for (let i = 0; i < 30; i++) {
      const c = await newCase()
      many.push(c)
      const victim = i % 3 === 0
      await clock(c.id, `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`, {
        kind: victim ? 'victim_update' : 'action_target',
        owner: victim ? t.demo.users['supervisor.north'] : undefined,
      })
    }
  })

  test('25 a page, the next page has the rest, and the links keep the filters', async () => {
    const first = await queue('supervisor.north', 'scope=team&group=not_due')
    expect(first.total).toBe(31)
    expect(first.items).toHaveLength(25)
    expect(first.counts.critical).toBe(1)
    const second = await queue('supervisor.north', 'scope=team&group=not_due&page=2')
    expect(second.items).toHaveLength(6)
    expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(31)
    const page = await (await browser('supervisor.north')).get('/queue?scope=team&group=not_due')
    expect(page.body).toContain('href="/queue?scope=team&amp;group=not_due&amp;page=2"')
    expect(page.body).toContain('Not due (31)')
  })

  test('pages run on across the groups, the most urgent first', async () => {
    const first = await queue('supervisor.north', 'scope=team')
    const second = await queue('supervisor.north', 'scope=team&page=2')
    expect(first.items).toHaveLength(25)
    expect(second.items).toHaveLength(first.total - 25)
    const all = [...first.items, ...second.items]
    expect(new Set(all.map((i) => i.id)).size).toBe(first.total)
    const groups = all.map((i) => URGENCY_ORDER.indexOf(i.group as (typeof URGENCY_ORDER)[number]))
    expect(groups).toEqual([...groups].sort((a, b) => a - b))
  })

  test('by kind and by owner', async () => {
    const victim = await queue('supervisor.north', 'scope=team&kind=victim_update')
    expect(victim.total).toBe(10)
    expect(victim.items.every((i) => i.kind === 'victim_update' && i.due.startsWith('due in') && i.due.endsWith(' days'))).toBe(
      true,
    )
    expect(victim.counts).toEqual({ critical: 0, overdue: 0, due_soon: 0, not_due: 10 })
    const owned = await queue('supervisor.north', `scope=team&owner=${t.demo.users['supervisor.north']}`)
    expect(owned.total).toBe(10)
    // The supervisor owns those clocks, so they are in their own queue too.
    expect((await queue('supervisor.north')).total).toBe(10)
  })

  test('sorted by due date (default), URN or kind, within each group', async () => {
    const byDue = [...(await queue('supervisor.north', 'scope=team&group=not_due')).items]
    const dues = byDue.map((i) => i.due)
    expect(dues[0]).toBe('due in 14 working days')
    const desc = (await queue('supervisor.north', 'scope=team&group=not_due&order=desc')).items
    expect(desc[0].urn).not.toBe(byDue[0].urn)
    const byUrn = (await queue('supervisor.north', 'scope=team&sort=urn')).items
    expect(byUrn.map((i) => i.group).slice(0, 4)).toEqual(['critical', 'overdue', 'due_soon', 'not_due'])
    const notDue = byUrn.filter((i) => i.group === 'not_due').map((i) => i.urn)
    expect(notDue).toEqual([...notDue].sort())
    const byKind = (await queue('supervisor.north', 'scope=team&group=not_due&sort=kind&order=desc')).items
    // By label: "Action plan target" before "Agreed update to the victim".
    const kinds = byKind.map((i) => i.kind)
    const asc = (await queue('supervisor.north', 'scope=team&group=not_due&sort=kind&order=asc')).items.map((i) => i.kind)
    expect(asc[0]).toBe('action_target')
    expect(kinds[0]).toBe('victim_update')
  })
})

describe('escalation reaches the supervisor’s queue and everyone’s notifications', () => {
  test('a target missed moves to the supervisor’s queue at level 1 and the inspector’s at level 2', async () => {
    const c = await newCase()
    const d = await clock(c.id, '2026-11-04')
    const mine = async (u: string) => (await queue(u)).items.find((i) => i.id === d.id)
    expect(await mine('supervisor.north')).toBeUndefined()
    try {
      t.clock.set('2026-11-05T09:00:00Z')
      await sweepAll(t.db, t.clock.now())
      expect(await mine('supervisor.north')).toMatchObject({ group: 'overdue', escalationLevel: 1, urn: c.urn })
      expect(await mine('inspector.north')).toBeUndefined()
      expect(await mine('oic.north')).toMatchObject({ group: 'overdue', escalationLevel: 1 })

      t.clock.set('2026-11-12T09:00:00Z')
      await sweepAll(t.db, t.clock.now())
      expect(await mine('inspector.north')).toMatchObject({ group: 'critical', escalationLevel: 2 })
      expect(await mine('supervisor.north')).toMatchObject({ group: 'critical', escalationLevel: 2 })
      // Another force's supervisor never hears of it.
      expect((await queue('supervisor.south')).items.map((i) => i.urn)).not.toContain(c.urn)
    } finally {
      t.clock.set(START)
    }
  })

  test('notifications: newest first, step wording, what is due and the URN, nothing more', async () => {
    const res = await api(t, await token('inspector.north'), { method: 'GET', url: '/api/v1/notifications' })
    expect(res.statusCode).toBe(200)
    const n = res.json()
    expect(n.total).toBeGreaterThan(0)
    expect(n.notifications[0]).toMatchObject({
      step: 'escalation_2',
      stepLabel: 'Critically overdue',
      label: 'Action plan target',
    })
    expect(Object.keys(n.notifications[0]).sort()).toEqual(
      ['caseId', 'createdAt', 'href', 'id', 'kind', 'label', 'step', 'stepLabel', 'urn'].sort(),
    )
    const times = n.notifications.map((x: { createdAt: string }) => x.createdAt)
    expect(times).toEqual([...times].sort().reverse())

    const page = await (await browser('oic.north')).get('/notifications')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Overdue')
    expect(page.body).toMatch(/href="\/cases\/[0-9a-f-]+\/action-plans">91TC/)

    const south = await api(t, await token('oic.south'), { method: 'GET', url: '/api/v1/notifications' })
    expect(south.json().notifications.every((x: { urn: string }) => x.urn.startsWith('92'))).toBe(true)
    const isva = await (await browser('isva')).get('/notifications')
    expect(isva.statusCode).toBe(200)
    expect(isva.body).toContain('You have no notifications')
  })

  test('the OpenAPI document describes both endpoints', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/queue', '/notifications']))
    const params = doc.paths['/queue'].get.parameters.map((p: { name: string }) => p.name)
    expect(params).toEqual(['scope', 'group', 'kind', 'owner', 'sort', 'order', 'page'])
  })
})
