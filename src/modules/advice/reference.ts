import { codesOf, labelOf } from '../../platform/codes.ts'
/**
 * Why early investigative advice was considered and not sought (recommendation 5 of the 2021
 * inspection: EA must be considered in every case, and the reason recorded when it is not).
 * Coded so the reasons can be counted; several may apply, with the officer's own words beside them.
 */
export const NOT_SOUGHT_REASONS = [
  { code: 'suspect_not_identified', label: 'No suspect has been identified' },
  { code: 'victim_withdrew', label: 'The victim withdrew support before any file was prepared' },
  { code: 'police_nfa_evidential', label: 'Police will take no further action on evidential grounds' },
  { code: 'advice_on_linked_case', label: 'Early advice has already been given on a linked case' },
  { code: 'ready_for_charging', label: 'The file is ready for a charging decision without early advice' },
  { code: 'other', label: 'Another reason' },
] as const

export type NotSoughtReason = (typeof NOT_SOUGHT_REASONS)[number]['code']
export const NOT_SOUGHT_REASON_CODES = codesOf(NOT_SOUGHT_REASONS)
export const notSoughtLabel = (code: string) => labelOf(NOT_SOUGHT_REASONS, code)

export const REQUEST_STATES = {
  awaiting_triage: 'Awaiting CPS triage',
  accepted: 'Accepted: with the prosecutor',
  rejected: 'Sent back to the police at triage',
  answered: 'Advice given',
  withdrawn: 'Withdrawn',
} as const
export type RequestState = keyof typeof REQUEST_STATES
