import type { Db, Sql } from '../../db/client.ts'
import { type Ladder, ladderOf, type Recipient } from './ladders.ts'

/**
 * The sweeper climbs escalation ladders. Each sweep takes the clocks whose next step is due,
 * locked with FOR UPDATE SKIP LOCKED so that several app instances sweeping at once each take
 * different rows, and in one transaction moves each clock up its ladder and writes the
 * notifications for the step to the outbox. A clock's next step time moves past `now` in that
 * transaction, so a later sweep (on any instance) does not find it again: each step is taken once.
 * The outbox's unique key (clock, step, recipient) backs that up in the database itself.
 *
 * Cost follows the due rows, not all rows: the scan is on a partial index of clocks with a step
 * to take, in step order, LIMIT `batch`.
 */

export type Step = 'reminder' | 'escalation_1' | 'escalation_2'

interface LadderState {
  remindAt: Date
  dueAt: Date
  criticalAt: Date
  remindedAt: Date | null
  escalationLevel: number
}

export interface StepTaken {
  step: Step
  level: number
  reminded: boolean
  /** When the sweeper should look at this clock again; null at the top of the ladder. */
  next: Date | null
}

/**
 * The step a clock takes at `now`, or null when none is due. A sweep that finds a clock late
 * (the service was down) takes only the highest step reached, not every step missed on the way.
 */
export function stepAt(d: LadderState, now: Date): StepTaken | null {
  const t = now.getTime()
  if (d.escalationLevel < 2 && t >= d.criticalAt.getTime() && t > d.dueAt.getTime()) {
    return { step: 'escalation_2', level: 2, reminded: d.remindedAt !== null, next: null }
  }
  if (d.escalationLevel < 1 && t > d.dueAt.getTime()) {
    return { step: 'escalation_1', level: 1, reminded: d.remindedAt !== null, next: nextCritical(d) }
  }
  if (d.escalationLevel === 0 && d.remindedAt === null && t >= d.remindAt.getTime()) {
    return { step: 'reminder', level: 0, reminded: true, next: new Date(d.dueAt.getTime() + 1) }
  }
  return null
}

/** Level 2 is due at `criticalAt`, but never before the clock is overdue. */
function nextCritical(d: LadderState): Date {
  return new Date(Math.max(d.criticalAt.getTime(), d.dueAt.getTime() + 1))
}

/** Who a step reaches: the owner for a reminder; owner and level 1 at due; level 2 at the top. */
export function recipientsOf(ladder: Ladder, step: Step): readonly Recipient[] {
  if (step === 'reminder') return ['owner']
  if (step === 'escalation_1') return ladder.level1.length ? ['owner', ...ladder.level1] : []
  return ladder.level2
}

interface DueRow extends LadderState {
  id: string
  kind: string
  caseId: string
  cpsAreaId: string | null
  people: Partial<Record<Recipient, string | null>>
}

export interface SweepResult {
  /** Clocks that took a step. */
  stepped: number
  notifications: number
}

/** One sweep of at most `batch` clocks; call again while it returns a full batch. */
export async function sweep(db: Db, now: Date, opts: { batch?: number } = {}): Promise<SweepResult> {
  const batch = opts.batch ?? 1000
  return db.transaction(async (tx) => {
    const due = await tx.query<DueRow>(
      `SELECT d.id, d.kind, d.case_id AS "caseId", d.remind_at AS "remindAt", d.due_at AS "dueAt",
              d.critical_at AS "criticalAt", d.reminded_at AS "remindedAt", d.escalation_level AS "escalationLevel",
              c.cps_area_id AS "cpsAreaId",
              json_build_object('owner', d.owner_id, 'case_supervisor', c.supervisor_id, 'police_team_lead', pt.lead_id,
                                'reviewing_prosecutor', c.reviewing_prosecutor_id, 'cps_unit_lead', ct.lead_id) AS people
         -- The locked rows carry every column needed: joining deadlines again by id made the
         -- planner hash the whole table, so a sweep cost grew with all clocks (bench/README.md).
         FROM (SELECT id, kind, case_id, remind_at, due_at, critical_at, reminded_at, escalation_level, owner_id
                 FROM deadlines WHERE next_step_at <= $1 ORDER BY next_step_at LIMIT $2 FOR UPDATE SKIP LOCKED) d
         JOIN cases c ON c.id = d.case_id
         LEFT JOIN teams pt ON pt.id = c.team_id
         LEFT JOIN teams ct ON ct.id = c.cps_unit_id`,
      [now, batch],
    )
    if (due.length === 0) return { stepped: 0, notifications: 0 }

    const managers = await cpsManagers(tx, due)
    const updates = { id: [] as string[], level: [] as number[], reminded: [] as boolean[], next: [] as (Date | null)[] }
    const notes = { deadline: [] as string[], kase: [] as string[], recipient: [] as string[], step: [] as string[] }
    for (const d of due) {
      const taken = stepAt(d, now)
      updates.id.push(d.id)
      // A clock picked up with nothing to do (its ladder times were moved) is looked at again at its next time.
      updates.level.push(taken?.level ?? d.escalationLevel)
      updates.reminded.push(taken?.reminded ?? d.remindedAt !== null)
      updates.next.push(taken ? taken.next : nextTime(d))
      if (!taken) continue
      const people = new Set<string>()
      for (const r of recipientsOf(ladderOf(d.kind), taken.step)) {
        if (r === 'cps_managers') for (const m of managers.get(d.cpsAreaId ?? '') ?? []) people.add(m)
        else if (d.people[r]) people.add(d.people[r])
      }
      for (const person of people) {
        notes.deadline.push(d.id)
        notes.kase.push(d.caseId)
        notes.recipient.push(person)
        notes.step.push(taken.step)
      }
    }
    await tx.query(
      `UPDATE deadlines SET escalation_level = v.level,
              reminded_at = CASE WHEN v.reminded THEN coalesce(deadlines.reminded_at, $5) END,
              next_step_at = v.next
         FROM unnest($1::uuid[], $2::int[], $3::boolean[], $4::timestamptz[]) AS v(id, level, reminded, next)
        -- "= ANY" lets the primary key find the rows; the join alone hashed the whole table.
        WHERE deadlines.id = v.id AND deadlines.id = ANY($1::uuid[])`,
      [updates.id, updates.level, updates.reminded, updates.next, now],
    )
    const written = await tx.query(
      `INSERT INTO notifications (deadline_id, case_id, recipient_id, step, created_at)
       SELECT v.deadline, v.kase, v.recipient, v.step, $5
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) AS v(deadline, kase, recipient, step)
         -- Someone who has left (account disabled) is not told; the rest of the ladder still is.
         JOIN users u ON u.id = v.recipient AND u.disabled_at IS NULL
       ON CONFLICT (deadline_id, step, recipient_id) DO NOTHING RETURNING id`,
      [notes.deadline, notes.kase, notes.recipient, notes.step, now],
    )
    return { stepped: due.length, notifications: written.length }
  })
}

/** Sweeps until nothing is due: what the background worker runs. */
export async function sweepAll(db: Db, now: Date, opts: { batch?: number } = {}): Promise<SweepResult> {
  const total = { stepped: 0, notifications: 0 }
  const batch = opts.batch ?? 1000
  for (;;) {
    const r = await sweep(db, now, { batch })
    total.stepped += r.stepped
    total.notifications += r.notifications
    if (r.stepped < batch) return total
  }
}

function nextTime(d: LadderState): Date | null {
  if (d.escalationLevel >= 2) return null
  if (d.escalationLevel === 1) return nextCritical(d)
  return d.remindedAt === null ? d.remindAt : new Date(d.dueAt.getTime() + 1)
}

async function cpsManagers(tx: Sql, due: DueRow[]) {
  const areas = [
    ...new Set(due.filter((d) => d.cpsAreaId && ladderOf(d.kind).level2.includes('cps_managers')).map((d) => d.cpsAreaId)),
  ]
  const byArea = new Map<string, string[]>()
  if (areas.length === 0) return byArea
  const rows = await tx.query<{ id: string; organisationId: string }>(
    `SELECT id, organisation_id AS "organisationId" FROM users
      WHERE organisation_id = ANY($1::uuid[]) AND 'cps_manager' = ANY(roles) AND disabled_at IS NULL
        AND NOT system_client`,
    [areas],
  )
  for (const r of rows) byArea.set(r.organisationId, [...(byArea.get(r.organisationId) ?? []), r.id])
  return byArea
}
