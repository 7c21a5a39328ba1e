import { expect, test } from 'vitest'
import { clockWording, dueWording, isOverdue, urgencyOf } from './deadlines.ts'

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

test('due wording counts calendar days in England and Wales for a clock set in days', () => {
  const now = at('2026-11-02T10:00:00Z')
  expect(dueWording(at('2026-11-05T09:00:00Z'), now, 'days')).toBe('due in 3 days')
  expect(dueWording(at('2026-11-03T23:00:00Z'), now, 'days')).toBe('due tomorrow')
  expect(dueWording(at('2026-11-03T08:00:00Z'), now, 'days')).toBe('due tomorrow')
  expect(dueWording(at('2026-11-02T18:00:00Z'), now, 'days')).toBe('due today')
  expect(dueWording(at('2026-11-02T09:00:00Z'), now)).toBe('due earlier today')
  expect(dueWording(at('2026-11-01T10:00:00Z'), now)).toBe('1 day overdue')
  expect(dueWording(at('2026-10-28T10:00:00Z'), now)).toBe('5 days overdue')
})

test('in British Summer Time, 11pm UTC is already the next day', () => {
  const now = at('2026-07-01T10:00:00Z')
  expect(dueWording(at('2026-07-01T23:30:00Z'), now, 'days')).toBe('due tomorrow')
})

test('ahead of a target, due wording counts working days; past it, every calendar day', () => {
  const friday = at('2026-12-18T10:00:00Z')
  // Monday 21st is 1 working day on; Christmas Day, Boxing Day (substituted to the 28th) and the weekend do not count.
  expect(dueWording(at('2026-12-21T23:59:59Z'), friday)).toBe('due in 1 working day')
  expect(dueWording(at('2026-12-29T23:59:59Z'), friday)).toBe('due in 5 working days') // 21st to 24th, then the 29th
  expect(dueWording(at('2026-12-19T23:59:59Z'), friday)).toBe('due on the next working day')
  expect(dueWording(at('2026-12-18T23:59:59Z'), friday)).toBe('due today')
  expect(dueWording(at('2026-12-13T23:59:59Z'), friday)).toBe('5 days overdue')
})

test('a clock is due soon from its reminder, overdue after its due time, critical from the top of its ladder', () => {
  const d = {
    remindAt: at('2026-11-11T00:00:00Z'),
    dueAt: at('2026-11-13T23:59:59.999Z'),
    criticalAt: at('2026-11-20T23:59:59.999Z'),
  }
  expect(urgencyOf(d, at('2026-11-10T23:59:59Z'))).toBe('not_due')
  expect(urgencyOf(d, at('2026-11-11T00:00:00Z'))).toBe('due_soon')
  expect(urgencyOf(d, d.dueAt)).toBe('due_soon')
  expect(urgencyOf(d, at('2026-11-14T00:00:00Z'))).toBe('overdue')
  expect(urgencyOf(d, d.criticalAt)).toBe('critical')
})

test('each kind of clock is worded in the days it was set in', () => {
  const friday = at('2026-12-18T10:00:00Z')
  const due = at('2026-12-29T23:59:59Z')
  expect(clockWording('advice_response', due, friday)).toBe('due in 11 days') // "within 21 days" of the request
  expect(clockWording('victim_update', due, friday)).toBe('due in 11 days')
  expect(clockWording('action_target', due, friday)).toBe('due in 5 working days')
})
