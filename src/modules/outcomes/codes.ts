import { codesOf } from '../../platform/codes.ts'
import type { Stage } from '../cases/stage.ts'

/**
 * Home Office crime outcome codes and the counting rules each carries, in one table so the
 * rules are read from one place (the form's choices, the checks, the stage and the words an
 * ISVA sees). DOMAIN.md, "Crimes, outcomes and who decides", is the source.
 *
 * - suspect: 'identified' needs a suspect identified on the case, 'none' needs none, 'any' either.
 * - withdrawal: 'needed' when the victim's withdrawal of support must be on record (and not followed
 *   by re-engagement); 'refused' when the code says the victim supports action (15), so an open
 *   withdrawal contradicts it.
 * - decider: who makes the decision. 'cps' codes come only from a CPS charging decision (the
 *   decisions issue records them), so the police outcome form never offers them; 15 is 'either'
 *   and the police form records it as a police decision.
 * - sexualOffences: false for disposals the law or the counting rules rule out for a sexual
 *   offence; every Casebridge case is a sexual offence, so those codes are never accepted.
 * - policeNfa: a police decision to take no further action. It needs a police supervisor's
 *   authorisation and a rationale; where a suspect is identified, early advice must have been
 *   considered first (recommendation 5).
 * - caution: a simple caution, which for an indictable-only offence needs CPS agreement
 *   (Criminal Justice and Courts Act 2015 s17).
 * - plain: what an ISVA (and later the victim's letter) is told, in plain words with no reasons.
 */
type Rule = {
  code: string
  label: string
  stage: Stage
  suspect: 'identified' | 'none' | 'any'
  withdrawal: 'needed' | 'refused' | 'any'
  rationale: boolean
  victimTold: boolean
  decider: 'police' | 'cps' | 'either'
  sexualOffences: boolean
  policeNfa: boolean
  caution: boolean
  plain: string
}

const base = {
  suspect: 'identified',
  withdrawal: 'any',
  rationale: false,
  victimTold: false,
  decider: 'police',
  sexualOffences: true,
  policeNfa: false,
  caution: false,
} as const

const NFA = 'The police decided to take no further action'

export const OUTCOMES = [
  { ...base, code: '1', label: 'Charged or summonsed', stage: 'charged', decider: 'cps', plain: 'The CPS decided to charge' },
  {
    ...base,
    code: '1A',
    label: 'Charged or summonsed for an alternative offence',
    stage: 'charged',
    decider: 'cps',
    plain: 'The CPS decided to charge a different offence',
  },
  { ...base, code: '2', label: 'Youth caution', stage: 'finalised', caution: true, plain: 'The suspect was given a caution' },
  { ...base, code: '3', label: 'Adult caution', stage: 'finalised', caution: true, plain: 'The suspect was given a caution' },
  {
    ...base,
    code: '4',
    label: 'Taken into consideration',
    stage: 'finalised',
    plain: 'The offence was taken into account when the suspect was sentenced for another offence',
  },
  {
    ...base,
    code: '5',
    label: 'The offender has died',
    stage: 'finalised',
    plain: 'The case ended because the suspect has died',
  },
  {
    ...base,
    code: '6',
    label: 'Penalty notice for disorder',
    stage: 'finalised',
    sexualOffences: false,
    plain: 'Penalty notice',
  },
  { ...base, code: '7', label: 'Cannabis or khat warning', stage: 'finalised', sexualOffences: false, plain: 'Warning' },
  { ...base, code: '8', label: 'Community resolution', stage: 'finalised', sexualOffences: false, plain: 'Community resolution' },
  {
    ...base,
    code: '9',
    label: 'Prosecution not in the public interest (CPS decision)',
    stage: 'no_further_action',
    decider: 'cps',
    plain: 'The CPS decided not to charge',
  },
  {
    ...base,
    code: '10',
    label: 'Formal action not in the public interest (police decision)',
    stage: 'no_further_action',
    policeNfa: true,
    rationale: true,
    plain: NFA,
  },
  {
    ...base,
    code: '11',
    label: 'Prosecution prevented: suspect under age',
    stage: 'finalised',
    plain: 'The case could not go to court because of the suspect’s age',
  },
  {
    ...base,
    code: '12',
    label: 'Prosecution prevented: suspect too ill',
    stage: 'finalised',
    plain: 'The case could not go to court because the suspect is too ill',
  },
  {
    ...base,
    code: '13',
    label: 'Prosecution prevented: victim or key witness dead or too ill',
    stage: 'finalised',
    plain: 'The case could not go to court',
  },
  {
    ...base,
    code: '14',
    label: 'Evidential difficulties: suspect not identified, victim does not support action to identify',
    stage: 'no_further_action',
    suspect: 'none',
    withdrawal: 'needed',
    policeNfa: true,
    rationale: true,
    plain: NFA,
  },
  {
    ...base,
    code: '15',
    label: 'Evidential difficulties: suspect identified, victim supports action, evidence prevents it',
    stage: 'no_further_action',
    decider: 'either',
    withdrawal: 'refused',
    policeNfa: true,
    rationale: true,
    plain: NFA,
  },
  {
    ...base,
    code: '16',
    label: 'Evidential difficulties: suspect identified, victim does not support action',
    stage: 'no_further_action',
    withdrawal: 'needed',
    policeNfa: true,
    rationale: true,
    plain: NFA,
  },
  {
    ...base,
    code: '17',
    label: 'Prosecution time limit expired',
    stage: 'finalised',
    // Sexual offences are indictable or either way and have no time limit for prosecution.
    sexualOffences: false,
    plain: 'Time limit expired',
  },
  {
    ...base,
    code: '18',
    label: 'Investigation complete: no suspect identified',
    stage: 'no_further_action',
    suspect: 'none',
    policeNfa: true,
    rationale: true,
    plain: 'The investigation ended without a suspect being identified',
  },
  {
    ...base,
    code: '19',
    label: 'National Fraud Intelligence Bureau filed',
    stage: 'finalised',
    suspect: 'any',
    sexualOffences: false,
    plain: 'Filed',
  },
  {
    ...base,
    code: '20',
    label: 'Further action by another body or agency',
    stage: 'finalised',
    suspect: 'any',
    rationale: true,
    plain: 'Another organisation is taking the case forward',
  },
  {
    ...base,
    code: '21',
    label: 'Further investigation not in the public interest (police decision)',
    stage: 'no_further_action',
    policeNfa: true,
    rationale: true,
    victimTold: true,
    plain: NFA,
  },
  {
    ...base,
    code: '22',
    label: 'Diversionary, educational or intervention activity',
    stage: 'no_further_action',
    policeNfa: true,
    rationale: true,
    plain: 'The suspect was directed to a programme instead of prosecution',
  },
] as const satisfies readonly Rule[]

export type OutcomeCode = (typeof OUTCOMES)[number]['code']
export type OutcomeRule = Rule & { code: OutcomeCode }
export const OUTCOME_CODES = codesOf(OUTCOMES)

export function outcome(code: string): OutcomeRule | undefined {
  return OUTCOMES.find((o) => o.code === code)
}

/** What the police outcome form may offer: codes the police decide that can apply to a sexual offence. */
export const POLICE_OUTCOMES: readonly OutcomeRule[] = OUTCOMES.filter((o) => o.decider !== 'cps' && o.sexualOffences)

/**
 * The stage of a case file once every crime has an outcome: charged when any crime is (the case
 * goes on to court), no further action only when every crime's outcome is, finalised otherwise.
 * With one crime, that crime's code's own stage.
 */
export function stageOfOutcomes(codes: readonly string[]): Stage {
  const stages = codes.map((code) => outcome(code)?.stage ?? 'finalised')
  if (stages.includes('charged')) return 'charged'
  if (stages.length > 0 && stages.every((s) => s === 'no_further_action')) return 'no_further_action'
  return 'finalised'
}
