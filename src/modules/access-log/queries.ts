import type { Sql } from '../../db/client.ts'
import { REFUSAL } from '../../platform/audit/audit.ts'
import { VICTIM_ACTIONS_BEFORE_CLASSIFICATION } from '../../platform/audit/subjects.ts'

export interface AccessEntry {
  occurredAt: Date
  kind: 'consultation' | 'alteration' | 'refusal' | null
  action: string
  subject: string | null
  justification: string | null
  /** For a refusal, the policy's name for what was attempted. */
  attempted: string | null
  channel: string | null
  who: string | null
  /** Whether `who` is a system client (docs/decisions/0011) rather than a person. */
  systemClient: boolean
  organisation: string | null
}

/** Which entries to show: everything about the case, only its victim's data, or only refused attempts. */
export const ACCESS_FILTERS = ['all', 'victim', 'refused'] as const
export type AccessFilter = (typeof ACCESS_FILTERS)[number]

// The writer classifies each row from its subject (platform/audit/subjects.ts); rows from before
// that (victim_data null) are classified by their action. A refusal is never victim data: nobody
// saw anything.
const filterSql = (filter: AccessFilter) =>
  filter === 'victim'
    ? 'AND (a.victim_data OR (a.victim_data IS NULL AND a.action = ANY($2)))'
    : filter === 'refused'
      ? "AND a.details->>'kind' = $2"
      : ''
const filterParams = (filter: AccessFilter) =>
  filter === 'victim' ? [[...VICTIM_ACTIONS_BEFORE_CLASSIFICATION]] : filter === 'refused' ? [REFUSAL] : []

export async function accessToCase(sql: Sql, caseId: string, filter: AccessFilter, page: { limit: number; offset: number }) {
  const [{ total }] = await sql.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM audit_log a WHERE a.case_id = $1 ${filterSql(filter)}`,
    [caseId, ...filterParams(filter)],
  )
  const entries = await sql.query<AccessEntry>(
    `SELECT a.occurred_at AS "occurredAt", a.details->>'kind' AS kind, a.action, a.subject, a.justification,
            CASE WHEN a.details->>'kind' = '${REFUSAL}' THEN a.details->>'attempted' END AS attempted,
            a.details->>'channel' AS channel,
            -- A system client is named as one, so its reads are never taken for a person's.
            CASE WHEN u.system_client THEN u.display_name || ' (system client)' ELSE u.display_name END AS who,
            coalesce(u.system_client, false) AS "systemClient", o.name AS organisation
       FROM audit_log a
       LEFT JOIN users u ON u.id = a.actor_id
       LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE a.case_id = $1 ${filterSql(filter)}
      ORDER BY a.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
    [caseId, ...filterParams(filter)],
  )
  return { total, entries }
}

export async function caseIdByUrn(sql: Sql, urn: string): Promise<string | undefined> {
  const [row] = await sql.query<{ id: string }>('SELECT id FROM cases WHERE urn = $1', [urn])
  return row?.id
}
