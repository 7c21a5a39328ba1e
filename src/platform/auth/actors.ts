import type { Sql } from '../../db/client.ts'
import type { Actor } from '../access/actor.ts'

export const ACTOR_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.organisation_id AS "organisationId",
  o.kind AS "organisationKind", o.name AS "organisationName", u.roles, u.team_id AS "teamId", u.system_client AS "systemClient"`

export async function loadActor(sql: Sql, userId: string): Promise<Actor | undefined> {
  const [actor] = await sql.query<Actor>(
    `SELECT ${ACTOR_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation_id
      WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [userId],
  )
  return actor
}
