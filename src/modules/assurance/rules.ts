/** Pure rules of the quarterly assurance return: safe CSV cells (quarters are platform/calendar/quarters.ts). */

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
