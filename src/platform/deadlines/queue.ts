import type { Sql } from '../../db/client.ts'
import { type Actor, hasRole } from '../access/actor.ts'
import { caseScope } from '../access/policy.ts'
import type { Urgency } from './deadlines.ts'
import { type DeadlineKind, LADDERS } from './ladders.ts'

/**
 * Work queues (ARCHITECTURE.md, "Deadlines"): the running clocks a person, a team or an
 * organisation must act on, grouped as critically overdue, overdue, due soon and not due by the
 * same stored ladder times as `urgencyOf` and the sweeper, so a queue and a notification never
 * disagree. Grouping, counting (GROUP BY group, kind and owner; the filters pick rows of that),
 * filtering, sorting and paging happen in SQL.
 *
 * Who has which queue:
 *   mine          police investigators and supervisors, prosecutors and CPS managers: the clocks
 *                 they own, and the clocks escalated to them (a missed target reaches the
 *                 supervisor's queue through the sweeper's escalation notifications);
 *   team          the same people, when they belong to a team: cover for an absent colleague is
 *                 team work, and they can already see every case of their organisation;
 *   organisation  police supervisors and CPS managers only: the management view across teams.
 * ISVAs, analysts and administrators do no casework with clocks, so they have no queue.
 *
 * Every queue holds only clocks of the user's own organisation on cases the access policy lets
 * them see (`caseScope`), so nobody learns of another force's cases through a queue.
 */

export const QUEUE_SCOPES = ['mine', 'team', 'organisation'] as const
export type QueueScope = (typeof QUEUE_SCOPES)[number]
export const QUEUE_SORTS = ['due', 'urn', 'kind'] as const
export type QueueSort = (typeof QUEUE_SORTS)[number]
/** The groups in the order a queue shows them: the most urgent first. */
export const URGENCY_ORDER: readonly Urgency[] = ['critical', 'overdue', 'due_soon', 'not_due']
export const QUEUE_PAGE_SIZE = 25

const CASEWORK = ['investigator', 'police_supervisor', 'prosecutor', 'cps_manager'] as const
const MANAGERS = ['police_supervisor', 'cps_manager'] as const

/** The queues a user may open; empty for people who have none. `teamId` is the user's team, if any. */
export function queueScopes(actor: Actor, teamId: string | null): QueueScope[] {
  if (actor.organisationKind === 'support_service' || !hasRole(actor, ...CASEWORK)) return []
  const scopes: QueueScope[] = ['mine']
  if (teamId) scopes.push('team')
  if (hasRole(actor, ...MANAGERS)) scopes.push('organisation')
  return scopes
}

export async function teamOf(sql: Sql, userId: string): Promise<string | null> {
  const [row] = await sql.query<{ teamId: string | null }>('SELECT team_id AS "teamId" FROM users WHERE id = $1', [userId])
  return row?.teamId ?? null
}

/**
 * The group a clock is in at `now` (a parameter placeholder such as `$3`), as SQL over the
 * deadlines table aliased `d`: exactly the definitions of `urgencyOf`.
 */
export function urgencySql(now: string): string {
  return `CASE WHEN ${now} > d.due_at THEN (CASE WHEN ${now} >= d.critical_at THEN 'critical' ELSE 'overdue' END)
               WHEN ${now} >= d.remind_at THEN 'due_soon' ELSE 'not_due' END`
}

/** One group as plain range conditions on the stored times, so an index on due_at can serve it. */
export function inGroupSql(group: Urgency, now: string): string {
  switch (group) {
    case 'critical':
      return `d.due_at < ${now} AND d.critical_at <= ${now}`
    case 'overdue':
      return `d.due_at < ${now} AND d.critical_at > ${now}`
    case 'due_soon':
      return `d.due_at >= ${now} AND d.remind_at <= ${now}`
    case 'not_due':
      return `d.due_at >= ${now} AND d.remind_at > ${now}`
  }
}

/** Kinds in the alphabetical order of their labels, so "sort by what is due" reads alphabetically. */
const KINDS_BY_LABEL = (Object.keys(LADDERS) as DeadlineKind[]).sort((a, b) => LADDERS[a].label.localeCompare(LADDERS[b].label))

export interface QueueFilter {
  scope: QueueScope
  group?: Urgency
  kind?: DeadlineKind
  owner?: string
  sort: QueueSort
  order: 'asc' | 'desc'
  page: number
}

export interface QueueRow {
  id: string
  kind: DeadlineKind
  caseId: string
  urn: string
  ownerId: string | null
  ownerName: string | null
  dueAt: Date
  remindAt: Date
  criticalAt: Date
  escalationLevel: number
  urgency: Urgency
}

export interface QueuePage {
  counts: Record<Urgency, number>
  total: number
  rows: QueueRow[]
  /** The people who own clocks in the queue (before any filter), for its owner filter. */
  owners: { id: string; name: string }[]
}

/** The FROM and WHERE every queue query shares: the scope, the organisation and the access policy. */
function scoped(actor: Actor, teamId: string | null, scope: QueueScope, params: unknown[]): string {
  params.push(actor.organisationId)
  const where = [`d.state = 'open'`, `d.organisation_id = $${params.length}`, caseScope(actor, params, 'c')]
  if (scope === 'mine') {
    params.push(actor.id)
    const me = `$${params.length}`
    where.push(`d.id IN (SELECT id FROM deadlines WHERE owner_id = ${me} AND state = 'open'
                         UNION ALL
                         SELECT deadline_id FROM notifications WHERE recipient_id = ${me} AND step IN ('escalation_1', 'escalation_2'))`)
  } else if (scope === 'team') {
    params.push(teamId)
    where.push(`d.team_id = $${params.length}`)
  }
  return `FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE ${where.join(' AND ')}`
}

/**
 * One page of a queue, the count of each group and the queue's owners. The counts follow the kind
 * and owner filters but not the group filter, so the summary always shows the whole queue's shape.
 *
 * Two passes over the queue's clocks at most: one aggregate (group × kind × owner) gives every
 * count and the owners; then each group the page reaches is read in its own sort order with its
 * own LIMIT, so the default page (by due date) walks the (scope, due_at) index and stops after 25.
 */
export async function queuePage(sql: Sql, actor: Actor, teamId: string | null, f: QueueFilter, now: Date): Promise<QueuePage> {
  const params: unknown[] = [now]
  const from = scoped(actor, teamId, f.scope, params)
  const summary = await sql.query<{ urgency: Urgency; kind: DeadlineKind; ownerId: string | null; n: number }>(
    `SELECT ${urgencySql('$1')} AS urgency, d.kind, d.owner_id AS "ownerId", count(*)::int AS n ${from} GROUP BY 1, 2, 3`,
    params,
  )
  const counts = { critical: 0, overdue: 0, due_soon: 0, not_due: 0 } as Record<Urgency, number>
  for (const r of summary) {
    if ((!f.kind || r.kind === f.kind) && (!f.owner || r.ownerId === f.owner)) counts[r.urgency] += r.n
  }
  const ownerIds = [...new Set(summary.map((r) => r.ownerId).filter((id): id is string => id !== null))]
  const owners = ownerIds.length
    ? await sql.query<{ id: string; name: string }>(
        'SELECT id, display_name AS name FROM users WHERE id = ANY($1::uuid[]) ORDER BY display_name, id',
        [ownerIds],
      )
    : []
  const total = f.group ? counts[f.group] : URGENCY_ORDER.reduce((sum, g) => sum + counts[g], 0)
  const rows: QueueRow[] = []
  let skip = (f.page - 1) * QUEUE_PAGE_SIZE
  let need = QUEUE_PAGE_SIZE
  for (const group of f.group ? [f.group] : URGENCY_ORDER) {
    if (need === 0) break
    if (skip >= counts[group]) {
      skip -= counts[group]
      continue
    }
    const take = Math.min(need, counts[group] - skip)
    rows.push(...(await groupRows(sql, from, [...params], f, group, take, skip)))
    need -= take
    skip = 0
  }
  return { counts, total, rows, owners }
}

async function groupRows(
  sql: Sql,
  from: string,
  params: unknown[],
  f: QueueFilter,
  group: Urgency,
  limit: number,
  offset: number,
) {
  let where = ` AND ${inGroupSql(group, '$1')}`
  if (f.kind) {
    params.push(f.kind)
    where += ` AND d.kind = $${params.length}`
  }
  if (f.owner) {
    params.push(f.owner)
    where += ` AND d.owner_id = $${params.length}`
  }
  const dir = f.order === 'desc' ? 'DESC' : 'ASC'
  let order: string
  if (f.sort === 'urn') order = `c.urn ${dir}, d.due_at`
  else if (f.sort === 'kind') {
    params.push(KINDS_BY_LABEL)
    order = `array_position($${params.length}::text[], d.kind) ${dir}, d.due_at`
  } else order = `d.due_at ${dir}`
  params.push(limit, offset)
  const page = await sql.query<Omit<QueueRow, 'ownerName' | 'urgency'>>(
    `SELECT d.id, d.kind, d.case_id AS "caseId", c.urn, d.owner_id AS "ownerId", d.due_at AS "dueAt", d.remind_at AS "remindAt",
            d.critical_at AS "criticalAt", d.escalation_level AS "escalationLevel"
       ${from}${where}
      ORDER BY ${order}, d.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  )
  const names = new Map<string, string>()
  const ids = [...new Set(page.map((r) => r.ownerId).filter((id): id is string => id !== null))]
  if (ids.length) {
    for (const u of await sql.query<{ id: string; name: string }>(
      'SELECT id, display_name AS name FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    )) {
      names.set(u.id, u.name)
    }
  }
  return page.map((r) => ({ ...r, ownerName: r.ownerId ? (names.get(r.ownerId) ?? null) : null, urgency: group }))
}
