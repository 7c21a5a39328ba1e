/**
 * What every server-side list shares: sortable column headers and GOV.UK pagination. Each list
 * says how its own address is written (`href`); these work out the links and states.
 */

export type Order = 'asc' | 'desc'

/** Header cells of a server-side sortable column: a link that sorts, and aria-sort saying how it is sorted now. */
export function sortHeader<S extends string>(
  state: { sort: S; order: Order },
  sort: S,
  text: string,
  href: (sort: S, order: Order) => string,
) {
  const current = state.sort === sort ? state.order : undefined
  const next: Order = current === 'asc' ? 'desc' : 'asc'
  return {
    text,
    href: href(sort, next),
    ariaSort: current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : 'none',
  }
}

/** govukPagination items: first, last and the pages around the current one, with ellipses between. */
export function paginationItems(page: number, pages: number, href: (page: number) => string) {
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  for (const [i, n] of shown.entries()) {
    if (i > 0 && n - shown[i - 1] > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page })
  }
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  }
}
