import { describe, expect, test } from 'vitest'
import { csvCell } from './rules.ts'

describe('CSV cells', () => {
  test('cells that a spreadsheet would run as a formula are neutralised', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    for (const c of ['+1', '-1', '@SUM(A1)']) expect(csvCell(c).startsWith(`"'`)).toBe(true)
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a, b')).toBe('"a, b"')
    expect(csvCell(3)).toBe('3')
    expect(csvCell(null)).toBe('')
  })
})
