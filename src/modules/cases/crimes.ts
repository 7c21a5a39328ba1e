import { isUuid, type Sql } from '../../db/client.ts'
import { isRape, OFFENCE_CODES, offenceLabel } from './offences.ts'

/**
 * The crimes of a case file (docs/decisions/0007): each has its crime reference number, one
 * victim, its offences and rape flag, and its own outcome. The case's offences and rape flag are
 * the union of its crimes'.
 */

export interface StoredCrime {
  id: string
  position: number
  crimeReference: string
  referenceConfirmed: boolean
  victimId: string | null
  /** The victim's name, for the case file's list of crimes. */
  victimName: string | null
  rapeFlag: boolean
  offences: { code: string; label: string; rape: boolean }[]
  /** The code of the Home Office outcome in force, null while the crime has none. */
  outcomeCode: string | null
}

const SELECT_CRIME = `
  SELECT k.id, k.position, k.crime_reference AS "crimeReference", k.reference_confirmed AS "referenceConfirmed",
         k.victim_id AS "victimId", v.first_name || ' ' || v.last_name AS "victimName", k.rape_flag AS "rapeFlag",
         (SELECT array_agg(o.offence_code ORDER BY o.position) FROM crime_offences o WHERE o.crime_id = k.id) AS offences,
         (SELECT o.code FROM case_outcomes o WHERE o.crime_id = k.id AND o.reopened_at IS NULL) AS "outcomeCode"
    FROM crimes k LEFT JOIN victims v ON v.id = k.victim_id`

type Row = Omit<StoredCrime, 'offences'> & { offences: string[] | null }
const toCrime = (r: Row): StoredCrime => ({
  ...r,
  offences: (r.offences ?? []).map((code) => ({ code, label: offenceLabel(code), rape: isRape(code) })),
})

export async function crimesOfCase(sql: Sql, caseId: string): Promise<StoredCrime[]> {
  const rows = await sql.query<Row>(`${SELECT_CRIME} WHERE k.case_id = $1 ORDER BY k.position`, [caseId])
  return rows.map(toCrime)
}

/** The case's victims by name, in the order they were recorded (the victims a crime may be given). */
export async function victimsOfCase(sql: Sql, caseId: string) {
  return sql.query<{ id: string; name: string }>(
    `SELECT id, first_name || ' ' || last_name AS name FROM victims WHERE case_id = $1 ORDER BY created_at, id`,
    [caseId],
  )
}

export async function findCrime(sql: Sql, caseId: string, crimeId: string, opts: { lock?: boolean } = {}) {
  if (!isUuid(crimeId)) return undefined
  const [row] = await sql.query<Row>(`${SELECT_CRIME} WHERE k.case_id = $1 AND k.id = $2${opts.lock ? ' FOR UPDATE OF k' : ''}`, [
    caseId,
    crimeId,
  ])
  return row && toCrime(row)
}

export async function referenceInUse(sql: Sql, caseId: string, reference: string, exceptCrimeId?: string) {
  const rows = await sql.query('SELECT 1 FROM crimes WHERE case_id = $1 AND crime_reference = $2 AND id IS DISTINCT FROM $3', [
    caseId,
    reference,
    exceptCrimeId ?? null,
  ])
  return rows.length > 0
}

export async function insertCrime(
  sql: Sql,
  caseId: string,
  c: { crimeReference: string; offences: string[]; victimId: string | null },
  at: Date,
  by: string,
): Promise<string> {
  const rape = c.offences.some(isRape)
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO crimes (case_id, position, crime_reference, victim_id, rape_flag, recorded_at, recorded_by)
     VALUES ($1, (SELECT coalesce(max(position) + 1, 0) FROM crimes WHERE case_id = $1), $2, $3, $4, $5, $6) RETURNING id`,
    [caseId, c.crimeReference, c.victimId, rape, at, by],
  )
  await setOffences(sql, caseId, id, c.offences)
  return id
}

/** Changes a crime's reference (confirming it), victim and offences; the rape flags stay once set. */
export async function updateCrime(
  sql: Sql,
  caseId: string,
  crimeId: string,
  c: { crimeReference: string; offences: string[]; victimId: string | null },
) {
  await sql.query(
    `UPDATE crimes SET crime_reference = $3, reference_confirmed = true, victim_id = $4, rape_flag = rape_flag OR $5
      WHERE case_id = $1 AND id = $2`,
    [caseId, crimeId, c.crimeReference, c.victimId, c.offences.some(isRape)],
  )
  await sql.query('DELETE FROM crime_offences WHERE crime_id = $1', [crimeId])
  await setOffences(sql, caseId, crimeId, c.offences)
}

/** The offences of the crime the case was opened for, which the case details form edits. */
export async function setFirstCrimeOffences(sql: Sql, caseId: string, codes: string[]) {
  const [first] = await sql.query<{ id: string }>('SELECT id FROM crimes WHERE case_id = $1 ORDER BY position LIMIT 1', [caseId])
  await sql.query('UPDATE crimes SET rape_flag = rape_flag OR $2 WHERE id = $1', [first.id, codes.some(isRape)])
  await sql.query('DELETE FROM crime_offences WHERE crime_id = $1', [first.id])
  await setOffences(sql, caseId, first.id, codes)
}

async function setOffences(sql: Sql, caseId: string, crimeId: string, codes: string[]) {
  const ordered = OFFENCE_CODES.filter((code) => codes.includes(code))
  for (const [position, code] of ordered.entries()) {
    await sql.query('INSERT INTO crime_offences (crime_id, offence_code, position) VALUES ($1, $2, $3)', [
      crimeId,
      code,
      position,
    ])
  }
  // A rape on any crime flags the case, and the flag stays (the database refuses to clear it).
  await sql.query('UPDATE cases SET rape_flag = rape_flag OR $2 WHERE id = $1', [caseId, codes.some(isRape)])
}

/** The first victim recorded on a case becomes the victim of its crimes that had none yet. */
export async function giveVictimToCrimesWithout(sql: Sql, caseId: string, victimId: string) {
  await sql.query('UPDATE crimes SET victim_id = $2 WHERE case_id = $1 AND victim_id IS NULL', [caseId, victimId])
}
