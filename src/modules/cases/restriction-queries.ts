import type { Sql } from '../../db/client.ts'

/** Restricted cases (migration 0022): the restriction in force, the people it names, and every change with its reason. */

export interface Eligible {
  id: string
  name: string
  roles: string[]
  organisationId: string
  organisation: string
  organisationKind: 'police_force' | 'cps_area' | 'support_service'
}

/**
 * Who may be named on a case's restriction: active users of the investigating force and of the
 * CPS Area the case is referred to, and the victim's engaged ISVA (the ISVA named on an active
 * ISVA referral; while none is named, the ISVAs of the engaged service).
 */
export async function eligiblePeople(sql: Sql, caseId: string): Promise<Eligible[]> {
  return sql.query<Eligible>(
    `SELECT u.id, u.display_name AS name, u.roles, o.id AS "organisationId", o.name AS organisation, o.kind AS "organisationKind"
       FROM cases c
       JOIN users u ON u.disabled_at IS NULL
       JOIN organisations o ON o.id = u.organisation_id
      WHERE c.id = $1
        AND (u.organisation_id = c.force_id OR u.organisation_id = c.cps_area_id
             OR EXISTS (SELECT 1 FROM support_referrals r
                         WHERE r.case_id = c.id AND r.kind = 'isva' AND r.ended_at IS NULL
                           AND (r.isva_id = u.id OR (r.isva_id IS NULL AND r.service_id = u.organisation_id AND 'isva' = ANY (u.roles)))))
      ORDER BY array_position(ARRAY['police_force', 'cps_area', 'support_service'], o.kind), o.name, u.display_name`,
    [caseId],
  )
}

/** The restriction in force on a case, held until commit so two supervisors cannot change it at once. */
export async function restrictionInForce(sql: Sql, caseId: string): Promise<{ id: string } | undefined> {
  const [row] = await sql.query<{ id: string }>(
    'SELECT id FROM case_restrictions WHERE case_id = $1 AND lifted_at IS NULL FOR UPDATE',
    [caseId],
  )
  return row
}

export async function namedOn(sql: Sql, restrictionId: string): Promise<{ id: string; name: string; organisation: string }[]> {
  return sql.query(
    `SELECT u.id, u.display_name AS name, o.name AS organisation
       FROM case_restriction_people n JOIN users u ON u.id = n.user_id JOIN organisations o ON o.id = u.organisation_id
      WHERE n.restriction_id = $1 ORDER BY o.name, u.display_name`,
    [restrictionId],
  )
}

export async function insertRestriction(sql: Sql, caseId: string, by: string, at: Date): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    'INSERT INTO case_restrictions (case_id, restricted_by, restricted_at) VALUES ($1, $2, $3) RETURNING id',
    [caseId, by, at],
  )
  return id
}

export async function setNamed(sql: Sql, restrictionId: string, userIds: string[]) {
  await sql.query('DELETE FROM case_restriction_people WHERE restriction_id = $1', [restrictionId])
  await sql.query(
    'INSERT INTO case_restriction_people (restriction_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING',
    [restrictionId, userIds],
  )
}

export async function liftRestriction(sql: Sql, restrictionId: string, by: string, at: Date) {
  await sql.query('UPDATE case_restrictions SET lifted_by = $2, lifted_at = $3 WHERE id = $1', [restrictionId, by, at])
}

export type Change = 'restricted' | 'changed' | 'lifted'

export async function insertChange(sql: Sql, restrictionId: string, change: Change, reason: string, by: string, at: Date) {
  await sql.query(
    'INSERT INTO case_restriction_changes (restriction_id, change, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)',
    [restrictionId, change, reason, by, at],
  )
}

/** Every restriction, change and lifting of the case, newest first, with the reasons given. */
export async function changesOf(sql: Sql, caseId: string) {
  return sql.query<{ change: Change; reason: string; by: string; at: Date }>(
    `SELECT h.change, h.reason, u.display_name AS by, h.changed_at AS at
       FROM case_restriction_changes h
       JOIN case_restrictions x ON x.id = h.restriction_id
       JOIN users u ON u.id = h.changed_by
      WHERE x.case_id = $1 ORDER BY h.id DESC`,
    [caseId],
  )
}
