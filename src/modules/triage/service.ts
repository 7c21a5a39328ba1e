import { isUuid, type Sql } from '../../db/client.ts'
import { audit } from '../../platform/audit/audit.ts'
import { type MovedDate, movedWording, onWorkingDay, workingDate } from '../../platform/calendar/working-date.ts'
import { endOfLondonDay, londonDate, today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import {
  closeDeadline,
  type Deadline,
  deadlinesOfCase,
  openDeadline,
  openDeadlineFor,
  reassignDeadline,
  sideOwner,
} from '../../platform/deadlines/deadlines.ts'
import { Conflict, type FieldError, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import * as queries from './queries.ts'
import { SUBJECTS, type TriageKind } from './queries.ts'
import { TriageInput, triageDateLabel } from './schema.ts'

/**
 * CPS triage (operating model, 2023): every request for early advice and every charging referral
 * is accepted and assigned to a prosecutor in a unit of the Area, or sent back to the police with
 * coded reasons and a date to respond by.
 *
 * Clocks: the CPS clock of the subject (advice_response or charging_decision) runs from the
 * request. Acceptance hands it to the prosecutor and unit; rejection cancels it and starts the
 * police's triage_response clock (its subject is the triage decision), which the police's next
 * request or referral meets (answerTriageRejections).
 *
 * The date to respond by is a date the police must act by: one given on a weekend or bank holiday
 * is stored moved to the next working day, and the answer lists what moved (`moved`).
 */

const ALREADY = {
  advice: 'This request for early advice has already been triaged. Reload the page to see the decision.',
  charging: 'This charging referral has already been triaged. Reload the page to see the decision.',
} as const

/** The case and the subject for a triage page; NotFound when the subject is not this case's. */
export async function triageCase(ctx: Ctx, kind: TriageKind, caseId: string, subjectId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openCase(tx, ctx, caseId, 'triage')
    const subject = isUuid(subjectId) ? await queries.subjectForUpdate(tx, kind, c.id, subjectId) : undefined
    if (!subject) throw new NotFound()
    if (subject.state !== 'awaiting_triage') throw new Conflict(ALREADY[kind], 'already_triaged')
    return { case: c, options: await queries.triageOptions(tx, subject.cps_area_id) }
  })
}

/** The units and prosecutors triage may assign, for the Area the case is referred to. */
export async function triageOptions(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openCase(tx, ctx, caseId, 'triage')
    return queries.triageOptions(tx, c.cpsAreaId as string)
  })
}

export async function triage(
  ctx: Ctx,
  kind: TriageKind,
  caseId: string,
  subjectId: string,
  input: unknown,
): Promise<{ id: string; moved: MovedDate[] }> {
  const cmd = parseInput(TriageInput, input)
  const s = SUBJECTS[kind]
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'triage')
    const subject = isUuid(subjectId) ? await queries.subjectForUpdate(tx, kind, c.id, subjectId) : undefined
    if (!subject) throw new NotFound()
    if (subject.state !== 'awaiting_triage') throw new Conflict(ALREADY[kind], 'already_triaged')
    const at = ctx.clock.now()
    const area = subject.cps_area_id
    const running = await openDeadlineFor(tx, s.clock, subject.id, { lock: true })
    let id: string
    let data: Record<string, unknown>
    const moved: MovedDate[] = []
    if (cmd.decision === 'accept') {
      const { units } = await queries.triageOptions(tx, area)
      const unit = units.find((u) => u.id === cmd.unitId)
      if (!unit) throw new ValidationFailed([{ field: 'unitId', message: 'Select a unit of your CPS Area' }])
      if (!unit.prosecutors.some((p) => p.id === cmd.prosecutorId)) {
        throw new ValidationFailed([{ field: 'prosecutorId', message: `Select a prosecutor who works in the ${unit.name}` }])
      }
      const prosecutorId = cmd.prosecutorId as string
      id = await queries.insertTriage(tx, {
        kind,
        subjectId: subject.id,
        caseId: c.id,
        decision: 'accepted',
        prosecutorId,
        unitId: unit.id,
        reasons: [],
        respondBy: null,
        at,
        by: ctx.actor.id,
      })
      await queries.setSubjectState(tx, kind, subject.id, 'accepted')
      await queries.assignCase(tx, c.id, prosecutorId, unit.id)
      if (running) await reassignDeadline(tx, running.id, { ownerId: prosecutorId, teamId: unit.id, organisationId: area })
      data = { decision: 'accepted', [s.idKey]: subject.id, triageId: id, prosecutorId, unitId: unit.id }
    } else {
      if ((cmd.respondBy as string) <= todayIn(ctx.clock)) {
        throw new ValidationFailed([
          { field: 'respondBy', message: 'The date the police should respond by must be in the future' },
        ])
      }
      const errors: FieldError[] = []
      const respondBy = workingDate('respondBy', cmd.respondBy as string, triageDateLabel, moved, errors)
      if (errors.length) throw new ValidationFailed(errors)
      id = await queries.insertTriage(tx, {
        kind,
        subjectId: subject.id,
        caseId: c.id,
        decision: 'rejected',
        prosecutorId: null,
        unitId: null,
        reasons: cmd.reasons,
        respondBy,
        at,
        by: ctx.actor.id,
      })
      await queries.setSubjectState(tx, kind, subject.id, 'rejected')
      if (running) await closeDeadline(tx, running.id, 'cancelled', 'Sent back to the police at triage', at)
      await openDeadline(tx, {
        kind: 'triage_response',
        caseId: c.id,
        subjectId: id,
        dueAt: endOfLondonDay(respondBy),
        at,
        ...(await sideOwner(tx, c.id, 'police')),
      })
      // Codes and the date only: each reason's detail is free text and stays in the triage row.
      data = { decision: 'rejected', [s.idKey]: subject.id, triageId: id, reasons: cmd.reasons.map((r) => r.code), respondBy }
    }
    await appendEvent(tx, c.id, { type: s.event, at, by: ctx.actor.id, data })
    await audit.alteration(tx, ctx, {
      action: s.event,
      caseId: c.id,
      subject: `CPS triage of a ${s.words}`,
      justification,
      details: { decision: data.decision },
    })
    return { id, moved }
  })
}

/**
 * The police answer a rejection at triage by sending a new request or referral: every response
 * clock still running on the case stops, met when on time and missed when after its date.
 */
export async function answerTriageRejections(tx: Sql, caseId: string, at: Date): Promise<void> {
  for (const clock of await deadlinesOfCase(tx, caseId, ['triage_response'], { states: ['open'], lock: true })) {
    const late = at.getTime() > clock.dueAt.getTime()
    await closeDeadline(tx, clock.id, late ? 'missed' : 'met', late ? 'Answered after the date set at triage' : null, at)
  }
}

/**
 * The case's triage decisions for the advice and charging section (advice/service.ts), read in
 * the caller's transaction; `clocks` are the case's clocks, oldest first (deadlinesOfCase).
 */
export async function triagesOf(tx: Sql, caseId: string, clocks: Deadline[], now: Date) {
  return queries.triagesOf(tx, caseId, clocks, now)
}

/**
 * The end of the day, in England and Wales, `days` calendar days after the day of `at`, or of the
 * next working day when that falls on a weekend or bank holiday: the CPS is not asked to advise or
 * decide on a Sunday. A move is added to `moved`, worded with `label`, so the answer can say so.
 */
export function endOfDayAfter(at: Date, days: number, field: string, label: string, moved: MovedDate[]): Date {
  const start = new Date(`${londonDate(at)}T12:00:00Z`)
  const d = onWorkingDay(new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10))
  if (d.moved) moved.push({ field, from: d.moved.from, to: d.moved.to, message: movedWording(label, d.moved) })
  return endOfLondonDay(d.date)
}
