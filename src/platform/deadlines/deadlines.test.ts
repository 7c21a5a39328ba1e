import { expect, test } from 'vitest'
import { dueWording, isOverdue } from './deadlines.ts'

const at = (iso: string) => new Date(iso)

test('an open deadline is overdue only once its due time has passed', () => {
  const due = at('2026-11-16T10:00:00Z')
  expect(isOverdue({ state: 'open', dueAt: due }, at('2026-11-16T09:59:59Z'))).toBe(false)
  expect(isOverdue({ state: 'open', dueAt: due }, due)).toBe(false)
  expect(isOverdue({ state: 'open', dueAt: due }, at('2026-11-16T10:00:01Z'))).toBe(true)
})

test('a closed deadline is never overdue, whatever the time', () => {
  for (const state of ['met', 'missed', 'cancelled'] as const) {
    expect(isOverdue({ state, dueAt: at('2026-11-01T00:00:00Z') }, at('2026-12-01T00:00:00Z'))).toBe(false)
  }
})

test('due wording counts calendar days in England and Wales', () => {
  const now = at('2026-11-02T10:00:00Z')
  expect(dueWording(at('2026-11-05T09:00:00Z'), now)).toBe('due in 3 days')
  expect(dueWording(at('2026-11-03T23:00:00Z'), now)).toBe('due tomorrow')
  expect(dueWording(at('2026-11-03T08:00:00Z'), now)).toBe('due tomorrow')
  expect(dueWording(at('2026-11-02T18:00:00Z'), now)).toBe('due today')
  expect(dueWording(at('2026-11-02T09:00:00Z'), now)).toBe('due earlier today')
  expect(dueWording(at('2026-11-01T10:00:00Z'), now)).toBe('1 day overdue')
  expect(dueWording(at('2026-10-28T10:00:00Z'), now)).toBe('5 days overdue')
})

test('in British Summer Time, 11pm UTC is already the next day', () => {
  const now = at('2026-07-01T10:00:00Z')
  expect(dueWording(at('2026-07-01T23:30:00Z'), now)).toBe('due tomorrow')
})
