import { expect, test } from 'vitest'
import { dateFromInput, formatDate, formErrors } from './views.ts'

test('a date input’s three boxes become one ISO date, or a marker for what is wrong', () => {
  const body = (d: string, m: string, y: string) => ({ 'x-day': d, 'x-month': m, 'x-year': y })
  expect(dateFromInput(body('3', '4', '2026'), 'x')).toBe('2026-04-03')
  expect(dateFromInput(body('', '', ''), 'x')).toBe('')
  expect(dateFromInput(body('3', '', '2026'), 'x')).toBe('invalid')
  expect(dateFromInput(body('3', '4', '26'), 'x')).toBe('invalid')
})

test('dates and times show in UK time, the GOV.UK way', () => {
  expect(formatDate('2026-07-01', 'date')).toBe('1 July 2026')
  expect(formatDate('2026-07-01T13:05:00Z', 'datetime')).toBe('1 July 2026 at 2:05pm') // BST
  expect(formatDate('2026-12-01T09:00:00Z', 'datetime')).toBe('1 December 2026 at 9:00am')
})

test('field errors become an error summary linking to each field, first message per field', () => {
  const e = formErrors(
    [
      { field: 'urn', message: 'Enter the URN' },
      { field: 'urn', message: 'second' },
      { field: 'dateReported', message: 'Enter the date reported' },
    ],
    { dateReported: 'dateReported-day' },
  )
  expect(e.summary).toEqual([
    { text: 'Enter the URN', href: '#urn' },
    { text: 'Enter the date reported', href: '#dateReported-day' },
  ])
  expect(e.fields.urn).toEqual({ text: 'Enter the URN' })
})

test('no template of ours marks anything safe: what a person typed is always escaped', async () => {
  const { readdir, readFile } = await import('node:fs/promises')
  const src = new URL('../../', import.meta.url)
  const templates = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.njk'))
  expect(templates.length).toBeGreaterThan(30)
  const marked = []
  for (const f of templates) if (/\|\s*safe\b/.test(await readFile(new URL(f, src), 'utf8'))) marked.push(f)
  expect(marked).toEqual([])
})
