import type { Sql } from '../../db/client.ts'
import { clockWording, type Deadline, latestDeadlineFor } from '../../platform/deadlines/deadlines.ts'
import { triageReasonLabel } from './reference.ts'
import type { Triage, TriageOptions } from './schema.ts'

/** What triage decides about: a request for early advice or a charging referral. */
export type TriageKind = 'advice' | 'charging'

/** The table, clock and words for each kind. Only these fixed names ever go into SQL text. */
export const SUBJECTS = {
  advice: {
    table: 'advice_requests',
    column: 'advice_request_id',
    clock: 'advice_response',
    event: 'advice.triaged',
    idKey: 'requestId',
    words: 'request for early advice',
  },
  charging: {
    table: 'charging_referrals',
    column: 'charging_referral_id',
    clock: 'charging_decision',
    event: 'charging.triaged',
    idKey: 'referralId',
    words: 'charging referral',
  },
} as const

export async function subjectForUpdate(sql: Sql, kind: TriageKind, caseId: string, id: string) {
  const [row] = await sql.query<{ id: string; state: string; cps_area_id: string }>(
    `SELECT id, state, cps_area_id FROM ${SUBJECTS[kind].table} WHERE id = $1 AND case_id = $2 FOR UPDATE`,
    [id, caseId],
  )
  return row
}

export async function setSubjectState(sql: Sql, kind: TriageKind, id: string, state: 'accepted' | 'rejected') {
  await sql.query(`UPDATE ${SUBJECTS[kind].table} SET state = $2 WHERE id = $1`, [id, state])
}

/** The Area's units, each with its active prosecutors and CPS managers, for triage to assign. */
export async function triageOptions(sql: Sql, areaId: string): Promise<TriageOptions> {
  const rows = await sql.query<{ unit_id: string; unit_name: string; user_id: string | null; user_name: string | null }>(
    `SELECT t.id AS unit_id, t.name AS unit_name, u.id AS user_id, u.display_name AS user_name
       FROM teams t
       LEFT JOIN users u ON u.team_id = t.id AND u.organisation_id = t.organisation_id AND u.disabled_at IS NULL AND NOT u.system_client
                        AND u.roles && ARRAY['prosecutor', 'cps_manager']::text[]
      WHERE t.organisation_id = $1
      ORDER BY t.name, t.id, u.display_name`,
    [areaId],
  )
  const units: TriageOptions['units'] = []
  for (const r of rows) {
    let unit = units.find((u) => u.id === r.unit_id)
    if (!unit) {
      unit = { id: r.unit_id, name: r.unit_name, prosecutors: [] }
      units.push(unit)
    }
    if (r.user_id) unit.prosecutors.push({ id: r.user_id, name: r.user_name ?? '' })
  }
  return { units }
}

export async function insertTriage(
  sql: Sql,
  t: {
    kind: TriageKind
    subjectId: string
    caseId: string
    decision: 'accepted' | 'rejected'
    prosecutorId: string | null
    unitId: string | null
    reasons: { code: string; detail: string }[]
    respondBy: string | null
    at: Date
    by: string
  },
): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO triage_decisions (case_id, ${SUBJECTS[t.kind].column}, decision, prosecutor_id, cps_unit_id, reasons, respond_by, decided_at, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [t.caseId, t.subjectId, t.decision, t.prosecutorId, t.unitId, JSON.stringify(t.reasons), t.respondBy, t.at, t.by],
  )
  return id
}

export async function assignCase(sql: Sql, caseId: string, prosecutorId: string, unitId: string) {
  await sql.query('UPDATE cases SET reviewing_prosecutor_id = $2, cps_unit_id = $3 WHERE id = $1', [caseId, prosecutorId, unitId])
}

interface TriageRow {
  id: string
  advice_request_id: string | null
  charging_referral_id: string | null
  decision: 'accepted' | 'rejected'
  decided_at: Date
  decided_by: string
  prosecutor: { id: string; name: string } | null
  unit: { id: string; name: string } | null
  reasons: { code: string; detail: string }[]
  respond_by: string | null
}

/**
 * The case's triage decisions, newest first, keyed by what they decided about, each with its
 * police response clock from `clocks` (the case's clocks, oldest first, read through the deadline
 * engine: it alone reads the deadlines table).
 */
export async function triagesOf(sql: Sql, caseId: string, clocks: Deadline[], now: Date) {
  const rows = await sql.query<TriageRow>(
    `SELECT d.id, d.advice_request_id, d.charging_referral_id, d.decision, d.decided_at, u.display_name AS decided_by,
            CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('id', p.id, 'name', p.display_name) END AS prosecutor,
            CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'name', t.name) END AS unit,
            d.reasons, d.respond_by
       FROM triage_decisions d
       JOIN users u ON u.id = d.decided_by
       LEFT JOIN users p ON p.id = d.prosecutor_id
       LEFT JOIN teams t ON t.id = d.cps_unit_id
      WHERE d.case_id = $1 ORDER BY d.decided_at DESC, d.id`,
    [caseId],
  )
  return rows.map((r) => {
    const clock = latestDeadlineFor(clocks, 'triage_response', r.id)
    const triage: Triage = {
      id: r.id,
      decision: r.decision,
      decidedAt: r.decided_at.toISOString(),
      decidedBy: r.decided_by,
      prosecutor: r.prosecutor,
      unit: r.unit,
      reasons: r.reasons.map((x) => ({ code: x.code, label: triageReasonLabel(x.code), detail: x.detail })),
      respondBy: r.respond_by,
      response: clock
        ? {
            state: clock.state,
            dueAt: clock.dueAt.toISOString(),
            wording: clock.state === 'open' ? clockWording(clock.kind, clock.dueAt, now) : null,
          }
        : null,
    }
    return { subjectId: (r.advice_request_id ?? r.charging_referral_id) as string, triage }
  })
}

/** The assigned prosecutor of a subject's latest acceptance at triage. */
export async function acceptedProsecutor(sql: Sql, kind: TriageKind, subjectId: string): Promise<string | undefined> {
  const [row] = await sql.query<{ prosecutor_id: string }>(
    `SELECT prosecutor_id FROM triage_decisions WHERE ${SUBJECTS[kind].column} = $1 AND decision = 'accepted'
      ORDER BY decided_at DESC LIMIT 1`,
    [subjectId],
  )
  return row?.prosecutor_id
}
