import type { Sql } from '../../db/client.ts'
import { outcome } from './codes.ts'
import type { Finalise, Outcome, Proposal } from './schema.ts'

interface Row {
  id: string
  code: string
  finalised_on: string
  decided_by: 'police' | 'cps' | null
  rationale: string | null
  victim_told_on: string | null
  victim_told_how: string | null
  cps_agreed_by: string | null
  cps_agreed_on: string | null
  finalised_by: string
  authorised_by: string | null
  authorised_at: Date | null
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
  cpsAgreedBy: r.cps_agreed_by,
  cpsAgreedOn: r.cps_agreed_on,
  finalisedBy: r.finalised_by,
  authorisedBy: r.authorised_by,
  authorisedAt: r.authorised_at?.toISOString() ?? null,
  reopenedAt: r.reopened_at?.toISOString() ?? null,
  reopenReason: r.reopen_reason,
})

/** Every outcome the crime has had, the one in force first. */
export async function outcomesOf(sql: Sql, crimeId: string): Promise<Outcome[]> {
  const rows = await sql.query<Row>(
    `SELECT o.id, o.code, o.finalised_on, o.decided_by, o.rationale, o.victim_told_on, o.victim_told_how, o.cps_agreed_by,
            o.cps_agreed_on, u.display_name AS finalised_by, a.display_name AS authorised_by, o.authorised_at,
            o.reopened_at, o.reopen_reason
       FROM case_outcomes o JOIN users u ON u.id = o.finalised_by LEFT JOIN users a ON a.id = o.authorised_by
      WHERE o.crime_id = $1 ORDER BY (o.reopened_at IS NULL) DESC, o.finalised_at DESC`,
    [crimeId],
  )
  return rows.map(toOutcome)
}

export async function currentOutcomeId(sql: Sql, crimeId: string): Promise<string | undefined> {
  const [row] = await sql.query<{ id: string }>(
    'SELECT id FROM case_outcomes WHERE crime_id = $1 AND reopened_at IS NULL FOR UPDATE',
    [crimeId],
  )
  return row?.id
}

export type NewOutcome = Finalise & {
  caseId: string
  crimeId: string
  decidedBy: 'police' | 'cps'
  by: string
  at: Date
  authorisedBy: string | null
}

export async function insertOutcome(sql: Sql, o: NewOutcome) {
  await sql.query(
    `INSERT INTO case_outcomes (case_id, code, finalised_on, decided_by, rationale, victim_told_on, victim_told_how, cps_agreed_by,
                                cps_agreed_on, finalised_by, finalised_at, authorised_by, authorised_at, crime_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $12::uuid IS NULL THEN NULL ELSE $11::timestamptz END, $13)`,
    [
      o.caseId,
      o.code,
      o.finalisedOn,
      o.decidedBy,
      o.rationale || null,
      o.victimToldOn,
      o.victimToldHow || null,
      o.cpsAgreedBy || null,
      o.cpsAgreedOn,
      o.by,
      o.at,
      o.authorisedBy,
      o.crimeId,
    ],
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

interface ProposalRow {
  id: string
  code: string
  finalised_on: string
  rationale: string | null
  victim_told_on: string | null
  victim_told_how: string | null
  proposed_by: string
  proposed_by_id: string
  proposed_at: Date
}

export type OpenProposal = Proposal & { proposedById: string; command: Finalise }

/** The crime's proposal waiting for a supervisor, locked when `forUpdate`, or undefined. */
export async function openProposal(sql: Sql, crimeId: string, forUpdate = false): Promise<OpenProposal | undefined> {
  const [r] = await sql.query<ProposalRow>(
    `SELECT p.id, p.code, p.finalised_on, p.rationale, p.victim_told_on, p.victim_told_how, u.display_name AS proposed_by,
            p.proposed_by AS proposed_by_id, p.proposed_at
       FROM outcome_proposals p JOIN users u ON u.id = p.proposed_by
      WHERE p.crime_id = $1 AND p.decided_at IS NULL ${forUpdate ? 'FOR UPDATE OF p' : ''}`,
    [crimeId],
  )
  if (!r) return undefined
  return {
    id: r.id,
    code: r.code,
    label: outcome(r.code)?.label ?? r.code,
    finalisedOn: r.finalised_on,
    rationale: r.rationale,
    proposedBy: r.proposed_by,
    proposedById: r.proposed_by_id,
    proposedAt: r.proposed_at.toISOString(),
    command: {
      code: r.code as Finalise['code'],
      finalisedOn: r.finalised_on,
      decidedBy: 'police',
      rationale: r.rationale ?? '',
      victimToldOn: r.victim_told_on,
      victimToldHow: r.victim_told_how ?? '',
      cpsAgreedBy: '',
      cpsAgreedOn: null,
    },
  }
}

export async function insertProposal(
  sql: Sql,
  p: Finalise & { caseId: string; crimeId: string; by: string; at: Date },
): Promise<string> {
  const [row] = await sql.query<{ id: string }>(
    `INSERT INTO outcome_proposals (case_id, crime_id, code, finalised_on, rationale, victim_told_on, victim_told_how, proposed_by, proposed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [p.caseId, p.crimeId, p.code, p.finalisedOn, p.rationale || null, p.victimToldOn, p.victimToldHow || null, p.by, p.at],
  )
  return row.id
}

export async function decideProposal(
  sql: Sql,
  id: string,
  d: { authorised: boolean; by: string; at: Date; declinedReason: string | null },
) {
  await sql.query(
    'UPDATE outcome_proposals SET authorised = $2, decided_by = $3, decided_at = $4, declined_reason = $5 WHERE id = $1',
    [id, d.authorised, d.by, d.at, d.declinedReason],
  )
}

/** The crime's proposals a supervisor did not authorise, newest first, with the reason given. */
export async function declinedProposals(sql: Sql, crimeId: string) {
  const rows = await sql.query<{
    code: string
    rationale: string | null
    proposed_by: string
    declined_by: string
    decided_at: Date
    declined_reason: string
  }>(
    `SELECT p.code, p.rationale, u.display_name AS proposed_by, d.display_name AS declined_by, p.decided_at, p.declined_reason
       FROM outcome_proposals p JOIN users u ON u.id = p.proposed_by JOIN users d ON d.id = p.decided_by
      WHERE p.crime_id = $1 AND p.authorised = false ORDER BY p.decided_at DESC`,
    [crimeId],
  )
  return rows.map((r) => ({
    code: r.code,
    label: outcome(r.code)?.label ?? r.code,
    rationale: r.rationale,
    proposedBy: r.proposed_by,
    declinedBy: r.declined_by,
    declinedAt: r.decided_at.toISOString(),
    reason: r.declined_reason,
  }))
}
