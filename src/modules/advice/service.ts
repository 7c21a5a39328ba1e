import type { Sql } from '../../db/client.ts'
import { isUuid } from '../../db/client.ts'
import { hasRole } from '../../platform/access/actor.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { MovedDate } from '../../platform/calendar/working-date.ts'
import { londonDate } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import {
  clockWording,
  closeDeadline,
  type Deadline,
  deadlinesOfCase,
  handOverRunningClocks,
  latestDeadlineFor,
  openDeadline,
  openDeadlineFor,
  sideOwner,
} from '../../platform/deadlines/deadlines.ts'
import { Conflict, Forbidden, NotFound, parseInput } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { MG_FORMS, mgFormLabel, REFERRAL_STATES, TESTS } from '../charging/reference.ts'
import type { Referral } from '../charging/schema.ts'
import * as charging from '../charging/service.ts'
import { anyIdentified } from '../suspects/service.ts'
import type { Triage } from '../triage/schema.ts'
import { answerTriageRejections, endOfDayAfter, triagesOf } from '../triage/service.ts'
import * as queries from './queries.ts'
import type { AdviceRequest, EarlyAdvice } from './schema.ts'
import { GiveAdvice, RecordNotSought, RequestAdvice } from './schema.ts'

/**
 * Early investigative advice (EA): recommendation 5 asks that it be considered in every case and,
 * when not sought, the reason recorded. Police request it from the CPS Area serving their force;
 * the CPS triages the request (triage/service.ts) and the assigned prosecutor gives the advice
 * within the configured days (an `advice_response` clock whose subject is the request).
 *
 * The section page also shows charging referrals (charging/service.ts): the two go together for
 * the people using them, since a referral needs early advice considered first.
 */

const SECTION = 'early advice, charging referrals and CPS triage'
export const NO_AREA =
  'Your force has no serving CPS Area set, so nothing can be sent to the CPS. Ask your administrator to set it.'

/** The case for casework on advice and charging: never support services, who get NotFound as if it did not exist. */
export async function openAdviceCase(
  tx: Sql,
  ctx: Ctx,
  caseId: string,
  action: Parameters<typeof openCase>[3] = 'view_casework',
) {
  return openCase(tx, ctx, caseId, action)
}

const EARLY_ADVICE_LABELS = {
  requested: 'Considered: early advice requested from the CPS',
  not_sought: 'Considered: early advice not sought, with the reasons recorded',
  none: 'Not yet considered: request early advice or record why it is not sought',
} as const

export function earlyAdviceOf(how: 'requested' | 'not_sought' | null): EarlyAdvice {
  return { considered: how !== null, how, label: EARLY_ADVICE_LABELS[how ?? 'none'] }
}

const clockView = (k: Deadline | undefined, now: Date) =>
  k
    ? { state: k.state, dueAt: k.dueAt.toISOString(), wording: k.state === 'open' ? clockWording(k.kind, k.dueAt, now) : null }
    : null

const DAY_MS = 86_400_000
const daysBetween = (a: Date, b: Date) => Math.round((Date.parse(londonDate(b)) - Date.parse(londonDate(a))) / DAY_MS)

/** Everything in the section: reading it is a consultation, audited in the same transaction. */
export async function viewSection(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openAdviceCase(tx, ctx, caseId)
    const now = ctx.clock.now()
    const clocks = await deadlinesOfCase(tx, c.id, ['advice_response', 'triage_response', 'charging_decision'])
    const triages = await triagesOf(tx, c.id, clocks, now)
    const triageOf = (id: string): Triage[] => triages.filter((t) => t.subjectId === id).map((t) => t.triage)
    const requests: AdviceRequest[] = (await queries.requestsOf(tx, c.id)).map((r) => ({
      id: r.id,
      state: { code: r.state, label: r.stateLabel },
      cpsArea: r.cps_area,
      requestedAt: r.requested_at.toISOString(),
      requestedBy: r.requested_by,
      factualSummary: r.factual_summary,
      enquiriesDone: r.enquiries_done,
      enquiriesOngoing: r.enquiries_ongoing,
      enquiriesPlanned: r.enquiries_planned,
      issues: r.issues,
      questions: r.questions,
      advice: r.advice,
      answeredAt: r.answered_at?.toISOString() ?? null,
      answeredBy: r.answered_by,
      clock: clockView(latestDeadlineFor(clocks, 'advice_response', r.id), now),
      triage: triageOf(r.id),
    }))
    const referrals: Referral[] = (await charging.referralsOf(tx, c.id)).map((r) => {
      const k = latestDeadlineFor(clocks, 'charging_decision', r.id)
      return {
        id: r.id,
        test: { code: r.test, label: TESTS[r.test] },
        threshold:
          r.test === 'threshold'
            ? {
                grounds: r.threshold_grounds ?? '',
                furtherEvidence: r.threshold_further_evidence ?? '',
                evidenceExpected: r.threshold_evidence_expected ?? '',
                seriousness: r.threshold_seriousness ?? '',
                bailReasons: r.threshold_bail_reasons ?? '',
                publicInterest: r.threshold_public_interest,
              }
            : null,
        // In the reference list's order, whatever order they were ticked in.
        mgForms: MG_FORMS.filter((f) => r.mg_forms.includes(f.code)).map((f) => ({ code: f.code, label: mgFormLabel(f.code) })),
        state: { code: r.state, label: REFERRAL_STATES[r.state] },
        cpsArea: r.cps_area,
        submittedAt: r.submitted_at.toISOString(),
        submittedBy: r.submitted_by,
        decidedAt: r.decided_at?.toISOString() ?? null,
        clock: k
          ? {
              receivedOn: londonDate(r.submitted_at),
              daysWithCps: daysBetween(r.submitted_at, k.closedAt ?? now),
              ...(clockView(k, now) as NonNullable<ReturnType<typeof clockView>>),
            }
          : null,
        triage: triageOf(r.id),
      }
    })
    const earlyAdvice = earlyAdviceOf(await howConsidered(tx, c.id))
    const notSought = await queries.notSoughtOf(tx, c.id)
    await audit.consultation(tx, ctx, { action: 'advice.viewed', caseId: c.id, subject: SECTION, justification })
    return { case: c, earlyAdvice, requests, notSought, referrals }
  })
}

/**
 * Early advice was considered: a request with the CPS or answered, or a record that it was not
 * sought. For charging (no referral before it) and outcomes (the finalise rules), in their transaction.
 */
export async function howConsidered(tx: Sql, caseId: string): Promise<'requested' | 'not_sought' | null> {
  return queries.howConsidered(tx, caseId, await anyIdentified(tx, caseId))
}

/** The CPS Area serving a police force, if one is set; for requests here and charging referrals. */
export async function servingArea(tx: Sql, forceId: string) {
  return queries.servingArea(tx, forceId)
}

/**
 * The case goes to the Area, in the caller's transaction (a request here or a charging referral).
 * A force now served by another Area (rare: boundaries change): the CPS clocks still running move
 * to the new Area, unassigned, so they stay in somebody's queue; the deadline engine moves them.
 */
export async function referToArea(tx: Sql, caseId: string, areaId: string): Promise<void> {
  await handOverRunningClocks(tx, caseId, await queries.currentArea(tx, caseId), areaId)
  await queries.referToArea(tx, caseId, areaId)
}

/** The case for a form page that shows no casework (nothing is written, not even the log). */
export async function formCase(ctx: Ctx, caseId: string, action: Parameters<typeof openCase>[3]) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openAdviceCase(tx, ctx, caseId, action)
    return { case: c, earlyAdvice: earlyAdviceOf(await howConsidered(tx, c.id)) }
  })
}

/**
 * Police ask the CPS Area serving their force for early advice. The case goes to that Area and
 * the Area's clock starts: advice due by the end of the day `earlyAdviceDays` after the request (or
 * the next working day, listed in `moved`),
 * owned by the Area (no person, no unit) until triage assigns a prosecutor.
 */
export const ADVICE_DUE_LABEL = 'Early advice due date'

export async function requestAdvice(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string; moved: MovedDate[] }> {
  const cmd = parseInput(RequestAdvice, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openAdviceCase(tx, ctx, caseId, 'request_advice')
    if (await queries.openRequest(tx, c.id)) {
      throw new Conflict(
        'A request for early advice is already with the CPS. Wait for its triage or the advice before asking again.',
        'already_with_cps',
      )
    }
    const area = await queries.servingArea(tx, c.forceId)
    if (!area) throw new Conflict(NO_AREA, 'no_serving_cps_area')
    const at = ctx.clock.now()
    await referToArea(tx, c.id, area.id)
    const id = await queries.insertRequest(tx, { ...cmd, caseId: c.id, areaId: area.id, at, by: ctx.actor.id })
    await answerTriageRejections(tx, c.id, at)
    const moved: MovedDate[] = []
    await openDeadline(tx, {
      kind: 'advice_response',
      caseId: c.id,
      subjectId: id,
      dueAt: endOfDayAfter(at, ctx.config.earlyAdviceDays, 'adviceDue', ADVICE_DUE_LABEL, moved),
      at,
      // The reviewing prosecutor owns it if one is already assigned; otherwise the Area, until triage.
      ...(await sideOwner(tx, c.id, 'cps')),
    })
    await appendEvent(tx, c.id, { type: 'advice.requested', at, by: ctx.actor.id, data: { requestId: id } })
    await audit.alteration(tx, ctx, {
      action: 'advice.requested',
      caseId: c.id,
      subject: 'request for early advice',
      justification,
      details: { disclosedTo: area.id },
    })
    return { id, moved }
  })
}

/** Early advice considered and not sought: coded reasons and the officer's details (recommendation 5). */
export async function recordNotSought(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string }> {
  const cmd = parseInput(RecordNotSought, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openAdviceCase(tx, ctx, caseId, 'request_advice')
    if (await queries.openRequest(tx, c.id)) {
      throw new Conflict('A request for early advice is with the CPS, so early advice is being sought.', 'already_with_cps')
    }
    const at = ctx.clock.now()
    const id = await queries.insertNotSought(tx, { ...cmd, caseId: c.id, at, by: ctx.actor.id })
    await appendEvent(tx, c.id, {
      type: 'advice.not_sought',
      at,
      by: ctx.actor.id,
      data: { notSoughtId: id, reasons: cmd.reasons },
    })
    await audit.alteration(tx, ctx, {
      action: 'advice.not_sought',
      caseId: c.id,
      subject: 'reasons early advice was not sought',
      justification,
    })
    return { id }
  })
}

/** The request a prosecutor may answer; the assigned prosecutor or a CPS manager only. */
async function requestToAnswer(tx: Sql, ctx: Ctx, caseId: string, requestId: string) {
  const opened = await openAdviceCase(tx, ctx, caseId, 'give_advice')
  const request = isUuid(requestId) ? await queries.requestForUpdate(tx, opened.case.id, requestId) : undefined
  if (!request) throw new NotFound()
  if (request.state === 'answered') throw new Conflict('Advice has already been given on this request.', 'already_closed')
  if (request.state !== 'accepted') throw new Conflict('Advice can be given only on a request accepted at triage.')
  const assigned = opened.case.reviewingProsecutor?.id
  if (assigned !== ctx.actor.id && !hasRole(ctx.actor, 'cps_manager')) {
    throw new Forbidden(
      'Only the prosecutor assigned at triage, or a CPS manager, can give this advice',
      'assigned_prosecutor_only',
    )
  }
  return { ...opened, request }
}

export async function adviceCase(ctx: Ctx, caseId: string, requestId: string) {
  return ctx.db.transaction(async (tx) => (await requestToAnswer(tx, ctx, caseId, requestId)).case)
}

/** The prosecutor gives the advice: the CPS clock stops, met by its due time or missed after it. */
export async function giveAdvice(ctx: Ctx, caseId: string, requestId: string, input: unknown): Promise<void> {
  const cmd = parseInput(GiveAdvice, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification, request } = await requestToAnswer(tx, ctx, caseId, requestId)
    const at = ctx.clock.now()
    await queries.answerRequest(tx, request.id, cmd.advice, at, ctx.actor.id)
    const clock = await openDeadlineFor(tx, 'advice_response', request.id, { lock: true })
    const late = Boolean(clock && at.getTime() > clock.dueAt.getTime())
    if (clock) await closeDeadline(tx, clock.id, late ? 'missed' : 'met', late ? 'Advice given after it was due' : null, at)
    await appendEvent(tx, c.id, { type: 'advice.given', at, by: ctx.actor.id, data: { requestId: request.id, late } })
    await audit.alteration(tx, ctx, {
      action: 'advice.given',
      caseId: c.id,
      subject: 'early advice to the police',
      justification,
      details: { late },
    })
  })
}
