import { isUuid, type Sql } from '../../db/client.ts'
import { supportShared } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { addWorkingDays } from '../../platform/calendar/working-days.ts'
import { endOfLondonDay, today } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { closeDeadline, openDeadline, openDeadlineFor, sideOwner } from '../../platform/deadlines/deadlines.ts'
import { Conflict, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import type { Stage } from '../cases/stage.ts'
import { appendEvent } from '../cases/timeline.ts'
import * as queries from './queries.ts'
import { ChangeConsent, EndReferral, OfferSupport, PassOnWish, Refer } from './schema.ts'

/**
 * Recommendation 2: support at every stage. Police or CPS refer the victim to an ISVA service
 * or SARC only with their consent, recording exactly what the victim agreed to share; the
 * access policy then lets that service's ISVAs see those parts and nothing else.
 */

export async function viewSupport(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId)
    const ownService = supportShared(ctx.actor, c) ? ctx.actor.organisationId : null
    // Why police or CPS ended a referral is theirs: the support service sees only that it ended.
    const referrals = (await queries.referralsOf(tx, c.id, ownService)).map((r) => (ownService ? { ...r, endReason: null } : r))
    const offers = await queries.offersOf(tx, c.id)
    const wishes = await queries.wishesOf(tx, c.id)
    await audit.consultation(tx, ctx, {
      action: 'support.viewed',
      caseId: c.id,
      subject: 'support referrals and offers',
      justification,
    })
    return { case: c, referrals, offers, wishes, services: await queries.supportServices(tx) }
  })
}

export async function refer(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string }> {
  const cmd = parseInput(Refer, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'manage_support')
    if (!(await queries.supportServices(tx)).some((s) => s.id === cmd.serviceId)) {
      throw new ValidationFailed([{ field: 'serviceId', message: 'Select a support service from the list' }])
    }
    if (cmd.consentRecordedOn > today(ctx.clock)) {
      throw new ValidationFailed([
        { field: 'consentRecordedOn', message: 'The date the victim consented must be today or in the past' },
      ])
    }
    if (await queries.activeReferralTo(tx, c.id, cmd.serviceId)) {
      throw new ValidationFailed([
        { field: 'serviceId', message: 'The victim is already referred to this service: end that referral to change it' },
      ])
    }
    const at = ctx.clock.now()
    const id = await queries.insertReferral(tx, { ...cmd, caseId: c.id, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, { type: 'support.referred', at, by: ctx.actor.id, data: { kind: cmd.kind, shared: cmd.shared } })
    // A referral discloses parts of the case to another organisation: s62 asks for the recipient.
    await audit.alteration(tx, ctx, {
      action: 'case.disclosed',
      caseId: c.id,
      subject: 'case parts shared with a support service, with the victim’s consent',
      justification,
      details: { recipient: cmd.serviceId, shared: cmd.shared, referralId: id },
    })
    return { id }
  })
}

export async function endReferral(ctx: Ctx, caseId: string, referralId: string, input: unknown): Promise<void> {
  const { reason } = parseInput(EndReferral, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'manage_support')
    if (!isUuid(referralId)) throw new NotFound()
    const at = ctx.clock.now()
    if (!(await queries.endReferral(tx, c.id, referralId, { reason, by: ctx.actor.id, at }))) {
      throw new Conflict('This referral has already ended, or is not for this case', 'referral_ended')
    }
    await appendEvent(tx, c.id, { type: 'support.ended', at, by: ctx.actor.id, data: { referralId } })
    await audit.alteration(tx, ctx, { action: 'support.ended', caseId: c.id, subject: 'support referral', justification })
  })
}

export async function offerSupport(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const cmd = parseInput(OfferSupport, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'record_support')
    if (cmd.offeredOn > today(ctx.clock)) {
      throw new ValidationFailed([{ field: 'offeredOn', message: 'The date support was offered must be today or in the past' }])
    }
    const at = ctx.clock.now()
    // The stage is the case's own at this moment, so support can be shown stage by stage.
    await queries.insertOffer(tx, { ...cmd, caseId: c.id, stage: c.stage.code as Stage, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'support.offered',
      at,
      by: ctx.actor.id,
      data: { support: cmd.support, accepted: cmd.accepted, stage: c.stage.code },
    })
    await audit.alteration(tx, ctx, { action: 'support.offered', caseId: c.id, subject: 'support offered', justification })
  })
}

async function activeReferral(tx: Sql, caseId: string, referralId: string) {
  if (!isUuid(referralId)) throw new NotFound()
  const referral = (await queries.referralsOf(tx, caseId, null)).find((r) => r.id === referralId)
  if (!referral) throw new NotFound()
  if (referral.endedAt) throw new Conflict('This referral has ended', 'referral_ended')
  return referral
}

/**
 * The victim changes what they agree to share with their support service, narrowing or widening
 * it: a change of disclosure, recorded with the date the victim said so.
 */
export async function changeConsent(ctx: Ctx, caseId: string, referralId: string, input: unknown): Promise<void> {
  const cmd = parseInput(ChangeConsent, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'manage_support')
    const referral = await activeReferral(tx, c.id, referralId)
    if (cmd.consentRecordedOn > today(ctx.clock)) {
      throw new ValidationFailed([
        { field: 'consentRecordedOn', message: 'The date the victim said so must be today or in the past' },
      ])
    }
    await queries.changeShared(tx, referral.id, cmd.shared, cmd.consentRecordedOn)
    const at = ctx.clock.now()
    const before = referral.shared.map((p) => p.code)
    await appendEvent(tx, c.id, {
      type: 'support.consent_changed',
      at,
      by: ctx.actor.id,
      data: { referralId, shared: cmd.shared, withdrawn: before.filter((p) => !cmd.shared.includes(p as never)) },
    })
    await audit.alteration(tx, ctx, {
      action: 'case.disclosure_changed',
      caseId: c.id,
      subject: 'case parts shared with a support service, with the victim’s consent',
      justification,
      details: { recipient: referral.service.id, shared: cmd.shared, referralId },
    })
  })
}

/** An ISVA of the referred service names themselves as the victim's ISVA, so police and CPS can reach them. */
export async function nameSelfAsIsva(ctx: Ctx, caseId: string, referralId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'pass_on_wish')
    const referral = await activeReferral(tx, c.id, referralId)
    if (referral.service.id !== ctx.actor.organisationId || referral.kind !== 'isva') throw new NotFound()
    await queries.nameIsva(tx, referral.id, ctx.actor.id)
    const at = ctx.clock.now()
    await appendEvent(tx, c.id, { type: 'support.isva_named', at, by: ctx.actor.id, data: { referralId } })
    await audit.alteration(tx, ctx, { action: 'support.isva_named', caseId: c.id, subject: 'support referral', justification })
  })
}

/**
 * The victim told their ISVA they wish to stop supporting the investigation, or to re-engage. ISVAs
 * are never part of the evidence, so this is not a withdrawal record: it is a task for the officer
 * in charge, due in a working day, who speaks to the victim and records what happened.
 */
export async function passOnWish(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string }> {
  const cmd = parseInput(PassOnWish, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'pass_on_wish')
    const at = ctx.clock.now()
    const id = await queries.insertWish(tx, { caseId: c.id, wish: cmd.wish, message: cmd.message, by: ctx.actor.id, at })
    await openDeadline(tx, {
      kind: 'victim_wish',
      caseId: c.id,
      subjectId: id,
      dueAt: endOfLondonDay(addWorkingDays(today(ctx.clock), 1)),
      at,
      ...(await sideOwner(tx, c.id, 'police')),
    })
    await appendEvent(tx, c.id, { type: 'support.wish_passed_on', at, by: ctx.actor.id, data: { wish: cmd.wish } })
    await audit.alteration(tx, ctx, {
      action: 'support.wish_passed_on',
      caseId: c.id,
      subject: 'victim’s wish passed on by their ISVA',
      justification,
    })
    return { id }
  })
}

/** The officer has acted on the wish (spoken to the victim, recorded a withdrawal or re-engagement). */
export async function acknowledgeWish(ctx: Ctx, caseId: string, wishId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'record_withdrawal')
    if (!isUuid(wishId)) throw new NotFound()
    const at = ctx.clock.now()
    if (!(await queries.acknowledgeWish(tx, c.id, wishId, ctx.actor.id, at))) {
      throw new Conflict('This has already been acted on, or is not for this case', 'already_closed')
    }
    const clock = await openDeadlineFor(tx, 'victim_wish', wishId, { lock: true })
    if (clock) await closeDeadline(tx, clock.id, clock.dueAt < at ? 'missed' : 'met', 'acted on', at)
    await appendEvent(tx, c.id, { type: 'support.wish_acknowledged', at, by: ctx.actor.id, data: { wishId } })
    await audit.alteration(tx, ctx, {
      action: 'support.wish_acknowledged',
      caseId: c.id,
      subject: 'victim’s wish passed on by their ISVA',
      justification,
    })
  })
}

/** The case's ISVAs still engaged, for the case page (cases/service.ts), read in the caller's transaction. */
export async function namedIsvas(tx: Sql, caseId: string) {
  return queries.namedIsvas(tx, caseId)
}

/**
 * Whether this victim of the case is engaged with an ISVA now (an active ISVA referral for them;
 * another victim's ISVA is not theirs), for updates through the ISVA (communication/service.ts).
 * The referral is held until the caller's commit, as when this module changes it, so it cannot
 * end while the caller relies on it.
 */
export async function engagedWithIsva(tx: Sql, caseId: string, victimId: string | null): Promise<boolean> {
  return (await queries.activeIsvaReferral(tx, caseId, victimId)) !== undefined
}
