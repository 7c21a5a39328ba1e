import { expect, test } from 'vitest'
import {
  type Answers,
  ageOn,
  CHARACTERISTIC_KEYS,
  CHARACTERISTICS,
  completeness,
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

test.each([
  ['nothing asked', all(NOT_ASKED), { answered: 0, total: 9, status: 'not_started' }],
  ['one answered', { ...all(NOT_ASKED), sex: 'female' }, { answered: 1, total: 9, status: 'in_progress' }],
  [
    'only "prefers not to say"',
    { ...all(NOT_ASKED), religion: PREFERS_NOT_TO_SAY },
    { answered: 1, total: 9, status: 'in_progress' },
  ],
  ['all declined', all(PREFERS_NOT_TO_SAY), { answered: 9, total: 9, status: 'completed' }],
  ['all answered, one declined', { ...all('x'), ethnicity: PREFERS_NOT_TO_SAY }, { answered: 9, total: 9, status: 'completed' }],
  ['all but one', { ...all('x'), age: NOT_ASKED }, { answered: 8, total: 9, status: 'in_progress' }],
])('completeness: %s', (_name, answers, expected) => {
  expect(completeness(answers as Answers)).toEqual(expected)
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
