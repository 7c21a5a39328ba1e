import { describe, expect, test } from 'vitest'
import { addMonths, adminFinaliseWaitEnds } from './rules.ts'

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
