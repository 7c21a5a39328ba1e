import type { Sql } from '../../db/client.ts'
import { Conflict } from '../errors.ts'

/**
 * The deadline engine's first slice (ARCHITECTURE.md, "Deadlines"): every clock in the domain is
 * one row in `deadlines`, opened with its due time and closed once as met, missed or cancelled.
 * Services open and close rows in the same transaction as the change that starts or stops the
 * clock, so a clock never runs for something that did not happen.
 *
 * Not yet built (issue 4): the sweeper that finds open rows past their due time with
 * `FOR UPDATE SKIP LOCKED`, escalation ladders (escalation_level stays 0 until then), work
 * queues, and due times from the working-day calendar. Until then an overdue clock is only
 * seen where a page asks `isOverdue`.
 */

/** Each kind of clock; later issues add theirs (action-plan responses, VRR windows, ...). */
export type DeadlineKind = 'victim_update'
export type DeadlineState = 'open' | 'met' | 'missed' | 'cancelled'

export interface Deadline {
  id: string
  kind: DeadlineKind
  caseId: string
  subjectId: string | null
  dueAt: Date
  state: DeadlineState
  escalationLevel: number
  createdAt: Date
  closedAt: Date | null
  closedReason: string | null
}

const COLUMNS = `id, kind, case_id AS "caseId", subject_id AS "subjectId", due_at AS "dueAt", state,
  escalation_level AS "escalationLevel", created_at AS "createdAt", closed_at AS "closedAt", closed_reason AS "closedReason"`

/** Starts a clock. At most one clock of a kind runs per subject (a unique index holds that). */
export async function openDeadline(
  tx: Sql,
  d: { kind: DeadlineKind; caseId: string; subjectId: string | null; dueAt: Date; at: Date },
): Promise<Deadline> {
  const [row] = await tx.query<Deadline>(
    `INSERT INTO deadlines (kind, case_id, subject_id, due_at, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [d.kind, d.caseId, d.subjectId, d.dueAt, d.at],
  )
  return row
}

/**
 * Stops an open clock for good. `reason` says why; for a missed clock it is what the user gave
 * (free text, so it stays on this row). `at` comes from the caller's clock so tests can move time.
 */
export async function closeDeadline(
  tx: Sql,
  id: string,
  state: Exclude<DeadlineState, 'open'>,
  reason: string | null,
  at: Date,
): Promise<void> {
  const closed = await tx.query(
    "UPDATE deadlines SET state = $2, closed_reason = $3, closed_at = $4 WHERE id = $1 AND state = 'open' RETURNING id",
    [id, state, reason, at],
  )
  if (closed.length === 0) throw new Conflict('This deadline has already been closed. Reload the page to see it.')
}

export async function openDeadlinesForCase(sql: Sql, caseId: string): Promise<Deadline[]> {
  return sql.query<Deadline>(`SELECT ${COLUMNS} FROM deadlines WHERE case_id = $1 AND state = 'open' ORDER BY due_at`, [caseId])
}

/** The running clock of a kind for one subject; `lock` holds it until commit so two closes cannot race. */
export async function openDeadlineFor(
  sql: Sql,
  kind: DeadlineKind,
  subjectId: string,
  opts: { lock?: boolean } = {},
): Promise<Deadline | undefined> {
  const [row] = await sql.query<Deadline>(
    `SELECT ${COLUMNS} FROM deadlines WHERE kind = $1 AND subject_id = $2 AND state = 'open'${opts.lock ? ' FOR UPDATE' : ''}`,
    [kind, subjectId],
  )
  return row
}

/** Open and past its due time. Due exactly now is not yet overdue. */
export function isOverdue(d: Pick<Deadline, 'state' | 'dueAt'>, now: Date): boolean {
  return d.state === 'open' && now.getTime() > d.dueAt.getTime()
}

const DAY_MS = 86_400_000
const londonDate = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
/** Whole calendar days (in England and Wales) from `a` to `b`. */
function calendarDaysBetween(a: Date, b: Date): number {
  return Math.round((Date.parse(londonDate(b)) - Date.parse(londonDate(a))) / DAY_MS)
}

/**
 * How a due time reads to people, in calendar days in England and Wales: "due in 3 days",
 * "due tomorrow", "due today", "due earlier today" (past, same day), "1 day overdue", "5 days overdue".
 */
export function dueWording(dueAt: Date, now: Date): string {
  const days = calendarDaysBetween(now, dueAt)
  if (now.getTime() > dueAt.getTime()) {
    if (days === 0) return 'due earlier today'
    return `${-days} ${-days === 1 ? 'day' : 'days'} overdue`
  }
  if (days === 0) return 'due today'
  if (days === 1) return 'due tomorrow'
  return `due in ${days} days`
}
