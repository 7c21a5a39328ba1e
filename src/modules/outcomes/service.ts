import { audit } from '../../platform/audit/audit.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { cancelRunningClocks } from '../../platform/deadlines/deadlines.ts'
import { Conflict, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { closeChargingOnFinalise } from '../charging/service.ts'
import { anyIdentified } from '../suspects/queries.ts'
import { openWithdrawal } from '../withdrawal/queries.ts'
import * as queries from './queries.ts'
import { outcomeRuleErrors } from './rules.ts'
import { Finalise, Reopen } from './schema.ts'

export async function viewOutcomes(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'view_outcome')
    const outcomes = await queries.outcomesOf(tx, c.id)
    await audit.consultation(tx, ctx, { action: 'outcome.viewed', caseId: c.id, subject: 'case outcome', justification })
    const current = outcomes.find((o) => o.reopenedAt === null) ?? null
    return { case: c, current, history: outcomes.filter((o) => o !== current) }
  })
}

/** Finalises a case with a Home Office outcome; each code's rules must be met first. */
export async function finalise(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const cmd = parseInput(Finalise, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'finalise')
    if (await queries.currentOutcomeId(tx, c.id))
      throw new Conflict('This case is already finalised: reopen it to record another outcome')
    const errors = outcomeRuleErrors(cmd, {
      withdrawn: (await openWithdrawal(tx, c.id)) !== undefined,
      suspectIdentified: await anyIdentified(tx, c.id),
      today: todayIn(ctx.clock),
      dateReported: c.dateReported,
    })
    if (errors.length > 0) throw new ValidationFailed(errors)
    const at = ctx.clock.now()
    await queries.insertOutcome(tx, { ...cmd, caseId: c.id, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'case.finalised',
      at,
      by: ctx.actor.id,
      data: { code: cmd.code, decidedBy: cmd.decidedBy },
    })
    await closeChargingOnFinalise(tx, c.id, at)
    // The victim is still owed their agreed updates; every other clock ends with the case.
    await cancelRunningClocks(tx, c.id, 'The case was finalised', at, ['victim_update'])
    await audit.alteration(tx, ctx, { action: 'case.finalised', caseId: c.id, subject: 'case outcome', justification })
  })
}

export async function reopen(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const { reason } = parseInput(Reopen, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'finalise')
    const current = await queries.currentOutcomeId(tx, c.id)
    if (!current) throw new Conflict('This case is not finalised, so there is nothing to reopen')
    const at = ctx.clock.now()
    await queries.reopen(tx, current, { reason, by: ctx.actor.id, at })
    // The reason is free text and may hold personal data: it stays in the outcome record, not in the event.
    await appendEvent(tx, c.id, { type: 'case.reopened', at, by: ctx.actor.id })
    await audit.alteration(tx, ctx, { action: 'case.reopened', caseId: c.id, subject: 'case outcome', justification })
  })
}
