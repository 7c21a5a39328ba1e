import { isUuid, type Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import {
  type CaseParts,
  type CaseRef,
  canSeeSuspects,
  caseScope,
  type Restriction,
  type SupportLink,
} from '../../platform/access/policy.ts'
import { appendAudit } from '../../platform/audit/audit.ts'
import { hasOverdueClockSql } from '../../platform/deadlines/deadlines.ts'
import { insertCrime, setFirstCrimeOffences } from './crimes.ts'
import { type CaseListQuery, type SearchTerms, type Sort, startsWith } from './find.ts'
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
  support: SupportLink[]
  restriction: Restriction | null
  cps_area_id: string | null
  cps_area_name: string | null
  created_at: Date
  parts: CaseParts
}

const person = (alias: string) =>
  `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'name', ${alias}.display_name, 'email', ${alias}.email, 'phone', ${alias}.phone) END`

const SELECT_CASE = `
  SELECT c.id, c.urn, c.rape_flag, c.stage, c.offence_date_from, c.offence_date_to, c.date_reported, c.date_recorded,
         c.force_id, f.name AS force_name, c.cps_area_id, a.name AS cps_area_name, c.created_at,
         (SELECT array_agg(DISTINCT o.offence_code) FROM crimes k JOIN crime_offences o ON o.crime_id = k.id WHERE k.case_id = c.id) AS offences,
         CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'name', t.name) END AS team,
         ${person('oic')} AS oic, ${person('sup')} AS supervisor, ${person('pro')} AS prosecutor,
         (SELECT coalesce(json_agg(json_build_object('serviceId', r.service_id, 'victimId', r.victim_id, 'shared', r.shared, 'kind', r.kind)), '[]')
            FROM support_referrals r WHERE r.case_id = c.id AND r.ended_at IS NULL) AS support,
         (SELECT json_build_object('named', (SELECT coalesce(json_agg(n.user_id), '[]') FROM case_restriction_people n WHERE n.restriction_id = x.id))
            FROM case_restrictions x WHERE x.case_id = c.id AND x.lifted_at IS NULL) AS restriction,
         json_build_object('officerInChargeId', c.officer_in_charge_id, 'supervisorId', c.supervisor_id, 'teamId', c.team_id,
                           'prosecutorId', c.reviewing_prosecutor_id, 'cpsUnitId', c.cps_unit_id) AS parts
    FROM cases c
    JOIN organisations f ON f.id = c.force_id
    JOIN users oic ON oic.id = c.officer_in_charge_id
    LEFT JOIN users sup ON sup.id = c.supervisor_id
    LEFT JOIN users pro ON pro.id = c.reviewing_prosecutor_id
    LEFT JOIN teams t ON t.id = c.team_id
    LEFT JOIN organisations a ON a.id = c.cps_area_id`

function toSummary(r: CaseRow): CaseSummary & CaseRef {
  // The case's offences are its crimes' together, most serious (first on the reference list) first.
  const offences = OFFENCE_CODES.filter((code) => r.offences.includes(code)).map((code) => ({
    code,
    label: offenceLabel(code),
    rape: isRape(code),
  }))
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
    support: r.support,
    restriction: r.restriction,
    parts: r.parts,
  }
}

export async function findCase(sql: Sql, id: string) {
  if (!isUuid(id)) return undefined
  const [row] = await sql.query<CaseRow>(`${SELECT_CASE} WHERE c.id = $1`, [id])
  return row && toSummary(row)
}

export interface ListFilters {
  query: CaseListQuery
  search?: SearchTerms
  /** Deadlines due before this are overdue. */
  now: Date
}

// Stages sort in the order a case moves through them, not alphabetically.
const STAGE_ORDER = `array_position(ARRAY[${Object.keys(STAGES)
  .map((code) => `'${code}'`)
  .join(', ')}], c.stage)`

const SORT_SQL: Record<Sort, string> = {
  newest: 'c.created_at',
  urn: 'c.urn',
  reported: 'c.date_reported',
  stage: STAGE_ORDER,
  officer: 'oic.display_name',
}

/**
 * The cases a user may see (caseScope, always), narrowed by the list's filters and search.
 * Every value is a parameter; only column names and directions chosen from fixed lists go in the text.
 */
export async function listCases(sql: Sql, actor: Actor, f: ListFilters, page: { limit: number; offset: number }) {
  const params: unknown[] = []
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const q = f.query
  const where = [caseScope(actor, params)]
  if (q.stage.length > 0) where.push(`c.stage = ANY (${p(q.stage)}::text[])`)
  if (q.team) {
    // Police teams investigate; on the CPS side a case is allocated to a unit of the Area.
    const column = { police_force: 'c.team_id', cps_area: 'c.cps_unit_id' }[actor.organisationKind as string]
    where.push(column ? `${column} = ${p(q.team)}` : 'false')
  }
  if (q.officer) where.push(`c.officer_in_charge_id = ${p(q.officer)}`)
  if (q.rape !== undefined) where.push(`c.rape_flag = ${p(q.rape)}`)
  if (q.overdue !== undefined) {
    // Counting and paging happen in SQL, so the clocks cannot be merged in code: the deadline
    // engine, the one owner of the deadlines table, gives the condition as a fragment.
    const overdue = hasOverdueClockSql('c.id', p(f.now))
    where.push(q.overdue ? overdue : `NOT ${overdue}`)
  }
  if (q.mine) where.push(mineSql(actor, p))
  if (f.search?.urn) where.push(`c.urn LIKE ${p(startsWith(f.search.urn))}`)
  if (f.search?.name) where.push(`c.id IN (${nameSearchSql(actor, f.search.name, p)})`)

  const condition = where.join(' AND ')
  const [{ total }] = await sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM cases c WHERE ${condition}`, params)
  const dir = q.order === 'asc' ? 'ASC' : 'DESC'
  const rows = await sql.query<CaseRow>(
    `${SELECT_CASE} WHERE ${condition}
      ORDER BY ${SORT_SQL[q.sort]} ${dir}, c.created_at DESC, c.id LIMIT ${page.limit} OFFSET ${page.offset}`,
    params,
  )
  return { total, cases: rows.map(toSummary) }
}

/** "Only my cases": police the officer in charge or supervisor; CPS the reviewing prosecutor. */
function mineSql(actor: Actor, p: (value: unknown) => string): string {
  if (actor.organisationKind === 'police_force') {
    const me = p(actor.id)
    return `(c.officer_in_charge_id = ${me} OR c.supervisor_id = ${me})`
  }
  if (actor.organisationKind === 'cps_area') return `c.reviewing_prosecutor_id = ${p(actor.id)}`
  return 'false'
}

/**
 * Cases whose victim, or one of whose suspects, has every word of `name` starting their first
 * or last name, ignoring case. Suspects only for those who may see suspects (never ISVAs).
 *
 * Performance: prefix matches on lower(name) use the text_pattern_ops indexes of migration 0007,
 * so the planner can start from the few matching people or from the cases in scope, whichever is
 * smaller. Substring matches ("%ones%") would need pg_trgm GIN indexes: PGlite has pg_trgm only
 * when the extension is loaded as the database is opened, which src/db/client.ts does not do, so
 * we match word starts, the way people search for names anyway.
 */
function nameSearchSql(actor: Actor, name: string, p: (value: unknown) => string): string {
  const words = name.split(' ').map((w) => p(startsWith(w)))
  const matches = (alias: string) =>
    words.map((w) => `(lower(${alias}.first_name) LIKE lower(${w}) OR lower(${alias}.last_name) LIKE lower(${w}))`).join(' AND ')
  // A support service finds a victim by name only where that victim agreed to share their details with it.
  const consented =
    actor.organisationKind === 'support_service'
      ? ` AND EXISTS (SELECT 1 FROM support_referrals r WHERE r.victim_id = v.id AND r.service_id = ${p(actor.organisationId)}
                      AND r.ended_at IS NULL AND 'victim_details' = ANY (r.shared))`
      : ''
  const victims = `SELECT v.case_id FROM victims v WHERE ${matches('v')}${consented}`
  if (!canSeeSuspects(actor)) return victims
  return `${victims} UNION ALL SELECT s.case_id FROM suspects s WHERE ${matches('s')}`
}

/** Officers in charge of the cases a user may see, to filter by (CPS users see officers of several forces). */
export async function officersInScope(sql: Sql, actor: Actor) {
  const params: unknown[] = []
  return sql.query<{ id: string; name: string }>(
    `SELECT DISTINCT u.id, u.display_name AS name FROM cases c JOIN users u ON u.id = c.officer_in_charge_id
      WHERE ${caseScope(actor, params)} ORDER BY u.display_name`,
    params,
  )
}

/** Keeps search terms server-side for their owner; the list's address carries only the id. */
export async function saveSearch(sql: Sql, userId: string, terms: SearchTerms, at: Date): Promise<string> {
  await sql.query("DELETE FROM case_searches WHERE created_at < $1::timestamptz - interval '1 day'", [at])
  const [{ id }] = await sql.query<{ id: string }>(
    'INSERT INTO case_searches (user_id, terms, created_at) VALUES ($1, $2, $3) RETURNING id',
    [userId, JSON.stringify(terms), at],
  )
  return id
}

/** The user's own search of the last day, or undefined (another user's id, an old one, or nonsense). */
export async function findSearch(sql: Sql, userId: string, id: string, now: Date): Promise<SearchTerms | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await sql.query<{ terms: SearchTerms }>(
    "SELECT terms FROM case_searches WHERE id = $1 AND user_id = $2 AND created_at >= $3::timestamptz - interval '1 day'",
    [id, userId, now],
  )
  return row?.terms
}

export async function urnExists(sql: Sql, urn: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM cases WHERE urn = $1', [urn])).length > 0
}

/** What the police record about a case, in one order shared by insert and update. */
const detailValues = (c: CaseDetails & { teamId: string }) => [
  c.offences.some(isRape),
  c.offenceDateFrom,
  c.offenceDateTo,
  c.dateReported,
  c.dateRecorded,
  c.officerInChargeId,
  c.supervisorId,
  c.teamId,
]

/** A case is opened for one crime: the case row and that crime, with its offences. */
export async function insertCase(sql: Sql, c: CreateCase & { teamId: string; forceId: string; createdBy: string; at: Date }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO cases (urn, force_id, rape_flag, offence_date_from, offence_date_to, date_reported, date_recorded,
                        officer_in_charge_id, supervisor_id, team_id, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [c.urn, c.forceId, ...detailValues(c), c.at, c.createdBy],
  )
  await insertCrime(sql, id, { crimeReference: c.crimeReference, offences: c.offences, victimId: null }, c.at, c.createdBy)
  return id
}

export async function updateCase(sql: Sql, caseId: string, c: CaseDetails & { teamId: string }) {
  // Once set, the rape flag stays (the database refuses to clear it too).
  await sql.query(
    `UPDATE cases SET rape_flag = rape_flag OR $2, offence_date_from = $3, offence_date_to = $4, date_reported = $5,
            date_recorded = $6, officer_in_charge_id = $7, supervisor_id = $8, team_id = $9
      WHERE id = $1`,
    [caseId, ...detailValues(c)],
  )
  await setFirstCrimeOffences(sql, caseId, c.offences)
}

/** Staff of a force with a role, who can be named on its cases (officer in charge, supervisor). */
export async function staffOfForce(sql: Sql, forceId: string, role: 'investigator' | 'police_supervisor') {
  return sql.query<{ id: string; name: string; teamId: string | null }>(
    `SELECT id, display_name AS name, team_id AS "teamId" FROM users
      WHERE organisation_id = $1 AND $2 = ANY (roles) AND disabled_at IS NULL AND NOT system_client
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
