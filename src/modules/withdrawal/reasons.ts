import { codesOf } from '../../platform/codes.ts'

/**
 * Why victims withdraw support (recommendation 3): structured so the reasons can be counted,
 * with free text beside them. Reference data, in one list; several may apply. The inspection's
 * drivers each have their own code: delay split by where it arose (so it can be put right where
 * it happens), poor communication, fear of not being believed, wanting it recorded only, and a
 * victim who never supported a prosecution at all.
 */
export const WITHDRAWAL_REASONS = [
  { code: 'delay_police', label: 'Delay in the police investigation' },
  { code: 'delay_cps', label: 'Delay waiting for the CPS charging decision' },
  { code: 'delay_court', label: 'Delay in court listing or waiting for trial' },
  { code: 'not_kept_informed', label: 'Not kept informed, or poor communication' },
  { code: 'fear_not_believed', label: 'Fear of not being believed' },
  { code: 'recorded_not_prosecuted', label: 'Wanted it recorded but not prosecuted' },
  {
    code: 'never_supported',
    label: 'Never supported a prosecution from the outset (for example, someone else reported it)',
  },
  { code: 'not_ready', label: 'Not ready to go through the process now' },
  { code: 'fear_of_suspect', label: 'Fear of the suspect or of reprisals' },
  { code: 'fear_of_court', label: 'Fear of giving evidence or of court' },
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

/**
 * Codes kept only so withdrawals recorded before a change still read well; never offered or
 * accepted for a new withdrawal. 'delay' predates the split by where the delay arose: those
 * rows are left as they were (see migration 0014) because where it arose was never recorded.
 */
export const LEGACY_WITHDRAWAL_REASONS = [{ code: 'delay', label: 'Delay (where it arose not recorded)' }] as const

/** Every code that may be stored, for showing a recorded withdrawal. */
export const ALL_WITHDRAWAL_REASONS = [...WITHDRAWAL_REASONS, ...LEGACY_WITHDRAWAL_REASONS] as const

export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number]['code']
export const WITHDRAWAL_REASON_CODES = codesOf(WITHDRAWAL_REASONS)
export const ALL_WITHDRAWAL_REASON_CODES = codesOf(ALL_WITHDRAWAL_REASONS)

export const PRESSURE_ANSWERS = [
  { code: 'yes', label: 'Yes' },
  { code: 'no', label: 'No' },
  { code: 'unknown', label: 'Not known' },
] as const

export const ELP_DECISIONS = [
  { code: 'proceed', label: 'Proceed with an evidence-led prosecution' },
  { code: 'not_proceed', label: 'Do not proceed with an evidence-led prosecution' },
] as const
