/**
 * The nine protected characteristics of the Equality Act 2010, as reference data. The joint
 * inspection's first recommendation asks for them to be recorded accurately and consistently,
 * and a national Protected Characteristics Recording Data Standard exists: keeping the lists
 * here, as data, lets the forms, the API schema, the completeness measure and the database all
 * follow one list, and lets the list change without a migration.
 *
 * Value lists follow the ONS 2021 Census questions at group level where one exists.
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
}

export const CHARACTERISTICS = [
  {
    key: 'age',
    name: 'Age',
    // Age comes from the date of birth; what is recorded here is whether the victim confirmed it.
    question: 'Has the victim confirmed their date of birth for equality monitoring?',
    answers: [{ value: 'confirmed', label: 'Yes, confirmed: age is taken from the date of birth' }],
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
    question: 'What is the victim’s ethnic group?',
    answers: [
      { value: 'asian', label: 'Asian, Asian British or Asian Welsh' },
      { value: 'black', label: 'Black, Black British, Black Welsh, Caribbean or African' },
      { value: 'mixed', label: 'Mixed or Multiple ethnic groups' },
      { value: 'white', label: 'White' },
      { value: 'other', label: 'Other ethnic group' },
    ],
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

/** Every value a question accepts: the two that are not answers about the person, and its real answers. */
export function valuesOf(c: Characteristic): [string, ...string[]] {
  return [PREFERS_NOT_TO_SAY, NOT_ASKED, ...c.answers.map((a) => a.value)]
}

export function answerLabel(c: Characteristic, value: string): string {
  if (value === PREFERS_NOT_TO_SAY) return 'Prefers not to say'
  if (value === NOT_ASKED) return 'Not yet asked'
  return c.answers.find((a) => a.value === value)?.label ?? value
}

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
 * question was asked and the victim's choice is recorded, which is what the measure is about.
 */
export function completeness(answers: Answers): { answered: number; total: number; status: CompletenessStatus } {
  const total = CHARACTERISTICS.length
  const answered = CHARACTERISTIC_KEYS.filter((k) => answers[k] !== NOT_ASKED).length
  const status = answered === 0 ? 'not_started' : answered === total ? 'completed' : 'in_progress'
  return { answered, total, status }
}

/** Whole years between a date of birth and a day, both YYYY-MM-DD (a 29 February birthday falls on 1 March). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number)
  const [y, m, d] = day.split('-').map(Number)
  const hadBirthday = m > bm || (m === bm && d >= bd)
  return y - by - (hadBirthday ? 0 : 1)
}
