import type { FastifyInstance } from 'fastify'
import type { Services } from '../context.ts'
import { ValidationFailed } from '../errors.ts'
import { formErrors } from '../web/views.ts'
import { SESSION_COOKIE } from './identify.ts'
import { endSession } from './sessions.ts'
import { signIn } from './sign-in.ts'

const failedMessage = (s: Services) =>
  `Enter a correct username and password. After ${s.config.lockoutThreshold} incorrect attempts in a row, an account is locked for ${s.config.lockoutMinutes} minutes.`

export function authRoutes(s: Services) {
  const cookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: s.config.cookieSecure,
  }

  return async (app: FastifyInstance) => {
    app.get('/', async (req, reply) => reply.redirect(req.actor ? '/cases' : '/sign-in'))

    app.get<{ Querystring: { expired?: string } }>('/sign-in', async (req, reply) => {
      if (req.actor) return reply.redirect('/cases')
      return reply.render('auth/sign-in.njk', { title: 'Sign in', expired: req.query.expired === '1' })
    })

    app.post<{ Body: Record<string, string> }>(
      '/sign-in',
      {
        config: {
          // Per address and username: colleagues behind one police or CPS network address must not
          // lock each other out. Account lockout (sign-in.ts) stops guessing at any one account.
          rateLimit: {
            max: 10,
            timeWindow: '1 minute',
            hook: 'preHandler',
            keyGenerator: (req) => `${req.ip}:${String((req.body as Record<string, unknown>)?.username ?? '').toLowerCase()}`,
          },
        },
      },
      async (req, reply) => {
        const typed = { username: req.body?.username ?? '' }
        try {
          const result = await signIn(s, req.body ?? {})
          if (!result.ok) {
            const errors = formErrors([{ field: 'username', message: failedMessage(s) }])
            return reply.status(401).render('auth/sign-in.njk', { title: 'Sign in', errors, values: typed })
          }
          // A new session id at every sign-in: any session the browser held before is ended.
          const previous = req.cookies[SESSION_COOKIE]
          if (previous && req.actor) await endSession(s, previous, req.actor)
          reply.setCookie(SESSION_COOKIE, result.token, cookie)
          return reply.redirect('/cases', 303)
        } catch (err) {
          if (!(err instanceof ValidationFailed)) throw err
          return reply
            .status(400)
            .render('auth/sign-in.njk', { title: 'Sign in', errors: formErrors(err.fieldErrors), values: typed })
        }
      },
    )

    app.post('/sign-out', async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE]
      if (token && req.actor) await endSession(s, token, req.actor)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.redirect('/signed-out', 303)
    })

    // The timeout warning lands here; ending the session on GET is safe because it only ever signs out.
    app.get<{ Querystring: { timeout?: string } }>('/signed-out', async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE]
      if (token && req.actor) await endSession(s, token, req.actor)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      req.actor = null
      return reply.render('auth/signed-out.njk', { title: 'You have been signed out', timeout: req.query.timeout === '1' })
    })

    // Any signed-in request refreshes the idle clock; the timeout warning's "stay signed in" calls this.
    app.get('/session/keep-alive', async (req, reply) => reply.status(req.actor ? 204 : 401).send())
  }
}
