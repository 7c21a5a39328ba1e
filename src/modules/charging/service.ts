import type { Sql } from '../../db/client.ts'
import { audit } from '../../platform/audit/audit.ts'
import { type MovedDate, workingDate } from '../../platform/calendar/working-date.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { closeDeadline, deadlinesOfCase, openDeadline, sideOwner } from '../../platform/deadlines/deadlines.ts'
import { Conflict, type FieldError, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { howConsidered, NO_AREA, openAdviceCase, referToArea, servingArea } from '../advice/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { anyIdentified } from '../suspects/service.ts'
import { answerTriageRejections, endOfDayAfter } from '../triage/service.ts'
import * as queries from './queries.ts'
import { ReferForCharge, referralDateLabel } from './schema.ts'

/**
 * Referral for a charging decision (DG6): the Full Code Test or the Threshold Test, with the MG
 * forms in the file, sent to the CPS Area serving the force. The CPS clock (`charging_decision`,
 * subject the referral) runs `chargingDecisionDays` calendar days from receipt, to a working day; triage hands it
 * to a prosecutor or stops it (triage/service.ts), and finalising the case stops it for good.
 * The date the Threshold Test's further evidence is expected is a date the police must act by: one
 * on a weekend or bank holiday is stored moved to the next working day, listed in `moved`.
 */

export const EARLY_ADVICE_RULE =
  'Early advice must be considered before a referral for a charging decision: request early advice from the CPS, or record why it was not sought'

export const SUSPECT_RULE = 'A referral for a charging decision needs an identified suspect: record who the suspect is first'

export async function refer(ctx: Ctx, caseId: string, input: unknown): Promise<{ id: string; moved: MovedDate[] }> {
  const cmd = parseInput(ReferForCharge, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openAdviceCase(tx, ctx, caseId, 'refer_for_charge')
    // Recommendation 5: early advice considered in every case, so no referral until it has been.
    if (!(await howConsidered(tx, c.id))) throw new Conflict(EARLY_ADVICE_RULE, 'early_advice_not_considered')
    // DG6: the CPS decides whether to charge someone, so there must be someone to charge.
    if (!(await anyIdentified(tx, c.id))) throw new Conflict(SUSPECT_RULE, 'suspect_not_identified')
    if (await queries.openReferral(tx, c.id)) {
      throw new Conflict(
        'A charging referral is already with the CPS for this case. Wait for its triage or decision.',
        'already_with_cps',
      )
    }
    if (cmd.thresholdEvidenceExpected && cmd.thresholdEvidenceExpected < todayIn(ctx.clock)) {
      throw new ValidationFailed([
        {
          field: 'thresholdEvidenceExpected',
          message: 'The date the further evidence is expected must be today or in the future',
        },
      ])
    }
    const moved: MovedDate[] = []
    if (cmd.thresholdEvidenceExpected) {
      const errors: FieldError[] = []
      cmd.thresholdEvidenceExpected = workingDate(
        'thresholdEvidenceExpected',
        cmd.thresholdEvidenceExpected,
        referralDateLabel,
        moved,
        errors,
      )
      if (errors.length) throw new ValidationFailed(errors)
    }
    const area = await servingArea(tx, c.forceId)
    if (!area) throw new Conflict(NO_AREA, 'no_serving_cps_area')
    const at = ctx.clock.now()
    await referToArea(tx, c.id, area.id)
    const id = await queries.insertReferral(tx, { ...cmd, caseId: c.id, areaId: area.id, at, by: ctx.actor.id })
    await answerTriageRejections(tx, c.id, at)
    // The reviewing prosecutor owns it if one is already assigned; otherwise the Area, until triage.
    await openDeadline(tx, {
      kind: 'charging_decision',
      caseId: c.id,
      subjectId: id,
      dueAt: endOfDayAfter(at, ctx.config.chargingDecisionDays, 'decisionDue', referralDateLabel('decisionDue'), moved),
      at,
      ...(await sideOwner(tx, c.id, 'cps')),
    })
    await appendEvent(tx, c.id, {
      type: 'charging.referred',
      at,
      by: ctx.actor.id,
      data: { referralId: id, test: cmd.test, mgForms: cmd.mgForms },
    })
    await audit.alteration(tx, ctx, {
      action: 'charging.referred',
      caseId: c.id,
      subject: 'file for a charging decision',
      justification,
      details: { test: cmd.test, disclosedTo: area.id },
    })
    return { id, moved }
  })
}

/**
 * The case is finalised (outcomes/service.ts): the charging decision clock stops, met by its due
 * time or missed after it, and a referral still open is decided.
 */
export async function closeChargingOnFinalise(tx: Sql, caseId: string, at: Date): Promise<void> {
  const running = await deadlinesOfCase(tx, caseId, ['charging_decision'], { states: ['open', 'paused'], lock: true })
  for (const clock of running) {
    const late = at.getTime() > clock.dueAt.getTime()
    await closeDeadline(tx, clock.id, late ? 'missed' : 'met', late ? 'Case finalised after the decision was due' : null, at)
  }
  await queries.decideOpenReferrals(tx, caseId, at)
}

/** The case's charging referrals, newest first, for the advice and charging section (advice/service.ts). */
export async function referralsOf(tx: Sql, caseId: string) {
  return queries.referralsOf(tx, caseId)
}
