import type { Sql } from '../../db/client.ts'
import { hasRole } from '../../platform/access/actor.ts'
import { audit } from '../../platform/audit/audit.ts'
import {
  type MovedDate,
  movedFromQuery as movedFromDates,
  workingDate as toWorkingDate,
} from '../../platform/calendar/working-date.ts'
import { addWorkingDays } from '../../platform/calendar/working-days.ts'
import { endOfLondonDay, londonDate, today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import {
  closeDeadline,
  deadlinesOfCase,
  openDeadline,
  pauseDeadlines,
  resumeDeadlines,
  runningDeadlineFor,
  sideOwner,
} from '../../platform/deadlines/deadlines.ts'
import { Conflict, type FieldError, Forbidden, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { type CaseRecord, openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { endOfDayAfter } from '../triage/service.ts'
import * as queries from './queries.ts'
import { ADMIN_FINALISED_MEANING, MORE_TIME_DECISION_WORKING_DAYS, PLAN_STATES } from './reference.ts'
import { adminFinaliseWaitEnds } from './rules.ts'
import {
  type ActionPlansView,
  ApprovePlan,
  DecideMoreTime,
  IssuePlan,
  RecordReview,
  RespondToAction,
  ReviewText,
} from './schema.ts'

/**
 * Action plans (DOMAIN.md, "Life of a case" steps 4 and 5): the prosecutor returns numbered
 * actions for the police, each with an owner and a target date, and a review date; a further
 * plan after a Full Code Test submission needs a District Crown Prosecutor's approval first;
 * police answer each action; and when they do not answer in time the CPS may admin finalise,
 * which pauses the plan until they do.
 *
 * Clocks (one deadline row each, opened and closed in the same transaction as the change):
 *   action_target         per action, police side, owned by the action's owner;
 *   action_plan_review    per plan, CPS side, at the review date; a recorded review closes it and
 *                         opens the next at the next review date;
 *   admin_finalise_wait   per plan, CPS side, `adminFinaliseMonths` after the latest target date in
 *                         force among the unanswered actions (moved when that date moves);
 *   more_time_decision    per request for more time, CPS side, 2 working days;
 *   charging_decision     closed when a plan is issued, opened again when every action is answered
 *                         (due `chargingDecisionDays` later, or the next working day, listed in `moved`).
 *
 * Dates people must act by (targets, review dates, proposed new targets) fall on working days: one
 * given on a weekend or bank holiday is moved to the next working day, stored as moved, and the
 * answer lists what moved (`moved`) so the page and the API can say so.
 *
 * Free text (what an action asks, responses, reasons, reviews) stays in this module's tables:
 * events and audit entries carry ids, numbers and codes only.
 */

const PLAN_CLOCKS = ['action_target', 'action_plan_review', 'more_time_decision'] as const
const SUBJECT = 'action plans'

const today = (ctx: Ctx) => todayIn(ctx.clock)

/** Police and CPS casework only: ISVAs support the victim and never see the investigation's plans. */
async function openPlanCase(tx: Sql, ctx: Ctx, caseId: string, action: Parameters<typeof openCase>[3] = 'view_casework') {
  const opened = await openCase(tx, ctx, caseId, action)
  if (!opened.case.cpsAreaId) {
    if (action === 'view_casework') return opened
    throw new Conflict('The case has not been referred to the CPS, so there can be no action plan', 'not_referred_to_cps')
  }
  return opened
}

/** The CPS owner of the plan's clocks: the reviewing prosecutor, or whoever issued it when none is named. */
const cpsOwner = (tx: Sql, c: CaseRecord, fallback: string) => sideOwner(tx, c.id, 'cps', c.reviewingProsecutor?.id ?? fallback)

/** Field names as people read them, for the words about a moved date. */
const DATE_LABELS: Record<string, string> = {
  reviewDate: 'Review date',
  nextReviewDate: 'Next review date',
  proposedDate: 'Proposed new target date',
  decisionDue: 'Charging decision due date',
}
const dateLabel = (field: string) => {
  const row = /^actions\.(\d+)\.targetDate$/.exec(field)
  return row ? `Action ${Number(row[1]) + 1} target date` : (DATE_LABELS[field] ?? 'Date')
}

const workingDate = (field: string, date: string, moved: MovedDate[], errors: FieldError[]) =>
  toWorkingDate(field, date, dateLabel, moved, errors)

/** The words for dates moved, from the field and the date given alone (a page after a redirect). */
export const movedFromQuery = (query: string | undefined) => movedFromDates(query, dateLabel)

/**
 * Who reviews a plan: the reviewing prosecutor (whoever issued the plan when the case names
 * none), or a District Crown Prosecutor (CPS manager) of the Area. Null when this user may.
 */
export function reviewRefusal(ctx: Ctx, c: CaseRecord, issuedBy: string): string | null {
  if (hasRole(ctx.actor, 'cps_manager')) return null
  const reviewer = c.reviewingProsecutor?.id ?? issuedBy
  if (reviewer === ctx.actor.id) return null
  return 'Only the reviewing prosecutor of the case, or a District Crown Prosecutor of the Area, can record a review of an action plan'
}

export async function viewActionPlans(ctx: Ctx, caseId: string, opts = { audited: true }) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId)
    const clocks = await deadlinesOfCase(tx, c.id, ['action_target', 'admin_finalise_wait'], { states: ['open', 'paused'] })
    const plans = (await queries.plansOf(tx, c.id, clocks, ctx.clock.now())).map((p) => ({
      ...p,
      adminFinaliseWhy: p.adminFinaliseFrom ? adminFinaliseWhy(ctx, p.actions) : null,
    }))
    const open = await queries.openPlan(tx, c.id)
    const mayReview = open?.state === 'issued' && reviewRefusal(ctx, c, open.issuedBy) === null
    const approvals = await queries.approvalsOf(tx, c.id)
    const view: ActionPlansView = {
      plans,
      approvals,
      nextPlanNeedsApproval: await queries.needsApproval(tx, c.id),
      approvalWaiting: approvals.some((a) => a.planNumber === null),
      adminFinalised: plans.some((p) => p.state.code === 'admin_finalised'),
      adminFinalisedMeaning: [...ADMIN_FINALISED_MEANING],
    }
    if (opts.audited) {
      await audit.consultation(tx, ctx, { action: 'action_plans.viewed', caseId: c.id, subject: SUBJECT, justification })
    }
    return { case: c, ...view, mayReview }
  })
}

const longDate = (d: string | Date) =>
  (typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  })

function adminFinaliseWhy(ctx: Ctx, actions: { targetDate: string; state: { code: string } }[]): string | null {
  const latest = actions
    .filter((a) => a.state.code === 'outstanding')
    .map((a) => a.targetDate)
    .sort()
    .at(-1)
  if (!latest) return null
  return `${ctx.config.adminFinaliseMonths} months after ${longDate(latest)}, the latest target date of the actions not yet answered (agreed extra time included)`
}

/** For a form page: the case (access decided as for the plans) and the police who may own actions. */
/** The form too is refused while a plan cannot be issued, so the rule is named before anyone types a plan. */
export async function planFormOptions(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openPlanCase(tx, ctx, caseId, 'issue_action_plan')
    await refuseWhileBlocked(tx, c.id)
    return { case: c, owners: await queries.policeOfForce(tx, c.forceId) }
  })
}

/** One plan at a time, and a further plan after a Full Code Test submission only with a DCP's approval. */
async function refuseWhileBlocked(tx: Sql, caseId: string) {
  const open = await queries.openPlan(tx, caseId)
  if (open) {
    throw new Conflict(
      `Action plan ${open.number} is still with the police: a new plan can be issued once they have responded to every action`,
      'action_plan_open',
    )
  }
  if ((await queries.needsApproval(tx, caseId)) && !(await queries.unusedApproval(tx, caseId))) {
    throw new Conflict(
      'A further action plan after a Full Code Test submission needs a District Crown Prosecutor’s approval first: ask your DCP to record it on this case',
      'dcp_approval_needed',
    )
  }
}

/** Prefixes each action's field errors with its number, so the summary says which row is wrong. */
function parsePlan(input: unknown): IssuePlan {
  try {
    return parseInput(IssuePlan, input)
  } catch (err) {
    if (!(err instanceof ValidationFailed)) throw err
    throw new ValidationFailed(
      err.fieldErrors.map((e) => {
        const m = /^actions\.(\d+)\./.exec(e.field)
        return m ? { ...e, message: `Action ${Number(m[1]) + 1}: ${e.message[0].toLowerCase()}${e.message.slice(1)}` } : e
      }),
    )
  }
}

export async function issuePlan(ctx: Ctx, caseId: string, input: unknown) {
  const cmd = parsePlan(input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId, 'issue_action_plan')
    await queries.lockCaseRow(tx, c.id)
    const now = today(ctx)
    const owners = await queries.policeOfForce(tx, c.forceId)
    const errors: FieldError[] = []
    const moved: MovedDate[] = []
    cmd.actions.forEach((a, i) => {
      if (!owners.some((o) => o.id === a.ownerId)) {
        errors.push({ field: `actions.${i}.ownerId`, message: `Action ${i + 1}: select an officer of ${c.force.name}` })
      }
      if (a.targetDate < now) {
        errors.push({
          field: `actions.${i}.targetDate`,
          message: `Action ${i + 1} has a target date in the past: a target date must be today or later`,
        })
      }
    })
    if (cmd.reviewDate < now) {
      errors.push({ field: 'reviewDate', message: 'The review date is in the past: a review date must be today or later' })
    }
    const actions = cmd.actions.map((a, i) => ({
      ...a,
      targetDate: workingDate(`actions.${i}.targetDate`, a.targetDate, moved, errors),
    }))
    const reviewDate = workingDate('reviewDate', cmd.reviewDate, moved, errors)
    if (errors.length > 0) throw new ValidationFailed(errors)

    await refuseWhileBlocked(tx, c.id)
    const approval = await queries.unusedApproval(tx, c.id)

    const at = ctx.clock.now()
    const number = await queries.nextPlanNumber(tx, c.id)
    const referral = await queries.openReferral(tx, c.id)
    const planId = await queries.insertPlan(tx, {
      caseId: c.id,
      number,
      referralId: referral?.id ?? null,
      reviewDate,
      at,
      by: ctx.actor.id,
    })
    if (approval) await queries.useApproval(tx, approval.id, planId)
    for (const [i, a] of actions.entries()) {
      const actionId = await queries.insertAction(tx, planId, i + 1, a)
      await openDeadline(tx, {
        kind: 'action_target',
        caseId: c.id,
        subjectId: actionId,
        dueAt: endOfLondonDay(a.targetDate),
        at,
        ...(await sideOwner(tx, c.id, 'police', a.ownerId)),
      })
    }
    const cps = await cpsOwner(tx, c, ctx.actor.id)
    await openDeadline(tx, {
      kind: 'action_plan_review',
      caseId: c.id,
      subjectId: planId,
      dueAt: endOfLondonDay(reviewDate),
      at,
      ...cps,
    })
    await setAdminWait(tx, ctx, c, planId, at)
    // The file goes back to the police: the CPS's charging decision clock stops.
    for (const clock of await deadlinesOfCase(tx, c.id, ['charging_decision'], { states: ['open', 'paused'], lock: true })) {
      await closeDeadline(tx, clock.id, 'met', 'action plan issued', at)
    }
    if (referral) await queries.setReferralState(tx, referral.id, 'action_plan')
    await appendEvent(tx, c.id, {
      type: 'action_plan.issued',
      at,
      by: ctx.actor.id,
      data: { planId, number, actions: cmd.actions.length, approvalId: approval?.id ?? null },
    })
    await audit.alteration(tx, ctx, {
      action: 'action_plan.issued',
      caseId: c.id,
      subject: 'action plan',
      justification,
      details: { number, actions: cmd.actions.length },
    })
    return { id: planId, number, moved }
  })
}

export async function approveFurtherPlan(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string }> {
  const cmd = parseInput(ApprovePlan, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId, 'approve_action_plan')
    await queries.lockCaseRow(tx, c.id)
    if (!(await queries.needsApproval(tx, c.id))) {
      throw new Conflict(
        'No approval is needed: only a second or later action plan after a Full Code Test submission needs a District Crown Prosecutor’s approval',
        'dcp_approval_not_needed',
      )
    }
    if (await queries.unusedApproval(tx, c.id)) {
      throw new Conflict(
        'A further action plan is already approved and waiting to be issued on this case',
        'dcp_approval_not_needed',
      )
    }
    const at = ctx.clock.now()
    const id = await queries.insertApproval(tx, { caseId: c.id, theme: cmd.theme, reason: cmd.reason, at, by: ctx.actor.id })
    await appendEvent(tx, c.id, {
      type: 'action_plan.approved',
      at,
      by: ctx.actor.id,
      data: { approvalId: id, theme: cmd.theme },
    })
    await audit.alteration(tx, ctx, {
      action: 'action_plan.approved',
      caseId: c.id,
      subject: 'approval of a further action plan',
      justification,
      details: { theme: cmd.theme },
    })
    return { id }
  })
}

/** Closes a clock as met, or missed when `at` is past its due time. */
async function closeOnTime(tx: Sql, clock: { id: string; dueAt: Date } | undefined, at: Date, reason: string) {
  if (!clock) return
  const late = at.getTime() > clock.dueAt.getTime()
  await closeDeadline(tx, clock.id, late ? 'missed' : 'met', late ? `${reason} after the due date` : reason, at)
}

/**
 * Police answer one action: done, cannot be done, or more time needed (a proposed new date for
 * the prosecutor to agree). A response to an admin-finalised plan reopens it first, in the same
 * transaction. When every action is done or cannot be done, the plan is responded to and the
 * file is back with the CPS for a charging decision.
 */
export async function respondToAction(ctx: Ctx, caseId: string, planId: string, actionId: string, input: unknown) {
  const cmd = parseInput(RespondToAction, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId, 'respond_to_plan')
    await queries.lockCaseRow(tx, c.id)
    const plan = await queries.planOfCase(tx, c.id, planId)
    const action = plan && (await queries.actionOfPlan(tx, plan.id, actionId))
    if (!plan || !action) throw new NotFound()
    if (plan.state === 'responded' || plan.state === 'closed') {
      throw new Conflict(
        plan.state === 'closed'
          ? `Action plan ${plan.number} was closed at a review: no further response is needed`
          : `Action plan ${plan.number} is closed: the police have already responded to every action`,
        'already_closed',
      )
    }
    if (action.state !== 'outstanding') {
      throw new Conflict(`Action ${action.number} has already been answered`, 'already_closed')
    }
    const now = today(ctx)
    const pending = await queries.pendingMoreTime(tx, action.id)
    const moved: MovedDate[] = []
    let proposedDate = ''
    if (cmd.outcome === 'more_time') {
      if (pending)
        throw new Conflict(
          `A request for more time on action ${action.number} is already waiting for the prosecutor`,
          'already_closed',
        )
      const errors: FieldError[] = []
      proposedDate = workingDate('proposedDate', cmd.proposedDate, moved, errors)
      if (errors.length > 0) throw new ValidationFailed(errors)
      if (proposedDate <= action.targetDate || cmd.proposedDate < now) {
        throw new ValidationFailed([
          { field: 'proposedDate', message: 'The new target date must be after the current target date and not in the past' },
        ])
      }
    }

    const at = ctx.clock.now()
    if (plan.state === 'admin_finalised') await reopen(tx, ctx, c, plan, at)

    const data: Record<string, unknown> = { planId: plan.id, actionId: action.id, number: action.number, outcome: cmd.outcome }
    if (cmd.outcome === 'more_time') {
      const requestId = await queries.insertMoreTime(tx, {
        actionId: action.id,
        proposedDate,
        reason: cmd.details,
        at,
        by: ctx.actor.id,
      })
      await openDeadline(tx, {
        kind: 'more_time_decision',
        caseId: c.id,
        subjectId: requestId,
        dueAt: endOfLondonDay(addWorkingDays(now, MORE_TIME_DECISION_WORKING_DAYS)),
        at,
        ...(await cpsOwner(tx, c, ctx.actor.id)),
      })
      data.proposedDate = proposedDate
    } else {
      await queries.answerAction(tx, action.id, { state: cmd.outcome, response: cmd.details, at, by: ctx.actor.id })
      await closeOnTime(tx, await runningDeadlineFor(tx, 'action_target', action.id, { lock: true }), at, 'police responded')
      if (pending) {
        // The action is answered, so the request for more time falls away.
        await queries.decideMoreTime(tx, pending.id, { decision: 'withdrawn', note: null, at, by: ctx.actor.id })
        const clock = await runningDeadlineFor(tx, 'more_time_decision', pending.id, { lock: true })
        if (clock) await closeDeadline(tx, clock.id, 'cancelled', 'the action was answered', at)
      }
    }
    await appendEvent(tx, c.id, { type: 'action_plan.action_responded', at, by: ctx.actor.id, data })
    await audit.alteration(tx, ctx, {
      action: 'action_plan.action_responded',
      caseId: c.id,
      subject: 'response to an action plan',
      justification,
      details: { plan: plan.number, action: action.number, outcome: cmd.outcome },
    })

    if (cmd.outcome !== 'more_time') {
      if ((await queries.outstandingActions(tx, plan.id)) === 0) await planResponded(tx, ctx, c, plan, at, moved)
      // The latest target of the actions still unanswered may be earlier now.
      else await setAdminWait(tx, ctx, c, plan.id, at)
    }
    const state = (await queries.planOfCase(tx, c.id, plan.id))?.state ?? plan.state
    return { planState: state as 'issued' | 'responded' | 'admin_finalised', moved }
  })
}

/** Every action answered: the review and the wait stop, and the CPS's charging decision clock starts. */
async function planResponded(tx: Sql, ctx: Ctx, c: CaseRecord, plan: queries.StoredPlan, at: Date, moved: MovedDate[]) {
  await queries.markResponded(tx, plan.id, at)
  const review = await runningDeadlineFor(tx, 'action_plan_review', plan.id, { lock: true })
  if (review) await closeDeadline(tx, review.id, 'cancelled', 'police responded to every action', at)
  await closeOnTime(
    tx,
    await runningDeadlineFor(tx, 'admin_finalise_wait', plan.id, { lock: true }),
    at,
    'police responded to every action',
  )
  await fileBackToCps(tx, ctx, c, plan, at, moved)
  await appendEvent(tx, c.id, {
    type: 'action_plan.responded',
    at,
    by: ctx.actor.id,
    data: { planId: plan.id, number: plan.number },
  })
}

/** The plan is over (answered or closed at a review): the referral is with the CPS again and its decision clock starts. */
async function fileBackToCps(tx: Sql, ctx: Ctx, c: CaseRecord, plan: queries.StoredPlan, at: Date, moved: MovedDate[]) {
  const referral = plan.chargingReferralId ? await queries.openReferral(tx, c.id) : undefined
  if (referral) await queries.setReferralState(tx, referral.id, 'accepted')
  const subjectId = referral?.id ?? plan.id
  if (!(await runningDeadlineFor(tx, 'charging_decision', subjectId, { lock: true }))) {
    await openDeadline(tx, {
      kind: 'charging_decision',
      caseId: c.id,
      subjectId,
      dueAt: endOfDayAfter(at, ctx.config.chargingDecisionDays, 'decisionDue', dateLabel('decisionDue'), moved),
      at,
      ...(await cpsOwner(tx, c, plan.issuedBy)),
    })
  }
}

/**
 * Sets the admin-finalise wait to end `adminFinaliseMonths` after the latest target date in force
 * among the plan's unanswered actions (or after reopening, if later): the one definition of when
 * the police are late enough. A running wait with another end is replaced.
 */
async function setAdminWait(tx: Sql, ctx: Ctx, c: CaseRecord, planId: string, at: Date) {
  const plan = await queries.planOfCase(tx, c.id, planId)
  const latest = await queries.latestOpenTarget(tx, planId)
  if (!plan || !latest) return
  const reopenedOn = plan.reopenedAt ? londonDate(plan.reopenedAt) : null
  const dueAt = endOfLondonDay(adminFinaliseWaitEnds(latest, ctx.config.adminFinaliseMonths, reopenedOn))
  const running = await runningDeadlineFor(tx, 'admin_finalise_wait', planId, { lock: true })
  if (running?.dueAt.getTime() === dueAt.getTime()) return
  if (running) await closeDeadline(tx, running.id, 'cancelled', 'the latest target date changed', at)
  await openDeadline(tx, {
    kind: 'admin_finalise_wait',
    caseId: c.id,
    subjectId: planId,
    dueAt,
    at,
    ...(await cpsOwner(tx, c, plan.issuedBy)),
  })
}

/** The police responded to an admin-finalised plan: it is with them again, its clocks running on. */
async function reopen(tx: Sql, ctx: Ctx, c: CaseRecord, plan: queries.StoredPlan, at: Date) {
  await queries.markReopened(tx, plan.id, at)
  await resumeDeadlines(tx, c.id, at)
  // The wait ended at admin finalisation; a fresh one starts from the reopening at the earliest,
  // so the plan cannot be closed again at once.
  await setAdminWait(tx, ctx, c, plan.id, at)
  await appendEvent(tx, c.id, {
    type: 'case.admin_reopened',
    at,
    by: ctx.actor.id,
    data: { planId: plan.id, number: plan.number },
  })
}

/** The prosecutor agrees a proposed new target date (the action's clock moves) or refuses it. */
export async function decideMoreTime(ctx: Ctx, caseId: string, planId: string, actionId: string, input: unknown) {
  const cmd = parseInput(DecideMoreTime, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId, 'issue_action_plan')
    await queries.lockCaseRow(tx, c.id)
    const plan = await queries.planOfCase(tx, c.id, planId)
    const action = plan && (await queries.actionOfPlan(tx, plan.id, actionId))
    if (!plan || !action) throw new NotFound()
    const pending = await queries.pendingMoreTime(tx, action.id)
    if (!pending) throw new Conflict(`There is no request for more time waiting on action ${action.number}`)
    if (cmd.decision === 'refused' && !cmd.note) {
      throw new ValidationFailed([{ field: 'note', message: 'Say why more time is refused' }])
    }
    const at = ctx.clock.now()
    await queries.decideMoreTime(tx, pending.id, { decision: cmd.decision, note: cmd.note || null, at, by: ctx.actor.id })
    await closeOnTime(tx, await runningDeadlineFor(tx, 'more_time_decision', pending.id, { lock: true }), at, 'decided')
    if (cmd.decision === 'agreed') {
      const target = await runningDeadlineFor(tx, 'action_target', action.id, { lock: true })
      if (target) {
        const late = at.getTime() > target.dueAt.getTime()
        await closeDeadline(tx, target.id, late ? 'missed' : 'cancelled', 'more time agreed', at)
      }
      await queries.setTarget(tx, action.id, pending.proposedDate)
      await openDeadline(tx, {
        kind: 'action_target',
        caseId: c.id,
        subjectId: action.id,
        dueAt: endOfLondonDay(pending.proposedDate),
        at,
        ...(await sideOwner(tx, c.id, 'police', action.ownerId)),
      })
      // Agreed extra time moves the latest target, and with it when the police are late.
      await setAdminWait(tx, ctx, c, plan.id, at)
      await appendEvent(tx, c.id, {
        type: 'action_plan.more_time_agreed',
        at,
        by: ctx.actor.id,
        data: { planId: plan.id, actionId: action.id, number: action.number, targetDate: pending.proposedDate },
      })
    }
    await audit.alteration(tx, ctx, {
      action: 'action_plan.more_time_decided',
      caseId: c.id,
      subject: 'request for more time on an action',
      justification,
      details: { plan: plan.number, action: action.number, decision: cmd.decision },
    })
  })
}

/** Whether the CPS may admin finalise now, and why not when it may not. */
async function adminFinaliseBlock(tx: Sql, ctx: Ctx, c: CaseRecord) {
  const plan = await queries.openPlan(tx, c.id)
  if (plan?.state !== 'issued') {
    return { plan, reason: 'There is no action plan waiting for the police, so the case cannot be admin finalised' }
  }
  const wait = await runningDeadlineFor(tx, 'admin_finalise_wait', plan.id, { lock: true })
  if (wait && ctx.clock.now().getTime() <= wait.dueAt.getTime()) {
    const latest = await queries.latestOpenTarget(tx, plan.id)
    const from = new Date(wait.dueAt.getTime() + 1)
    return {
      plan,
      wait,
      reason:
        `The police are not late yet: a case can be admin finalised only once ${ctx.config.adminFinaliseMonths} months have passed ` +
        `since the latest target date of the actions not yet answered (${latest ? longDate(latest) : 'none'}, agreed extra time included). ` +
        `It becomes possible on ${longDate(from)} if the police have not responded by then`,
    }
  }
  if ((await queries.pendingMoreTimeOfPlan(tx, plan.id)) > 0) {
    return { plan, wait, reason: 'The police have asked for more time on an action: decide the request before admin finalising' }
  }
  return { plan, wait, reason: null }
}

/** The review form: only for those who may review, and only while the plan is with the police. */
export async function reviewForm(ctx: Ctx, caseId: string, planId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openPlanCase(tx, ctx, caseId, 'issue_action_plan')
    const stored = await queries.planOfCase(tx, c.id, planId)
    const plan = stored && (await queries.plansOf(tx, c.id, [], ctx.clock.now())).find((p) => p.id === stored.id)
    if (!stored || !plan) throw new NotFound()
    const refusal = reviewRefusal(ctx, c, stored.issuedBy)
    if (refusal) throw new Forbidden(refusal, 'reviewing_prosecutor_only')
    if (stored.state !== 'issued') {
      throw new Conflict(
        `Action plan ${plan.number} is not waiting for the police, so there is nothing to review`,
        'already_closed',
      )
    }
    return { case: c, plan }
  })
}

export async function adminFinaliseCheck(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openPlanCase(tx, ctx, caseId, 'admin_finalise')
    const { plan, reason } = await adminFinaliseBlock(tx, ctx, c)
    return { case: c, planNumber: plan?.number ?? null, blocked: reason, meaning: [...ADMIN_FINALISED_MEANING] }
  })
}

/**
 * The police have not responded within the wait: the CPS closes the case administratively. The
 * plan's clocks pause (they resume when the police respond) and the wait itself ends as missed.
 */
export async function adminFinalise(ctx: Ctx, caseId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId, 'admin_finalise')
    await queries.lockCaseRow(tx, c.id)
    const { plan, wait, reason } = await adminFinaliseBlock(tx, ctx, c)
    if (reason || !plan)
      throw new Conflict(reason ?? 'There is no action plan to admin finalise', wait ? 'police_not_late' : 'conflict')
    const at = ctx.clock.now()
    if (wait) await closeDeadline(tx, wait.id, 'missed', 'no police response; admin finalised', at)
    await pauseDeadlines(tx, c.id, PLAN_CLOCKS, at)
    await queries.markAdminFinalised(tx, plan.id, at, ctx.actor.id)
    await appendEvent(tx, c.id, {
      type: 'case.admin_finalised',
      at,
      by: ctx.actor.id,
      data: { planId: plan.id, number: plan.number },
    })
    await audit.alteration(tx, ctx, {
      action: 'case.admin_finalised',
      caseId: c.id,
      subject: 'admin finalisation of the case',
      justification,
      details: { plan: plan.number },
    })
  })
}

/**
 * The reviewing prosecutor (or a DCP of the Area) reviews a plan still with the police: progress
 * and what is still needed, then the next review date or closing the plan. The review discharges
 * the review clock (met, or missed if recorded after its date) and opens the next one; closing
 * ends the plan's clocks and sends the file back to the CPS for a decision on it as it stands.
 */
function parseReview(input: unknown): RecordReview {
  try {
    return parseInput(RecordReview, input)
  } catch (err) {
    if (!(err instanceof ValidationFailed) || !err.fieldErrors.some((e) => e.field === 'outcome')) throw err
    const text = ReviewText.safeParse(input)
    if (text.success) throw err
    const more = text.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message }))
    throw new ValidationFailed([...more, ...err.fieldErrors])
  }
}

export async function recordReview(ctx: Ctx, caseId: string, planId: string, input: unknown) {
  const cmd = parseReview(input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openPlanCase(tx, ctx, caseId, 'issue_action_plan')
    await queries.lockCaseRow(tx, c.id)
    const plan = await queries.planOfCase(tx, c.id, planId)
    if (!plan) throw new NotFound()
    const refusal = reviewRefusal(ctx, c, plan.issuedBy)
    if (refusal) throw new Forbidden(refusal, 'reviewing_prosecutor_only')
    if (plan.state !== 'issued') {
      throw new Conflict(
        `Action plan ${plan.number} is not waiting for the police (${PLAN_STATES[plan.state].toLowerCase()}), so there is nothing to review`,
        'already_closed',
      )
    }
    const moved: MovedDate[] = []
    let nextReviewDate: string | null = null
    if (cmd.outcome === 'next_review') {
      const errors: FieldError[] = []
      if (cmd.nextReviewDate <= today(ctx)) {
        errors.push({ field: 'nextReviewDate', message: 'The next review date must be after today' })
      }
      nextReviewDate = workingDate('nextReviewDate', cmd.nextReviewDate, moved, errors)
      if (errors.length > 0) throw new ValidationFailed(errors)
    }
    const at = ctx.clock.now()
    const id = await queries.insertReview(tx, {
      planId: plan.id,
      progress: cmd.progress,
      stillNeeded: cmd.stillNeeded,
      nextReviewDate,
      closeReason: cmd.outcome === 'close' ? cmd.closeReason : null,
      at,
      by: ctx.actor.id,
    })
    const clock = await runningDeadlineFor(tx, 'action_plan_review', plan.id, { lock: true })
    const late = Boolean(clock && at.getTime() > clock.dueAt.getTime())
    await closeOnTime(tx, clock, at, 'plan reviewed')
    if (nextReviewDate) {
      await queries.setReviewDate(tx, plan.id, nextReviewDate)
      await openDeadline(tx, {
        kind: 'action_plan_review',
        caseId: c.id,
        subjectId: plan.id,
        dueAt: endOfLondonDay(nextReviewDate),
        at,
        ...(await cpsOwner(tx, c, plan.issuedBy)),
      })
    }
    await appendEvent(tx, c.id, {
      type: 'action_plan.reviewed',
      at,
      by: ctx.actor.id,
      data: { planId: plan.id, number: plan.number, reviewId: id, outcome: cmd.outcome, nextReviewDate, late },
    })
    if (cmd.outcome === 'close') await closePlan(tx, ctx, c, plan, at, moved)
    await audit.alteration(tx, ctx, {
      action: 'action_plan.reviewed',
      caseId: c.id,
      subject: 'review of an action plan',
      justification,
      details: { plan: plan.number, outcome: cmd.outcome },
    })
    return { id, planState: cmd.outcome === 'close' ? ('closed' as const) : ('issued' as const), moved }
  })
}

/** Closed at a review: the actions still open stop being chased, and the file is back with the CPS. */
async function closePlan(tx: Sql, ctx: Ctx, c: CaseRecord, plan: queries.StoredPlan, at: Date, moved: MovedDate[]) {
  await queries.markClosed(tx, plan.id, at)
  const actions = new Set(await queries.actionIdsOfPlan(tx, plan.id))
  for (const requestId of await queries.pendingMoreTimeIdsOfPlan(tx, plan.id)) {
    await queries.decideMoreTime(tx, requestId, { decision: 'withdrawn', note: null, at, by: ctx.actor.id })
  }
  const running = await deadlinesOfCase(tx, c.id, ['action_target', 'more_time_decision', 'admin_finalise_wait'], {
    states: ['open', 'paused'],
    lock: true,
  })
  for (const clock of running) {
    const ours = clock.kind === 'admin_finalise_wait' ? clock.subjectId === plan.id : true
    if (ours && (clock.kind !== 'action_target' || actions.has(clock.subjectId ?? ''))) {
      await closeDeadline(tx, clock.id, 'cancelled', 'plan closed at a review', at)
    }
  }
  await fileBackToCps(tx, ctx, c, plan, at, moved)
  await appendEvent(tx, c.id, {
    type: 'action_plan.closed',
    at,
    by: ctx.actor.id,
    data: { planId: plan.id, number: plan.number },
  })
}
