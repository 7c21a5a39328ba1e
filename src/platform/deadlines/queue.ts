import type { Sql } from '../../db/client.ts'
import { type Actor, hasRole } from '../access/actor.ts'
import { caseScope } from '../access/policy.ts'
import type { Urgency } from './deadlines.ts'
import { type DeadlineKind, LADDERS } from './ladders.ts'

/**
 * Work queues (ARCHITECTURE.md, "Deadlines"): the running clocks a person, a team or an
 * organisation must act on, grouped as critically overdue, overdue, due soon and not due by the
 * same stored ladder times as `urgencyOf` and the sweeper, so a queue and a notification never
 * disagree. Grouping, counting, filtering, sorting and paging all happen in SQL.
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

const rankSql = (now: string) =>
  `CASE WHEN ${now} > d.due_at THEN (CASE WHEN ${now} >= d.critical_at THEN 1 ELSE 2 END) WHEN ${now} >= d.remind_at THEN 3 ELSE 4 END`

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
}

/** The FROM and WHERE every queue query shares: the scope, the organisation and the access policy. */
function scoped(actor: Actor, teamId: string | null, scope: QueueScope, params: unknown[], join = ''): string {
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
  return `FROM deadlines d JOIN cases c ON c.id = d.case_id ${join} WHERE ${where.join(' AND ')}`
}

/**
 * One page of a queue and the count of each group. The counts follow the kind and owner filters
 * but not the group filter, so the summary always shows the whole queue's shape.
 */
export async function queuePage(sql: Sql, actor: Actor, teamId: string | null, f: QueueFilter, now: Date): Promise<QueuePage> {
  const params: unknown[] = [now]
  // The count and the page share their parameters: the page only adds to the end.
  let from = scoped(actor, teamId, f.scope, params, 'LEFT JOIN users o ON o.id = d.owner_id')
  if (f.kind) {
    params.push(f.kind)
    from += ` AND d.kind = $${params.length}`
  }
  if (f.owner) {
    params.push(f.owner)
    from += ` AND d.owner_id = $${params.length}`
  }
  const countRows = await sql.query<{ urgency: Urgency; n: number }>(
    `SELECT ${urgencySql('$1')} AS urgency, count(*)::int AS n ${from} GROUP BY 1`,
    params,
  )
  const counts = { critical: 0, overdue: 0, due_soon: 0, not_due: 0 } as Record<Urgency, number>
  for (const r of countRows) counts[r.urgency] = r.n
  const total = f.group ? counts[f.group] : URGENCY_ORDER.reduce((sum, g) => sum + counts[g], 0)
  if (total === 0) return { counts, total, rows: [] }

  if (f.group) from += ` AND ${inGroupSql(f.group, '$1')}`
  const dir = f.order === 'desc' ? 'DESC' : 'ASC'
  let order: string
  if (f.sort === 'urn') order = `c.urn ${dir}, d.due_at`
  else if (f.sort === 'kind') {
    params.push(KINDS_BY_LABEL)
    order = `array_position($${params.length}::text[], d.kind) ${dir}, d.due_at`
  } else order = `d.due_at ${dir}`
  params.push(QUEUE_PAGE_SIZE, (f.page - 1) * QUEUE_PAGE_SIZE)
  const rows = await sql.query<QueueRow>(
    `SELECT d.id, d.kind, d.case_id AS "caseId", c.urn, d.owner_id AS "ownerId", o.display_name AS "ownerName",
            d.due_at AS "dueAt", d.remind_at AS "remindAt", d.critical_at AS "criticalAt",
            d.escalation_level AS "escalationLevel", ${urgencySql('$1')} AS urgency
       ${from}
      ORDER BY ${rankSql('$1')}, ${order}, d.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  )
  return { counts, total, rows }
}

/** The people who own clocks in a queue, for its owner filter. */
export async function queueOwners(
  sql: Sql,
  actor: Actor,
  teamId: string | null,
  scope: QueueScope,
): Promise<{ id: string; name: string }[]> {
  const params: unknown[] = []
  const from = scoped(actor, teamId, scope, params)
  return sql.query(
    `SELECT u.id, u.display_name AS name FROM users u
      WHERE u.id IN (SELECT DISTINCT d.owner_id ${from}) ORDER BY u.display_name, u.id`,
    params,
  )
}
