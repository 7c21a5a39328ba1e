import { z } from 'zod'
import { appendAudit } from '../audit/audit.ts'
import { MINUTE } from '../clock.ts'
import type { Services } from '../context.ts'
import { parseInput } from '../errors.ts'
import { verifyPassword } from './passwords.ts'
import { startSession } from './sessions.ts'

export const SignInForm = z.object({
  username: z.string().trim().toLowerCase().min(1, 'Enter your username').max(100, 'Username must be 100 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1000, 'Password must be 1000 characters or fewer'),
})

export type SignInResult = { ok: true; token: string } | { ok: false }

/**
 * Checks a username and password. A wrong username, a wrong password, a locked and a
 * disabled account all look the same to the person signing in, so the page cannot be used
 * to find out which usernames exist. Repeated failures lock the account for a while. A system
 * client has no password and never signs in (docs/decisions/0011): it is refused like a wrong
 * password, without counting towards a lock.
 */
export async function signIn(s: Services, input: unknown): Promise<SignInResult> {
  const form = parseInput(SignInForm, input)
  const now = s.clock.now()
  const [user] = await s.db.query<{
    id: string
    password_hash: string | null
    failed_sign_ins: number
    locked_until: Date | null
    disabled_at: Date | null
    system_client: boolean
  }>('SELECT id, password_hash, failed_sign_ins, locked_until, disabled_at, system_client FROM users WHERE username = $1', [
    form.username,
  ])
  // With no hash this checks a dummy one, so a system client's refusal takes as long as anyone's.
  const passwordOk = await verifyPassword(user?.password_hash ?? null, form.password)

  return s.db.transaction(async (tx) => {
    if (!user) {
      await appendAudit(tx, { at: now, actorId: null, action: 'sign_in.failed', details: { reason: 'unknown username' } })
      return { ok: false }
    }
    if (user.system_client) {
      await appendAudit(tx, { at: now, actorId: user.id, action: 'sign_in.failed', details: { reason: 'system client' } })
      return { ok: false }
    }
    const locked = user.locked_until !== null && user.locked_until > now
    if (user.disabled_at || locked) {
      await appendAudit(tx, {
        at: now,
        actorId: user.id,
        action: 'sign_in.failed',
        details: { reason: user.disabled_at ? 'account disabled' : 'account locked' },
      })
      return { ok: false }
    }
    if (!passwordOk) {
      const [{ failed }] = await tx.query<{ failed: number }>(
        'UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $1 RETURNING failed_sign_ins AS failed',
        [user.id],
      )
      await appendAudit(tx, {
        at: now,
        actorId: user.id,
        action: 'sign_in.failed',
        details: { reason: 'wrong password', failed },
      })
      if (failed >= s.config.lockoutThreshold) {
        const until = new Date(now.getTime() + s.config.lockoutMinutes * MINUTE)
        await tx.query('UPDATE users SET locked_until = $2, failed_sign_ins = 0 WHERE id = $1', [user.id, until])
        await appendAudit(tx, { at: now, actorId: user.id, action: 'account.locked', details: { until: until.toISOString() } })
      }
      return { ok: false }
    }
    await tx.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [user.id])
    const token = await startSession(tx, s, user.id)
    await appendAudit(tx, { at: now, actorId: user.id, action: 'sign_in' })
    return { ok: true, token }
  })
}
