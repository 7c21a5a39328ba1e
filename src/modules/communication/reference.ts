import { codesOf, labelOf } from '../../platform/codes.ts'
/**
 * Reference lists for the communication plan and the contact log (DOMAIN.md, "The victim").
 * Codes are stored and go into timeline events; labels are for people and may be reworded.
 */

export const CHANNELS = [
  { code: 'phone', label: 'Phone' },
  { code: 'email', label: 'Email' },
  { code: 'letter', label: 'Letter' },
  { code: 'in_person', label: 'In person' },
  { code: 'via_isva', label: 'Through their ISVA' },
  { code: 'via_police', label: 'Through the police' },
] as const
export type Channel = (typeof CHANNELS)[number]['code']
export const CHANNEL_CODES = codesOf(CHANNELS)

/** How often the victim wants updates: the usual choices; any whole number of days is allowed. */
export const USUAL_FREQUENCIES = [7, 14, 28] as const
export const MAX_UPDATE_DAYS = 365

/**
 * How the victim wants to hear of a decision to take no further action. The inspection found NFA
 * decisions too often poorly communicated; the victim's choice must be honoured and recorded.
 */
export const NFA_PREFERENCES = [
  { code: 'in_person_with_isva', label: 'In person, with their ISVA present' },
  { code: 'in_person', label: 'In person, by the officer in charge' },
  { code: 'phone', label: 'By phone' },
  { code: 'via_isva', label: 'Through their ISVA' },
  { code: 'letter', label: 'By letter' },
  { code: 'email', label: 'By email' },
  { code: 'other', label: 'Another way (give details)' },
] as const
export type NfaPreference = (typeof NFA_PREFERENCES)[number]['code']
export const NFA_PREFERENCE_CODES = codesOf(NFA_PREFERENCES)

/** Who made a contact: organisations, not people, so the log can be counted without naming staff. */
export const MADE_BY = [
  { code: 'police', label: 'Police' },
  { code: 'cps', label: 'CPS' },
  { code: 'isva', label: 'ISVA' },
] as const
export type MadeBy = (typeof MADE_BY)[number]['code']
export const MADE_BY_CODES = codesOf(MADE_BY)

type Coded = readonly { code: string; label: string }[]
export const labelled = (list: Coded, code: string) => ({ code, label: labelOf(list, code) })

export function frequencyLabel(days: number | null): string {
  if (days === null) return 'Only at key decisions'
  return days === 1 ? 'Every day' : `Every ${days} days`
}
