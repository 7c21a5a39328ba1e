import holidays from './bank-holidays.json' with { type: 'json' }

/**
 * Working days in England and Wales: Monday to Friday, except bank holidays. Every "N working
 * days" in the service (the Victims' Code 1-day clock, VRR windows, action-plan targets) is
 * counted here. Dates are calendar dates, 'YYYY-MM-DD', in UK time.
 *
 * The bank holidays are data (bank-holidays.json), including substitute days and the one-off
 * days proclaimed in 2020, 2022 and 2023. Outside the years it covers the calendar refuses to
 * answer rather than guess: extend the file before then.
 */

const BANK_HOLIDAYS = new Map(holidays.holidays.map((h) => [h.date, h.name]))
export const CALENDAR_YEARS = { from: holidays.from, to: holidays.to }

function parse(date: string): Date {
  const d = new Date(`${date}T00:00:00Z`)
  const year = d.getUTCFullYear()
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw new RangeError(`Not a calendar date: ${date}`)
  if (year < CALENDAR_YEARS.from || year > CALENDAR_YEARS.to) {
    throw new RangeError(`The bank holiday calendar covers ${CALENDAR_YEARS.from} to ${CALENDAR_YEARS.to}, not ${year}`)
  }
  return d
}

const format = (d: Date) => d.toISOString().slice(0, 10)
const nextDay = (d: Date) => new Date(d.getTime() + 86_400_000)

export function bankHoliday(date: string): string | undefined {
  parse(date)
  return BANK_HOLIDAYS.get(date)
}

export function isWorkingDay(date: string): boolean {
  const day = parse(date).getUTCDay()
  return day !== 0 && day !== 6 && !BANK_HOLIDAYS.has(date)
}

/** The date `n` working days after `date` (n ≥ 0); 0 is `date` itself if it is a working day, else the next. */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number, 0 or more: ${n}`)
  let d = parse(date)
  while (!isWorkingDay(format(d))) d = nextDay(d)
  for (let left = n; left > 0; ) {
    d = nextDay(d)
    if (isWorkingDay(format(d))) left--
  }
  return format(d)
}

/** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
export function workingDaysBetween(from: string, to: string): number {
  if (to < from) return -workingDaysBetween(to, from)
  let count = 0
  for (let d = nextDay(parse(from)); format(d) <= to; d = nextDay(d)) if (isWorkingDay(format(d))) count++
  return count
}

/** The date `n` working days before `date` (n ≥ 0); 0 is `date` itself if it is a working day, else the one before. */
export function subtractWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number, 0 or more: ${n}`)
  const prevDay = (d: Date) => new Date(d.getTime() - 86_400_000)
  let d = parse(date)
  while (!isWorkingDay(format(d))) d = prevDay(d)
  for (let left = n; left > 0; ) {
    d = prevDay(d)
    if (isWorkingDay(format(d))) left--
  }
  return format(d)
}
