/**
 * Financial-year quarters, as the CPS, the Home Office and the published rape scorecards count
 * them: the year runs from 1 April, Q1 is April to June and Q4 is January to March of the next
 * calendar year, so "2026-27 Q3" is October to December 2026.
 *
 * Pure functions over YYYY-MM-DD dates (England and Wales calendar days), shared by every
 * report that groups by quarter so they all cut the year at the same place.
 */

export interface FinancialQuarter {
  /** The calendar year the financial year starts in: 2026 for 2026-27. */
  startYear: number
  q: 1 | 2 | 3 | 4
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** The quarter a day falls in. */
export function financialQuarterOf(date: string): FinancialQuarter {
  const [y, m] = date.split('-').map(Number)
  // April (4) starts Q1; January to March belong to the year that started the April before.
  const startYear = m >= 4 ? y : y - 1
  const monthsIn = (m + 8) % 12 // April 0 … March 11
  return { startYear, q: (Math.floor(monthsIn / 3) + 1) as FinancialQuarter['q'] }
}

/** "2026-27" for the year starting April 2026. */
export const financialYearLabel = (startYear: number) => `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`

/** The code used in URLs and the API: "2026-27-Q3". */
export const financialQuarterCode = (fq: FinancialQuarter) => `${financialYearLabel(fq.startYear)}-Q${fq.q}`

/** Reads a code like "2026-27-Q3"; undefined unless the two years follow each other. */
export function parseFinancialQuarter(value: string | undefined): FinancialQuarter | undefined {
  const m = /^(\d{4})-(\d{2})-Q([1-4])$/.exec(value ?? '')
  if (!m) return undefined
  const startYear = Number(m[1])
  if (Number(m[2]) !== (startYear + 1) % 100) return undefined
  return { startYear, q: Number(m[3]) as FinancialQuarter['q'] }
}

/** The calendar year and month (1–12) the quarter's first month falls in. */
function firstMonth(fq: FinancialQuarter): { year: number; month: number } {
  const month = (((fq.q - 1) * 3 + 3) % 12) + 1 // Q1 → 4, Q2 → 7, Q3 → 10, Q4 → 1
  return { year: fq.q === 4 ? fq.startYear + 1 : fq.startYear, month }
}

const ymd = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`

/**
 * The quarter's days: `from` is its first day, `until` the first day of the next quarter (so a
 * date is in the quarter when from <= date < until), `last` its last day, for display.
 */
export function financialQuarterDates(fq: FinancialQuarter): { from: string; until: string; last: string } {
  const { year, month } = firstMonth(fq)
  const from = ymd(year, month, 1)
  const next = firstMonth(nextFinancialQuarter(fq))
  const until = ymd(next.year, next.month, 1)
  const last = new Date(Date.parse(`${until}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  return { from, until, last }
}

/** "2026-27 Q3: October to December 2026"; Q4 names the calendar year it falls in. */
export function financialQuarterLabel(fq: FinancialQuarter): string {
  const { year, month } = firstMonth(fq)
  return `${financialYearLabel(fq.startYear)} Q${fq.q}: ${MONTHS[month - 1]} to ${MONTHS[month + 1]} ${year}`
}

export function previousFinancialQuarter(fq: FinancialQuarter): FinancialQuarter {
  return fq.q === 1 ? { startYear: fq.startYear - 1, q: 4 } : { startYear: fq.startYear, q: (fq.q - 1) as FinancialQuarter['q'] }
}

export function nextFinancialQuarter(fq: FinancialQuarter): FinancialQuarter {
  return fq.q === 4 ? { startYear: fq.startYear + 1, q: 1 } : { startYear: fq.startYear, q: (fq.q + 1) as FinancialQuarter['q'] }
}

/** The last eight quarters to choose from, newest first, and the chosen one if it is older: for a quarter picker. */
export function quarterChoices(today: string, chosen: string): { value: string; text: string; selected: boolean }[] {
  const list = []
  let q = financialQuarterOf(today)
  for (let i = 0; i < 8; i++) {
    list.push({ value: financialQuarterCode(q), text: financialQuarterLabel(q), selected: financialQuarterCode(q) === chosen })
    q = previousFinancialQuarter(q)
  }
  const older = parseFinancialQuarter(chosen)
  if (older && !list.some((c) => c.value === chosen))
    list.push({ value: chosen, text: financialQuarterLabel(older), selected: true })
  return list
}
