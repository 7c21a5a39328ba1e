import type { Sql } from '../../db/client.ts'

export interface AccessEntry {
  occurredAt: Date
  kind: 'consultation' | 'alteration' | null
  action: string
  subject: string | null
  justification: string | null
  channel: string | null
  who: string | null
  organisation: string | null
}

/** Which entries to show: everything about the case, or only its victim's details. */
export type AccessFilter = 'all' | 'victim'

const filterSql = (filter: AccessFilter) => (filter === 'victim' ? "AND a.action LIKE 'victim.%'" : '')

export async function accessToCase(sql: Sql, caseId: string, filter: AccessFilter, page: { limit: number; offset: number }) {
  const [{ total }] = await sql.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM audit_log a WHERE a.case_id = $1 ${filterSql(filter)}`,
    [caseId],
  )
  const entries = await sql.query<AccessEntry>(
    `SELECT a.occurred_at AS "occurredAt", a.details->>'kind' AS kind, a.action, a.subject, a.justification,
            a.details->>'channel' AS channel, u.display_name AS who, o.name AS organisation
       FROM audit_log a
       LEFT JOIN users u ON u.id = a.actor_id
       LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE a.case_id = $1 ${filterSql(filter)}
      ORDER BY a.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
    [caseId],
  )
  return { total, entries }
}

export async function caseIdByUrn(sql: Sql, urn: string): Promise<string | undefined> {
  const [row] = await sql.query<{ id: string }>('SELECT id FROM cases WHERE urn = $1', [urn])
  return row?.id
}
