import { codesOf } from '../../platform/codes.ts'
/** Reference data for support referrals and offers. */
export const SUPPORT_KINDS = {
  isva: 'Independent Sexual Violence Adviser (ISVA)',
  sarc: 'Sexual Assault Referral Centre (SARC)',
} as const

/** What may be offered at a stage; free of personal data so it can be counted. */
export const SUPPORT_OFFERED = [
  { code: 'isva', label: 'ISVA support' },
  { code: 'sarc', label: 'SARC (medical and forensic care)' },
  { code: 'counselling', label: 'Counselling or therapy' },
  { code: 'victim_support', label: 'Victim Support or another local service' },
  { code: 'pre_trial_meeting', label: 'A pre-trial meeting with the prosecutor' },
  { code: 'special_measures', label: 'Special measures for giving evidence' },
] as const
export type SupportOffered = (typeof SUPPORT_OFFERED)[number]['code']
export const SUPPORT_OFFERED_CODES = codesOf(SUPPORT_OFFERED)
