import type { Sql } from '../../db/client.ts'
import { outcome } from './codes.ts'
import type { Finalise, Outcome } from './schema.ts'

interface Row {
  id: string
  code: string
  finalised_on: string
  decided_by: 'police' | 'cps' | null
  rationale: string | null
  victim_told_on: string | null
  victim_told_how: string | null
  finalised_by: string
  reopened_at: Date | null
  reopen_reason: string | null
}

const toOutcome = (r: Row): Outcome => ({
  code: r.code,
  label: outcome(r.code)?.label ?? r.code,
  finalisedOn: r.finalised_on,
  decidedBy: r.decided_by,
  rationale: r.rationale,
  victimToldOn: r.victim_told_on,
  victimToldHow: r.victim_told_how,
  finalisedBy: r.finalised_by,
  reopenedAt: r.reopened_at?.toISOString() ?? null,
  reopenReason: r.reopen_reason,
})

/** Every outcome the case has had, the one in force first. */
export async function outcomesOf(sql: Sql, caseId: string): Promise<Outcome[]> {
  const rows = await sql.query<Row>(
    `SELECT o.id, o.code, o.finalised_on, o.decided_by, o.rationale, o.victim_told_on, o.victim_told_how,
            u.display_name AS finalised_by, o.reopened_at, o.reopen_reason
       FROM case_outcomes o JOIN users u ON u.id = o.finalised_by
      WHERE o.case_id = $1 ORDER BY (o.reopened_at IS NULL) DESC, o.finalised_at DESC`,
    [caseId],
  )
  return rows.map(toOutcome)
}

export async function currentOutcomeId(sql: Sql, caseId: string): Promise<string | undefined> {
  const [row] = await sql.query<{ id: string }>(
    'SELECT id FROM case_outcomes WHERE case_id = $1 AND reopened_at IS NULL FOR UPDATE',
    [caseId],
  )
  return row?.id
}

export async function insertOutcome(sql: Sql, o: Finalise & { caseId: string; by: string; at: Date }) {
  await sql.query(
    `INSERT INTO case_outcomes (case_id, code, finalised_on, decided_by, rationale, victim_told_on, victim_told_how, finalised_by, finalised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [o.caseId, o.code, o.finalisedOn, o.decidedBy, o.rationale || null, o.victimToldOn, o.victimToldHow || null, o.by, o.at],
  )
}

export async function reopen(sql: Sql, id: string, r: { reason: string; by: string; at: Date }) {
  await sql.query('UPDATE case_outcomes SET reopened_at = $2, reopened_by = $3, reopen_reason = $4 WHERE id = $1', [
    id,
    r.at,
    r.by,
    r.reason,
  ])
}
