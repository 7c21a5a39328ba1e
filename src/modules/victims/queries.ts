import type { Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import { caseScope, victimScope } from '../../platform/access/policy.ts'
import {
  ANSWERED_PAIRS,
  type Answers,
  BROAD_ONLY_VALUES,
  CHARACTERISTIC_KEYS,
  NOT_ASKED,
  withDefaults,
} from './characteristics.ts'
import type { AnswerRecorded, CompletenessCounts, VictimDetails } from './schema.ts'

interface VictimRow {
  id: string
  first_name: string
  last_name: string
  other_names: string | null
  date_of_birth: string | null
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

const SELECT_VICTIM = `SELECT id, first_name, last_name, other_names, date_of_birth, phone, email, postal_address, preferred_language,
            interpreter_needed, vulnerable, vulnerable_reason, needs, created_at, updated_at FROM victims`

/** A victim of the case; `lock` holds the row until commit so two saves cannot interleave. */
export async function findVictim(sql: Sql, caseId: string, victimId: string, opts: { lock?: boolean } = {}) {
  const [row] = await sql.query<VictimRow>(`${SELECT_VICTIM} WHERE case_id = $1 AND id = $2${opts.lock ? ' FOR UPDATE' : ''}`, [
    caseId,
    victimId,
  ])
  return row && toVictim(row)
}

/** The case's victims by name, in the order they were recorded, for choosing between them. */
export async function victimsOfCase(sql: Sql, caseId: string) {
  return sql.query<{ id: string; name: string; recordedAt: Date }>(
    `SELECT id, first_name || ' ' || last_name AS name, created_at AS "recordedAt"
       FROM victims WHERE case_id = $1 ORDER BY created_at, id`,
    [caseId],
  )
}

/** Whether the victim's date of birth is known. */
export async function dateOfBirthRecorded(sql: Sql, victimId: string): Promise<boolean> {
  const [row] = await sql.query<{ dob: boolean }>('SELECT date_of_birth IS NOT NULL AS dob FROM victims WHERE id = $1', [
    victimId,
  ])
  return row?.dob ?? false
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

export async function insertVictim(sql: Sql, caseId: string, d: VictimDetails, at: Date, by: string): Promise<string> {
  const [row] = await sql.query<{ id: string }>(
    `INSERT INTO victims (first_name, last_name, other_names, date_of_birth, phone, email, postal_address, preferred_language,
                          interpreter_needed, vulnerable, vulnerable_reason, needs, case_id, created_at, created_by, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15) RETURNING id`,
    [...DETAIL_PARAMS(d), caseId, at, by],
  )
  return row.id
}

/**
 * Records kept for the case's victim before one was recorded (a plan, a referral, a contact)
 * belong to the first victim recorded. Only the first: once a victim is recorded, every new
 * record names its victim, so no NULL remains to take over.
 */
const HELD_FOR_THE_VICTIM = [
  'communication_plans',
  'victim_contacts',
  'support_referrals',
  'support_offers',
  'withdrawals',
  'victim_wishes',
  'crimes',
]
export async function takeOverHeldRecords(sql: Sql, caseId: string, victimId: string) {
  for (const table of HELD_FOR_THE_VICTIM) {
    await sql.query(`UPDATE ${table} SET victim_id = $2 WHERE case_id = $1 AND victim_id IS NULL`, [caseId, victimId])
  }
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

/**
 * The stored answers, and for each stored answer other than "not yet asked" when it was last
 * recorded and by whom. A row is written only when its answer changes, so its updated_at is when
 * the victim gave that answer.
 */
export async function characteristicsOf(sql: Sql, victimId: string): Promise<{ answers: Answers; recorded: Recorded }> {
  const rows = await sql.query<{ characteristic: string; value: string; updated_at: Date; updated_by: string; name: string }>(
    `SELECT vc.characteristic, vc.value, vc.updated_at, vc.updated_by, u.display_name AS name
       FROM victim_characteristics vc JOIN users u ON u.id = vc.updated_by
      WHERE vc.victim_id = $1`,
    [victimId],
  )
  const recorded: Recorded = {}
  for (const r of rows) {
    if (r.value === NOT_ASKED) continue
    recorded[r.characteristic] = { recordedAt: r.updated_at.toISOString(), recordedBy: { id: r.updated_by, name: r.name } }
  }
  return { answers: withDefaults(Object.fromEntries(rows.map((r) => [r.characteristic, r.value]))), recorded }
}
export type Recorded = Record<string, AnswerRecorded>

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
 * The per-victim test of which questions are answered, as SQL over `victims v`: the keys of the
 * stored rows whose "key:value" is an answer ($answered), plus age when a date of birth is
 * recorded. Superseded and retired values are not answers, so they cannot make a record look
 * complete. `answered` is the position of the parameter holding the pairs.
 */
const answeredKeys = (answered: number) => `
  array(SELECT vc.characteristic FROM victim_characteristics vc
         WHERE vc.victim_id = v.id AND vc.characteristic || ':' || vc.value = ANY ($${answered}::text[]))
  || CASE WHEN v.date_of_birth IS NOT NULL THEN ARRAY['age'] ELSE ARRAY[]::text[] END`

/**
 * The completeness measure over the victims of every case the actor may see: complete when
 * every current question has an answer.
 */
export async function completenessCounts(sql: Sql, actor: Actor): Promise<CompletenessCounts> {
  const params: unknown[] = [CHARACTERISTIC_KEYS, ANSWERED_PAIRS]
  const scope = victimScope(actor, params)
  const [row] = await sql.query<CompletenessCounts>(
    `WITH answered AS (
       SELECT ${answeredKeys(2)} AS keys
         FROM victims v JOIN cases c ON c.id = v.case_id
        WHERE ${scope})
     SELECT count(*)::int AS victims,
            count(*) FILTER (WHERE keys @> $1::text[])::int AS complete,
            count(*) FILTER (WHERE NOT keys @> $1::text[])::int AS incomplete
       FROM answered`,
    params,
  )
  return row
}

export interface CompletenessGroupRow {
  forceId: string
  forceName: string
  teamId: string | null
  teamName: string | null
  victims: number
  complete: number
  /** Victims with each question answered, in CHARACTERISTIC_KEYS order. */
  answered: number[]
  /** Victims whose ethnic group is recorded at the broad level only. */
  ethnicityToAskAgain: number
}

/**
 * Completeness of the victims of the actor's cases whose crime was recorded on a day in
 * [from, until), by force and team: the police team for police, the CPS unit for the CPS.
 */
export async function completenessByTeam(
  sql: Sql,
  actor: Actor,
  period: { from: string; until: string },
): Promise<CompletenessGroupRow[]> {
  const params: unknown[] = [CHARACTERISTIC_KEYS, ANSWERED_PAIRS, period.from, period.until, BROAD_ONLY_VALUES]
  const scope = caseScope(actor, params)
  const team = actor.organisationKind === 'cps_area' ? 'c.cps_unit_id' : 'c.team_id'
  const perKey = CHARACTERISTIC_KEYS.map((_, i) => `count(*) FILTER (WHERE ($1::text[])[${i + 1}] = ANY (a.keys))::int`)
  const rows = await sql.query<{
    force_id: string
    force_name: string
    team_id: string | null
    team_name: string | null
    victims: number
    complete: number
    answered: number[]
    to_ask_again: number
  }>(
    `WITH answered AS (
       SELECT c.force_id, ${team} AS team_id, ${answeredKeys(2)} AS keys,
              EXISTS (SELECT 1 FROM victim_characteristics vc
                       WHERE vc.victim_id = v.id AND vc.characteristic = 'ethnicity' AND vc.value = ANY ($5::text[])) AS to_ask_again
         FROM victims v JOIN cases c ON c.id = v.case_id
        WHERE ${scope} AND c.date_recorded >= $3::date AND c.date_recorded < $4::date)
     SELECT a.force_id, f.name AS force_name, a.team_id, t.name AS team_name,
            count(*)::int AS victims,
            count(*) FILTER (WHERE a.keys @> $1::text[])::int AS complete,
            ARRAY[${perKey.join(', ')}] AS answered,
            count(*) FILTER (WHERE a.to_ask_again)::int AS to_ask_again
       FROM answered a
       JOIN organisations f ON f.id = a.force_id
       LEFT JOIN teams t ON t.id = a.team_id
      GROUP BY a.force_id, f.name, a.team_id, t.name
      ORDER BY f.name, t.name NULLS LAST`,
    params,
  )
  return rows.map((r) => ({
    forceId: r.force_id,
    forceName: r.force_name,
    teamId: r.team_id,
    teamName: r.team_name,
    victims: r.victims,
    complete: r.complete,
    answered: r.answered.map(Number),
    ethnicityToAskAgain: r.to_ask_again,
  }))
}

/** How many victims of the same cases gave each ethnicity answer (no row: not yet asked). */
export async function ethnicityCounts(sql: Sql, actor: Actor, period: { from: string; until: string }) {
  const params: unknown[] = [period.from, period.until]
  const scope = caseScope(actor, params)
  return sql.query<{ value: string; victims: number }>(
    `SELECT coalesce(vc.value, $${params.length + 1}) AS value, count(*)::int AS victims
       FROM victims v JOIN cases c ON c.id = v.case_id
       LEFT JOIN victim_characteristics vc ON vc.victim_id = v.id AND vc.characteristic = 'ethnicity'
      WHERE ${scope} AND c.date_recorded >= $1::date AND c.date_recorded < $2::date
      GROUP BY 1`,
    [...params, NOT_ASKED],
  )
}
