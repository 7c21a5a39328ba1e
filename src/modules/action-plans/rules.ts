/** Pure date rules for action plans: no database, so they are tested on their own. */
import { addWorkingDays, bankHoliday, isWorkingDay } from '../../platform/calendar/working-days.ts'

/** A calendar date `months` later; the 31st becomes the month's last day where it has fewer. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + days)
  return t.toISOString().slice(0, 10)
}

/** A date a person must act by, on a working day: `date` as given, or moved on, with why. */
export interface WorkingDate {
  date: string
  moved: { from: string; to: string; reason: string } | null
}

/**
 * Dates people must act by (targets, review dates, proposed new targets) fall on working days in
 * England and Wales: one given on a weekend or bank holiday moves to the next working day.
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

/**
 * When the CPS may admin finalise a plan the police have not answered: the wait counts from the
 * latest target date in force among the unanswered actions (agreed extensions included), or from
 * the day the plan reopened after an earlier admin finalisation if that is later. Possible from
 * the day after the returned date.
 */
export function adminFinaliseWaitEnds(latestTarget: string, months: number, reopenedOn: string | null = null): string {
  const from = reopenedOn && reopenedOn > latestTarget ? reopenedOn : latestTarget
  return addMonths(from, months)
}
