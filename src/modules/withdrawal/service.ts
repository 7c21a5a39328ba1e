import type { Sql } from '../../db/client.ts'
import { requireCase } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, Forbidden, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import type { Stage } from '../cases/stage.ts'
import { appendEvent } from '../cases/timeline.ts'
import { openVictimSection } from '../victims/service.ts'
import * as queries from './queries.ts'
import { elpChanges, elpForbidden, elpRuleErrors, stageAtWithdrawal, withdrawalRuleErrors } from './rules.ts'
import { RecordElp, RecordReengagement, RecordWithdrawal } from './schema.ts'

/**
 * Recommendation 3: record when, at which stage and why a victim withdraws support, so
 * that it can be counted and understood; the retraction statement as an MG6DAR holds it; the
 * evidence-led prosecution consideration that follows; and re-engagement, which restores, for
 * example, their right to review. Free text (details, the victim's own words, views, results)
 * stays in the withdrawal tables: timeline events and the audit log carry codes only.
 *
 * Each withdrawal is one victim's: a case file may hold several victims, and one withdrawing does
 * not mean another has. A victim has at most one withdrawal open (not followed by re-engagement).
 */

const today = (ctx: Ctx) => todayIn(ctx.clock)

/** Which victim of the case: undefined on the case's old address, for its one victim. */
type Which = { victimId?: string }

export async function viewWithdrawals(ctx: Ctx, caseId: string, opts: Which = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openVictimSection(tx, ctx, caseId, opts.victimId, 'view_withdrawal')
    const withdrawals = await queries.withdrawalsOf(tx, c.id, victim?.id ?? null)
    await audit.consultation(tx, ctx, {
      action: 'withdrawal.viewed',
      caseId: c.id,
      subject: 'victim’s withdrawals of support',
      justification,
    })
    return { case: c, victim, withdrawals, withdrawn: withdrawals.some((w) => w.reengagedOn === null) }
  })
}

export async function recordWithdrawal(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}): Promise<{ id: string }> {
  const cmd = parseInput(RecordWithdrawal, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openVictimSection(tx, ctx, caseId, opts.victimId, 'record_withdrawal')
    const victimId = victim?.id ?? null
    const errors = withdrawalRuleErrors(cmd, today(ctx))
    if (errors.length > 0) throw new ValidationFailed(errors)
    if (await queries.openWithdrawal(tx, c.id, victimId)) {
      throw new Conflict(
        'The victim’s withdrawal is already recorded: record their re-engagement before another withdrawal',
        'withdrawal_already_recorded',
      )
    }
    const at = ctx.clock.now()
    // The stage is taken from the case at this moment, not typed in: it is the case's, whichever victim withdraws.
    const stage = stageAtWithdrawal(c.stage.code as Stage, await queries.anySuspectCharged(tx, c.id))
    const id = await queries.insertWithdrawal(tx, { ...cmd, caseId: c.id, victimId, stage, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'withdrawal.recorded',
      at,
      by: ctx.actor.id,
      data: {
        withdrawalId: id,
        victimId,
        stage,
        everSupported: cmd.everSupported,
        reasons: cmd.reasons,
        retractionStatementTaken: cmd.retractionStatementTaken,
        ...(cmd.pressureSuspected && { pressureSuspected: cmd.pressureSuspected }),
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

export async function recordReengagement(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}): Promise<void> {
  const cmd = parseInput(RecordReengagement, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openVictimSection(tx, ctx, caseId, opts.victimId, 'record_withdrawal')
    const victimId = victim?.id ?? null
    const open = await queries.openWithdrawal(tx, c.id, victimId)
    if (!open) throw new Conflict('There is no withdrawal to follow: the victim has not withdrawn support', 'no_withdrawal')
    if (cmd.reengagedOn < open.withdrawn_on || cmd.reengagedOn > today(ctx)) {
      throw new ValidationFailed([
        { field: 'reengagedOn', message: 'The date the victim re-engaged must be between their withdrawal and today' },
      ])
    }
    const at = ctx.clock.now()
    await queries.recordReengagement(tx, open.id, { ...cmd, by: ctx.actor.id, at })
    await appendEvent(tx, c.id, {
      type: 'withdrawal.reengaged',
      at,
      by: ctx.actor.id,
      data: { withdrawalId: open.id, victimId },
    })
    await audit.alteration(tx, ctx, {
      action: 'withdrawal.reengaged',
      caseId: c.id,
      subject: 'victim’s re-engagement',
      justification,
    })
  })
}

/**
 * The evidence-led prosecution consideration is part of the withdrawal record: a support service
 * is not told it exists (404, as for the withdrawal itself); police and CPS who record
 * withdrawals record it. A withdrawal is found only under its own victim, so another victim's
 * address does not reach it (404).
 */
async function openElp(tx: Sql, ctx: Ctx, caseId: string, victimId: string | undefined) {
  const { case: c, victim } = await openVictimSection(tx, ctx, caseId, victimId, 'view_withdrawal')
  return { case: c, victim, justification: requireCase(ctx.actor, 'record_withdrawal', c, { id: victim?.id ?? null }) }
}

/** The form for the evidence-led prosecution consideration of one withdrawal. */
export async function viewElp(ctx: Ctx, caseId: string, withdrawalId: string, opts: Which = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openElp(tx, ctx, caseId, opts.victimId)
    const withdrawal = (await queries.withdrawalsOf(tx, c.id, victim?.id ?? null)).find((w) => w.id === withdrawalId)
    if (!withdrawal) throw new NotFound()
    await audit.consultation(tx, ctx, {
      action: 'withdrawal.viewed',
      caseId: c.id,
      subject: 'evidence-led prosecution consideration',
      justification,
    })
    return { case: c, victim, withdrawal }
  })
}

/**
 * Records or updates parts of the evidence-led prosecution consideration: the police their
 * view, the CPS its view and the decision, either the result. Each part keeps who and when.
 */
export async function recordElp(ctx: Ctx, caseId: string, withdrawalId: string, input: unknown, opts: Which = {}): Promise<void> {
  const cmd = parseInput(RecordElp, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, victim, justification } = await openElp(tx, ctx, caseId, opts.victimId)
    const w = await queries.lockWithdrawalForElp(tx, c.id, victim?.id ?? null, withdrawalId)
    if (!w) throw new NotFound()
    const before = { policeView: w.police_view, cpsView: w.cps_view, decision: w.decision, result: w.result }
    const changes = elpChanges(cmd, before)
    const forbidden = elpForbidden(ctx.actor.organisationKind, changes)
    if (forbidden) throw new Forbidden(forbidden, 'elp_part_not_yours')
    const errors = elpRuleErrors(changes, before)
    if (errors.length > 0) throw new ValidationFailed(errors)
    const at = ctx.clock.now()
    await queries.saveElp(tx, { ...changes, withdrawalId: w.id, caseId: c.id, by: ctx.actor.id, at })
    const parts = (['policeView', 'cpsView', 'decision', 'result'] as const).filter((p) => changes[p] !== undefined)
    await appendEvent(tx, c.id, {
      type: 'withdrawal.elp_considered',
      at,
      by: ctx.actor.id,
      data: {
        withdrawalId: w.id,
        victimId: victim?.id ?? null,
        parts,
        ...(changes.decision && { decision: changes.decision }),
      },
    })
    await audit.alteration(tx, ctx, {
      action: 'withdrawal.elp_considered',
      caseId: c.id,
      subject: 'evidence-led prosecution consideration',
      justification,
    })
  })
}

/**
 * Whether the victim has withdrawn and not re-engaged, for the outcome rules (outcomes/service.ts).
 * The withdrawal is held until the caller's commit, so a re-engagement cannot slip in between.
 */
export async function isWithdrawn(tx: Sql, caseId: string, victimId: string | null): Promise<boolean> {
  return (await queries.openWithdrawal(tx, caseId, victimId)) !== undefined
}
