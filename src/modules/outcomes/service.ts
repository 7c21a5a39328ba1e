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
import { openCrimeSection } from '../cases/crimes-service.ts'
import { isIndictableOnly } from '../cases/offences.ts'
import { type CaseRecord, crimesOf } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { closeChargingOnFinalise } from '../charging/service.ts'
import { anyIdentified } from '../suspects/service.ts'
import { isWithdrawn } from '../withdrawal/service.ts'
import { outcome, stageOfOutcomes } from './codes.ts'
import * as queries from './queries.ts'
import { outcomeRuleErrors } from './rules.ts'
import { Decline, Finalise, Reopen } from './schema.ts'

/** Working days a supervisor has to authorise or decline a proposed police decision. */
const AUTHORISE_WITHIN_WORKING_DAYS = 2

/**
 * Each crime of a case file has its own outcome and its own proposal (docs/decisions/0007).
 * `crimeId` names the crime; without it (the addresses a case had when it held one crime) the
 * outcome is that of the case's one crime, and a user who knows of several is asked which.
 */
type Which = { crimeId?: string }
type Crime = Awaited<ReturnType<typeof openCrimeSection>>['crime']

/** The ids every event about a crime's outcome carries, so a support service's timeline can leave out other victims'. */
const about = (crime: Crime) => ({ crimeId: crime.id, victimId: crime.victimId })

export async function viewOutcomes(ctx: Ctx, caseId: string, opts: Which = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, crime, justification } = await openCrimeSection(tx, ctx, caseId, opts.crimeId, 'view_outcome')
    const outcomes = await queries.outcomesOf(tx, crime.id)
    await audit.consultation(tx, ctx, {
      action: 'outcome.viewed',
      caseId: c.id,
      subject: 'crime outcome',
      justification,
      details: { crimeId: crime.id },
    })
    const current = outcomes.find((o) => o.reopenedAt === null) ?? null
    const of = { id: crime.id, crimeReference: crime.crimeReference }
    // ISVAs are independent of the investigation: with the victim's "outcome" consent they learn
    // what was decided and when, in plain words, never the reasons, the rationale or who decided.
    if (supportShared(ctx.actor, c)) {
      return {
        case: c,
        crime: of,
        plain: outcomes.map((o) => ({
          decided: outcome(o.code)?.plain ?? 'The case was closed',
          decidedOn: o.finalisedOn,
          inForce: o.reopenedAt === null,
        })),
      }
    }
    return {
      case: c,
      crime: of,
      /** Whether the case file holds other crimes, for the page's words; police and CPS know them all. */
      severalCrimes: (await crimesOf(tx, c.id)).length > 1,
      current,
      history: outcomes.filter((o) => o !== current),
      proposal: (await queries.openProposal(tx, crime.id)) ?? null,
      declined: await queries.declinedProposals(tx, crime.id),
    }
  })
}

/** What the rules need: the crime's victim's withdrawal and the crime's offences; suspects and advice are the case's. */
async function factsFor(tx: Sql, ctx: Ctx, c: CaseRecord, crime: Crime) {
  return {
    withdrawn: await isWithdrawn(tx, c.id, crime.victimId),
    suspectIdentified: await anyIdentified(tx, c.id),
    earlyAdviceConsidered: (await howConsidered(tx, c.id)) !== null,
    indictableOnly: crime.offences.some((o) => isIndictableOnly(o.code)),
    today: todayIn(ctx.clock),
    dateReported: c.dateReported,
  }
}

async function checkRules(tx: Sql, ctx: Ctx, c: CaseRecord, crime: Crime, cmd: Finalise) {
  const errors = outcomeRuleErrors(cmd, await factsFor(tx, ctx, c, crime))
  if (errors.length > 0) throw new ValidationFailed(errors, 'outcome_rules_not_met')
}

/**
 * Puts the crime's outcome in force. The case is finalised (its stage moves, and its clocks and
 * charging referrals close) only when this was the last of its crimes without an outcome;
 * until then the crime alone is finalised.
 */
async function recordOutcome(
  tx: Sql,
  ctx: Ctx,
  c: CaseRecord,
  crime: Crime,
  cmd: Finalise,
  authorisedBy: string | null,
  justification: string,
) {
  const at = ctx.clock.now()
  const decidedBy = outcome(cmd.code)?.decider === 'cps' ? 'cps' : 'police'
  await queries.insertOutcome(tx, { ...cmd, caseId: c.id, crimeId: crime.id, decidedBy, by: ctx.actor.id, at, authorisedBy })
  const data = { ...about(crime), code: cmd.code, decidedBy }
  const details = { crimeId: crime.id }
  const crimes = await crimesOf(tx, c.id)
  if (crimes.some((k) => k.outcomeCode === null)) {
    await appendEvent(tx, c.id, { type: 'crime.finalised', at, by: ctx.actor.id, data })
    await audit.alteration(tx, ctx, { action: 'crime.finalised', caseId: c.id, subject: 'crime outcome', justification, details })
    return
  }
  const stage = stageOfOutcomes(crimes.map((k) => k.outcomeCode as string))
  await appendEvent(tx, c.id, { type: 'case.finalised', at, by: ctx.actor.id, data: { ...data, stage } })
  await closeChargingOnFinalise(tx, c.id, at)
  // The victim is still owed their agreed updates; every other clock ends with the case.
  await cancelRunningClocks(tx, c.id, 'The case was finalised', at, ['victim_update'])
  await audit.alteration(tx, ctx, { action: 'case.finalised', caseId: c.id, subject: 'case outcome', justification, details })
}

const ALREADY_FINALISED = 'This crime is already finalised: reopen it to record another outcome'
const NO_PROPOSAL = 'There is no decision waiting for authorisation on this crime'

/**
 * Finalises a crime with a Home Office outcome the police decide; each code's rules must be met
 * first. A police decision to take no further action needs a supervisor's authorisation: a
 * supervisor's own decision is authorised as it is recorded, anyone else's waits as a proposal
 * with a clock for the case's supervisor, and comes into force only when authorised.
 */
export async function finalise(
  ctx: Ctx,
  caseId: string,
  input: unknown,
  opts: Which = {},
): Promise<{ state: 'finalised' | 'awaiting_authorisation' }> {
  const cmd = parseInput(Finalise, input)
  return ctx.db.transaction(async (tx) => {
    // The case is held until commit, so two crimes finalised at once cannot both miss being the last.
    const opened = await openCrimeSection(tx, ctx, caseId, opts.crimeId, 'finalise', { lock: true })
    const { case: c, crime, justification } = opened
    if (await queries.currentOutcomeId(tx, crime.id)) throw new Conflict(ALREADY_FINALISED, 'outcome_already_finalised')
    if (await queries.openProposal(tx, crime.id, true)) {
      throw new Conflict(
        'A decision to take no further action on this crime is waiting for a supervisor’s authorisation',
        'outcome_awaiting_authorisation',
      )
    }
    await checkRules(tx, ctx, c, crime, cmd)
    const rule = outcome(cmd.code)
    const supervisor = hasRole(ctx.actor, 'police_supervisor')
    if (!rule?.policeNfa || supervisor) {
      await recordOutcome(tx, ctx, c, crime, cmd, rule?.policeNfa ? ctx.actor.id : null, justification)
      return { state: 'finalised' as const }
    }
    const at = ctx.clock.now()
    const id = await queries.insertProposal(tx, { ...cmd, caseId: c.id, crimeId: crime.id, by: ctx.actor.id, at })
    const owner = await sideOwner(tx, c.id, 'police', c.supervisor?.id)
    const due = endOfLondonDay(addWorkingDays(todayIn(ctx.clock), AUTHORISE_WITHIN_WORKING_DAYS))
    await openDeadline(tx, { kind: 'outcome_authorisation', caseId: c.id, subjectId: id, dueAt: due, at, ...owner })
    await appendEvent(tx, c.id, { type: 'outcome.proposed', at, by: ctx.actor.id, data: { ...about(crime), code: cmd.code } })
    await audit.alteration(tx, ctx, {
      action: 'outcome.proposed',
      caseId: c.id,
      subject: 'crime outcome',
      justification,
      details: { crimeId: crime.id },
    })
    return { state: 'awaiting_authorisation' as const }
  })
}

/** A police supervisor authorises the proposed decision, which then comes into force. */
export async function authorise(ctx: Ctx, caseId: string, opts: Which = {}): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const opened = await openCrimeSection(tx, ctx, caseId, opts.crimeId, 'authorise_outcome', { lock: true })
    const { case: c, crime, justification } = opened
    const proposal = await queries.openProposal(tx, crime.id, true)
    if (!proposal) throw new Conflict(NO_PROPOSAL, 'no_outcome_proposal')
    if (await queries.currentOutcomeId(tx, crime.id)) throw new Conflict(ALREADY_FINALISED, 'outcome_already_finalised')
    // The case may have moved on since the proposal (a suspect identified, a re-engagement).
    await checkRules(tx, ctx, c, crime, proposal.command)
    const at = ctx.clock.now()
    await queries.decideProposal(tx, proposal.id, { authorised: true, by: ctx.actor.id, at, declinedReason: null })
    await closeAuthorisationClock(tx, proposal.id, at)
    await appendEvent(tx, c.id, {
      type: 'outcome.authorised',
      at,
      by: ctx.actor.id,
      data: { ...about(crime), code: proposal.code },
    })
    await recordOutcome(tx, ctx, c, crime, proposal.command, ctx.actor.id, justification)
  })
}

/** A police supervisor declines the proposed decision, with the reason; the investigation goes on. */
export async function decline(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}): Promise<void> {
  const { reason } = parseInput(Decline, input)
  await ctx.db.transaction(async (tx) => {
    const opened = await openCrimeSection(tx, ctx, caseId, opts.crimeId, 'authorise_outcome', { lock: true })
    const { case: c, crime, justification } = opened
    const proposal = await queries.openProposal(tx, crime.id, true)
    if (!proposal) throw new Conflict(NO_PROPOSAL, 'no_outcome_proposal')
    const at = ctx.clock.now()
    await queries.decideProposal(tx, proposal.id, { authorised: false, by: ctx.actor.id, at, declinedReason: reason })
    await closeAuthorisationClock(tx, proposal.id, at)
    // The reason is free text: it stays on the proposal's row.
    const data = { ...about(crime), code: proposal.code }
    await appendEvent(tx, c.id, { type: 'outcome.not_authorised', at, by: ctx.actor.id, data })
    await audit.alteration(tx, ctx, {
      action: 'outcome.not_authorised',
      caseId: c.id,
      subject: 'crime outcome',
      justification,
      details: { crimeId: crime.id },
    })
  })
}

async function closeAuthorisationClock(tx: Sql, proposalId: string, at: Date) {
  const clock = await openDeadlineFor(tx, 'outcome_authorisation', proposalId, { lock: true })
  if (clock) await closeDeadline(tx, clock.id, 'met', 'authorisation decided', at)
}

/**
 * Reopens a crime's outcome, with the reason. When the case was finalised (every crime had an
 * outcome) the case is reopened and returns to investigation; otherwise the crime alone is.
 */
export async function reopen(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}): Promise<void> {
  const { reason } = parseInput(Reopen, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, crime, justification } = await openCrimeSection(tx, ctx, caseId, opts.crimeId, 'finalise', { lock: true })
    const current = await queries.currentOutcomeId(tx, crime.id)
    if (!current) throw new Conflict('This crime is not finalised, so there is nothing to reopen', 'outcome_not_finalised')
    const caseFinalised = (await crimesOf(tx, c.id)).every((k) => k.outcomeCode !== null)
    const at = ctx.clock.now()
    await queries.reopen(tx, current, { reason, by: ctx.actor.id, at })
    // The reason is free text and may hold personal data: it stays in the outcome record, not in the event.
    const details = { crimeId: crime.id }
    if (caseFinalised) {
      await appendEvent(tx, c.id, { type: 'case.reopened', at, by: ctx.actor.id, data: about(crime) })
      await audit.alteration(tx, ctx, { action: 'case.reopened', caseId: c.id, subject: 'case outcome', justification, details })
    } else {
      await appendEvent(tx, c.id, { type: 'crime.reopened', at, by: ctx.actor.id, data: about(crime) })
      await audit.alteration(tx, ctx, {
        action: 'crime.reopened',
        caseId: c.id,
        subject: 'crime outcome',
        justification,
        details,
      })
    }
  })
}
