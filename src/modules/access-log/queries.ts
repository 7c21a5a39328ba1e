import type { Sql } from '../../db/client.ts'
import { ACCESS_REASONS, type AccessReason } from '../../platform/access/reasons.ts'
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
  /** A look by someone without a direct part, with the reason they stated (docs/decisions/0010). */
  statedReason: { label: string; detail: string | null } | null
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
  const rows = await sql.query<Omit<AccessEntry, 'statedReason'> & { reason: AccessReason | null; detail: string | null }>(
    `SELECT a.occurred_at AS "occurredAt", a.details->>'kind' AS kind, a.action, a.subject, a.justification,
            CASE WHEN a.details->>'kind' = '${REFUSAL}' THEN a.details->>'attempted' END AS attempted,
            a.details->>'channel' AS channel,
            -- A system client is named as one, so its reads are never taken for a person's.
            CASE WHEN u.system_client THEN u.display_name || ' (system client)' ELSE u.display_name END AS who,
            coalesce(u.system_client, false) AS "systemClient", o.name AS organisation,
            r.reason, r.detail
       FROM audit_log a
       LEFT JOIN users u ON u.id = a.actor_id
       LEFT JOIN organisations o ON o.id = u.organisation_id
       LEFT JOIN access_reasons r ON r.id = (a.details->>'statedReason')::bigint
      WHERE a.case_id = $1 ${filterSql(filter)}
      ORDER BY a.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
    [caseId, ...filterParams(filter)],
  )
  const entries: AccessEntry[] = rows.map(({ reason, detail, ...e }) => ({
    ...e,
    statedReason: reason ? { label: ACCESS_REASONS[reason], detail } : null,
  }))
  return { total, entries }
}

export interface ReviewEntry {
  urn: string
  caseId: string
  statedAt: Date
  who: string
  organisation: string
  reason: string
  detail: string | null
  /** How many looks at the case's victim data the reason justified. */
  looks: number
}

/**
 * The reasons stated since `since` for looking at the victims of cases in `scope` (the
 * overseer's own force's or Area's cases), newest first, with how many looks each justified.
 */
export async function reasonsForReview(sql: Sql, scope: { column: 'force_id' | 'cps_area_id'; id: string }, since: Date) {
  const rows = await sql.query<Omit<ReviewEntry, 'reason'> & { reason: AccessReason }>(
    `SELECT c.urn, c.id AS "caseId", r.stated_at AS "statedAt", u.display_name AS who, o.name AS organisation,
            r.reason, r.detail,
            (SELECT count(*)::int FROM audit_log a
              WHERE a.case_id = r.case_id AND a.details->>'statedReason' = r.id::text AND a.victim_data) AS looks
       FROM access_reasons r
       JOIN cases c ON c.id = r.case_id
       JOIN users u ON u.id = r.user_id
       JOIN organisations o ON o.id = u.organisation_id
      WHERE c.${scope.column} = $1 AND r.stated_at >= $2
      ORDER BY r.stated_at DESC, r.id DESC
      LIMIT 500`,
    [scope.id, since],
  )
  return rows.map((r) => ({ ...r, reason: ACCESS_REASONS[r.reason] }))
}

export async function caseIdByUrn(sql: Sql, urn: string): Promise<string | undefined> {
  const [row] = await sql.query<{ id: string }>('SELECT id FROM cases WHERE urn = $1', [urn])
  return row?.id
}
