import type { Sql } from '../../db/client.ts'
import { type CaseAction, supportShared } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import {
  closeDeadline,
  type Deadline,
  deadlinesOfCase,
  isOverdue,
  openDeadline,
  openDeadlineFor,
  sideOwner,
} from '../../platform/deadlines/deadlines.ts'
import { Conflict, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { appendEvent } from '../cases/timeline.ts'
import { engagedWithIsva } from '../support/service.ts'
import { openVictimSection, victimLanguage } from '../victims/service.ts'
import * as queries from './queries.ts'
import { contactTimeErrors, lateUpdateErrors, nextUpdateDue } from './rules.ts'
import { type CommunicationView, PlanInput, RecordContact } from './schema.ts'

/**
 * The communication plan agreed with the victim, the log of every contact, and the clock of the
 * next agreed update (a `victim_update` deadline whose subject is the plan). Each victim of the
 * case file has their own: what was agreed with one complainant is never another's.
 *
 * Who may do what is the access policy's: reading needs `view_communication` (for an ISVA, the
 * victim must have agreed to share their communication plan); agreeing the plan and recording
 * contacts need `record_contact`, which police and CPS casework both have, since both speak to
 * the victim, and so do ISVAs for their own contacts. Only police and CPS agree the plan (`agree_plan`).
 *
 * Not yet (issue 4): no sweeper escalates an overdue update; it shows as overdue on the
 * communication page only, and the late update must give the reason it was missed.
 */

const VIEW: CaseAction = 'view_communication'
const AGREE: CaseAction = 'agree_plan'
const RECORD: CaseAction = 'record_contact'
const KIND = 'victim_update' as const
const PLAN_SUBJECT = 'victim communication plan'
const CONTACT_SUBJECT = 'victim contact log'

const nextUpdateOf = (d: Deadline | undefined, now: Date) =>
  d ? { dueAt: d.dueAt.toISOString(), overdue: isOverdue(d, now) } : null

/**
 * Which victim of the case file: the plan, the log and the clock are each victim's own. Without
 * it, the case's one victim (openVictimSection asks which when the user knows of several).
 */
type Which = { victimId?: string }

/** Timeline events name the victim by id, so a support service's timeline can leave out the others'. */
const aboutVictim = (victimId: string | null) => (victimId ? { victimId } : {})

/** The victim's plan, their language from their record, the next update due and their contact log. */
export async function viewCommunication(ctx: Ctx, caseId: string, opts: Which = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openVictimSection(tx, ctx, caseId, opts.victimId, VIEW)
    const victimId = victim?.id ?? null
    const plan = await queries.planOf(tx, c.id, victimId)
    const language = await victimLanguage(tx, c.id, victimId)
    const clock = plan && (await openDeadlineFor(tx, KIND, plan.id))
    // A contact keeps the id of the update clock it answered, which is always its victim's plan's.
    const missed = await deadlinesOfCase(tx, c.id, [KIND], { states: ['missed'] })
    const view: CommunicationView = {
      plan: plan?.view ?? null,
      language,
      nextUpdate: nextUpdateOf(clock, ctx.clock.now()),
      contacts: await queries.contactsOf(tx, c.id, victimId, missed),
    }
    await audit.consultation(tx, ctx, {
      action: 'communication.viewed',
      caseId: c.id,
      subject: [PLAN_SUBJECT, CONTACT_SUBJECT, 'victim language and interpreter need'],
      justification,
    })
    return { case: c, victim, ...view }
  })
}

/**
 * For a form page that shows no communication data (the contact form, or a form sent back with
 * its errors): access is still decided by openVictimSection, and nothing is written, not even
 * the log. The next update's due time is a case fact, not personal data.
 */
export async function communicationCase(ctx: Ctx, caseId: string, action: 'view' | 'record' = 'view', opts: Which = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim } = await openVictimSection(tx, ctx, caseId, opts.victimId, action === 'view' ? VIEW : RECORD)
    const plan = await queries.planOf(tx, c.id, victim?.id ?? null)
    const clock = plan && (await openDeadlineFor(tx, KIND, plan.id))
    return { case: c, victim, planAgreed: Boolean(plan), nextUpdate: nextUpdateOf(clock, ctx.clock.now()) }
  })
}

/** Names of the fields whose values differ: events and audit say what changed, never to what. */
function changedFields(before: PlanInput, after: PlanInput): (keyof PlanInput)[] {
  return (Object.keys(after) as (keyof PlanInput)[]).filter((k) => before[k] !== after[k])
}

/**
 * Starts the update clock afresh from `at` for a new or re-timed plan. An overdue clock is left
 * running: a missed update is not wiped out by agreeing a new plan; it stays overdue until the
 * late update is recorded with the reason, and the next clock then follows the new frequency.
 */
async function retimeUpdateClock(tx: Sql, caseId: string, planId: string, everyDays: number | null, at: Date) {
  const running = await openDeadlineFor(tx, KIND, planId, { lock: true })
  if (running && isOverdue(running, at)) return
  if (running) await closeDeadline(tx, running.id, 'cancelled', 'The communication plan was changed', at)
  const dueAt = nextUpdateDue(everyDays, at)
  if (dueAt)
    await openDeadline(tx, { kind: KIND, caseId, subjectId: planId, dueAt, at, ...(await sideOwner(tx, caseId, 'police')) })
}

/** Agrees the victim's communication plan, or changes it; returns the plan and the next update due. */
export async function savePlan(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}) {
  const cmd = parseInput(PlanInput, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openVictimSection(tx, ctx, caseId, opts.victimId, AGREE)
    const victimId = victim?.id ?? null
    // Updates through the ISVA need an ISVA this victim is engaged with; another victim's ISVA is not theirs.
    if (cmd.throughIsva && !(await engagedWithIsva(tx, c.id, victimId))) {
      throw new ValidationFailed([
        {
          field: 'throughIsva',
          message: 'Updates can go through an ISVA only when the victim is engaged with one: refer them to an ISVA service first',
        },
      ])
    }
    const at = ctx.clock.now()
    const before = await queries.planOf(tx, c.id, victimId, { lock: true })
    // Codes only: safe times and NFA details are free text and stay in the plan's row.
    const codes = {
      ...aboutVictim(victimId),
      channel: cmd.preferredChannel,
      updateEveryDays: cmd.updateEveryDays,
      nfaPreference: cmd.nfaPreference,
    }
    let planId: string
    if (!before) {
      const id = await queries.insertPlan(tx, c.id, victimId, cmd, at, ctx.actor.id)
      if (!id)
        throw new Conflict(
          'Someone else agreed this plan at the same time. Go back to the communication page to see it.',
          'changed_meanwhile',
        )
      planId = id
      await appendEvent(tx, c.id, { type: 'communication.plan_agreed', at, by: ctx.actor.id, data: codes })
      await retimeUpdateClock(tx, c.id, planId, cmd.updateEveryDays, at)
      await audit.alteration(tx, ctx, { action: 'communication.plan_agreed', caseId: c.id, subject: PLAN_SUBJECT, justification })
    } else {
      planId = before.id
      const fields = changedFields(before, cmd)
      if (fields.length > 0) {
        await queries.updatePlan(tx, planId, cmd, at, ctx.actor.id)
        await appendEvent(tx, c.id, { type: 'communication.plan_changed', at, by: ctx.actor.id, data: { ...codes, fields } })
        // Only a change of frequency moves the clock; changing, say, safe times must not push it back.
        if (fields.includes('updateEveryDays')) await retimeUpdateClock(tx, c.id, planId, cmd.updateEveryDays, at)
        await audit.alteration(tx, ctx, {
          action: 'communication.plan_changed',
          caseId: c.id,
          subject: PLAN_SUBJECT,
          justification,
          details: { fields },
        })
      }
    }
    const plan = (await queries.planOf(tx, c.id, victimId)) as queries.StoredPlan
    return { plan: plan.view, nextUpdate: nextUpdateOf(await openDeadlineFor(tx, KIND, planId), at) }
  })
}

/**
 * Records a contact with the victim. A planned update meets the running update clock and starts
 * the next one from the time of the contact; made after the clock was due, it closes it as missed
 * with the reason given, and the victim must have been told why.
 */
export async function recordContact(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}): Promise<{ id: string }> {
  const cmd = parseInput(RecordContact, input)
  const contactedAt = new Date(cmd.contactedAt)
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openVictimSection(tx, ctx, caseId, opts.victimId, RECORD)
    const victimId = victim?.id ?? null
    if (supportShared(ctx.actor, c, { id: victimId }) && cmd.madeBy !== 'isva') {
      throw new ValidationFailed([{ field: 'madeBy', message: 'An ISVA records only their own contacts with the victim' }])
    }
    const at = ctx.clock.now()
    const plan = await queries.planOf(tx, c.id, victimId, { lock: true })
    const clock = plan && cmd.plannedUpdate ? await openDeadlineFor(tx, KIND, plan.id, { lock: true }) : undefined
    const errors = [...contactTimeErrors(contactedAt, at), ...lateUpdateErrors({ ...cmd, contactedAt }, clock)]
    if (errors.length > 0) throw new ValidationFailed(errors)

    const late = Boolean(clock && contactedAt > clock.dueAt)
    const id = await queries.insertContact(tx, {
      ...cmd,
      caseId: c.id,
      victimId,
      at,
      by: ctx.actor.id,
      deadlineId: clock?.id ?? null,
      victimToldWhy: late && cmd.victimToldWhy,
    })
    if (plan && clock) {
      await closeDeadline(tx, clock.id, late ? 'missed' : 'met', late ? cmd.missedReason : null, at)
      if (late) {
        // The reason stays on the deadline row: it is free text and may hold personal data.
        const data = { ...aboutVictim(victimId), deadlineId: clock.id, contactId: id, dueAt: clock.dueAt.toISOString() }
        await appendEvent(tx, c.id, { type: 'communication.update_missed', at, by: ctx.actor.id, data })
      }
      const dueAt = nextUpdateDue(plan.updateEveryDays, contactedAt)
      if (dueAt)
        await openDeadline(tx, {
          kind: KIND,
          caseId: c.id,
          subjectId: plan.id,
          dueAt,
          at,
          ...(await sideOwner(tx, c.id, 'police')),
        })
    }
    const codes = {
      ...aboutVictim(victimId),
      contactId: id,
      channel: cmd.channel,
      madeBy: cmd.madeBy,
      plannedUpdate: cmd.plannedUpdate,
      late,
    }
    await appendEvent(tx, c.id, { type: 'communication.contact_recorded', at, by: ctx.actor.id, data: codes })
    await audit.alteration(tx, ctx, {
      action: 'communication.contact_recorded',
      caseId: c.id,
      subject: CONTACT_SUBJECT,
      justification,
      details: { channel: cmd.channel, plannedUpdate: cmd.plannedUpdate, late },
    })
    return { id }
  })
}
