import { codesOf } from '../../platform/codes.ts'
/**
 * Why victims withdraw support (recommendation 3): structured so the reasons can be counted,
 * with free text beside them. Reference data, in one list; several may apply.
 */
export const WITHDRAWAL_REASONS = [
  { code: 'not_ready', label: 'Not ready to go through the process now' },
  { code: 'fear_of_suspect', label: 'Fear of the suspect or of reprisals' },
  { code: 'fear_of_court', label: 'Fear of giving evidence or of court' },
  { code: 'delay', label: 'The time the investigation or prosecution is taking' },
  { code: 'digital_downloads', label: 'Concern about requests for their phone or other devices' },
  { code: 'personal_records', label: 'Concern about requests for medical, counselling or other records' },
  { code: 'lack_of_support', label: 'Not enough support' },
  { code: 'distrust_of_police', label: 'Lost confidence in the police' },
  { code: 'distrust_of_cjs', label: 'Lost confidence in the criminal justice system' },
  { code: 'relationship_with_suspect', label: 'Relationship with the suspect (for example, a partner or family member)' },
  { code: 'pressure', label: 'Pressure from the suspect, family or community' },
  { code: 'health', label: 'Their physical or mental health' },
  { code: 'wants_to_move_on', label: 'Wants to move on with their life' },
  { code: 'other', label: 'Another reason (give details)' },
] as const

export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number]['code']
export const WITHDRAWAL_REASON_CODES = codesOf(WITHDRAWAL_REASONS)
