import { randomUUID } from 'node:crypto'
import { isUuid, type Sql } from '../../db/client.ts'
import type { OrganisationKind, Role } from '../../platform/access/actor.ts'
import { hashPassword } from '../../platform/auth/passwords.ts'
import type { CreateUser, SystemClientSummary, UpdateUser, UserSummary } from './schema.ts'

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

/**
 * A system client (docs/decisions/0011): a users row with no password, team or contact details,
 * and a username no person can choose (Username allows no colon), so it never clashes with one.
 */
export async function insertSystemClient(
  sql: Sql,
  organisationId: string,
  c: { name: string; roles: readonly Role[] },
): Promise<string> {
  const id = randomUUID()
  await sql.query(
    `INSERT INTO users (id, organisation_id, username, display_name, email, phone, roles, password_hash, system_client)
     VALUES ($1, $2, $3, $4, '', '', $5, NULL, true)`,
    [id, organisationId, `system:${id}`, c.name, c.roles],
  )
  return id
}

export async function systemClientNameTaken(sql: Sql, name: string) {
  return (await sql.query('SELECT 1 FROM users WHERE system_client AND lower(display_name) = lower($1)', [name])).length > 0
}

export async function systemClientsOf(sql: Sql, organisationId: string): Promise<SystemClientSummary[]> {
  return sql.query<SystemClientSummary>(
    `SELECT u.id, u.display_name AS name, u.roles, u.disabled_at IS NOT NULL AS disabled,
            (SELECT count(*)::int FROM api_tokens k WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS tokens
       FROM users u WHERE u.organisation_id = $1 AND u.system_client ORDER BY u.display_name, u.id`,
    [organisationId],
  )
}

/** A system client of this organisation, held until commit; another organisation's are as if absent. */
export async function systemClientOf(sql: Sql, organisationId: string, id: string) {
  if (!isUuid(id)) return undefined
  const [row] = await sql.query<{ id: string; disabled: boolean }>(
    `SELECT id, disabled_at IS NOT NULL AS disabled FROM users
      WHERE organisation_id = $1 AND id = $2 AND system_client FOR UPDATE`,
    [organisationId, id],
  )
  return row
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

const USER_SUMMARY = `SELECT u.id, u.username, u.display_name AS "displayName", u.email, u.phone, u.roles,
    u.team_id AS "teamId", t.name AS team, coalesce(u.locked_until > $2, false) AS locked, u.disabled_at IS NOT NULL AS disabled
  FROM users u LEFT JOIN teams t ON t.id = u.team_id`

// The people of an organisation: its system clients are listed and managed apart.
export async function usersOf(sql: Sql, organisationId: string, now: Date): Promise<UserSummary[]> {
  return sql.query<UserSummary>(`${USER_SUMMARY} WHERE u.organisation_id = $1 AND NOT u.system_client ORDER BY u.display_name`, [
    organisationId,
    now,
  ])
}

/** A user of this organisation, or undefined: another organisation's users are as if absent. */
export async function userOf(sql: Sql, organisationId: string, userId: string, now: Date): Promise<UserSummary | undefined> {
  if (!isUuid(userId)) return undefined
  const [row] = await sql.query<UserSummary>(
    `${USER_SUMMARY} WHERE u.organisation_id = $1 AND u.id = $3 AND NOT u.system_client FOR UPDATE OF u`,
    [organisationId, now, userId],
  )
  return row
}

export async function updateUser(sql: Sql, userId: string, u: UpdateUser) {
  await sql.query('UPDATE users SET display_name = $2, email = $3, phone = $4, roles = $5, team_id = $6 WHERE id = $1', [
    userId,
    u.displayName,
    u.email,
    u.phone,
    u.roles,
    u.teamId,
  ])
}

export async function setAccountState(sql: Sql, userId: string, action: 'unlock' | 'disable' | 'enable', now: Date) {
  if (action === 'unlock') await sql.query('UPDATE users SET locked_until = NULL, failed_sign_ins = 0 WHERE id = $1', [userId])
  if (action === 'enable') await sql.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [userId])
  if (action === 'disable') {
    await sql.query('UPDATE users SET disabled_at = $2 WHERE id = $1', [userId, now])
    // A disabled account must stop working at once, not when its sessions time out.
    await sql.query('DELETE FROM sessions WHERE user_id = $1', [userId])
    await sql.query('UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, now])
  }
}
