import { isUuid } from '../../db/client.ts'
import { supportShared } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { today } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import type { Stage } from '../cases/stage.ts'
import { appendEvent } from '../cases/timeline.ts'
import * as queries from './queries.ts'
import { EndReferral, OfferSupport, Refer } from './schema.ts'

/**
 * Recommendation 2: support at every stage. Police or CPS refer the victim to an ISVA service
 * or SARC only with their consent, recording exactly what the victim agreed to share; the
 * access policy then lets that service's ISVAs see those parts and nothing else.
 */

export async function viewSupport(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId)
    const ownService = supportShared(ctx.actor, c) ? ctx.actor.organisationId : null
    const referrals = await queries.referralsOf(tx, c.id, ownService)
    const offers = await queries.offersOf(tx, c.id)
    await audit.consultation(tx, ctx, {
      action: 'support.viewed',
      caseId: c.id,
      subject: 'support referrals and offers',
      justification,
    })
    return { case: c, referrals, offers, services: await queries.supportServices(tx) }
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
      throw new Conflict('This referral has already ended, or is not for this case')
    }
    await appendEvent(tx, c.id, { type: 'support.ended', at, by: ctx.actor.id, data: { referralId } })
    await audit.alteration(tx, ctx, { action: 'support.ended', caseId: c.id, subject: 'support referral', justification })
  })
}

export async function offerSupport(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const cmd = parseInput(OfferSupport, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'manage_support')
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
