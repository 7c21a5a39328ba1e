import { describe, expect, test } from 'vitest'
import { addMonths, adminFinaliseWaitEnds, movedWording, onWorkingDay } from './rules.ts'

describe('dates people must act by fall on working days', () => {
  test('a working day stays as given', () => {
    expect(onWorkingDay('2026-12-04')).toEqual({ date: '2026-12-04', moved: null })
  })

  test('a weekend moves to the Monday, saying why', () => {
    const d = onWorkingDay('2026-12-05')
    expect(d).toEqual({ date: '2026-12-07', moved: { from: '2026-12-05', to: '2026-12-07', reason: 'it fell on a weekend' } })
    expect(movedWording('Target date', d.moved as NonNullable<typeof d.moved>)).toBe(
      'Target date moved from Saturday 5 December 2026 to Monday 7 December 2026: it fell on a weekend',
    )
    expect(onWorkingDay('2026-12-06').date).toBe('2026-12-07')
  })

  test('a bank holiday moves past the holiday and any weekend after it, naming the holiday', () => {
    expect(onWorkingDay('2026-12-25')).toEqual({
      date: '2026-12-29',
      moved: { from: '2026-12-25', to: '2026-12-29', reason: 'it fell on a bank holiday (Christmas Day)' },
    })
    expect(onWorkingDay('2026-04-03').date).toBe('2026-04-07') // Good Friday, the weekend and Easter Monday
    // A substitute day is named as such.
    expect(onWorkingDay('2026-12-28').moved?.reason).toBe('it fell on a bank holiday (Boxing Day (substitute day))')
  })

  test('outside the years the calendar covers, it refuses rather than guess', () => {
    expect(() => onWorkingDay('2031-01-04')).toThrow(RangeError)
  })
})

describe('when the police are late enough for admin finalisation', () => {
  test('the wait counts from the latest target date, not the issue date', () => {
    expect(adminFinaliseWaitEnds('2027-03-02', 3)).toBe(addMonths('2027-03-02', 3))
    expect(adminFinaliseWaitEnds('2027-03-02', 3)).toBe('2027-06-02')
  })

  test('after a reopening the wait counts from the reopening if that is later', () => {
    expect(adminFinaliseWaitEnds('2026-11-23', 3, '2027-02-10')).toBe('2027-05-10')
    expect(adminFinaliseWaitEnds('2027-04-01', 3, '2027-02-10')).toBe('2027-07-01')
  })
})
