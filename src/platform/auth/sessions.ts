import type { Sql } from '../../db/client.ts'
import type { Actor } from '../access/actor.ts'
import { appendAudit } from '../audit/audit.ts'
import { MINUTE } from '../clock.ts'
import type { Services } from '../context.ts'
import { ACTOR_COLUMNS } from './actors.ts'
import { hashSecret, newSecret } from './tokens.ts'

/** Sessions live in the database so that any number of app instances can serve a user. */

// Writing last_seen_at on every request would make each page view a write; once a minute is enough.
const TOUCH_AFTER_MS = MINUTE

export async function startSession(tx: Sql, s: Services, userId: string): Promise<string> {
  const { token, hash } = newSecret()
  const now = s.clock.now()
  await tx.query('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)', [
    hash,
    userId,
    now,
  ])
  return token
}

export type SessionLookup = { state: 'active'; actor: Actor; lastSeenAt: Date } | { state: 'expired' } | { state: 'none' }

export async function resolveSession(s: Services, token: string | undefined): Promise<SessionLookup> {
  if (!token) return { state: 'none' }
  const hash = hashSecret(token)
  const [row] = await s.db.query<Actor & { lastSeenAt: Date }>(
    `SELECT ${ACTOR_COLUMNS}, s.last_seen_at AS "lastSeenAt"
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
      WHERE s.token_hash = $1 AND u.disabled_at IS NULL AND NOT u.system_client`,
    [hash],
  )
  if (!row) return { state: 'none' }
  const now = s.clock.now()
  const idleMs = now.getTime() - row.lastSeenAt.getTime()
  if (idleMs > s.config.sessionIdleMinutes * MINUTE) {
    await s.db.transaction(async (tx) => {
      await tx.query('DELETE FROM sessions WHERE token_hash = $1', [hash])
      await appendAudit(tx, {
        at: now,
        actorId: row.id,
        action: 'session.expired',
        details: { idleMinutes: s.config.sessionIdleMinutes },
      })
    })
    return { state: 'expired' }
  }
  if (idleMs > TOUCH_AFTER_MS) {
    await s.db.query('UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1', [hash, now])
  }
  const { lastSeenAt, ...actor } = row
  return { state: 'active', actor, lastSeenAt: idleMs > TOUCH_AFTER_MS ? now : lastSeenAt }
}

export async function endSession(s: Services, token: string, actor: Actor): Promise<void> {
  await s.db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE token_hash = $1', [hashSecret(token)])
    await appendAudit(tx, { at: s.clock.now(), actorId: actor.id, action: 'sign_out' })
  })
}
