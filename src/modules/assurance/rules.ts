import { addMonths } from '../action-plans/rules.ts'

/** Pure rules of the quarterly assurance return: quarters and safe CSV cells. */

/** A calendar quarter: 2026 Q4 is 1 October to 31 December 2026. */
export interface Quarter {
  year: number
  q: 1 | 2 | 3 | 4
}

export function parseQuarter(value: string | undefined): Quarter | undefined {
  const m = /^(\d{4})-Q([1-4])$/.exec(value ?? '')
  return m ? { year: Number(m[1]), q: Number(m[2]) as Quarter['q'] } : undefined
}

export function quarterOf(date: string): Quarter {
  const [y, m] = date.split('-').map(Number)
  return { year: y, q: (Math.floor((m - 1) / 3) + 1) as Quarter['q'] }
}

export const quarterCode = (q: Quarter) => `${q.year}-Q${q.q}`

/** First day of the quarter and first day of the next (YYYY-MM-DD). */
export function quarterDates(q: Quarter): { from: string; to: string } {
  const from = `${q.year}-${String((q.q - 1) * 3 + 1).padStart(2, '0')}-01`
  return { from, to: addMonths(from, 3) }
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
export function quarterLabel(q: Quarter): string {
  const first = (q.q - 1) * 3
  return `${q.year} Q${q.q}: ${MONTHS[first]} to ${MONTHS[first + 2]} ${q.year}`
}

export function previousQuarter(q: Quarter): Quarter {
  return q.q === 1 ? { year: q.year - 1, q: 4 } : { year: q.year, q: (q.q - 1) as Quarter['q'] }
}

/**
 * A spreadsheet cell that cannot run as a formula: text starting with = + - @ (or a tab or
 * carriage return) gets a leading apostrophe, then the cell is quoted.
 */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n']/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s
}

export const csvRow = (cells: (string | number | null)[]) => cells.map(csvCell).join(',')
