import { isUuid, type Sql } from '../../db/client.ts'
import { type CaseAction, supportShared } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { addWorkingDays } from '../../platform/calendar/working-days.ts'
import { endOfLondonDay, today } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { closeDeadline, openDeadline, openDeadlineFor, sideOwner } from '../../platform/deadlines/deadlines.ts'
import { Conflict, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import type { Stage } from '../cases/stage.ts'
import { appendEvent } from '../cases/timeline.ts'
import { openVictimSection } from '../victims/service.ts'
import * as queries from './queries.ts'
import { ChangeConsent, EndReferral, OfferSupport, PassOnWish, Refer } from './schema.ts'

/**
 * Recommendation 2: support at every stage. Police or CPS refer the victim to an ISVA service
 * or SARC only with their consent, recording exactly what the victim agreed to share; the
 * access policy then lets that service's ISVAs see those parts and nothing else.
 *
 * Support belongs to one victim of the case file (docs/decisions/0007): each victim consents to
 * their own referrals, and a service supporting one victim is told nothing of another.
 */

/** Which victim of the case: undefined for the case's one victim (its address from before several). */
export type Which = { victimId?: string }

/** The victim's support section, with the victim's id (null while none is recorded) for queries and events. */
async function openSupport(tx: Sql, ctx: Ctx, caseId: string, which: Which, action: CaseAction) {
  const opened = await openVictimSection(tx, ctx, caseId, which.victimId, action)
  return { ...opened, victimId: opened.victim?.id ?? null }
}

export async function viewSupport(ctx: Ctx, caseId: string, which: Which = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'view')
    const ownService = supportShared(ctx.actor, c, { id: victimId }) ? ctx.actor.organisationId : null
    // Why police or CPS ended a referral is theirs: the support service sees only that it ended.
    const referrals = (await queries.referralsOf(tx, c.id, victimId, ownService)).map((r) =>
      ownService ? { ...r, endReason: null } : r,
    )
    const offers = await queries.offersOf(tx, c.id, victimId)
    const wishes = await queries.wishesOf(tx, c.id, victimId)
    await audit.consultation(tx, ctx, {
      action: 'support.viewed',
      caseId: c.id,
      subject: 'support referrals and offers',
      justification,
    })
    return { case: c, victim, referrals, offers, wishes, services: await queries.supportServices(tx) }
  })
}

export async function refer(ctx: Ctx, caseId: string, input: unknown, which: Which = {}): Promise<{ id: string }> {
  const cmd = parseInput(Refer, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'manage_support')
    if (!(await queries.supportServices(tx)).some((s) => s.id === cmd.serviceId)) {
      throw new ValidationFailed([{ field: 'serviceId', message: 'Select a support service from the list' }])
    }
    if (cmd.consentRecordedOn > today(ctx.clock)) {
      throw new ValidationFailed([
        { field: 'consentRecordedOn', message: 'The date the victim consented must be today or in the past' },
      ])
    }
    if (await queries.activeReferralTo(tx, c.id, victimId, cmd.serviceId)) {
      throw new ValidationFailed([
        { field: 'serviceId', message: 'The victim is already referred to this service: end that referral to change it' },
      ])
    }
    const at = ctx.clock.now()
    const id = await queries.insertReferral(tx, { ...cmd, caseId: c.id, victimId, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'support.referred',
      at,
      by: ctx.actor.id,
      data: { kind: cmd.kind, shared: cmd.shared, victimId },
    })
    // A referral discloses parts of the case to another organisation: s62 asks for the recipient.
    await audit.alteration(tx, ctx, {
      action: 'case.disclosed',
      caseId: c.id,
      subject: 'case parts shared with a support service, with the victim’s consent',
      justification,
      details: { recipient: cmd.serviceId, shared: cmd.shared, referralId: id, victimId },
    })
    return { id }
  })
}

/** A referral of this victim of the case, held until commit: another victim's, or another case's, is not found. */
async function referralOf(tx: Sql, caseId: string, victimId: string | null, referralId: string) {
  if (!isUuid(referralId)) throw new NotFound()
  const referral = await queries.referralOf(tx, caseId, victimId, referralId)
  if (!referral) throw new NotFound()
  return referral
}

async function activeReferral(tx: Sql, caseId: string, victimId: string | null, referralId: string) {
  const referral = await referralOf(tx, caseId, victimId, referralId)
  if (referral.ended) throw new Conflict('This referral has ended', 'referral_ended')
  return referral
}

export async function endReferral(
  ctx: Ctx,
  caseId: string,
  referralId: string,
  input: unknown,
  which: Which = {},
): Promise<void> {
  const { reason } = parseInput(EndReferral, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'manage_support')
    const referral = await referralOf(tx, c.id, victimId, referralId)
    if (referral.ended) throw new Conflict('This referral has already ended', 'referral_ended')
    const at = ctx.clock.now()
    await queries.endReferral(tx, referral.id, { reason, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, { type: 'support.ended', at, by: ctx.actor.id, data: { referralId, victimId } })
    await audit.alteration(tx, ctx, { action: 'support.ended', caseId: c.id, subject: 'support referral', justification })
  })
}

export async function offerSupport(ctx: Ctx, caseId: string, input: unknown, which: Which = {}): Promise<void> {
  const cmd = parseInput(OfferSupport, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'record_support')
    if (cmd.offeredOn > today(ctx.clock)) {
      throw new ValidationFailed([{ field: 'offeredOn', message: 'The date support was offered must be today or in the past' }])
    }
    const at = ctx.clock.now()
    // The stage is the case's own at this moment, so support can be shown stage by stage.
    await queries.insertOffer(tx, { ...cmd, caseId: c.id, victimId, stage: c.stage.code as Stage, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'support.offered',
      at,
      by: ctx.actor.id,
      data: { support: cmd.support, accepted: cmd.accepted, stage: c.stage.code, victimId },
    })
    await audit.alteration(tx, ctx, { action: 'support.offered', caseId: c.id, subject: 'support offered', justification })
  })
}

/**
 * The victim changes what they agree to share with their support service, narrowing or widening
 * it: a change of disclosure, recorded with the date the victim said so.
 */
export async function changeConsent(
  ctx: Ctx,
  caseId: string,
  referralId: string,
  input: unknown,
  which: Which = {},
): Promise<void> {
  const cmd = parseInput(ChangeConsent, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'manage_support')
    const referral = await activeReferral(tx, c.id, victimId, referralId)
    if (cmd.consentRecordedOn > today(ctx.clock)) {
      throw new ValidationFailed([
        { field: 'consentRecordedOn', message: 'The date the victim said so must be today or in the past' },
      ])
    }
    await queries.changeShared(tx, referral.id, cmd.shared, cmd.consentRecordedOn)
    const at = ctx.clock.now()
    const before: string[] = referral.shared
    await appendEvent(tx, c.id, {
      type: 'support.consent_changed',
      at,
      by: ctx.actor.id,
      data: { referralId, victimId, shared: cmd.shared, withdrawn: before.filter((p) => !cmd.shared.includes(p as never)) },
    })
    await audit.alteration(tx, ctx, {
      action: 'case.disclosure_changed',
      caseId: c.id,
      subject: 'case parts shared with a support service, with the victim’s consent',
      justification,
      details: { recipient: referral.service_id, shared: cmd.shared, referralId, victimId },
    })
  })
}

/** An ISVA of the referred service names themselves as the victim's ISVA, so police and CPS can reach them. */
export async function nameSelfAsIsva(ctx: Ctx, caseId: string, referralId: string, which: Which = {}): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'pass_on_wish')
    const referral = await activeReferral(tx, c.id, victimId, referralId)
    if (referral.service_id !== ctx.actor.organisationId || referral.kind !== 'isva') throw new NotFound()
    await queries.nameIsva(tx, referral.id, ctx.actor.id)
    const at = ctx.clock.now()
    await appendEvent(tx, c.id, { type: 'support.isva_named', at, by: ctx.actor.id, data: { referralId, victimId } })
    await audit.alteration(tx, ctx, { action: 'support.isva_named', caseId: c.id, subject: 'support referral', justification })
  })
}

/**
 * The victim told their ISVA they wish to stop supporting the investigation, or to re-engage. ISVAs
 * are never part of the evidence, so this is not a withdrawal record: it is a task for the officer
 * in charge, due in a working day, who speaks to the victim and records what happened.
 */
export async function passOnWish(ctx: Ctx, caseId: string, input: unknown, which: Which = {}): Promise<{ id: string }> {
  const cmd = parseInput(PassOnWish, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'pass_on_wish')
    const at = ctx.clock.now()
    const id = await queries.insertWish(tx, {
      caseId: c.id,
      victimId,
      wish: cmd.wish,
      message: cmd.message,
      by: ctx.actor.id,
      at,
    })
    await openDeadline(tx, {
      kind: 'victim_wish',
      caseId: c.id,
      subjectId: id,
      dueAt: endOfLondonDay(addWorkingDays(today(ctx.clock), 1)),
      at,
      ...(await sideOwner(tx, c.id, 'police')),
    })
    await appendEvent(tx, c.id, { type: 'support.wish_passed_on', at, by: ctx.actor.id, data: { wish: cmd.wish, victimId } })
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
export async function acknowledgeWish(ctx: Ctx, caseId: string, wishId: string, which: Which = {}): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { case: c, victimId, justification } = await openSupport(tx, ctx, caseId, which, 'record_withdrawal')
    if (!isUuid(wishId)) throw new NotFound()
    const wish = await queries.wishOf(tx, c.id, victimId, wishId)
    if (!wish) throw new NotFound()
    if (wish.acknowledged) throw new Conflict('This has already been acted on', 'already_closed')
    const at = ctx.clock.now()
    await queries.acknowledgeWish(tx, wish.id, ctx.actor.id, at)
    const clock = await openDeadlineFor(tx, 'victim_wish', wishId, { lock: true })
    if (clock) await closeDeadline(tx, clock.id, clock.dueAt < at ? 'missed' : 'met', 'acted on', at)
    await appendEvent(tx, c.id, { type: 'support.wish_acknowledged', at, by: ctx.actor.id, data: { wishId, victimId } })
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
