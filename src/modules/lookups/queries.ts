import type { Sql } from '../../db/client.ts'
import type { Role } from '../../platform/access/actor.ts'

/** Active staff of one organisation holding any of the roles: work names and roles only, never contact details. */
export async function staffOf(sql: Sql, organisationId: string, roles: readonly Role[]) {
  return sql.query<{ id: string; name: string; roles: Role[]; teamId: string | null }>(
    `SELECT id, display_name AS name, roles, team_id AS "teamId" FROM users
      WHERE organisation_id = $1 AND roles && $2::text[] AND disabled_at IS NULL AND NOT system_client
      ORDER BY display_name, id`,
    [organisationId, roles],
  )
}

export async function teamsOf(sql: Sql, organisationId: string) {
  return sql.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE organisation_id = $1 ORDER BY name', [
    organisationId,
  ])
}

/** Every CPS Area, and whether it is the one serving the given organisation (a force's serving Area). */
export async function cpsAreas(sql: Sql, organisationId: string) {
  return sql.query<{ id: string; name: string; servesCallersForce: boolean }>(
    `SELECT a.id, a.name, (a.id = f.cps_area_id) IS TRUE AS "servesCallersForce"
       FROM organisations a LEFT JOIN organisations f ON f.id = $1
      WHERE a.kind = 'cps_area'
      ORDER BY a.name`,
    [organisationId],
  )
}
