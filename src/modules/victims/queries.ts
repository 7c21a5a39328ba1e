import type { Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import { caseScope } from '../../platform/access/policy.ts'
import { type Answers, CHARACTERISTIC_KEYS, NOT_ASKED, withDefaults } from './characteristics.ts'
import type { CompletenessCounts, VictimDetails } from './schema.ts'

interface VictimRow {
  id: string
  first_name: string
  last_name: string
  other_names: string | null
  date_of_birth: string
  phone: string | null
  email: string | null
  postal_address: string | null
  preferred_language: string
  interpreter_needed: boolean
  vulnerable: boolean
  vulnerable_reason: string | null
  needs: string | null
  created_at: Date
  updated_at: Date
}

export type StoredVictim = VictimDetails & { id: string; recordedAt: Date; updatedAt: Date }

function toVictim(r: VictimRow): StoredVictim {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    otherNames: r.other_names,
    dateOfBirth: r.date_of_birth,
    phone: r.phone,
    email: r.email,
    postalAddress: r.postal_address,
    preferredLanguage: r.preferred_language,
    interpreterNeeded: r.interpreter_needed,
    vulnerable: r.vulnerable,
    vulnerableReason: r.vulnerable_reason,
    needs: r.needs,
    recordedAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** The case's victim; `lock` holds the row until commit so two saves cannot interleave. */
export async function findVictim(sql: Sql, caseId: string, opts: { lock?: boolean } = {}) {
  const [row] = await sql.query<VictimRow>(
    `SELECT id, first_name, last_name, other_names, date_of_birth, phone, email, postal_address, preferred_language,
            interpreter_needed, vulnerable, vulnerable_reason, needs, created_at, updated_at
       FROM victims WHERE case_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
    [caseId],
  )
  return row && toVictim(row)
}

export async function victimExists(sql: Sql, caseId: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM victims WHERE case_id = $1', [caseId])).length > 0
}

const DETAIL_PARAMS = (d: VictimDetails) => [
  d.firstName,
  d.lastName,
  d.otherNames,
  d.dateOfBirth,
  d.phone,
  d.email,
  d.postalAddress,
  d.preferredLanguage,
  d.interpreterNeeded,
  d.vulnerable,
  d.vulnerableReason,
  d.needs,
]

/** Returns the new id, or undefined when someone else recorded this case's victim first. */
export async function insertVictim(sql: Sql, caseId: string, d: VictimDetails, at: Date, by: string) {
  const [row] = await sql.query<{ id: string }>(
    `INSERT INTO victims (first_name, last_name, other_names, date_of_birth, phone, email, postal_address, preferred_language,
                          interpreter_needed, vulnerable, vulnerable_reason, needs, case_id, created_at, created_by, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15)
     ON CONFLICT (case_id) DO NOTHING RETURNING id`,
    [...DETAIL_PARAMS(d), caseId, at, by],
  )
  return row?.id
}

export async function updateVictim(sql: Sql, victimId: string, d: VictimDetails, at: Date, by: string) {
  await sql.query(
    `UPDATE victims SET first_name = $1, last_name = $2, other_names = $3, date_of_birth = $4, phone = $5, email = $6,
            postal_address = $7, preferred_language = $8, interpreter_needed = $9, vulnerable = $10, vulnerable_reason = $11,
            needs = $12, updated_at = $14, updated_by = $15
      WHERE id = $13`,
    [...DETAIL_PARAMS(d), victimId, at, by],
  )
}

export async function characteristicsOf(sql: Sql, victimId: string): Promise<Answers> {
  const rows = await sql.query<{ characteristic: string; value: string }>(
    'SELECT characteristic, value FROM victim_characteristics WHERE victim_id = $1',
    [victimId],
  )
  return withDefaults(Object.fromEntries(rows.map((r) => [r.characteristic, r.value])))
}

/** Stores the answers that changed; `keys` are those the caller found different from what is stored. */
export async function saveCharacteristics(sql: Sql, victimId: string, answers: Answers, keys: string[], at: Date, by: string) {
  for (const key of keys) {
    await sql.query(
      `INSERT INTO victim_characteristics (victim_id, characteristic, value, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (victim_id, characteristic) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at,
                   updated_by = EXCLUDED.updated_by`,
      [victimId, key, answers[key as keyof Answers], at, by],
    )
  }
}

/**
 * The completeness measure over the victims of every case the actor may see: complete when
 * every current question has an answer other than "not yet asked". Only current questions
 * count, so a question retired from the reference list cannot make a record look complete.
 */
export async function completenessCounts(sql: Sql, actor: Actor): Promise<CompletenessCounts> {
  const params: unknown[] = [CHARACTERISTIC_KEYS, NOT_ASKED]
  const scope = caseScope(actor, params)
  const [row] = await sql.query<CompletenessCounts>(
    `WITH answered AS (
       SELECT v.id, (SELECT count(*) FROM victim_characteristics vc
                      WHERE vc.victim_id = v.id AND vc.characteristic = ANY ($1::text[]) AND vc.value <> $2) AS n
         FROM victims v JOIN cases c ON c.id = v.case_id
        WHERE ${scope})
     SELECT count(*)::int AS victims,
            count(*) FILTER (WHERE n = cardinality($1::text[]))::int AS complete,
            count(*) FILTER (WHERE n < cardinality($1::text[]))::int AS incomplete
       FROM answered`,
    params,
  )
  return row
}
