import type { Sql } from '../../db/client.ts'
import { addWorkingDays, subtractWorkingDays, workingDaysBetween } from '../calendar/working-days.ts'
import { endOfLondonDay, londonDate, londonInstant } from '../clock.ts'
import { Conflict } from '../errors.ts'
import { type DeadlineKind, ladderOf } from './ladders.ts'

/**
 * The deadline engine (ARCHITECTURE.md, "Deadlines"): every clock in the domain is one row in
 * `deadlines`, opened with its due time and its owner, and closed once as met, missed or
 * cancelled. Services open and close rows in the same transaction as the change that starts or
 * stops the clock, so a clock never runs for something that did not happen.
 *
 * When a clock opens, its escalation ladder (ladders.ts) fixes three more times from the
 * working-day calendar: due soon from `remindAt`, overdue after `dueAt`, critically overdue from
 * `criticalAt`. The sweeper (sweeper.ts) takes each ladder step once; work queues (queue.ts)
 * group clocks by the same times, so a queue and a notification never disagree.
 */

export type { DeadlineKind } from './ladders.ts'
export type DeadlineState = 'open' | 'paused' | 'met' | 'missed' | 'cancelled'

export interface Deadline {
  id: string
  kind: DeadlineKind
  caseId: string
  subjectId: string | null
  ownerId: string | null
  dueAt: Date
  remindAt: Date
  criticalAt: Date
  state: DeadlineState
  escalationLevel: number
  createdAt: Date
  closedAt: Date | null
  closedReason: string | null
}

const COLUMNS = `id, kind, case_id AS "caseId", subject_id AS "subjectId", owner_id AS "ownerId", due_at AS "dueAt",
  remind_at AS "remindAt", critical_at AS "criticalAt", state, escalation_level AS "escalationLevel",
  created_at AS "createdAt", closed_at AS "closedAt", closed_reason AS "closedReason"`

/** The ladder's times for a clock of `kind` due at `dueAt`, counted in working days on its due date. */
export function ladderTimes(kind: DeadlineKind, dueAt: Date): { remindAt: Date; criticalAt: Date } {
  const ladder = ladderOf(kind)
  const dueDate = londonDate(dueAt)
  const remindAt = londonInstant(subtractWorkingDays(dueDate, ladder.remindWorkingDays), '00:00')
  const criticalAt = endOfLondonDay(addWorkingDays(dueDate, ladder.criticalWorkingDays))
  return {
    remindAt: remindAt.getTime() < dueAt.getTime() ? remindAt : dueAt,
    criticalAt: criticalAt.getTime() > dueAt.getTime() ? criticalAt : dueAt,
  }
}

/** Who a clock belongs to: the person who must act and the team and organisation whose queues show it. */
export interface DeadlineOwner {
  ownerId: string | null
  teamId: string | null
  organisationId: string
}

/**
 * The usual owner of a clock on one side of a case: for the police, the officer in charge, their
 * team and force; for the CPS, the reviewing prosecutor, the CPS unit and the Area. `ownerId`
 * overrides the person (an action's named owner). The case row is locked by the caller's change.
 */
export async function sideOwner(tx: Sql, caseId: string, side: 'police' | 'cps', ownerId?: string): Promise<DeadlineOwner> {
  const [c] = await tx.query<DeadlineOwner>(
    side === 'police'
      ? 'SELECT officer_in_charge_id AS "ownerId", team_id AS "teamId", force_id AS "organisationId" FROM cases WHERE id = $1'
      : 'SELECT reviewing_prosecutor_id AS "ownerId", cps_unit_id AS "teamId", cps_area_id AS "organisationId" FROM cases WHERE id = $1',
    [caseId],
  )
  if (!c?.organisationId) throw new Error(`Case ${caseId} has no ${side} side to own a clock`)
  return ownerId ? { ...c, ownerId } : c
}

/**
 * Starts a clock. At most one clock of a kind runs per subject (a unique index holds that).
 * `dueAt` is an instant; a target date is due at its end (`endOfLondonDay`).
 */
export async function openDeadline(
  tx: Sql,
  d: { kind: DeadlineKind; caseId: string; subjectId: string | null; dueAt: Date; at: Date } & DeadlineOwner,
): Promise<Deadline> {
  const { remindAt, criticalAt } = ladderTimes(d.kind, d.dueAt)
  const [row] = await tx.query<Deadline>(
    `INSERT INTO deadlines (kind, case_id, subject_id, due_at, created_at, owner_id, team_id, organisation_id, remind_at, critical_at, next_step_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9) RETURNING ${COLUMNS}`,
    [d.kind, d.caseId, d.subjectId, d.dueAt, d.at, d.ownerId, d.teamId, d.organisationId, remindAt, criticalAt],
  )
  return row
}

/** Hands a running clock to a new owner (CPS triage assigns a prosecutor); its times do not change. */
export async function reassignDeadline(tx: Sql, id: string, owner: DeadlineOwner): Promise<void> {
  await tx.query('UPDATE deadlines SET owner_id = $2, team_id = $3, organisation_id = $4 WHERE id = $1', [
    id,
    owner.ownerId,
    owner.teamId,
    owner.organisationId,
  ])
}

/**
 * Stops a running (open or paused) clock for good. `reason` says why; for a missed clock it is
 * what the user gave (free text, so it stays on this row). `at` comes from the caller's clock so
 * tests can move time.
 */
export async function closeDeadline(
  tx: Sql,
  id: string,
  state: 'met' | 'missed' | 'cancelled',
  reason: string | null,
  at: Date,
): Promise<void> {
  const closed = await tx.query(
    `UPDATE deadlines SET state = $2, closed_reason = $3, closed_at = $4, next_step_at = NULL, paused_at = NULL
      WHERE id = $1 AND state IN ('open', 'paused') RETURNING id`,
    [id, state, reason, at],
  )
  if (closed.length === 0)
    throw new Conflict('This deadline has already been closed. Reload the page to see it.', 'already_closed')
}

/**
 * Ends every clock still running on the case (open or paused), except the kinds kept: when a
 * case is finalised nobody should be chased for advice, a plan or a decision any more.
 */
export async function cancelRunningClocks(
  tx: Sql,
  caseId: string,
  reason: string,
  at: Date,
  keep: readonly DeadlineKind[] = [],
): Promise<number> {
  const rows = await tx.query(
    `UPDATE deadlines SET state = 'cancelled', closed_reason = $2, closed_at = $3, next_step_at = NULL, paused_at = NULL
      WHERE case_id = $1 AND state IN ('open', 'paused') AND NOT (kind = ANY($4::text[])) RETURNING id`,
    [caseId, reason, at, [...keep]],
  )
  return rows.length
}

/**
 * Stops the case's running clocks without ending them (the case was admin finalised): nothing
 * escalates and queues no longer show them. Returns how many were paused.
 */
export async function pauseDeadlines(tx: Sql, caseId: string, kinds: readonly DeadlineKind[], at: Date): Promise<number> {
  const rows = await tx.query(
    `UPDATE deadlines SET state = 'paused', paused_at = $3, next_step_at = NULL
      WHERE case_id = $1 AND kind = ANY($2::text[]) AND state = 'open' RETURNING id`,
    [caseId, [...kinds], at],
  )
  return rows.length
}

/**
 * Restarts paused clocks with the time they had left: every ladder time moves on by the time the
 * clock was paused, so a target that had a week to run has a week again. The next step is the
 * first ladder time not yet passed (a reminder already sent is not sent again).
 */
export async function resumeDeadlines(tx: Sql, caseId: string, at: Date): Promise<number> {
  const rows = await tx.query(
    `UPDATE deadlines SET state = 'open',
            due_at = due_at + ($2 - paused_at), remind_at = remind_at + ($2 - paused_at),
            critical_at = critical_at + ($2 - paused_at), paused_at = NULL,
            next_step_at = CASE
              WHEN reminded_at IS NULL AND escalation_level = 0 THEN remind_at + ($2 - paused_at)
              WHEN escalation_level = 0 THEN due_at + ($2 - paused_at) + interval '1 millisecond'
              WHEN escalation_level = 1 THEN critical_at + ($2 - paused_at)
            END
      WHERE case_id = $1 AND state = 'paused' RETURNING id`,
    [caseId, at],
  )
  return rows.length
}

/** A running clock as people see it on a case or in a queue. */
export interface ClockView {
  id: string
  kind: DeadlineKind
  label: string
  caseId: string
  section: string
  dueAt: string
  wording: string
  urgency: Urgency
  urgencyLabel: string
  owner: string | null
  escalationLevel: number
}

export function presentClock(
  d: Pick<Deadline, 'id' | 'kind' | 'caseId' | 'dueAt' | 'remindAt' | 'criticalAt' | 'escalationLevel'> & {
    owner: string | null
  },
  now: Date,
): ClockView {
  const ladder = ladderOf(d.kind)
  const urgency = urgencyOf(d, now)
  return {
    id: d.id,
    kind: d.kind,
    label: ladder.label,
    caseId: d.caseId,
    section: ladder.section,
    dueAt: d.dueAt.toISOString(),
    wording: clockWording(d.kind, d.dueAt, now),
    urgency,
    urgencyLabel: URGENCIES[urgency],
    owner: d.owner,
    escalationLevel: d.escalationLevel,
  }
}

/** The case's running clocks, soonest first, with who owns each. */
export async function runningClocks(sql: Sql, caseId: string, now: Date): Promise<ClockView[]> {
  const rows = await sql.query<Deadline & { owner: string | null }>(
    `SELECT d.id, d.kind, d.case_id AS "caseId", d.due_at AS "dueAt", d.remind_at AS "remindAt", d.critical_at AS "criticalAt",
            d.escalation_level AS "escalationLevel", u.display_name AS owner
       FROM deadlines d LEFT JOIN users u ON u.id = d.owner_id
      WHERE d.case_id = $1 AND d.state = 'open' ORDER BY d.due_at`,
    [caseId],
  )
  return rows.map((d) => presentClock(d, now))
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

/**
 * The running (open or paused) clock of a kind for one subject. Unlike `openDeadlineFor`, a
 * clock paused with the case (admin finalised) is found too, so a change can still close it.
 */
export async function runningDeadlineFor(
  sql: Sql,
  kind: DeadlineKind,
  subjectId: string,
  opts: { lock?: boolean } = {},
): Promise<Deadline | undefined> {
  const [row] = await sql.query<Deadline>(
    `SELECT ${COLUMNS} FROM deadlines WHERE kind = $1 AND subject_id = $2 AND state IN ('open', 'paused')${opts.lock ? ' FOR UPDATE' : ''}`,
    [kind, subjectId],
  )
  return row
}

/**
 * A case's clocks of the given kinds, oldest first, optionally only those in the given states:
 * how a module shows its clocks beside its own rows (it reads its rows, reads these, and matches
 * them by subject in code) or finds the clocks a change must close. `lock` holds them until commit.
 */
export async function deadlinesOfCase(
  sql: Sql,
  caseId: string,
  kinds: readonly DeadlineKind[],
  opts: { states?: readonly DeadlineState[]; lock?: boolean } = {},
): Promise<Deadline[]> {
  return sql.query<Deadline>(
    `SELECT ${COLUMNS} FROM deadlines
      WHERE case_id = $1 AND kind = ANY($2::text[]) AND ($3::text[] IS NULL OR state = ANY($3::text[]))
      ORDER BY created_at, id${opts.lock ? ' FOR UPDATE' : ''}`,
    [caseId, [...kinds], opts.states ? [...opts.states] : null],
  )
}

/** The latest clock of a kind for a subject among clocks read oldest first (`deadlinesOfCase`). */
export function latestDeadlineFor<T extends Pick<Deadline, 'kind' | 'subjectId'>>(
  clocks: readonly T[],
  kind: DeadlineKind,
  subjectId: string,
): T | undefined {
  return clocks.findLast((k) => k.kind === kind && k.subjectId === subjectId)
}

/**
 * The case's running clocks held by one organisation move to another, with no owner or team, so
 * they stay in somebody's queue (a case referred to a different CPS Area). Nothing moves when the
 * two are the same or the case had no such organisation. Returns how many moved.
 */
export async function handOverRunningClocks(
  tx: Sql,
  caseId: string,
  fromOrganisationId: string | null,
  toOrganisationId: string,
): Promise<number> {
  if (fromOrganisationId === null || fromOrganisationId === toOrganisationId) return 0
  const rows = await tx.query(
    `UPDATE deadlines SET organisation_id = $3, owner_id = NULL, team_id = NULL
      WHERE case_id = $1 AND organisation_id = $2 AND state IN ('open', 'paused') RETURNING id`,
    [caseId, fromOrganisationId, toOrganisationId],
  )
  return rows.length
}

/** Open and past its due time. Due exactly now is not yet overdue. */
export function isOverdue(d: Pick<Deadline, 'state' | 'dueAt'>, now: Date): boolean {
  return d.state === 'open' && now.getTime() > d.dueAt.getTime()
}

/**
 * `isOverdue` as an SQL condition for a list over cases: true when the case `caseIdExpr` (a column
 * such as `c.id`) has an open clock past its due time at `now` (a placeholder such as `$3`). The
 * engine owns the deadlines table, so a module filtering its rows by clocks takes this fragment
 * rather than writing its own SQL on the table.
 */
export function hasOverdueClockSql(caseIdExpr: string, now: string): string {
  return `EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = ${caseIdExpr} AND d.state = 'open' AND d.due_at < ${now})`
}

const DAY_MS = 86_400_000
/** Whole calendar days (in England and Wales) from `a` to `b`. */
function calendarDaysBetween(a: Date, b: Date): number {
  return Math.round((Date.parse(londonDate(b)) - Date.parse(londonDate(a))) / DAY_MS)
}

/**
 * How a due time reads to people. Past it, in calendar days, since every day counts for the
 * person waiting: "due earlier today", "1 day overdue", "5 days overdue". Ahead of it, in the
 * days the clock was set in: working days for targets ("due in 3 working days"), calendar days
 * for a clock the victim agreed in days ("due tomorrow", "due in 14 days").
 */
export function dueWording(dueAt: Date, now: Date, counted: 'working days' | 'days' = 'working days'): string {
  if (now.getTime() > dueAt.getTime()) {
    const days = calendarDaysBetween(dueAt, now)
    if (days === 0) return 'due earlier today'
    return `${days} ${days === 1 ? 'day' : 'days'} overdue`
  }
  if (londonDate(now) === londonDate(dueAt)) return 'due today'
  if (counted === 'days') {
    const days = calendarDaysBetween(now, dueAt)
    return days === 1 ? 'due tomorrow' : `due in ${days} days`
  }
  const days = workingDaysBetween(londonDate(now), londonDate(dueAt))
  if (days === 0) return 'due on the next working day'
  return `due in ${days} ${days === 1 ? 'working day' : 'working days'}`
}

/**
 * A clock's due wording, counted in the days it was set in (ladders.ts): "21 days" for early
 * advice and the victim's agreed updates, working days for action-plan targets.
 */
export function clockWording(kind: DeadlineKind, dueAt: Date, now: Date): string {
  return dueWording(dueAt, now, ladderOf(kind).counted)
}

export const URGENCIES = {
  critical: 'Critically overdue',
  overdue: 'Overdue',
  due_soon: 'Due soon',
  not_due: 'Not due',
} as const
export type Urgency = keyof typeof URGENCIES

/** Where a running clock stands on its ladder at `now`: the grouping every work queue uses. */
export function urgencyOf(d: Pick<Deadline, 'dueAt' | 'remindAt' | 'criticalAt'>, now: Date): Urgency {
  const t = now.getTime()
  if (t > d.dueAt.getTime()) return t >= d.criticalAt.getTime() ? 'critical' : 'overdue'
  return t >= d.remindAt.getTime() ? 'due_soon' : 'not_due'
}
