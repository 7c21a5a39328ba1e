import { codesOf } from '../../platform/codes.ts'
import type { Stage } from '../cases/stage.ts'

/**
 * Home Office crime outcome codes (reference data) and the stage each leaves a case at. The
 * rules for recording each (withdrawal, who decided, rationale, victim told) are in service.ts.
 */
export const OUTCOMES = [
  { code: '1', label: 'Charged or summonsed', stage: 'charged' },
  { code: '1A', label: 'Charged or summonsed for an alternative offence', stage: 'charged' },
  { code: '2', label: 'Youth caution', stage: 'finalised' },
  { code: '3', label: 'Adult caution', stage: 'finalised' },
  { code: '4', label: 'Taken into consideration', stage: 'finalised' },
  { code: '5', label: 'The offender has died', stage: 'finalised' },
  { code: '6', label: 'Penalty notice for disorder', stage: 'finalised' },
  { code: '7', label: 'Cannabis or khat warning', stage: 'finalised' },
  { code: '8', label: 'Community resolution', stage: 'finalised' },
  { code: '9', label: 'Prosecution not in the public interest (CPS decision)', stage: 'no_further_action' },
  { code: '10', label: 'Formal action not in the public interest (police decision)', stage: 'no_further_action' },
  { code: '11', label: 'Prosecution prevented: suspect under age', stage: 'finalised' },
  { code: '12', label: 'Prosecution prevented: suspect too ill', stage: 'finalised' },
  { code: '13', label: 'Prosecution prevented: victim or key witness dead or too ill', stage: 'finalised' },
  {
    code: '14',
    label: 'Evidential difficulties: suspect not identified, victim does not support action to identify',
    stage: 'no_further_action',
  },
  {
    code: '15',
    label: 'Evidential difficulties: suspect identified, victim supports action, evidence prevents it',
    stage: 'no_further_action',
  },
  {
    code: '16',
    label: 'Evidential difficulties: suspect identified, victim does not support action',
    stage: 'no_further_action',
  },
  { code: '17', label: 'Prosecution time limit expired', stage: 'finalised' },
  { code: '18', label: 'Investigation complete: no suspect identified', stage: 'no_further_action' },
  { code: '19', label: 'National Fraud Intelligence Bureau filed', stage: 'finalised' },
  { code: '20', label: 'Further action by another body or agency', stage: 'finalised' },
  { code: '21', label: 'Further investigation not in the public interest (police decision)', stage: 'no_further_action' },
  { code: '22', label: 'Diversionary, educational or intervention activity', stage: 'no_further_action' },
] as const satisfies readonly { code: string; label: string; stage: Stage }[]

export type OutcomeCode = (typeof OUTCOMES)[number]['code']
export const OUTCOME_CODES = codesOf(OUTCOMES)

/** The withdrawal outcomes: only with a recorded withdrawal of the victim's support. */
export const NEEDS_WITHDRAWAL: readonly OutcomeCode[] = ['14', '16']

export function outcome(code: string) {
  return OUTCOMES.find((o) => o.code === code)
}
