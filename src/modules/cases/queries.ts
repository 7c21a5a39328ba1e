import { isUuid, type Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import { caseScope } from '../../platform/access/policy.ts'
import { appendAudit } from '../../platform/audit/audit.ts'
import { appendEvent } from '../../platform/timeline/timeline.ts'
import { offenceLabel } from './offences.ts'
import type { CaseSummary, CreateCase } from './schema.ts'

interface CaseRow {
  id: string
  urn: string
  offence_code: string
  date_reported: string
  force_id: string
  force_name: string
  oic_id: string
  oic_name: string
  oic_email: string
  oic_phone: string
  cps_area_id: string | null
  cps_area_name: string | null
  created_at: Date
}

const SELECT_CASE = `
  SELECT c.id, c.urn, c.offence_code, c.date_reported, c.force_id, f.name AS force_name,
         u.id AS oic_id, u.display_name AS oic_name, u.email AS oic_email, u.phone AS oic_phone,
         c.cps_area_id, a.name AS cps_area_name, c.created_at
    FROM cases c
    JOIN organisations f ON f.id = c.force_id
    JOIN users u ON u.id = c.officer_in_charge_id
    LEFT JOIN organisations a ON a.id = c.cps_area_id`

function toSummary(r: CaseRow): CaseSummary & { forceId: string; cpsAreaId: string | null } {
  return {
    id: r.id,
    urn: r.urn,
    offenceCode: r.offence_code,
    offence: offenceLabel(r.offence_code),
    dateReported: r.date_reported,
    force: { id: r.force_id, name: r.force_name },
    officerInCharge: { id: r.oic_id, name: r.oic_name, email: r.oic_email, phone: r.oic_phone },
    cpsArea: r.cps_area_id ? { id: r.cps_area_id, name: r.cps_area_name ?? '' } : null,
    createdAt: r.created_at.toISOString(),
    forceId: r.force_id,
    cpsAreaId: r.cps_area_id,
  }
}

export async function findCase(sql: Sql, id: string) {
  if (!isUuid(id)) return undefined
  const [row] = await sql.query<CaseRow>(`${SELECT_CASE} WHERE c.id = $1`, [id])
  return row && toSummary(row)
}

export async function listCases(sql: Sql, actor: Actor, page: { limit: number; offset: number }) {
  const params: unknown[] = []
  const scope = caseScope(actor, params)
  const [{ total }] = await sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM cases c WHERE ${scope}`, params)
  const rows = await sql.query<CaseRow>(
    `${SELECT_CASE} WHERE ${scope} ORDER BY c.created_at DESC, c.id LIMIT ${page.limit} OFFSET ${page.offset}`,
    params,
  )
  return { total, cases: rows.map(toSummary) }
}

export async function urnExists(sql: Sql, urn: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM cases WHERE urn = $1', [urn])).length > 0
}

export async function insertCase(sql: Sql, c: CreateCase & { forceId: string; createdBy: string; at: Date }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO cases (urn, force_id, offence_code, date_reported, officer_in_charge_id, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [c.urn, c.forceId, c.offenceCode, c.dateReported, c.officerInChargeId, c.at, c.createdBy],
  )
  return id
}

/** Investigators of a force who can be made officer in charge of its cases. */
export async function officersOfForce(sql: Sql, forceId: string) {
  return sql.query<{ id: string; name: string }>(
    `SELECT id, display_name AS name FROM users
      WHERE organisation_id = $1 AND 'investigator' = ANY (roles) AND disabled_at IS NULL
      ORDER BY display_name`,
    [forceId],
  )
}

export async function forceCode(sql: Sql, forceId: string): Promise<string> {
  const [row] = await sql.query<{ force_code: string }>('SELECT force_code FROM organisations WHERE id = $1', [forceId])
  return row?.force_code ?? ''
}

/**
 * Marks a case as referred to a CPS Area. The referral journey (early advice and charging
 * referrals) comes with its own issue; until then only demo data and tests refer cases.
 */
export async function markReferred(sql: Sql, caseId: string, cpsAreaId: string, at: Date, by: string) {
  await sql.query('UPDATE cases SET cps_area_id = $2 WHERE id = $1', [caseId, cpsAreaId])
  await appendEvent(sql, caseId, { type: 'case.referred_to_cps', at, by })
  await appendAudit(sql, { at, actorId: by, action: 'case.referred', caseId, subject: 'case referral to CPS Area' })
}
