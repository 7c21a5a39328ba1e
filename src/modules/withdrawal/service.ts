import { audit } from '../../platform/audit/audit.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import type { Stage } from '../cases/stage.ts'
import { appendEvent } from '../cases/timeline.ts'
import * as queries from './queries.ts'
import { RecordReengagement, RecordWithdrawal } from './schema.ts'

/**
 * Recommendation 3: record when, at which stage and why a victim withdraws support, so
 * that it can be counted and understood; and record re-engagement, which restores, for
 * example, their right to review.
 */

const today = (ctx: Ctx) => todayIn(ctx.clock)

export async function viewWithdrawals(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'view_withdrawal')
    const withdrawals = await queries.withdrawalsOf(tx, c.id)
    await audit.consultation(tx, ctx, {
      action: 'withdrawal.viewed',
      caseId: c.id,
      subject: 'victim’s withdrawals of support',
      justification,
    })
    return { case: c, withdrawals, withdrawn: withdrawals.some((w) => w.reengagedOn === null) }
  })
}

export async function recordWithdrawal(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string }> {
  const cmd = parseInput(RecordWithdrawal, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'record_withdrawal')
    if (cmd.withdrawnOn > today(ctx)) {
      throw new ValidationFailed([
        { field: 'withdrawnOn', message: 'The date the victim withdrew support must be today or in the past' },
      ])
    }
    if (await queries.openWithdrawal(tx, c.id)) {
      throw new Conflict('The victim’s withdrawal is already recorded: record their re-engagement before another withdrawal')
    }
    const at = ctx.clock.now()
    // The stage is taken from the case at this moment, not typed in.
    const id = await queries.insertWithdrawal(tx, { ...cmd, caseId: c.id, stage: c.stage.code as Stage, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'withdrawal.recorded',
      at,
      by: ctx.actor.id,
      data: {
        withdrawalId: id,
        stage: c.stage.code,
        reasons: cmd.reasons,
        retractionStatementTaken: cmd.retractionStatementTaken,
      },
    })
    await audit.alteration(tx, ctx, {
      action: 'withdrawal.recorded',
      caseId: c.id,
      subject: 'victim’s withdrawal of support',
      justification,
    })
    return { id }
  })
}

export async function recordReengagement(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const cmd = parseInput(RecordReengagement, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'record_withdrawal')
    const open = await queries.openWithdrawal(tx, c.id)
    if (!open) throw new Conflict('There is no withdrawal to follow: the victim has not withdrawn support')
    if (cmd.reengagedOn < open.withdrawn_on || cmd.reengagedOn > today(ctx)) {
      throw new ValidationFailed([
        { field: 'reengagedOn', message: 'The date the victim re-engaged must be between their withdrawal and today' },
      ])
    }
    const at = ctx.clock.now()
    await queries.recordReengagement(tx, open.id, { ...cmd, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, { type: 'withdrawal.reengaged', at, by: ctx.actor.id, data: { withdrawalId: open.id } })
    await audit.alteration(tx, ctx, {
      action: 'withdrawal.reengaged',
      caseId: c.id,
      subject: 'victim’s re-engagement',
      justification,
    })
  })
}
