import { expect, test } from 'vitest'
import { contactTimeErrors, lateUpdateErrors, londonInstant, nextUpdateDue, timeFromInput } from './rules.ts'

const at = (iso: string) => new Date(iso)
const fields = (errors: { field: string }[]) => errors.map((e) => e.field)

test('the next update is due the agreed number of days after the clock starts', () => {
  expect(nextUpdateDue(14, at('2026-11-02T10:00:00Z'))).toEqual(at('2026-11-16T10:00:00Z'))
  expect(nextUpdateDue(7, at('2026-11-02T10:00:00Z'))).toEqual(at('2026-11-09T10:00:00Z'))
})

test('updates only at key decisions run no clock', () => {
  expect(nextUpdateDue(null, at('2026-11-02T10:00:00Z'))).toBeNull()
})

test('a planned update after the due time needs the reason and the victim told', () => {
  const clock = { dueAt: at('2026-11-16T10:00:00Z') }
  const late = { plannedUpdate: true, contactedAt: at('2026-11-18T09:00:00Z'), missedReason: '', victimToldWhy: false }
  expect(fields(lateUpdateErrors(late, clock))).toEqual(['missedReason', 'victimToldWhy'])
  expect(lateUpdateErrors(late, clock)[0].message).toMatch(/due 16 November 2026 at 10:00am: give the reason/)
  expect(fields(lateUpdateErrors({ ...late, missedReason: 'Officer on leave' }, clock))).toEqual(['victimToldWhy'])
  expect(lateUpdateErrors({ ...late, missedReason: 'Officer on leave', victimToldWhy: true }, clock)).toEqual([])
})

test('on time, unplanned, or with no clock running, no reason is asked for', () => {
  const clock = { dueAt: at('2026-11-16T10:00:00Z') }
  const update = { plannedUpdate: true, contactedAt: at('2026-11-16T10:00:00Z'), missedReason: '', victimToldWhy: false }
  expect(lateUpdateErrors(update, clock)).toEqual([])
  expect(lateUpdateErrors({ ...update, contactedAt: at('2026-11-20T10:00:00Z'), plannedUpdate: false }, clock)).toEqual([])
  expect(lateUpdateErrors({ ...update, contactedAt: at('2026-11-20T10:00:00Z') }, undefined)).toEqual([])
})

test('a contact cannot be in the future', () => {
  const now = at('2026-11-02T10:00:00Z')
  expect(contactTimeErrors(now, now)).toEqual([])
  expect(fields(contactTimeErrors(at('2026-11-02T10:01:00Z'), now))).toEqual(['contactedAt'])
})

test('times are read the way people type them', () => {
  expect(timeFromInput('14:30')).toBe('14:30')
  expect(timeFromInput('2:30pm')).toBe('14:30')
  expect(timeFromInput(' 9am ')).toBe('09:00')
  expect(timeFromInput('9.15 AM')).toBe('09:15')
  expect(timeFromInput('12am')).toBe('00:00')
  expect(timeFromInput('12pm')).toBe('12:00')
  expect(timeFromInput('')).toBe('')
  for (const bad of ['14', '25:00', '13pm', 'noon', '10:75']) expect(timeFromInput(bad), bad).toBe('invalid')
})

test('a time in England and Wales becomes the right instant in winter and in summer', () => {
  expect(londonInstant('2026-11-02', '09:30').toISOString()).toBe('2026-11-02T09:30:00.000Z')
  expect(londonInstant('2026-07-01', '09:30').toISOString()).toBe('2026-07-01T08:30:00.000Z')
})
