import { codesOf, labelOf } from '../codes.ts'
/**
 * The parts of a case a victim may agree to share with their support service. ISVAs are
 * independent of police and CPS and are never part of the evidence: they never see suspects,
 * evidence or prosecutor reasoning, whatever is consented. Reference data, in one list.
 */
export const SHAREABLE = [
  { code: 'case_summary', label: 'the case summary (reference, offences, stage, key dates, officer’s contact details)' },
  { code: 'victim_details', label: 'their own contact details, needs and adjustments' },
  { code: 'communication_plan', label: 'their communication plan and the record of contact' },
  { code: 'outcome', label: 'decisions and the outcome of the case' },
] as const

export type Shareable = (typeof SHAREABLE)[number]['code']
export const SHAREABLE_CODES = codesOf(SHAREABLE)

export function shareableLabel(code: Shareable): string {
  return labelOf(SHAREABLE, code)
}
