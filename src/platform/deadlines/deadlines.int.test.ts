import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../testing/harness.ts'
import { endOfLondonDay } from '../clock.ts'
import {
  closeDeadline,
  type DeadlineKind,
  deadlinesOfCase,
  handOverRunningClocks,
  hasOverdueClockSql,
  latestDeadlineFor,
  openDeadline,
  pauseDeadlines,
  runningDeadlineFor,
  sideOwner,
} from './deadlines.ts'

// The readers and movers modules use instead of their own SQL on the deadlines table.

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const newCase = async () => {
  const { createCase } = await import('../../modules/cases/service.ts')
  return (await createCase(await t.ctx('oic.north'), t.caseInput('oic.north'))).id
}

// Each clock opens a minute after the last, so "oldest first" has one answer.
let minutes = 0
const open = (caseId: string, kind: DeadlineKind, subjectId: string, date: string) =>
  t.db.transaction(async (tx) =>
    openDeadline(tx, {
      kind,
      caseId,
      subjectId,
      dueAt: endOfLondonDay(date),
      at: new Date(t.clock.now().getTime() + ++minutes * 60_000),
      ...(await sideOwner(tx, caseId, 'police')),
    }),
  )

test("a case's clocks by kind and state, oldest first; the latest for a subject; the running one even when paused", async () => {
  const caseId = await newCase()
  const subject = crypto.randomUUID()
  const first = await open(caseId, 'action_target', subject, '2026-11-13')
  await closeDeadline(t.db, first.id, 'met', null, t.clock.now())
  const second = await open(caseId, 'action_target', subject, '2026-11-20')
  const review = await open(caseId, 'action_plan_review', crypto.randomUUID(), '2026-12-01')

  const targets = await deadlinesOfCase(t.db, caseId, ['action_target'])
  expect(targets.map((d) => [d.id, d.state])).toEqual([
    [first.id, 'met'],
    [second.id, 'open'],
  ])
  expect(latestDeadlineFor(targets, 'action_target', subject)?.id).toBe(second.id)
  expect(
    (await deadlinesOfCase(t.db, caseId, ['action_target', 'action_plan_review'], { states: ['open'] })).map((d) => d.id),
  ).toEqual([second.id, review.id])

  await pauseDeadlines(t.db, caseId, ['action_target'], t.clock.now())
  expect((await runningDeadlineFor(t.db, 'action_target', subject))?.state).toBe('paused')
  await t.db.transaction(async (tx) => {
    expect((await runningDeadlineFor(tx, 'action_target', subject, { lock: true }))?.id).toBe(second.id)
  })
})

test('running clocks held by one organisation move to another, unowned; nothing moves from none or to the same', async () => {
  const caseId = await newCase()
  const d = await open(caseId, 'action_target', crypto.randomUUID(), '2026-11-13')
  const { north, cps } = t.demo.orgs
  expect(await handOverRunningClocks(t.db, caseId, null, cps)).toBe(0)
  expect(await handOverRunningClocks(t.db, caseId, north, north)).toBe(0)
  expect(await handOverRunningClocks(t.db, caseId, cps, north)).toBe(0)
  expect(await handOverRunningClocks(t.db, caseId, north, cps)).toBe(1)
  const [row] = await t.db.query<{ organisation_id: string; owner_id: string | null; team_id: string | null }>(
    'SELECT organisation_id, owner_id, team_id FROM deadlines WHERE id = $1',
    [d.id],
  )
  expect(row).toEqual({ organisation_id: cps, owner_id: null, team_id: null })
})

test('the overdue-clock fragment: an open clock past its due time, as isOverdue', async () => {
  const caseId = await newCase()
  await open(caseId, 'action_target', crypto.randomUUID(), '2026-11-13')
  const overdue = async (now: string) => {
    const [row] = await t.db.query<{ overdue: boolean }>(
      `SELECT ${hasOverdueClockSql('c.id', '$2')} AS overdue FROM cases c WHERE c.id = $1`,
      [caseId, new Date(now)],
    )
    return row.overdue
  }
  expect(await overdue('2026-11-13T23:00:00Z')).toBe(false)
  expect(await overdue('2026-11-14T01:00:00Z')).toBe(true)
})
