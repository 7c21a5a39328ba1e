import { describe, expect, test } from 'vitest'
import { movedFromQuery, movedQuery, movedWording, onWorkingDay } from './working-date.ts'

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

describe('a moved date after a redirect', () => {
  const label = (field: string) => (field === 'respondBy' ? 'Respond by date' : 'Date')

  test('the query carries the field and the date given only, and the page words it again', () => {
    const q = movedQuery([{ field: 'respondBy', from: '2026-12-05', to: '2026-12-07', message: 'words never travel' }])
    expect(q).toBe('moved=respondBy%3A2026-12-05')
    expect(movedFromQuery(decodeURIComponent(q.slice('moved='.length)), label)).toEqual([
      'Respond by date moved from Saturday 5 December 2026 to Monday 7 December 2026: it fell on a weekend',
    ])
    expect(movedQuery([])).toBe('')
  })

  test('anything else in the query is ignored: odd fields, dates that are not dates, working days', () => {
    expect(movedFromQuery('<b>x</b>:2026-12-05,respondBy:nope,respondBy:2026-12-04', label)).toEqual([])
    expect(movedFromQuery(undefined, label)).toEqual([])
  })
})
