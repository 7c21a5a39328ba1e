import type { OrganisationKind } from '../../platform/access/actor.ts'
import type { FieldError } from '../../platform/errors.ts'
import type { Stage } from '../cases/stage.ts'
import type { RecordElp, RecordWithdrawal } from './schema.ts'

/**
 * The rules of recording a withdrawal (recommendation 3), as pure functions: each refusal names
 * the rule in words the user can act on.
 */

/** Stages before any charge: a withdrawal then is a withdrawal from the investigation or the charging decision. */
const BEFORE_CHARGE: readonly Stage[] = ['reported', 'investigation', 'early_advice', 'with_cps', 'action_plan_outstanding']
export const AFTER_CHARGE: readonly Stage[] = ['charged', 'at_court']

/**
 * The stage to record with a withdrawal. It is the case's stage at that moment, except that a
 * case whose suspect is charged is after charge even while the case's own stage has not moved
 * (the case stage moves to "charged" only with outcome 1 or 1A): a victim who withdraws after a
 * charge must never be counted as withdrawing before one.
 */
export function stageAtWithdrawal(caseStage: Stage, suspectCharged: boolean): Stage {
  return suspectCharged && BEFORE_CHARGE.includes(caseStage) ? 'charged' : caseStage
}

export const NEVER_SUPPORTED_BUT_WITHDREW_LATER =
  'You said the victim supported a police investigation and withdrew later, so “never supported a prosecution from the outset” cannot also be a reason: change one of the answers'
export const LEGACY_DELAY =
  'Say where the delay arose: choose delay in the police investigation, delay waiting for the CPS charging decision, or delay in court listing or waiting for trial'

export function withdrawalRuleErrors(w: RecordWithdrawal, today: string): FieldError[] {
  const errors: FieldError[] = []
  if (w.withdrawnOn > today) {
    errors.push({ field: 'withdrawnOn', message: 'The date the victim withdrew support must be today or in the past' })
  }
  if (w.reasons.includes('delay')) errors.push({ field: 'reasons', message: LEGACY_DELAY })
  if (w.reasons.includes('never_supported') && w.everSupported) {
    errors.push({ field: 'reasons', message: NEVER_SUPPORTED_BUT_WITHDREW_LATER })
  }
  if (w.reasons.includes('other') && !w.details) errors.push({ field: 'details', message: 'Give details of the other reason' })
  return [...errors, ...retractionErrors(w, today)]
}

/** What an MG6DAR holds is needed when a retraction statement was taken, and only then. */
function retractionErrors(w: RecordWithdrawal, today: string): FieldError[] {
  const given =
    w.retractionTakenOn !== undefined ||
    w.retractionTakenBy !== '' ||
    w.maintainsAccountTrue !== undefined ||
    w.pressureSuspected !== undefined ||
    w.pressureDetails !== '' ||
    w.victimsOwnWords !== ''
  if (!w.retractionStatementTaken) {
    return given
      ? [
          {
            field: 'retractionStatementTaken',
            message: 'Give the retraction statement’s details only when a retraction statement was taken',
          },
        ]
      : []
  }
  const errors: FieldError[] = []
  if (w.retractionTakenOn === undefined) {
    errors.push({ field: 'retractionTakenOn', message: 'Enter the date the retraction statement was taken' })
  } else if (w.retractionTakenOn < w.withdrawnOn || w.retractionTakenOn > today) {
    errors.push({
      field: 'retractionTakenOn',
      message: 'The date the retraction statement was taken must be between the withdrawal and today',
    })
  }
  if (!w.retractionTakenBy) {
    errors.push({ field: 'retractionTakenBy', message: 'Enter the name and rank of the officer who took the statement' })
  }
  if (w.maintainsAccountTrue === undefined) {
    errors.push({
      field: 'maintainsAccountTrue',
      message: 'Select whether the victim maintains their original account is true',
    })
  }
  if (w.pressureSuspected === undefined) {
    errors.push({ field: 'pressureSuspected', message: 'Select whether pressure or intimidation is suspected' })
  } else if (w.pressureSuspected === 'yes' && !w.pressureDetails) {
    errors.push({ field: 'pressureDetails', message: 'Give details of the suspected pressure or intimidation' })
  } else if (w.pressureSuspected !== 'yes' && w.pressureDetails) {
    errors.push({
      field: 'pressureDetails',
      message: 'Give details of pressure or intimidation only when it is suspected',
    })
  }
  if (!w.victimsOwnWords) {
    errors.push({ field: 'victimsOwnWords', message: 'Enter the victim’s reasons in their own words' })
  }
  return errors
}

export type ElpSoFar = {
  policeView: string | null
  cpsView: string | null
  decision: 'proceed' | 'not_proceed' | null
  result: string | null
}

/**
 * The parts that change what is recorded: a part sent again unchanged (a form drawn with what
 * was recorded) is left alone, so its who and when stay those of the person who wrote it.
 */
export function elpChanges(e: RecordElp, before: ElpSoFar): RecordElp {
  const changed = <T>(value: T | undefined, was: T | null) => (value === undefined || value === was ? undefined : value)
  return {
    policeView: changed(e.policeView, before.policeView),
    cpsView: changed(e.cpsView, before.cpsView),
    decision: changed(e.decision, before.decision),
    result: changed(e.result, before.result),
  }
}

export const ELP_POLICE_ONLY = 'Only the police record the police view on an evidence-led prosecution'
export const ELP_CPS_ONLY = 'Only the CPS records the CPS view and the decision on an evidence-led prosecution'

/**
 * Who gives which part (the police their view; the CPS its view and the decision; either the
 * result), returned as the message to refuse with, or null. Give it the changes only.
 */
export function elpForbidden(side: OrganisationKind, e: RecordElp): string | null {
  if (e.policeView !== undefined && side !== 'police_force') return ELP_POLICE_ONLY
  if ((e.cpsView !== undefined || e.decision !== undefined) && side !== 'cps_area') return ELP_CPS_ONLY
  return null
}

/** The rules for the changes (from elpChanges) against what was recorded before. */
export function elpRuleErrors(e: RecordElp, before: ElpSoFar): FieldError[] {
  const errors: FieldError[] = []
  if ([e.policeView, e.cpsView, e.decision, e.result].every((p) => p === undefined)) {
    return [{ field: 'body', message: 'Give or change at least one part of the evidence-led prosecution consideration' }]
  }
  for (const [field, value, name] of [
    ['policeView', e.policeView, 'the police view'],
    ['cpsView', e.cpsView, 'the CPS view'],
    ['result', e.result, 'the result'],
  ] as const) {
    // A part once given is changed, not blanked: who said what, and when, stays on record.
    if (value === '') errors.push({ field, message: `Enter ${name}` })
  }
  if (e.decision !== undefined && !before.cpsView && !e.cpsView) {
    errors.push({ field: 'cpsView', message: 'Give the CPS view with the decision on an evidence-led prosecution' })
  }
  const decision = e.decision ?? before.decision
  if (e.decision === 'not_proceed' && before.result !== null && e.result === undefined) {
    errors.push({
      field: 'decision',
      message: 'A result of the evidence-led prosecution is recorded, so the decision cannot become not to proceed',
    })
  } else if (e.result !== undefined && decision !== 'proceed') {
    errors.push({
      field: 'result',
      message: 'Record the result only once the CPS has decided to proceed with an evidence-led prosecution',
    })
  }
  return errors
}
