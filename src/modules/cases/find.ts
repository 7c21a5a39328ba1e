import { z } from 'zod'
import { parseInput } from '../../platform/errors.ts'
import * as lists from '../../platform/web/lists.ts'
import { STAGES, type Stage } from './stage.ts'

/**
 * Finding cases: the list's filters, sort and page (in the query string: they are not personal
 * data) and the search terms (names are personal data: they travel in POST bodies and are kept
 * server-side behind a random search id, never in a URL, a log or the audit log).
 */

const STAGE_CODES = Object.keys(STAGES) as [Stage, ...Stage[]]
export const SORTS = ['newest', 'urn', 'reported', 'stage', 'officer'] as const
export type Sort = (typeof SORTS)[number]
export type Order = lists.Order

const stage = z.enum(STAGE_CODES, { error: 'Select stages from the list' })
const flag = (description: string) => z.stringbool({ error: 'Use true or false' }).optional().describe(description)

/** The list's filters, sort and page, shared by the page (query string) and the API (query parameters). */
export const CaseListQuery = z.object({
  stage: z
    .union([stage, z.array(stage)])
    .optional()
    .transform((v): Stage[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .describe('Stage codes; repeat the parameter for several (any of them)'),
  team: z.uuid({ error: 'Select a team from the list' }).optional().describe('Police: the investigating team; CPS: the CPS unit'),
  officer: z.uuid({ error: 'Select an officer from the list' }).optional().describe('The officer in charge'),
  rape: flag('true: only cases with the CPS rape flag; false: only cases without it'),
  overdue: flag('true: only cases with an open deadline past its due time; false: only cases without one'),
  mine: flag('true: only cases where the caller is officer in charge or supervisor (police) or reviewing prosecutor (CPS)'),
  sort: z.enum(SORTS, { error: 'Sort by one of the listed columns' }).default('newest'),
  order: z.enum(['asc', 'desc'], { error: 'Order is asc or desc' }).optional().describe('Default: desc for newest, else asc'),
  page: z.coerce.number({ error: 'The page must be a number' }).int().min(1, 'The page must be 1 or more').default(1),
})
export type CaseListQuery = z.output<typeof CaseListQuery> & { order: Order }

/** Parses a query string or form: empty values ('' from "any" choices) count as not given. */
export function parseListQuery(raw: unknown): CaseListQuery {
  const given = Object.fromEntries(
    Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined),
  )
  const q = parseInput(CaseListQuery, given)
  return { ...q, order: q.order ?? (q.sort === 'newest' ? 'desc' : 'asc') }
}

const URN_START = /^[0-9]{2}[0-9A-Z]{2,11}$/

/**
 * What to search for: the start of a URN (written with or without spaces and slashes) and/or part
 * of a victim's or suspect's name. Each word of the name must start the first or last name of
 * the same person, ignoring case: "sam jon" finds Samantha Jones.
 */
export const SearchTerms = z
  .object({
    urn: z
      .string({ error: 'Enter the URN as text' })
      .transform((v) => v.replace(/[\s/-]/g, '').toUpperCase())
      .pipe(z.string().regex(URN_START, 'Enter at least the first 4 characters of the URN, like 91AB'))
      .optional(),
    name: z
      .string({ error: 'Enter the name as text' })
      .transform((v) => v.trim().replace(/\s+/g, ' '))
      .pipe(
        z
          .string()
          .min(2, 'Enter at least 2 letters of a name')
          .max(100, 'Enter a name of 100 characters or fewer')
          .refine((v) => v.split(' ').length <= 5, 'Enter at most 5 words of a name'),
      )
      .optional(),
  })
  .refine((t) => t.urn !== undefined || t.name !== undefined, { path: ['body'], message: 'Enter a URN or a name to search for' })
export type SearchTerms = z.output<typeof SearchTerms>

/** One search box on the page: anything with a digit is a URN (names have none), the rest a name. */
export function termsFromBox(q: unknown): unknown {
  const text = typeof q === 'string' ? q.trim() : ''
  if (!text) return {}
  return /[0-9]/.test(text) ? { urn: text } : { name: text }
}

/** The kind of search, for the audit log: never the terms. */
export function searchKind(t: SearchTerms): 'urn' | 'name' | 'urn and name' {
  return t.urn && t.name ? 'urn and name' : t.urn ? 'urn' : 'name'
}

/** The filters in force, for the audit log: codes, ids and flags only. */
export function filtersForAudit(q: CaseListQuery, terms?: SearchTerms) {
  return {
    ...(q.stage.length > 0 && { stage: q.stage }),
    ...(q.team && { team: q.team }),
    ...(q.officer && { officer: q.officer }),
    ...(q.rape !== undefined && { rape: q.rape }),
    ...(q.overdue !== undefined && { overdue: q.overdue }),
    ...(q.mine && { mine: true }),
    ...(terms && { search: searchKind(terms) }),
    sort: q.sort,
    order: q.order,
  }
}

/** `LIKE` pattern for values starting with `text`, with the wildcards in `text` escaped. */
export function startsWith(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

type ListState = CaseListQuery & { search?: string }

/** The list's address for a state: filters, search id, sort and page, leaving out defaults. */
export function listHref(state: ListState, change: Partial<ListState> = {}): string {
  const s = { ...state, ...change }
  const params = new URLSearchParams()
  for (const code of s.stage) params.append('stage', code)
  if (s.team) params.set('team', s.team)
  if (s.officer) params.set('officer', s.officer)
  for (const key of ['rape', 'overdue', 'mine'] as const) if (s[key] !== undefined) params.set(key, String(s[key]))
  if (s.search) params.set('search', s.search)
  if (s.sort !== 'newest' || s.order !== 'desc') {
    params.set('sort', s.sort)
    params.set('order', s.order)
  }
  if (s.page > 1) params.set('page', String(s.page))
  const qs = params.toString()
  return qs ? `/cases?${qs}` : '/cases'
}

/** Header cells of a server-side sortable column: a link that sorts, and aria-sort saying how it is sorted now. */
export function sortHeader(state: ListState, sort: Sort, text: string) {
  return lists.sortHeader(state, sort, text, (s, order) => listHref(state, { sort: s, order, page: 1 }))
}

/** govukPagination items: first, last and the pages around the current one, with ellipses between. */
export function paginationItems(state: ListState, pages: number) {
  return lists.paginationItems(state.page, pages, (page) => listHref(state, { page }))
}

type Named = { id: string; name: string }
export type ListOptions = { teams: Named[]; officers: Named[]; canFilterMine: boolean }

const SHOW_ONLY = [
  { key: 'rape', yes: 'Rape flag', no: 'No rape flag' },
  { key: 'overdue', yes: 'Overdue', no: 'Not overdue' },
  { key: 'mine', yes: 'My cases', no: 'My cases' },
] as const

/** The filter panel's fields, ready for the GOV.UK macros, so the template holds no logic. */
export function filterFields(state: ListState, options: ListOptions) {
  const choose = (list: Named[], chosen: string | undefined, any: string) => [
    { value: '', text: any },
    ...list.map((o) => ({ value: o.id, text: o.name, selected: o.id === chosen })),
  ]
  return {
    stages: Object.entries(STAGES).map(([value, text]) => ({ value, text, checked: state.stage.includes(value as Stage) })),
    teams: options.teams.length > 0 ? choose(options.teams, state.team, 'Any team') : undefined,
    officers: options.officers.length > 0 ? choose(options.officers, state.officer, 'Any officer') : undefined,
    showOnly: SHOW_ONLY.filter((f) => f.key !== 'mine' || options.canFilterMine).map((f) => ({
      name: f.key,
      value: 'true',
      text: f.key === 'mine' ? 'Only my cases' : f.yes,
      checked: state[f.key] === true,
    })),
  }
}

/** The MOJ filter's "Selected filters": one tag per filter, each a link to the list without it. */
export function selectedFilters(state: ListState, options: ListOptions, terms?: SearchTerms) {
  const without = (change: Partial<ListState>) => listHref(state, { ...change, page: 1 })
  const nameOf = (list: Named[], id: string) => list.find((o) => o.id === id)?.name ?? 'Not in the list'
  const categories = [
    {
      heading: { text: 'Search' },
      items: terms
        ? [
            {
              text: [terms.urn && `URN starting ${terms.urn}`, terms.name].filter(Boolean).join(', '),
              href: without({ search: undefined }),
            },
          ]
        : [],
    },
    {
      heading: { text: 'Stage' },
      items: state.stage.map((code) => ({ text: STAGES[code], href: without({ stage: state.stage.filter((s) => s !== code) }) })),
    },
    {
      heading: { text: 'Team' },
      items: state.team ? [{ text: nameOf(options.teams, state.team), href: without({ team: undefined }) }] : [],
    },
    {
      heading: { text: 'Officer in charge' },
      items: state.officer ? [{ text: nameOf(options.officers, state.officer), href: without({ officer: undefined }) }] : [],
    },
    {
      heading: { text: 'Show only' },
      items: SHOW_ONLY.filter((f) => state[f.key] !== undefined && (f.key !== 'mine' || state.mine)).map((f) => ({
        text: state[f.key] ? f.yes : f.no,
        href: without({ [f.key]: undefined }),
      })),
    },
  ].filter((c) => c.items.length > 0)
  if (categories.length === 0) return undefined
  return { heading: { text: 'Selected filters' }, clearLink: { text: 'Clear filters', href: '/cases' }, categories }
}
