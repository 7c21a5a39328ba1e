import { isUuid, type Sql } from '../../db/client.ts'
import type { StatusFact } from './rules.ts'
import type { SuspectStatus } from './schema.ts'

export interface SuspectRow {
  id: string
  number: number
  first_name: string | null
  last_name: string | null
  date_of_birth: string | null
  created_at: Date
}

export interface StatusRow {
  suspect_id: string
  status: SuspectStatus
  effective_date: string
  bail_return_date: string | null
  bail_conditions: string | null
  recorded_at: Date
  recorded_by: string | null
}

/** A case's suspects in the order they were added, numbered so an unidentified one can be told apart. */
export async function suspectsOfCase(sql: Sql, caseId: string) {
  return sql.query<SuspectRow>(
    `SELECT id, (row_number() OVER (ORDER BY seq))::int AS number,
            first_name, last_name, date_of_birth, created_at
       FROM suspects WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  )
}

/** Every status of a case's suspects, oldest first. */
export async function statusesOfCase(sql: Sql, caseId: string) {
  return sql.query<StatusRow>(
    `SELECT st.suspect_id, st.status, st.effective_date, st.bail_return_date, st.bail_conditions,
            st.recorded_at, u.display_name AS recorded_by
       FROM suspect_statuses st
       JOIN suspects s ON s.id = st.suspect_id
       LEFT JOIN users u ON u.id = st.recorded_by
      WHERE s.case_id = $1 ORDER BY st.id`,
    [caseId],
  )
}

/**
 * The suspect, locked until the transaction ends so two people recording a status at once are
 * checked one after the other. A suspect of another case is as absent as one that never existed.
 */
export async function lockSuspect(sql: Sql, caseId: string, suspectId: string) {
  if (!isUuid(suspectId)) return undefined
  const [row] = await sql.query<{ id: string; named: boolean }>(
    'SELECT id, first_name IS NOT NULL AS named FROM suspects WHERE id = $1 AND case_id = $2 FOR UPDATE',
    [suspectId, caseId],
  )
  return row
}

export async function historyOf(sql: Sql, suspectId: string): Promise<StatusFact[]> {
  return sql.query<StatusFact>(
    'SELECT status, effective_date AS "effectiveDate" FROM suspect_statuses WHERE suspect_id = $1 ORDER BY id',
    [suspectId],
  )
}

export async function insertSuspect(
  sql: Sql,
  s: { caseId: string; firstName?: string; lastName?: string; dateOfBirth?: string; at: Date; by: string },
) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO suspects (case_id, first_name, last_name, date_of_birth, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [s.caseId, s.firstName ?? null, s.lastName ?? null, s.dateOfBirth ?? null, s.at, s.by],
  )
  return id
}

/** Names are set once, when a suspect who was not identified is identified. */
export async function nameSuspect(sql: Sql, suspectId: string, n: { firstName: string; lastName: string; dateOfBirth?: string }) {
  await sql.query(
    'UPDATE suspects SET first_name = $2, last_name = $3, date_of_birth = $4 WHERE id = $1 AND first_name IS NULL',
    [suspectId, n.firstName, n.lastName, n.dateOfBirth ?? null],
  )
}

export async function insertStatus(
  sql: Sql,
  s: {
    suspectId: string
    status: SuspectStatus
    effectiveDate: string
    bailReturnDate?: string
    bailConditions?: string
    at: Date
    by: string
  },
) {
  await sql.query(
    `INSERT INTO suspect_statuses (suspect_id, status, effective_date, bail_return_date, bail_conditions, recorded_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [s.suspectId, s.status, s.effectiveDate, s.bailReturnDate ?? null, s.bailConditions || null, s.at, s.by],
  )
}

/** Whether any suspect of the case is identified (named): outcomes 14 and 16 turn on it. */
export async function anyIdentified(sql: Sql, caseId: string): Promise<boolean> {
  const [row] = await sql.query<{ identified: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM suspects WHERE case_id = $1 AND last_name IS NOT NULL) AS identified',
    [caseId],
  )
  return row.identified
}
