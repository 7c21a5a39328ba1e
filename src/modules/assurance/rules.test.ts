import { describe, expect, test } from 'vitest'
import { csvCell, parseQuarter, quarterDates, quarterLabel } from './rules.ts'

describe('quarters and CSV cells', () => {
  test('a calendar quarter runs from its first day to the first day of the next', () => {
    expect(parseQuarter('2026-Q4')).toEqual({ year: 2026, q: 4 })
    expect(parseQuarter('2026-Q5')).toBeUndefined()
    expect(quarterDates({ year: 2026, q: 4 })).toEqual({ from: '2026-10-01', to: '2027-01-01' })
    expect(quarterLabel({ year: 2027, q: 1 })).toBe('2027 Q1: January to March 2027')
  })

  test('cells that a spreadsheet would run as a formula are neutralised', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    for (const c of ['+1', '-1', '@SUM(A1)']) expect(csvCell(c).startsWith(`"'`)).toBe(true)
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a, b')).toBe('"a, b"')
    expect(csvCell(3)).toBe('3')
    expect(csvCell(null)).toBe('')
  })
})
