import { expect, test } from 'vitest'
import { fixedClock, today } from './clock.ts'

test('today is the date in England and Wales, not in UTC', () => {
  expect(today(fixedClock('2026-07-01T23:30:00Z'))).toBe('2026-07-02') // 00:30 BST
  expect(today(fixedClock('2026-12-01T23:30:00Z'))).toBe('2026-12-01') // GMT
})
