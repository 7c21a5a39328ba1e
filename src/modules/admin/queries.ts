import type { Sql } from '../../db/client.ts'
import type { OrganisationKind } from '../../platform/access/actor.ts'
import { hashPassword } from '../../platform/auth/passwords.ts'
import type { CreateUser, UserSummary } from './schema.ts'

export async function insertOrganisation(sql: Sql, o: { kind: OrganisationKind; name: string; forceCode?: string | null }) {
  const [{ id }] = await sql.query<{ id: string }>(
    'INSERT INTO organisations (kind, name, force_code) VALUES ($1, $2, $3) RETURNING id',
    [o.kind, o.name, o.forceCode ?? null],
  )
  return id
}

export async function insertTeam(sql: Sql, organisationId: string, name: string) {
  const [{ id }] = await sql.query<{ id: string }>('INSERT INTO teams (organisation_id, name) VALUES ($1, $2) RETURNING id', [
    organisationId,
    name,
  ])
  return id
}

/** The one way a user row is written: by the admin pages, the CLI and the demo seed. */
export async function insertUser(sql: Sql, organisationId: string, u: CreateUser): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO users (organisation_id, team_id, username, display_name, email, phone, roles, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [organisationId, u.teamId, u.username, u.displayName, u.email, u.phone, u.roles, await hashPassword(u.password)],
  )
  return id
}

export async function usernameTaken(sql: Sql, username: string) {
  return (await sql.query('SELECT 1 FROM users WHERE username = $1', [username])).length > 0
}

export async function organisation(sql: Sql, id: string) {
  const [row] = await sql.query<{ id: string; kind: OrganisationKind; name: string }>(
    'SELECT id, kind, name FROM organisations WHERE id = $1',
    [id],
  )
  return row
}

export async function teamsOf(sql: Sql, organisationId: string) {
  return sql.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE organisation_id = $1 ORDER BY name', [
    organisationId,
  ])
}

export async function usersOf(sql: Sql, organisationId: string, now: Date): Promise<UserSummary[]> {
  return sql.query<UserSummary>(
    `SELECT u.id, u.username, u.display_name AS "displayName", u.email, u.phone, u.roles, t.name AS team,
            coalesce(u.locked_until > $2, false) AS locked, u.disabled_at IS NOT NULL AS disabled
       FROM users u LEFT JOIN teams t ON t.id = u.team_id
      WHERE u.organisation_id = $1 ORDER BY u.display_name`,
    [organisationId, now],
  )
}
