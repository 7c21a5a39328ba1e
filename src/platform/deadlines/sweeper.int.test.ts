import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Db } from '../../db/client.ts'
import { startTestApp, type TestApp } from '../../testing/harness.ts'
import { endOfLondonDay } from '../clock.ts'
import { deliver, LocalDelivery } from '../notify/outbox.ts'
import { type DeadlineKind, openDeadline, pauseDeadlines, resumeDeadlines, sideOwner } from './deadlines.ts'
import { sweep, sweepAll } from './sweeper.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const newCase = async () => {
  const ctx = await t.ctx('oic.north')
  const { createCase } = await import('../../modules/cases/service.ts')
  return (await createCase(ctx, t.caseInput('oic.north'))).id
}

/** A clock due at the end of `date`, owned by the case's officer in charge. */
async function clock(caseId: string, date: string, kind: DeadlineKind = 'action_target') {
  return t.db.transaction(async (tx) =>
    openDeadline(tx, {
      kind,
      caseId,
      subjectId: crypto.randomUUID(),
      dueAt: endOfLondonDay(date),
      at: t.clock.now(),
      ...(await sideOwner(tx, caseId, 'police')),
    }),
  )
}

type Note = { step: string; username: string }
const notesFor = (deadlineId: string) =>
  t.db.query<Note>(
    `SELECT n.step, u.username FROM notifications n JOIN users u ON u.id = n.recipient_id
      WHERE n.deadline_id = $1 ORDER BY n.created_at, u.username`,
    [deadlineId],
  )
const at = (iso: string) => new Date(iso)

describe('an action-plan target climbs its ladder: officer, then supervisor, then inspector', () => {
  // Due Friday 13 November 2026: reminder from Wednesday 11th (2 working days before), level 2
  // at the end of Friday 20th (5 working days after).
  test('each step is taken once, at its time, and reaches the people on the ladder', async () => {
    const d = await clock(await newCase(), '2026-11-13')
    expect(d.remindAt.toISOString()).toBe('2026-11-11T00:00:00.000Z')
    expect(d.criticalAt.toISOString()).toBe('2026-11-20T23:59:59.999Z')

    await sweepAll(t.db, at('2026-11-10T12:00:00Z'))
    expect(await notesFor(d.id)).toEqual([])

    await sweepAll(t.db, at('2026-11-11T09:00:00Z'))
    expect(await notesFor(d.id)).toEqual([{ step: 'reminder', username: 'oic.north' }])
    // Sweeping again at the same time, or later before the due time, takes no step.
    await sweepAll(t.db, at('2026-11-13T23:00:00Z'))
    expect(await notesFor(d.id)).toHaveLength(1)

    await sweepAll(t.db, at('2026-11-14T08:00:00Z'))
    expect((await notesFor(d.id)).slice(1)).toEqual([
      { step: 'escalation_1', username: 'oic.north' },
      { step: 'escalation_1', username: 'supervisor.north' },
    ])
    await sweepAll(t.db, at('2026-11-20T12:00:00Z'))
    expect(await notesFor(d.id)).toHaveLength(3)

    await sweepAll(t.db, at('2026-11-21T00:00:00Z'))
    expect((await notesFor(d.id)).slice(3)).toEqual([{ step: 'escalation_2', username: 'inspector.north' }])
    const [row] = await t.db.query<{ escalation_level: number; next_step_at: Date | null }>(
      'SELECT escalation_level, next_step_at FROM deadlines WHERE id = $1',
      [d.id],
    )
    expect(row).toEqual({ escalation_level: 2, next_step_at: null })
    await sweepAll(t.db, at('2027-01-20T00:00:00Z'))
    expect(await notesFor(d.id)).toHaveLength(4)
  })

  test('a sweep that finds a clock late takes only the highest step reached', async () => {
    const d = await clock(await newCase(), '2026-11-13')
    await sweepAll(t.db, at('2026-11-25T09:00:00Z'))
    expect(await notesFor(d.id)).toEqual([{ step: 'escalation_2', username: 'inspector.north' }])
  })

  test('a clock met before its due time never escalates', async () => {
    const d = await clock(await newCase(), '2026-11-13')
    const { closeDeadline } = await import('./deadlines.ts')
    await t.db.transaction((tx) => closeDeadline(tx, d.id, 'met', null, at('2026-11-12T10:00:00Z')))
    await sweepAll(t.db, at('2026-11-30T09:00:00Z'))
    expect(await notesFor(d.id)).toEqual([])
  })
})

test('a disabled supervisor is not told; the officer still is', async () => {
  const caseId = await newCase()
  const d = await clock(caseId, '2026-11-13')
  await t.db.query('UPDATE users SET disabled_at = $2 WHERE id = $1', [t.demo.users['supervisor.north'], t.clock.now()])
  try {
    await sweepAll(t.db, at('2026-11-14T09:00:00Z'))
    expect(await notesFor(d.id)).toEqual([{ step: 'escalation_1', username: 'oic.north' }])
  } finally {
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [t.demo.users['supervisor.north']])
  }
})

test('a paused clock is left alone; resumed, it has the time it had left', async () => {
  const caseId = await newCase()
  const d = await clock(caseId, '2026-11-13')
  await t.db.transaction((tx) => pauseDeadlines(tx, caseId, ['action_target'], at('2026-11-06T12:00:00Z')))
  await sweepAll(t.db, at('2026-12-30T12:00:00Z'))
  expect(await notesFor(d.id)).toEqual([])

  // Paused for 7 days exactly: every ladder time moves on 7 days.
  await t.db.transaction((tx) => resumeDeadlines(tx, caseId, at('2026-11-13T12:00:00Z')))
  const [row] = await t.db.query<{ due_at: Date; state: string }>('SELECT due_at, state FROM deadlines WHERE id = $1', [d.id])
  expect(row).toEqual({ state: 'open', due_at: at('2026-11-20T23:59:59.999Z') })
  await sweepAll(t.db, at('2026-11-21T09:00:00Z'))
  expect((await notesFor(d.id)).map((n) => n.step)).toEqual(['escalation_1', 'escalation_1'])
})

test('the outbox delivers each notification once, naming the case by URN and nothing personal', async () => {
  const caseId = await newCase()
  const d = await clock(caseId, '2026-11-13', 'victim_update')
  await sweepAll(t.db, at('2026-11-14T09:00:00Z'))
  const delivery = new LocalDelivery()
  while ((await deliver(t.db, delivery, at('2026-11-14T09:01:00Z'))) > 0) {}
  const mine = delivery.sent.filter((m) => m.body.includes(caseId))
  expect(mine.map((m) => m.to.email).sort()).toEqual([
    'oic.north@casebridge-demo.example',
    'supervisor.north@casebridge-demo.example',
  ])
  const [{ urn }] = await t.db.query<{ urn: string }>('SELECT urn FROM cases WHERE id = $1', [caseId])
  expect(mine[0].subject).toBe(`Overdue: Agreed update to the victim, case ${urn}`)
  expect(await deliver(t.db, delivery, at('2026-11-14T09:02:00Z'))).toBe(0)
  expect(await notesFor(d.id)).toHaveLength(2)
})

test('a failed delivery stays in the outbox for the next round', async () => {
  const caseId = await newCase()
  await clock(caseId, '2026-11-13', 'victim_update')
  await sweepAll(t.db, at('2026-11-14T09:00:00Z'))
  const failing = { send: async () => Promise.reject(new Error('Notify is down')) }
  expect(await deliver(t.db, failing, at('2026-11-14T09:01:00Z'))).toBe(0)
  const delivery = new LocalDelivery()
  expect(await deliver(t.db, delivery, at('2026-11-14T09:02:00Z'))).toBeGreaterThanOrEqual(2)
})

test('two app instances sharing one database escalate each due deadline exactly once', async () => {
  const cases = await Promise.all([newCase(), newCase(), newCase()])
  const ids: string[] = []
  for (let i = 0; i < 60; i++) ids.push((await clock(cases[i % 3], '2026-11-13')).id)
  // The second instance's own connection pool, as behind a load balancer (on PGlite, the one connection).
  const other: Db = t.db.reopen()
  try {
    const now = at('2026-11-14T09:00:00Z')
    // Small batches so the two instances interleave many times over the same rows.
    const results = await Promise.all([
      sweepAll(t.db, now, { batch: 7 }),
      sweepAll(other, now, { batch: 5 }),
      sweep(other, now, { batch: 3 }),
    ])
    const stepped = results.reduce((sum, r) => sum + r.stepped, 0)
    const [{ n }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE deadline_id = ANY($1::uuid[]) AND step = 'escalation_1'`,
      [ids],
    )
    // Each clock stepped once (officer and supervisor told once each), and nothing is left to do.
    expect(stepped).toBe(60)
    expect(n).toBe(120)
    const levels = await t.db.query<{ escalation_level: number }>(
      'SELECT DISTINCT escalation_level FROM deadlines WHERE id = ANY($1::uuid[])',
      [ids],
    )
    expect(levels).toEqual([{ escalation_level: 1 }])
    expect((await sweep(t.db, now)).stepped).toBe(0)
  } finally {
    await other.close()
  }
})
