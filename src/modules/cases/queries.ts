import { isUuid, type Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import { caseScope } from '../../platform/access/policy.ts'
import { appendAudit } from '../../platform/audit/audit.ts'
import { isRape, OFFENCE_CODES, offenceLabel } from './offences.ts'
import type { CaseDetails, CaseSummary, CreateCase } from './schema.ts'
import { STAGES, type Stage } from './stage.ts'
import { appendEvent } from './timeline.ts'

type Person = { id: string; name: string; email: string; phone: string }

interface CaseRow {
  id: string
  urn: string
  offences: string[]
  rape_flag: boolean
  stage: Stage
  offence_date_from: string
  offence_date_to: string | null
  date_reported: string
  date_recorded: string
  force_id: string
  force_name: string
  team: { id: string; name: string } | null
  oic: Person
  supervisor: Person | null
  prosecutor: Person | null
  cps_area_id: string | null
  cps_area_name: string | null
  created_at: Date
}

const person = (alias: string) =>
  `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'name', ${alias}.display_name, 'email', ${alias}.email, 'phone', ${alias}.phone) END`

const SELECT_CASE = `
  SELECT c.id, c.urn, c.rape_flag, c.stage, c.offence_date_from, c.offence_date_to, c.date_reported, c.date_recorded,
         c.force_id, f.name AS force_name, c.cps_area_id, a.name AS cps_area_name, c.created_at,
         (SELECT array_agg(o.offence_code ORDER BY o.position) FROM case_offences o WHERE o.case_id = c.id) AS offences,
         CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'name', t.name) END AS team,
         ${person('oic')} AS oic, ${person('sup')} AS supervisor, ${person('pro')} AS prosecutor
    FROM cases c
    JOIN organisations f ON f.id = c.force_id
    JOIN users oic ON oic.id = c.officer_in_charge_id
    LEFT JOIN users sup ON sup.id = c.supervisor_id
    LEFT JOIN users pro ON pro.id = c.reviewing_prosecutor_id
    LEFT JOIN teams t ON t.id = c.team_id
    LEFT JOIN organisations a ON a.id = c.cps_area_id`

function toSummary(r: CaseRow): CaseSummary & { forceId: string; cpsAreaId: string | null } {
  const offences = r.offences.map((code) => ({ code, label: offenceLabel(code), rape: isRape(code) }))
  return {
    id: r.id,
    urn: r.urn,
    offenceCode: offences[0].code,
    offence: offences[0].label,
    offences,
    rapeFlag: r.rape_flag,
    stage: { code: r.stage, label: STAGES[r.stage] },
    offenceDateFrom: r.offence_date_from,
    offenceDateTo: r.offence_date_to,
    dateReported: r.date_reported,
    dateRecorded: r.date_recorded,
    force: { id: r.force_id, name: r.force_name },
    team: r.team,
    officerInCharge: r.oic,
    supervisor: r.supervisor,
    cpsArea: r.cps_area_id ? { id: r.cps_area_id, name: r.cps_area_name ?? '' } : null,
    reviewingProsecutor: r.prosecutor,
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

export async function insertCase(sql: Sql, c: CreateCase & { teamId: string; forceId: string; createdBy: string; at: Date }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO cases (urn, force_id, rape_flag, offence_date_from, offence_date_to, date_reported, date_recorded,
                        officer_in_charge_id, supervisor_id, team_id, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      c.urn,
      c.forceId,
      c.offences.some(isRape),
      c.offenceDateFrom,
      c.offenceDateTo,
      c.dateReported,
      c.dateRecorded,
      c.officerInChargeId,
      c.supervisorId,
      c.teamId,
      c.at,
      c.createdBy,
    ],
  )
  await setOffences(sql, id, c.offences)
  return id
}

export async function updateCase(sql: Sql, caseId: string, c: CaseDetails & { teamId: string }) {
  // Once set, the rape flag stays (the database refuses to clear it too).
  await sql.query(
    `UPDATE cases SET rape_flag = rape_flag OR $2, offence_date_from = $3, offence_date_to = $4, date_reported = $5,
            date_recorded = $6, officer_in_charge_id = $7, supervisor_id = $8, team_id = $9
      WHERE id = $1`,
    [
      caseId,
      c.offences.some(isRape),
      c.offenceDateFrom,
      c.offenceDateTo,
      c.dateReported,
      c.dateRecorded,
      c.officerInChargeId,
      c.supervisorId,
      c.teamId,
    ],
  )
  await sql.query('DELETE FROM case_offences WHERE case_id = $1', [caseId])
  await setOffences(sql, caseId, c.offences)
}

async function setOffences(sql: Sql, caseId: string, codes: string[]) {
  const ordered = OFFENCE_CODES.filter((code) => codes.includes(code))
  for (const [position, code] of ordered.entries()) {
    await sql.query('INSERT INTO case_offences (case_id, offence_code, position) VALUES ($1, $2, $3)', [caseId, code, position])
  }
}

/** Staff of a force with a role, who can be named on its cases (officer in charge, supervisor). */
export async function staffOfForce(sql: Sql, forceId: string, role: 'investigator' | 'police_supervisor') {
  return sql.query<{ id: string; name: string; teamId: string | null }>(
    `SELECT id, display_name AS name, team_id AS "teamId" FROM users
      WHERE organisation_id = $1 AND $2 = ANY (roles) AND disabled_at IS NULL
      ORDER BY display_name`,
    [forceId, role],
  )
}

export async function teamsOfForce(sql: Sql, forceId: string) {
  return sql.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE organisation_id = $1 ORDER BY name', [forceId])
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
