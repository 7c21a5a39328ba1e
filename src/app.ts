import { randomUUID } from 'node:crypto'
import path from 'node:path'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import staticFiles from '@fastify/static'
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify'
import { accessLogApi, accessLogRoutes } from './modules/access-log/routes.ts'
import { accessReasonApi, accessReasonRoutes } from './modules/access-reasons/routes.ts'
import { actionPlanApi, actionPlanRoutes } from './modules/action-plans/routes.ts'
import { adminRoutes } from './modules/admin/routes.ts'
import { adviceApi, adviceRoutes } from './modules/advice/routes.ts'
import { assuranceApi, assuranceRoutes } from './modules/assurance/routes.ts'
import { caseApi } from './modules/cases/api.ts'
import { caseRoutes } from './modules/cases/routes.ts'
import { chargingApi, chargingRoutes } from './modules/charging/routes.ts'
import { communicationApi, communicationRoutes } from './modules/communication/routes.ts'
import { lookupApi } from './modules/lookups/routes.ts'
import { outcomeApi, outcomeRoutes } from './modules/outcomes/routes.ts'
import { supportApi, supportRoutes } from './modules/support/routes.ts'
import { suspectApi } from './modules/suspects/api.ts'
import { suspectRoutes } from './modules/suspects/routes.ts'
import { triageApi, triageRoutes } from './modules/triage/routes.ts'
import { victimApi } from './modules/victims/api.ts'
import { victimRoutes } from './modules/victims/routes.ts'
import { withdrawalApi, withdrawalRoutes } from './modules/withdrawal/routes.ts'
import { workQueueApi, workQueueRoutes } from './modules/work-queue/routes.ts'
import { Api } from './platform/api/openapi.ts'
import { registerIdentify } from './platform/auth/identify.ts'
import { authRoutes } from './platform/auth/routes.ts'
import type { Services } from './platform/context.ts'
import { registerErrorHandlers } from './platform/web/errors.ts'
import { registerViews } from './platform/web/views.ts'

export const VERSION = '0.1.0'
const root = path.resolve(import.meta.dirname, '..')

/**
 * The plugin chain in one readable list, then each module's routes. `onRoute` sees every route
 * as it is added (tests use it to walk every page without keeping a list by hand); `onApi` is
 * handed the API's declarations (tests hold every answer to them).
 */
export async function buildApp(
  s: Services,
  opts: { onRoute?: (route: RouteOptions) => void; onApi?: (api: Api) => void } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: s.config.logLevel,
      // Requests are logged by method, path and id only; cookies and tokens never.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    genReqId: () => randomUUID(),
    trustProxy: s.config.trustProxy,
  })
  const { onRoute } = opts
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route))

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: s.config.cookieSecure ? [] : null,
      },
    },
    hsts: s.config.cookieSecure,
  })
  await app.register(cookie, { secret: s.config.cookieSecret })
  await app.register(formbody)
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'cb_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', signed: true, secure: s.config.cookieSecure },
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  })
  await app.register(rateLimit, { global: false })

  // govuk-frontend and MOJ CSS use absolute /assets/... URLs, so both asset folders share the prefix.
  await app.register(staticFiles, {
    root: [
      path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets'),
      path.join(root, 'node_modules/@ministryofjustice/frontend/moj/assets'),
      path.join(root, 'src/platform/web/public'),
    ],
    prefix: '/assets/',
    decorateReply: false,
  })
  await app.register(staticFiles, {
    root: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
    prefix: '/assets/govuk/',
    decorateReply: false,
  })
  await app.register(staticFiles, {
    root: path.join(root, 'node_modules/@ministryofjustice/frontend/moj'),
    prefix: '/assets/moj/',
    decorateReply: false,
  })

  registerViews(app, { sessionIdleMinutes: s.config.sessionIdleMinutes, sessionWarningMinutes: s.config.sessionWarningMinutes })
  registerIdentify(app, s)
  registerErrorHandlers(app, s)

  // Every form carries a CSRF token; the API takes bearer tokens and no cookies, so it needs none.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'POST' && !req.url.startsWith('/api/')) return app.csrfProtection(req, reply, done)
    done()
  })
  // Pages and API answers hold case data: never let a browser or proxy keep a copy.
  app.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith('/assets/')) reply.header('cache-control', 'no-store')
  })

  app.get('/health', async () => {
    await s.db.query('SELECT 1')
    return { status: 'ok', database: s.db.engine, version: VERSION }
  })

  await app.register(authRoutes(s))
  await app.register(caseRoutes(s))
  await app.register(suspectRoutes(s))
  await app.register(victimRoutes(s))
  await app.register(adminRoutes(s))
  await app.register(accessLogRoutes(s))
  await app.register(accessReasonRoutes(s))
  await app.register(withdrawalRoutes(s))
  await app.register(supportRoutes(s))
  await app.register(outcomeRoutes(s))
  await app.register(communicationRoutes(s))
  await app.register(adviceRoutes(s))
  await app.register(chargingRoutes(s))
  await app.register(triageRoutes(s))
  await app.register(actionPlanRoutes(s))
  await app.register(assuranceRoutes(s))
  await app.register(workQueueRoutes(s))

  const api = new Api(s)
  caseApi(api)
  suspectApi(api)
  victimApi(api)
  withdrawalApi(api)
  supportApi(api)
  outcomeApi(api)
  communicationApi(api)
  adviceApi(api)
  chargingApi(api)
  triageApi(api)
  actionPlanApi(api)
  assuranceApi(api)
  workQueueApi(api)
  accessLogApi(api)
  accessReasonApi(api)
  lookupApi(api)
  await app.register(api.plugin(), { prefix: '/api/v1' })
  opts.onApi?.(api)

  return app
}
