import type { Sql } from '../../db/client.ts'
import { hasRole } from '../../platform/access/actor.ts'
import { supportShared } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { addWorkingDays } from '../../platform/calendar/working-days.ts'
import { endOfLondonDay, today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import {
  cancelRunningClocks,
  closeDeadline,
  openDeadline,
  openDeadlineFor,
  sideOwner,
} from '../../platform/deadlines/deadlines.ts'
import { Conflict, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { howConsidered } from '../advice/service.ts'
import { isIndictableOnly } from '../cases/offences.ts'
import { type CaseRecord, crimesOf, openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { closeChargingOnFinalise } from '../charging/service.ts'
import { anyIdentified } from '../suspects/service.ts'
import { isWithdrawn } from '../withdrawal/service.ts'
import { outcome } from './codes.ts'
import * as queries from './queries.ts'
import { outcomeRuleErrors } from './rules.ts'
import { Decline, Finalise, Reopen } from './schema.ts'

/** Working days a supervisor has to authorise or decline a proposed police decision. */
const AUTHORISE_WITHIN_WORKING_DAYS = 2

export async function viewOutcomes(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'view_outcome')
    const outcomes = await queries.outcomesOf(tx, c.id)
    await audit.consultation(tx, ctx, { action: 'outcome.viewed', caseId: c.id, subject: 'case outcome', justification })
    const current = outcomes.find((o) => o.reopenedAt === null) ?? null
    // ISVAs are independent of the investigation: with the victim's "outcome" consent they learn
    // what was decided and when, in plain words, never the reasons, the rationale or who decided.
    if (supportShared(ctx.actor, c)) {
      return {
        case: c,
        plain: outcomes.map((o) => ({
          decided: outcome(o.code)?.plain ?? 'The case was closed',
          decidedOn: o.finalisedOn,
          inForce: o.reopenedAt === null,
        })),
      }
    }
    return {
      case: c,
      current,
      history: outcomes.filter((o) => o !== current),
      proposal: (await queries.openProposal(tx, c.id)) ?? null,
      declined: await queries.declinedProposals(tx, c.id),
    }
  })
}

async function factsFor(tx: Sql, ctx: Ctx, c: CaseRecord) {
  return {
    // Until outcomes are per crime, the case's outcome is its first crime's, whose victim's withdrawal counts.
    withdrawn: await isWithdrawn(tx, c.id, (await crimesOf(tx, c.id))[0]?.victimId ?? null),
    suspectIdentified: await anyIdentified(tx, c.id),
    earlyAdviceConsidered: (await howConsidered(tx, c.id)) !== null,
    indictableOnly: c.offences.some((o) => isIndictableOnly(o.code)),
    today: todayIn(ctx.clock),
    dateReported: c.dateReported,
  }
}

async function checkRules(tx: Sql, ctx: Ctx, c: CaseRecord, cmd: Finalise) {
  const errors = outcomeRuleErrors(cmd, await factsFor(tx, ctx, c))
  if (errors.length > 0) throw new ValidationFailed(errors, 'outcome_rules_not_met')
}

async function recordOutcome(
  tx: Sql,
  ctx: Ctx,
  c: CaseRecord,
  cmd: Finalise,
  authorisedBy: string | null,
  justification: string,
) {
  const at = ctx.clock.now()
  const decidedBy = outcome(cmd.code)?.decider === 'cps' ? 'cps' : 'police'
  await queries.insertOutcome(tx, { ...cmd, caseId: c.id, decidedBy, by: ctx.actor.id, at, authorisedBy })
  await appendEvent(tx, c.id, { type: 'case.finalised', at, by: ctx.actor.id, data: { code: cmd.code, decidedBy } })
  await closeChargingOnFinalise(tx, c.id, at)
  // The victim is still owed their agreed updates; every other clock ends with the case.
  await cancelRunningClocks(tx, c.id, 'The case was finalised', at, ['victim_update'])
  await audit.alteration(tx, ctx, { action: 'case.finalised', caseId: c.id, subject: 'case outcome', justification })
}

/**
 * Finalises a case with a Home Office outcome the police decide; each code's rules must be met
 * first. A police decision to take no further action needs a supervisor's authorisation: a
 * supervisor's own decision is authorised as it is recorded, anyone else's waits as a proposal
 * with a clock for the case's supervisor, and comes into force only when authorised.
 */
export async function finalise(
  ctx: Ctx,
  caseId: string,
  input: unknown,
): Promise<{ state: 'finalised' | 'awaiting_authorisation' }> {
  const cmd = parseInput(Finalise, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'finalise')
    if (await queries.currentOutcomeId(tx, c.id))
      throw new Conflict('This case is already finalised: reopen it to record another outcome', 'outcome_already_finalised')
    if (await queries.openProposal(tx, c.id, true)) {
      throw new Conflict(
        'A decision to take no further action is waiting for a supervisor’s authorisation',
        'outcome_awaiting_authorisation',
      )
    }
    await checkRules(tx, ctx, c, cmd)
    const rule = outcome(cmd.code)
    const supervisor = hasRole(ctx.actor, 'police_supervisor')
    if (!rule?.policeNfa || supervisor) {
      await recordOutcome(tx, ctx, c, cmd, rule?.policeNfa ? ctx.actor.id : null, justification)
      return { state: 'finalised' as const }
    }
    const at = ctx.clock.now()
    const id = await queries.insertProposal(tx, { ...cmd, caseId: c.id, by: ctx.actor.id, at })
    const owner = await sideOwner(tx, c.id, 'police', c.supervisor?.id)
    const due = endOfLondonDay(addWorkingDays(todayIn(ctx.clock), AUTHORISE_WITHIN_WORKING_DAYS))
    await openDeadline(tx, { kind: 'outcome_authorisation', caseId: c.id, subjectId: id, dueAt: due, at, ...owner })
    await appendEvent(tx, c.id, { type: 'outcome.proposed', at, by: ctx.actor.id, data: { code: cmd.code } })
    await audit.alteration(tx, ctx, { action: 'outcome.proposed', caseId: c.id, subject: 'case outcome', justification })
    return { state: 'awaiting_authorisation' as const }
  })
}

/** A police supervisor authorises the proposed decision, which then comes into force. */
export async function authorise(ctx: Ctx, caseId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'authorise_outcome')
    const proposal = await queries.openProposal(tx, c.id, true)
    if (!proposal) throw new Conflict('There is no decision waiting for authorisation on this case', 'no_outcome_proposal')
    if (await queries.currentOutcomeId(tx, c.id))
      throw new Conflict('This case is already finalised', 'outcome_already_finalised')
    // The case may have moved on since the proposal (a suspect identified, a re-engagement).
    await checkRules(tx, ctx, c, proposal.command)
    const at = ctx.clock.now()
    await queries.decideProposal(tx, proposal.id, { authorised: true, by: ctx.actor.id, at, declinedReason: null })
    await closeAuthorisationClock(tx, proposal.id, at)
    await appendEvent(tx, c.id, { type: 'outcome.authorised', at, by: ctx.actor.id, data: { code: proposal.code } })
    await recordOutcome(tx, ctx, c, proposal.command, ctx.actor.id, justification)
  })
}

/** A police supervisor declines the proposed decision, with the reason; the investigation goes on. */
export async function decline(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const { reason } = parseInput(Decline, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'authorise_outcome')
    const proposal = await queries.openProposal(tx, c.id, true)
    if (!proposal) throw new Conflict('There is no decision waiting for authorisation on this case', 'no_outcome_proposal')
    const at = ctx.clock.now()
    await queries.decideProposal(tx, proposal.id, { authorised: false, by: ctx.actor.id, at, declinedReason: reason })
    await closeAuthorisationClock(tx, proposal.id, at)
    // The reason is free text: it stays on the proposal's row.
    await appendEvent(tx, c.id, { type: 'outcome.not_authorised', at, by: ctx.actor.id, data: { code: proposal.code } })
    await audit.alteration(tx, ctx, { action: 'outcome.not_authorised', caseId: c.id, subject: 'case outcome', justification })
  })
}

async function closeAuthorisationClock(tx: Sql, proposalId: string, at: Date) {
  const clock = await openDeadlineFor(tx, 'outcome_authorisation', proposalId, { lock: true })
  if (clock) await closeDeadline(tx, clock.id, 'met', 'authorisation decided', at)
}

export async function reopen(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const { reason } = parseInput(Reopen, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'finalise')
    const current = await queries.currentOutcomeId(tx, c.id)
    if (!current) throw new Conflict('This case is not finalised, so there is nothing to reopen', 'outcome_not_finalised')
    const at = ctx.clock.now()
    await queries.reopen(tx, current, { reason, by: ctx.actor.id, at })
    // The reason is free text and may hold personal data: it stays in the outcome record, not in the event.
    await appendEvent(tx, c.id, { type: 'case.reopened', at, by: ctx.actor.id })
    await audit.alteration(tx, ctx, { action: 'case.reopened', caseId: c.id, subject: 'case outcome', justification })
  })
}
