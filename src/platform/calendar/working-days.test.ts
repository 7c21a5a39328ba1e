import { describe, expect, test } from 'vitest'
import holidays from './bank-holidays.json' with { type: 'json' }
import { addWorkingDays, bankHoliday, isWorkingDay, subtractWorkingDays, workingDaysBetween } from './working-days.ts'

describe('bank holidays in England and Wales', () => {
  test.each([
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-12-28', 'Boxing Day (substitute day)'], // 26 December 2026 is a Saturday
    ['2027-12-27', 'Christmas Day (substitute day)'], // 25 December 2027 is a Saturday
    ['2022-01-03', 'New Year’s Day (substitute day)'],
    ['2020-05-08', 'Early May bank holiday (VE day)'],
    ['2022-06-02', 'Spring bank holiday'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
    ['2030-04-19', 'Good Friday'],
  ])('%s is %s', (date, name) => {
    expect(bankHoliday(date)).toBe(name)
    expect(isWorkingDay(date)).toBe(false)
  })

  test('days that are not bank holidays in the years they might be mistaken for one', () => {
    expect(bankHoliday('2020-05-04')).toBeUndefined() // the early May holiday moved to the 8th
    expect(bankHoliday('2022-05-30')).toBeUndefined() // the spring holiday moved to 2 June
    expect(isWorkingDay('2026-12-24')).toBe(true)
  })

  test('eight a year, with the extra days of 2022 and 2023, for every year covered', () => {
    const perYear = new Map<string, number>()
    for (const h of holidays.holidays) perYear.set(h.date.slice(0, 4), (perYear.get(h.date.slice(0, 4)) ?? 0) + 1)
    expect(Object.fromEntries(perYear)).toEqual({
      2018: 8,
      2019: 8,
      2020: 8,
      2021: 8,
      2022: 10,
      2023: 9,
      2024: 8,
      2025: 8,
      2026: 8,
      2027: 8,
      2028: 8,
      2029: 8,
      2030: 8,
    })
  })
})

describe('counting working days', () => {
  test('skips weekends and bank holidays', () => {
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29') // Christmas, a weekend, then the Boxing Day substitute
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07') // Easter
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30') // a Friday to the Monday
    expect(addWorkingDays('2026-11-02', 10)).toBe('2026-11-16')
    expect(addWorkingDays('2026-11-28', 0)).toBe('2026-11-30') // a Saturday starts on Monday
  })

  test('counts the working days between two dates', () => {
    expect(workingDaysBetween('2026-11-02', '2026-11-16')).toBe(10)
    expect(workingDaysBetween('2026-12-24', '2027-01-04')).toBe(4) // 29, 30, 31 Dec and 4 Jan
    expect(workingDaysBetween('2026-11-16', '2026-11-02')).toBe(-10)
  })

  test('refuses to guess outside the years the calendar covers', () => {
    expect(() => addWorkingDays('2031-01-02', 1)).toThrow(/covers 2018 to 2030/)
    expect(() => isWorkingDay('2026-02-30')).toThrow(/Not a calendar date/)
  })
})

test('counting working days back skips weekends and bank holidays, and mirrors counting forward', () => {
  expect(subtractWorkingDays('2026-12-29', 1)).toBe('2026-12-24') // back over the Boxing Day substitute, a weekend and Christmas
  expect(subtractWorkingDays('2026-04-07', 1)).toBe('2026-04-02') // back over Easter
  expect(subtractWorkingDays('2026-11-30', 0)).toBe('2026-11-30') // a Monday is itself
  expect(subtractWorkingDays('2026-11-29', 0)).toBe('2026-11-27') // a Sunday goes back to the Friday
  for (const date of ['2026-03-02', '2026-05-01', '2026-12-21']) {
    expect(subtractWorkingDays(addWorkingDays(date, 7), 7)).toBe(date)
  }
})
