import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../access/actor.ts'
import { problem } from '../api/problem.ts'
import type { Ctx, Services } from '../context.ts'
import { loadActor } from './actors.ts'
import { resolveSession } from './sessions.ts'
import { hashSecret } from './tokens.ts'

export const SESSION_COOKIE = 'cb_session'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null
    sessionExpired: boolean
    /** Which session or token this is, as a key that cannot open it (Ctx.session). */
    sessionKey: string | undefined
  }
}

// A hash of the stored hash: names the session or token without being a way to look it up.
const sessionKeyOf = (token: string) => hashSecret(`access-reason:${hashSecret(token)}`)

/**
 * Works out who is asking: a session cookie for pages, a bearer token for the API (the
 * API takes no cookies, so it needs no CSRF token).
 */
export function registerIdentify(app: FastifyInstance, s: Services) {
  app.decorateRequest('actor', null)
  app.decorateRequest('sessionExpired', false)
  app.decorateRequest('sessionKey', undefined)
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/assets/') || req.url === '/health') return
    if (req.url.startsWith('/api/')) {
      const header = req.headers.authorization
      const match = header?.match(/^Bearer ([A-Za-z0-9_-]{20,200})$/)
      if (match) req.actor = (await actorForToken(s, match[1])) ?? null
      if (req.actor && match) req.sessionKey = sessionKeyOf(match[1])
      return
    }
    const found = await resolveSession(s, req.cookies[SESSION_COOKIE])
    if (found.state === 'active') {
      req.actor = found.actor
      req.sessionKey = sessionKeyOf(req.cookies[SESSION_COOKIE] as string)
    }
    req.sessionExpired = found.state === 'expired'
  })
}

async function actorForToken(s: Services, token: string) {
  const [row] = await s.db.query<{ user_id: string }>(
    'SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [hashSecret(token)],
  )
  return row ? loadActor(s.db, row.user_id) : undefined
}

/** For page routes: the signed-in user's context, or a redirect to sign in. */
export function pageCtx(s: Services, req: FastifyRequest, reply: FastifyReply): Ctx | undefined {
  if (req.actor) return { ...s, actor: req.actor, channel: 'web', session: req.sessionKey }
  reply.redirect(req.sessionExpired ? '/sign-in?expired=1' : '/sign-in')
  return undefined
}

/** For API routes: the token holder's context, or a 401 problem. */
export function apiCtx(s: Services, req: FastifyRequest, reply: FastifyReply): Ctx | undefined {
  if (req.actor) return { ...s, actor: req.actor, channel: 'api', session: req.sessionKey }
  reply.header('www-authenticate', 'Bearer')
  problem(reply, 401, 'unauthenticated', 'A valid bearer token is required')
  return undefined
}
