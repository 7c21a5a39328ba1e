import { z } from 'zod'
import type { FieldError } from '../errors.ts'
import { addWorkingDays, bankHoliday, isWorkingDay } from './working-days.ts'

/** A date a person must act by, on a working day: `date` as given, or moved on, with why. */
export interface WorkingDate {
  date: string
  moved: { from: string; to: string; reason: string } | null
}

/**
 * Dates people must act by (targets, review dates, dates to respond or send evidence by) fall on
 * working days in England and Wales: one given on a weekend or bank holiday moves to the next
 * working day. One rule for every module, so the service never asks for action on a Sunday.
 */
export function onWorkingDay(date: string): WorkingDate {
  if (isWorkingDay(date)) return { date, moved: null }
  const to = addWorkingDays(date, 0)
  const holiday = bankHoliday(date)
  return {
    date: to,
    moved: { from: date, to, reason: holiday ? `it fell on a bank holiday (${holiday})` : 'it fell on a weekend' },
  }
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = 'January February March April May June July August September October November December'.split(' ')
/** "Saturday 5 December 2026", the GOV.UK style (no comma), whatever the runtime's locale data. */
const longDate = (date: string) => {
  const d = new Date(`${date}T12:00:00Z`)
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

/** "Target date moved from Saturday 5 December 2026 to Monday 7 December 2026: it fell on a weekend". */
export function movedWording(what: string, m: { from: string; to: string; reason: string }): string {
  return `${what} moved from ${longDate(m.from)} to ${longDate(m.to)}: ${m.reason}`
}

/** A date given on a weekend or bank holiday and moved to the next working day, said in words. */
export const MovedDate = z.object({
  field: z.string(),
  from: z.string(),
  to: z.string(),
  message: z.string(),
})
export type MovedDate = z.infer<typeof MovedDate>

/**
 * The date on a working day; a move is added to `moved`, worded with the field's label as people
 * read it. Outside the bank holiday calendar's years: a field error rather than a guess.
 */
export function workingDate(
  field: string,
  date: string,
  label: (field: string) => string,
  moved: MovedDate[],
  errors: FieldError[],
): string {
  try {
    const d = onWorkingDay(date)
    if (d.moved) moved.push({ field, from: d.moved.from, to: d.moved.to, message: movedWording(label(field), d.moved) })
    return d.date
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    errors.push({ field, message: `${label(field)}: ${err.message}` })
    return date
  }
}

/**
 * The query a form's redirect carries so the next page can say what moved: field and the date
 * given only, never the words, so nothing typed travels in a URL.
 */
export const movedQuery = (moved: MovedDate[]): string =>
  moved.length ? `moved=${encodeURIComponent(moved.map((m) => `${m.field}:${m.from}`).join(','))}` : ''

/** The words for dates moved, from the field and the date given alone (a page after a redirect). */
export function movedFromQuery(query: string | undefined, label: (field: string) => string): string[] {
  if (!query) return []
  return query.split(',').flatMap((part) => {
    const m = /^([A-Za-z0-9.]{1,40}):(\d{4}-\d{2}-\d{2})$/.exec(part)
    if (!m) return []
    const moved: MovedDate[] = []
    workingDate(m[1], m[2], label, moved, [])
    return moved.map((x) => x.message)
  })
}
