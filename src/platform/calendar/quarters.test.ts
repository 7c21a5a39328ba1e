import { describe, expect, test } from 'vitest'
import {
  financialQuarterCode,
  financialQuarterDates,
  financialQuarterLabel,
  financialQuarterOf,
  nextFinancialQuarter,
  parseFinancialQuarter,
  previousFinancialQuarter,
  quarterChoices,
} from './quarters.ts'

describe('financial-year quarters (Q1 is April to June)', () => {
  test.each([
    ['2026-04-01', '2026-27-Q1'],
    ['2026-06-30', '2026-27-Q1'],
    ['2026-07-01', '2026-27-Q2'],
    ['2026-09-30', '2026-27-Q2'],
    ['2026-10-01', '2026-27-Q3'],
    ['2026-12-31', '2026-27-Q3'],
    ['2027-01-01', '2026-27-Q4'],
    ['2027-03-31', '2026-27-Q4'],
    ['2027-04-01', '2027-28-Q1'],
    ['2000-02-29', '1999-00-Q4'], // the year label wraps at the century
  ])('%s is in %s', (date, code) => {
    expect(financialQuarterCode(financialQuarterOf(date))).toBe(code)
  })

  test.each([
    ['2026-27-Q1', '2026-04-01', '2026-07-01', '2026-06-30', '2026-27 Q1: April to June 2026'],
    ['2026-27-Q2', '2026-07-01', '2026-10-01', '2026-09-30', '2026-27 Q2: July to September 2026'],
    ['2026-27-Q3', '2026-10-01', '2027-01-01', '2026-12-31', '2026-27 Q3: October to December 2026'],
    ['2026-27-Q4', '2027-01-01', '2027-04-01', '2027-03-31', '2026-27 Q4: January to March 2027'],
    ['2027-28-Q4', '2028-01-01', '2028-04-01', '2028-03-31', '2027-28 Q4: January to March 2028'],
  ])('%s runs from %s until %s (last day %s): %s', (code, from, until, last, label) => {
    const fq = parseFinancialQuarter(code)
    expect(fq).toBeDefined()
    if (!fq) return
    expect(financialQuarterDates(fq)).toEqual({ from, until, last })
    expect(financialQuarterLabel(fq)).toBe(label)
    // Every day of the quarter, and only those, is in it.
    expect(financialQuarterCode(financialQuarterOf(from))).toBe(code)
    expect(financialQuarterCode(financialQuarterOf(last))).toBe(code)
    expect(financialQuarterCode(financialQuarterOf(until))).not.toBe(code)
  })

  test.each(['', '2026-Q3', '2026-28-Q1', '2026-27-Q5', '2026-27-q1', '26-27-Q1', ' 2026-27-Q1'])(
    '"%s" is not a quarter',
    (code) => {
      expect(parseFinancialQuarter(code)).toBeUndefined()
    },
  )

  test('1999-00 is the year after 1998-99', () => {
    expect(parseFinancialQuarter('1999-00-Q1')).toEqual({ startYear: 1999, q: 1 })
  })

  test('previous and next cross the year between Q4 and Q1', () => {
    expect(previousFinancialQuarter({ startYear: 2026, q: 1 })).toEqual({ startYear: 2025, q: 4 })
    expect(previousFinancialQuarter({ startYear: 2026, q: 3 })).toEqual({ startYear: 2026, q: 2 })
    expect(nextFinancialQuarter({ startYear: 2026, q: 4 })).toEqual({ startYear: 2027, q: 1 })
    expect(nextFinancialQuarter({ startYear: 2026, q: 1 })).toEqual({ startYear: 2026, q: 2 })
  })
})

test('the quarter picker offers the last eight quarters, newest first, and an older chosen one', () => {
  const choices = quarterChoices('2026-12-07', '2026-27-Q3')
  expect(choices.slice(0, 3).map((c) => c.value)).toEqual(['2026-27-Q3', '2026-27-Q2', '2026-27-Q1'])
  expect(choices).toHaveLength(8)
  expect(choices[0]).toMatchObject({ text: '2026-27 Q3: October to December 2026', selected: true })
  const older = quarterChoices('2026-12-07', '2020-21-Q1')
  expect(older.at(-1)).toEqual({ value: '2020-21-Q1', text: '2020-21 Q1: April to June 2020', selected: true })
})
