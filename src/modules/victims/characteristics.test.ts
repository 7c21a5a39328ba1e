import { describe, expect, test } from 'vitest'
import {
  AGE_BANDS,
  ANSWERED_PAIRS,
  type Answers,
  ageBandOf,
  ageOn,
  broadOnlyValue,
  CHARACTERISTIC_KEYS,
  CHARACTERISTICS,
  type Characteristic,
  completeness,
  ETHNIC_GROUPS,
  effectiveAnswers,
  ethnicityOf,
  FROM_DATE_OF_BIRTH,
  isAnswered,
  isSuperseded,
  NOT_ASKED,
  PREFERS_NOT_TO_SAY,
  valuesOf,
  withDefaults,
} from './characteristics.ts'
import { VictimCharacteristics } from './schema.ts'

const all = (value: string) => Object.fromEntries(CHARACTERISTIC_KEYS.map((k) => [k, value])) as Answers

test('there are the nine characteristics of the Equality Act 2010, each with real answers', () => {
  expect(CHARACTERISTICS).toHaveLength(9)
  expect(new Set(CHARACTERISTIC_KEYS).size).toBe(9)
  for (const c of CHARACTERISTICS) expect(c.answers.length, c.key).toBeGreaterThan(0)
})

test.each(CHARACTERISTICS)(
  '$name: "not yet asked" and "prefers not to say" are distinct from each other and every real answer',
  (c) => {
    const values = valuesOf(c)
    expect(new Set(values).size).toBe(values.length)
    expect(c.answers.map((a) => a.value)).not.toContain(NOT_ASKED)
    expect(c.answers.map((a) => a.value)).not.toContain(PREFERS_NOT_TO_SAY)
  },
)

test('a characteristic left out is "not yet asked"', () => {
  expect(withDefaults({ sex: 'female' })).toEqual({ ...all(NOT_ASKED), sex: 'female' })
  expect(VictimCharacteristics.parse({})).toEqual(all(NOT_ASKED))
})

test('a value from another question’s list, or from no list, is refused and names the characteristic', () => {
  const result = VictimCharacteristics.safeParse({ sex: 'christian', religion: 'martian' })
  expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
    ['religion', 'Select an answer for religion or belief from the list'],
    ['sex', 'Select an answer for sex from the list'],
  ])
})

/** A real answer to every question: the first on each list. */
const answeredAll = Object.fromEntries(CHARACTERISTICS.map((c) => [c.key, c.answers[0].value])) as Answers

test.each([
  ['nothing asked', all(NOT_ASKED), { answered: 0, total: 9, status: 'not_started', toAskAgain: [] }],
  ['one answered', { ...all(NOT_ASKED), sex: 'female' }, { answered: 1, total: 9, status: 'in_progress', toAskAgain: [] }],
  [
    'only "prefers not to say"',
    { ...all(NOT_ASKED), religion: PREFERS_NOT_TO_SAY },
    { answered: 1, total: 9, status: 'in_progress', toAskAgain: [] },
  ],
  ['all declined', all(PREFERS_NOT_TO_SAY), { answered: 9, total: 9, status: 'completed', toAskAgain: [] }],
  [
    'all answered, one declined',
    { ...answeredAll, ethnicity: PREFERS_NOT_TO_SAY },
    { answered: 9, total: 9, status: 'completed', toAskAgain: [] },
  ],
  ['all but one', { ...answeredAll, age: NOT_ASKED }, { answered: 8, total: 9, status: 'in_progress', toAskAgain: [] }],
  [
    'ethnic group at the broad level only',
    { ...answeredAll, ethnicity: 'white_detail_not_recorded' },
    { answered: 8, total: 9, status: 'in_progress', toAskAgain: ['ethnicity'] },
  ],
  ['a value from no list', { ...answeredAll, sex: 'martian' }, { answered: 8, total: 9, status: 'in_progress', toAskAgain: [] }],
  [
    'only age, from the date of birth: answered, but nothing started',
    { ...all(NOT_ASKED), age: FROM_DATE_OF_BIRTH },
    { answered: 1, total: 9, status: 'not_started', toAskAgain: [] },
  ],
])('completeness: %s', (_name, answers, expected) => {
  expect(completeness(answers as Answers)).toEqual(expected)
})

describe('ethnic group, self-defined at the 2021 Census level', () => {
  const ethnicity = CHARACTERISTICS.find((c) => c.key === 'ethnicity') as Characteristic

  test('19 detailed categories under the five broad groups, each offered once', () => {
    expect(ETHNIC_GROUPS.map((g) => [g.code, g.categories.length])).toEqual([
      ['asian', 5],
      ['black', 3],
      ['mixed', 4],
      ['white', 5],
      ['other', 2],
    ])
    expect(ethnicity.answers).toHaveLength(19)
    expect(new Set(valuesOf(ethnicity)).size).toBe(valuesOf(ethnicity).length)
  })

  test.each([
    ['asian_pakistani', 'Pakistani', 'asian', 'A2'],
    ['black_caribbean', 'Caribbean', 'black', 'B1'],
    ['mixed_white_black_african', 'White and Black African', 'mixed', 'M2'],
    ['white_british', 'English, Welsh, Scottish, Northern Irish or British', 'white', 'W1'],
    ['white_roma', 'Roma', 'white', 'W9'],
    ['other_arab', 'Arab', 'other', 'O2'],
  ])('%s reads "%s", in the %s group, police code %s', (value, label, group, sde) => {
    expect(ethnicityOf(value)).toMatchObject({ value, label, broadGroup: { code: group }, detailRecorded: true, sdeCode: sde })
    expect(isAnswered(ethnicity, value)).toBe(true)
  })

  test('every category maps to the broad group it is listed under, and police codes match their group’s letter', () => {
    for (const g of ETHNIC_GROUPS) {
      for (const c of g.categories) {
        expect(ethnicityOf(c.value).broadGroup?.code).toBe(g.code)
        expect(c.value.startsWith(`${g.code}_`)).toBe(true)
        expect(c.sde[0]).toBe(g.code === 'other' ? 'O' : g.code[0].toUpperCase())
      }
    }
  })

  test('an answer from before the detailed list keeps its broad group, reads as such, and is not an answer', () => {
    for (const g of ETHNIC_GROUPS) {
      const value = broadOnlyValue(g.code)
      expect(ethnicityOf(value)).toEqual({
        value,
        label: `${g.label} (detailed category not recorded)`,
        broadGroup: { code: g.code, label: g.label },
        detailRecorded: false,
        sdeCode: null,
      })
      expect(isAnswered(ethnicity, value)).toBe(false)
      expect(isSuperseded(ethnicity, value)).toBe(true)
      expect(ANSWERED_PAIRS).not.toContain(`ethnicity:${value}`)
    }
  })

  test('"prefers not to say" is the police "not stated"; "not yet asked" has no group and no code', () => {
    expect(ethnicityOf(PREFERS_NOT_TO_SAY)).toMatchObject({ broadGroup: null, sdeCode: 'NS', label: 'Prefers not to say' })
    expect(ethnicityOf(NOT_ASKED)).toMatchObject({ broadGroup: null, sdeCode: null, label: 'Not yet asked' })
  })
})

describe('age', () => {
  test('the bands run without gap or overlap from 0 upwards', () => {
    expect(AGE_BANDS[0].min).toBe(0)
    for (let i = 1; i < AGE_BANDS.length; i++) expect(AGE_BANDS[i].min).toBe(AGE_BANDS[i - 1].max + 1)
    expect(AGE_BANDS.at(-1)?.max).toBe(Number.POSITIVE_INFINITY)
  })

  test.each([
    [0, 'under_13'],
    [12, 'under_13'],
    [13, '13_to_15'],
    [15, '13_to_15'],
    [16, '16_to_17'],
    [17, '16_to_17'],
    [18, '18_to_24'],
    [34, '25_to_34'],
    [64, '55_to_64'],
    [65, '65_and_over'],
    [101, '65_and_over'],
  ])('aged %i is in band %s', (age, band) => {
    expect(ageBandOf(age).value).toBe(band)
  })

  test('with a date of birth recorded, age is answered from it whatever is stored', () => {
    const stored = { ...all(NOT_ASKED), age: '25_to_34' }
    expect(effectiveAnswers(stored, true).age).toBe(FROM_DATE_OF_BIRTH)
    expect(effectiveAnswers(stored, false).age).toBe('25_to_34')
    expect(effectiveAnswers(all(NOT_ASKED), false).age).toBe(NOT_ASKED)
  })

  test('"from the date of birth" is never a stored answer the measure counts', () => {
    expect(ANSWERED_PAIRS).toContain('age:18_to_24')
    expect(ANSWERED_PAIRS).toContain(`age:${PREFERS_NOT_TO_SAY}`)
    expect(ANSWERED_PAIRS).not.toContain(`age:${FROM_DATE_OF_BIRTH}`)
    expect(ANSWERED_PAIRS.filter((p) => p.endsWith(`:${NOT_ASKED}`))).toEqual([])
  })
})

test.each([
  ['1990-06-15', '2026-06-14', 35],
  ['1990-06-15', '2026-06-15', 36],
  ['1990-06-15', '2026-12-31', 36],
  ['2004-02-29', '2026-02-28', 21],
  ['2004-02-29', '2026-03-01', 22],
])('born %s, on %s aged %i', (dob, day, age) => {
  expect(ageOn(dob, day)).toBe(age)
})
