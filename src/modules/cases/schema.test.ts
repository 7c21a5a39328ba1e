import { expect, test } from 'vitest'
import { calendarDate, Urn } from './schema.ts'

test.each([
  ['91AB1234526', '91AB1234526'],
  ['91 ab 12345 26', '91AB1234526'],
  ['91/AB/12345/26', '91AB1234526'],
  ['0112X0000121', null],
  ['91AB123452', null],
  ['AB911234526', null],
  ['', null],
])('URN %j → %j', (input, expected) => {
  const r = Urn.safeParse(input)
  expect(r.success ? r.data : null).toBe(expected)
})

test.each([
  ['2024-02-29', true],
  ['2026-02-29', false],
  ['2026-13-01', false],
  ['2026-4-1', false],
  ['', false],
])('calendar date %j valid: %j', (input, ok) => {
  expect(calendarDate('the date').safeParse(input).success).toBe(ok)
})

test('date messages name the field, GOV.UK style', () => {
  const schema = calendarDate('the date reported')
  expect(schema.safeParse('').error?.issues[0].message).toBe('Enter the date reported')
  expect(schema.safeParse('2026-02-30').error?.issues[0].message).toBe('The date reported must be a real date')
})
