import { codesOf, labelOf } from '../../platform/codes.ts'
/**
 * The Manual of Guidance (MG) forms a file for a charging decision may carry under the
 * Director's Guidance on Charging, 6th edition (DG6). The MG4 (charge sheet) is written after
 * charge, so it is not part of a pre-charge file and is not listed.
 */
export const MG_FORMS = [
  { code: 'MG2', label: 'MG2 – Special measures assessment' },
  { code: 'MG3', label: 'MG3 – Report to Crown Prosecutor for a charging decision' },
  { code: 'MG3A', label: 'MG3A – Further report to Crown Prosecutor for a charging decision' },
  { code: 'MG5', label: 'MG5 – Case summary' },
  { code: 'MG6', label: 'MG6 – Case file information' },
  { code: 'MG6B', label: 'MG6B – Police officer’s disciplinary record' },
  { code: 'MG6C', label: 'MG6C – Schedule of relevant non-sensitive unused material' },
  { code: 'MG6D', label: 'MG6D – Schedule of relevant sensitive unused material' },
  { code: 'MG6E', label: 'MG6E – Disclosure officer’s report' },
  { code: 'MG7', label: 'MG7 – Remand application' },
  { code: 'MG9', label: 'MG9 – Witness list' },
  { code: 'MG11', label: 'MG11 – Witness statements' },
  { code: 'MG12', label: 'MG12 – Exhibits list' },
  { code: 'MG15', label: 'MG15 – Record of interview' },
] as const

export type MgForm = (typeof MG_FORMS)[number]['code']
export const MG_FORM_CODES = codesOf(MG_FORMS)
export const mgFormLabel = (code: string) => labelOf(MG_FORMS, code)

export const TESTS = {
  full_code: 'Full Code Test',
  threshold: 'Threshold Test',
} as const
export type Test = keyof typeof TESTS

export const REFERRAL_STATES = {
  awaiting_triage: 'Awaiting CPS triage',
  accepted: 'Accepted: with the prosecutor for a decision',
  rejected: 'Sent back to the police at triage',
  action_plan: 'Action plan with the police',
  decided: 'Decided',
  withdrawn: 'Withdrawn',
} as const
export type ReferralState = keyof typeof REFERRAL_STATES
