/**
 * The nine protected characteristics of the Equality Act 2010, as reference data. The joint
 * inspection's first recommendation asks for them to be recorded accurately and consistently,
 * and a national Protected Characteristics Recording Data Standard exists: keeping the lists
 * here, as data, lets the forms, the API schema, the completeness measure and the database all
 * follow one list, and lets the list change without a migration.
 *
 * Value lists follow the ONS 2021 Census questions. Ethnic group is asked at the detailed level
 * (the 19 categories of the 2021 Census for England and Wales, which police self-defined
 * ethnicity follows) and reported at both levels through each category's broad group.
 */

/** Two answers every question has besides the real ones, kept apart so "not asked" is never read as "declined". */
export const NOT_ASKED = 'not_asked'
export const PREFERS_NOT_TO_SAY = 'prefers_not_to_say'

export interface Characteristic {
  key: string
  /** The characteristic's name in the Equality Act 2010. */
  name: string
  /** The question to ask, shown as the hint. */
  question: string
  answers: readonly { value: string; label: string }[]
  /**
   * Values from an older list: still shown as recorded and still counted in their broad group,
   * but never offered again and not counted as answered, so the question shows as to ask again.
   */
  superseded?: readonly { value: string; label: string }[]
}

/**
 * Ethnic group, self-defined: the 2021 Census categories for England and Wales under their five
 * broad groups, in the Census order. `sde` is the police self-defined ethnicity code (the Home
 * Office "18+1" list) the category reconciles to; the 18+1 list predates the Census's Roma
 * category, so Roma reconciles to W9, any other White background.
 */
export const ETHNIC_GROUPS = [
  {
    code: 'asian',
    label: 'Asian, Asian British or Asian Welsh',
    categories: [
      { value: 'asian_bangladeshi', label: 'Bangladeshi', sde: 'A3' },
      { value: 'asian_chinese', label: 'Chinese', sde: 'A4' },
      { value: 'asian_indian', label: 'Indian', sde: 'A1' },
      { value: 'asian_pakistani', label: 'Pakistani', sde: 'A2' },
      { value: 'asian_other', label: 'Any other Asian background', sde: 'A9' },
    ],
  },
  {
    code: 'black',
    label: 'Black, Black British, Black Welsh, Caribbean or African',
    categories: [
      { value: 'black_african', label: 'African', sde: 'B2' },
      { value: 'black_caribbean', label: 'Caribbean', sde: 'B1' },
      { value: 'black_other', label: 'Any other Black, Black British or Caribbean background', sde: 'B9' },
    ],
  },
  {
    code: 'mixed',
    label: 'Mixed or Multiple ethnic groups',
    categories: [
      { value: 'mixed_white_asian', label: 'White and Asian', sde: 'M3' },
      { value: 'mixed_white_black_african', label: 'White and Black African', sde: 'M2' },
      { value: 'mixed_white_black_caribbean', label: 'White and Black Caribbean', sde: 'M1' },
      { value: 'mixed_other', label: 'Any other Mixed or Multiple background', sde: 'M9' },
    ],
  },
  {
    code: 'white',
    label: 'White',
    categories: [
      { value: 'white_british', label: 'English, Welsh, Scottish, Northern Irish or British', sde: 'W1' },
      { value: 'white_irish', label: 'Irish', sde: 'W2' },
      { value: 'white_gypsy_irish_traveller', label: 'Gypsy or Irish Traveller', sde: 'W3' },
      { value: 'white_roma', label: 'Roma', sde: 'W9' },
      { value: 'white_other', label: 'Any other White background', sde: 'W9' },
    ],
  },
  {
    code: 'other',
    label: 'Other ethnic group',
    categories: [
      { value: 'other_arab', label: 'Arab', sde: 'O2' },
      { value: 'other_any', label: 'Any other ethnic group', sde: 'O9' },
    ],
  },
] as const
export type EthnicGroupCode = (typeof ETHNIC_GROUPS)[number]['code']

/**
 * Answers recorded before the detailed list, when only the broad group was asked. Migration
 * 0013 renames each to this value rather than guessing a detailed category (see there why).
 */
export const broadOnlyValue = (group: EthnicGroupCode) => `${group}_detail_not_recorded`

export const BROAD_ONLY_VALUES: string[] = ETHNIC_GROUPS.map((g) => broadOnlyValue(g.code))

/** "Prefers not to say" is the police "not stated" (NS). */
export const NOT_STATED_SDE = 'NS'

/**
 * Age bands for a victim whose date of birth is not known. Under 13, 13 to 15 and 16 and over
 * are the Home Office rape classifications' own age lines (19F/19H under 13, 19E/19G under 16,
 * 19C/19D 16 and over); 16 to 17 keeps children (under 18) apart; from 18 the bands are the ONS
 * harmonised ten-year age groups (18 to 24, 25 to 34 … 65 and over) used in its crime and
 * population statistics, so police, CPS and ONS figures line up.
 */
export const AGE_BANDS = [
  { value: 'under_13', label: 'Under 13', min: 0, max: 12 },
  { value: '13_to_15', label: '13 to 15', min: 13, max: 15 },
  { value: '16_to_17', label: '16 to 17', min: 16, max: 17 },
  { value: '18_to_24', label: '18 to 24', min: 18, max: 24 },
  { value: '25_to_34', label: '25 to 34', min: 25, max: 34 },
  { value: '35_to_44', label: '35 to 44', min: 35, max: 44 },
  { value: '45_to_54', label: '45 to 54', min: 45, max: 54 },
  { value: '55_to_64', label: '55 to 64', min: 55, max: 64 },
  { value: '65_and_over', label: '65 and over', min: 65, max: Number.POSITIVE_INFINITY },
] as const

/**
 * The age answer when the date of birth is recorded: age then comes from the date and is never
 * stored as an answer, so the two cannot disagree.
 */
export const FROM_DATE_OF_BIRTH = 'from_date_of_birth'

export const CHARACTERISTICS = [
  {
    key: 'age',
    name: 'Age',
    // Asked only when the date of birth is not known: a recorded date of birth answers it.
    question: 'The victim’s date of birth is not known. Which age band are they in?',
    answers: AGE_BANDS.map(({ value, label }) => ({ value, label })),
  },
  {
    key: 'disability',
    name: 'Disability',
    question:
      'Does the victim have a physical or mental health condition or illness lasting, or expected to last, 12 months or more that reduces their ability to carry out day-to-day activities?',
    answers: [
      { value: 'yes_a_lot', label: 'Yes, a lot' },
      { value: 'yes_a_little', label: 'Yes, a little' },
      { value: 'no', label: 'No' },
    ],
  },
  {
    key: 'genderReassignment',
    name: 'Gender reassignment',
    question: 'Is the gender the victim identifies with the same as their sex registered at birth?',
    answers: [
      { value: 'same', label: 'Yes, the same' },
      { value: 'different', label: 'No, different' },
    ],
  },
  {
    key: 'marriageCivilPartnership',
    name: 'Marriage and civil partnership',
    question: 'What is the victim’s legal marital or registered civil partnership status?',
    answers: [
      { value: 'never', label: 'Never married and never registered a civil partnership' },
      { value: 'married', label: 'Married' },
      { value: 'civil_partnership', label: 'In a registered civil partnership' },
      { value: 'separated', label: 'Separated, but still legally married or in a civil partnership' },
      { value: 'divorced_dissolved', label: 'Divorced or civil partnership dissolved' },
      { value: 'widowed', label: 'Widowed or surviving civil partner' },
    ],
  },
  {
    key: 'pregnancyMaternity',
    name: 'Pregnancy and maternity',
    question: 'Is the victim pregnant, or have they given birth in the last 26 weeks?',
    answers: [
      { value: 'pregnant', label: 'Pregnant' },
      { value: 'given_birth', label: 'Given birth in the last 26 weeks' },
      { value: 'neither', label: 'Neither' },
    ],
  },
  {
    key: 'ethnicity',
    name: 'Race (ethnic group)',
    question: 'What is the victim’s ethnic group? Choose the one that best describes their ethnic group or background.',
    answers: ETHNIC_GROUPS.flatMap((g) => g.categories.map(({ value, label }) => ({ value, label }))),
    superseded: ETHNIC_GROUPS.map((g) => ({
      value: broadOnlyValue(g.code),
      label: `${g.label} (detailed category not recorded)`,
    })),
  },
  {
    key: 'religion',
    name: 'Religion or belief',
    question: 'What is the victim’s religion?',
    answers: [
      { value: 'none', label: 'No religion' },
      { value: 'christian', label: 'Christian' },
      { value: 'buddhist', label: 'Buddhist' },
      { value: 'hindu', label: 'Hindu' },
      { value: 'jewish', label: 'Jewish' },
      { value: 'muslim', label: 'Muslim' },
      { value: 'sikh', label: 'Sikh' },
      { value: 'other', label: 'Any other religion' },
    ],
  },
  {
    key: 'sex',
    name: 'Sex',
    question: 'What is the victim’s sex?',
    answers: [
      { value: 'female', label: 'Female' },
      { value: 'male', label: 'Male' },
    ],
  },
  {
    key: 'sexualOrientation',
    name: 'Sexual orientation',
    question: 'Which of the following best describes the victim’s sexual orientation?',
    answers: [
      { value: 'straight', label: 'Straight or heterosexual' },
      { value: 'gay_lesbian', label: 'Gay or lesbian' },
      { value: 'bisexual', label: 'Bisexual' },
      { value: 'other', label: 'Other sexual orientation' },
    ],
  },
] as const satisfies readonly Characteristic[]

export type CharacteristicKey = (typeof CHARACTERISTICS)[number]['key']
export type Answers = Record<CharacteristicKey, string>

export const CHARACTERISTIC_KEYS = CHARACTERISTICS.map((c) => c.key) as CharacteristicKey[]

/**
 * Every value a question accepts: the two that are not answers about the person, its real
 * answers, and (so a form or client can send back what it was shown) any superseded value and,
 * for age, "from the date of birth". The service decides when those last two are allowed.
 */
export function valuesOf(c: Characteristic): [string, ...string[]] {
  return [
    PREFERS_NOT_TO_SAY,
    NOT_ASKED,
    ...c.answers.map((a) => a.value),
    ...(c.superseded ?? []).map((a) => a.value),
    ...(c.key === 'age' ? [FROM_DATE_OF_BIRTH] : []),
  ]
}

export function answerLabel(c: Characteristic, value: string): string {
  if (value === PREFERS_NOT_TO_SAY) return 'Prefers not to say'
  if (value === NOT_ASKED) return 'Not yet asked'
  if (value === FROM_DATE_OF_BIRTH) return 'From the date of birth'
  return [...c.answers, ...(c.superseded ?? [])].find((a) => a.value === value)?.label ?? value
}

/** Whether a value answers the question: a current answer or "prefers not to say", never a superseded one. */
export function isAnswered(c: Characteristic, value: string): boolean {
  if (value === PREFERS_NOT_TO_SAY) return true
  if (c.key === 'age' && value === FROM_DATE_OF_BIRTH) return true
  return c.answers.some((a) => a.value === value)
}

export const isSuperseded = (c: Characteristic, value: string) => (c.superseded ?? []).some((a) => a.value === value)

/**
 * "key:value" for every value that counts as answered, for SQL to test stored rows against
 * (FROM_DATE_OF_BIRTH is never stored: queries test the date of birth itself).
 */
export const ANSWERED_PAIRS: string[] = CHARACTERISTICS.flatMap((c) =>
  [PREFERS_NOT_TO_SAY, ...c.answers.map((a) => a.value)].map((v) => `${c.key}:${v}`),
)

/** Fills in "not yet asked" for every question with no stored answer. */
export function withDefaults(stored: Partial<Record<string, string>>): Answers {
  return Object.fromEntries(CHARACTERISTIC_KEYS.map((k) => [k, stored[k] ?? NOT_ASKED])) as Answers
}

export const COMPLETENESS_STATUSES = ['not_started', 'in_progress', 'completed'] as const
export type CompletenessStatus = (typeof COMPLETENESS_STATUSES)[number]

/** The GOV.UK task list wording for each status. */
export const COMPLETENESS_LABELS: Record<CompletenessStatus, string> = {
  not_started: 'Not yet started',
  in_progress: 'In progress',
  completed: 'Completed',
}

/**
 * How far the characteristics have been recorded. "Prefers not to say" counts as answered: the
 * question was asked and the victim's choice is recorded, which is what the measure is about. A
 * superseded answer (ethnic group recorded at the broad level only) does not: the question is
 * listed in `toAskAgain`.
 */
export function completeness(answers: Answers): {
  answered: number
  total: number
  status: CompletenessStatus
  toAskAgain: CharacteristicKey[]
} {
  const total = CHARACTERISTICS.length
  const answered = CHARACTERISTICS.filter((c) => isAnswered(c, answers[c.key])).length
  const toAskAgain = CHARACTERISTICS.filter((c) => isSuperseded(c, answers[c.key])).map((c) => c.key)
  // Age taken from the date of birth is answered, but nobody has started on the questions yet.
  const started = CHARACTERISTICS.some((c) => answers[c.key] !== NOT_ASKED && answers[c.key] !== FROM_DATE_OF_BIRTH)
  const status = answered === total ? 'completed' : started ? 'in_progress' : 'not_started'
  return { answered, total, status, toAskAgain }
}

/** The answers as they read: with a date of birth recorded, age comes from it whatever is stored. */
export function effectiveAnswers(stored: Answers, hasDateOfBirth: boolean): Answers {
  return hasDateOfBirth ? { ...stored, age: FROM_DATE_OF_BIRTH } : stored
}

export function ageBandOf(age: number): (typeof AGE_BANDS)[number] {
  return AGE_BANDS.find((b) => age >= b.min && age <= b.max) ?? AGE_BANDS[0]
}

const ETHNICITY = CHARACTERISTICS.find((c) => c.key === 'ethnicity') as Characteristic

/**
 * An ethnicity answer at both levels: its broad group (also for a broad-only answer) and, when
 * recorded, the detailed category with its police code. Null group for "prefers not to say"
 * and "not yet asked".
 */
export function ethnicityOf(value: string) {
  for (const g of ETHNIC_GROUPS) {
    const group = { code: g.code, label: g.label }
    const detailed = (g.categories as readonly { value: string; label: string; sde: string }[]).find((c) => c.value === value)
    if (detailed) return { value, label: detailed.label, broadGroup: group, detailRecorded: true, sdeCode: detailed.sde }
    if (value === broadOnlyValue(g.code)) {
      return { value, label: answerLabel(ETHNICITY, value), broadGroup: group, detailRecorded: false, sdeCode: null }
    }
  }
  const sdeCode = value === PREFERS_NOT_TO_SAY ? NOT_STATED_SDE : null
  return { value, label: answerLabel(ETHNICITY, value), broadGroup: null, detailRecorded: false, sdeCode }
}

/** Whole years between a date of birth and a day, both YYYY-MM-DD (a 29 February birthday falls on 1 March). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number)
  const [y, m, d] = day.split('-').map(Number)
  const hadBirthday = m > bm || (m === bm && d >= bd)
  return y - by - (hadBirthday ? 0 : 1)
}
