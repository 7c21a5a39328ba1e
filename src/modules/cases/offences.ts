import { codesOf, labelOf } from '../../platform/codes.ts'
/**
 * Home Office crime classifications a Casebridge case may carry: rape (19C–19K) and the
 * other serious sexual offences. Reference data, kept in one list so later issues (the CPS
 * rape flag, measures by classification) read the same codes.
 */
export const OFFENCES = [
  { code: '19C', label: 'Rape of a female aged 16 and over', rape: true },
  { code: '19D', label: 'Rape of a female aged under 16', rape: true },
  { code: '19E', label: 'Rape of a female child under 13', rape: true },
  { code: '19F', label: 'Rape of a male aged 16 and over', rape: true },
  { code: '19G', label: 'Rape of a male aged under 16', rape: true },
  { code: '19H', label: 'Rape of a male child under 13', rape: true },
  { code: '19J', label: 'Rape of a female, multiple undefined offenders', rape: true },
  { code: '19K', label: 'Rape of a male, multiple undefined offenders', rape: true },
  { code: '17A', label: 'Sexual assault on a male aged 13 and over', rape: false },
  { code: '17B', label: 'Sexual assault on a male child under 13', rape: false },
  { code: '20A', label: 'Sexual assault on a female aged 13 and over', rape: false },
  { code: '20B', label: 'Sexual assault on a female child under 13', rape: false },
  { code: '21', label: 'Sexual activity involving a child under 13', rape: false },
  { code: '22A', label: 'Causing sexual activity without consent', rape: false },
  { code: '22B', label: 'Sexual activity involving a child under 16', rape: false },
  { code: '23', label: 'Incest or familial sexual offences', rape: false },
  { code: '70', label: 'Sexual activity with a person with a mental disorder', rape: false },
  { code: '71', label: 'Abuse of children through sexual exploitation', rape: false },
  { code: '88A', label: 'Sexual grooming', rape: false },
] as const

export type OffenceCode = (typeof OFFENCES)[number]['code']
export const OFFENCE_CODES = codesOf(OFFENCES)

export function isRape(code: string): boolean {
  return OFFENCES.some((o) => o.code === code && o.rape)
}

/**
 * Indictable-only offences (triable only in the Crown Court). Rape is; the other classifications
 * here are either way unless penetration is involved, which the classification alone cannot say,
 * so only rape is treated as indictable only (a caution then needs CPS agreement).
 */
export function isIndictableOnly(code: string): boolean {
  return isRape(code)
}

export function offenceLabel(code: string): string {
  return labelOf(OFFENCES, code)
}
