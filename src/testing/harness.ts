import { randomUUID } from 'node:crypto'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp } from '../app.ts'
import { runCli } from '../cli/commands.ts'
import { loadConfig } from '../config.ts'
import type { Db } from '../db/client.ts'
import { createTestDatabase } from '../db/test-database.ts'
import { seedDemo } from '../demo/seed.ts'
import type { Api } from '../platform/api/openapi.ts'
import { loadActor } from '../platform/auth/actors.ts'
import { fixedClock } from '../platform/clock.ts'
import type { Ctx, Services } from '../platform/context.ts'
import { checkContract } from './contract.ts'

export const PASSWORD = 'test-password-1'

export type TestApp = Awaited<ReturnType<typeof startTestApp>>

/** A real app on a fresh database of the engine under test, with the demo organisations and users. */
export async function startTestApp() {
  const db = await createTestDatabase()
  // A Monday morning, so later working-day tests have a predictable start.
  const clock = fixedClock('2026-11-02T10:00:00Z')
  const config = loadConfig({ LOG_LEVEL: 'silent' }, { server: false })
  const services: Services = { db, clock, config }
  const demo = await seedDemo(services, { password: PASSWORD })
  const routes: { method: string; url: string }[] = []
  let contract: Api | undefined
  const app = await buildApp(services, {
    onRoute: (r) => {
      for (const method of [r.method].flat()) routes.push({ method, url: r.url })
    },
    onApi: (a) => {
      contract = a
    },
  })
  if (!contract) throw new Error('the app declared no API')
  await app.ready()
  let caseNumber = 0
  return {
    app,
    db,
    clock,
    config,
    services,
    demo,
    /** Every route the app serves, as Fastify registered it (`/cases/:id`). */
    routes,
    /** The API's declarations, which api() holds every answer to. */
    contract,
    async ctx(username: string, channel: Ctx['channel'] = 'web'): Promise<Ctx> {
      const actor = await loadActor(db, demo.users[username])
      if (!actor) throw new Error(`no user ${username}`)
      // Each context is a session of its own, as a new sign-in would be: a reason stated in one holds only there.
      return { ...services, actor, channel, session: randomUUID() }
    },
    async token(username: string): Promise<string> {
      const lines: string[] = []
      const code = await runCli(['token', 'create', '--user', username], db, clock, {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      })
      if (code !== 0) throw new Error(lines.join('\n'))
      return lines[lines.length - 1]
    },
    /** A valid new case for the user's force: a unique URN and crime reference, a rape offence, dates before today. */
    caseInput(username: 'oic.north' | 'oic.south' | 'supervisor.north', over: Record<string, unknown> = {}) {
      const north = username !== 'oic.south'
      const n = String(++caseNumber).padStart(5, '0')
      return {
        urn: `${north ? '91' : '92'}TC${n}26`,
        crimeReference: `${north ? 'NC' : 'SC'}/${n}/26`,
        offences: ['19C'],
        offenceDateFrom: '2026-09-28',
        dateReported: '2026-10-01',
        dateRecorded: '2026-10-01',
        officerInChargeId: demo.users[north ? 'oic.north' : 'oic.south'],
        supervisorId: demo.users[north ? 'supervisor.north' : 'supervisor.south'],
        ...over,
      }
    },
    async close() {
      await app.close()
      await db.close()
    },
  }
}

/** A browser stand-in: keeps cookies and the latest CSRF token between requests, like a person's browser. */
export class Browser {
  private cookies = new Map<string, string>()
  private csrf: string | undefined
  private readonly app: FastifyInstance
  constructor(app: FastifyInstance) {
    this.app = app
  }

  async request(opts: InjectOptions) {
    const res = await this.app.inject({
      ...opts,
      cookies: Object.fromEntries(this.cookies),
    })
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const gone = c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0
      if (gone) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const token = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1]
    if (token) this.csrf = token
    return res
  }

  get(url: string) {
    return this.request({ method: 'GET', url })
  }

  /** Posts a form the way a browser would: urlencoded, with the CSRF token from a page already seen. */
  async post(url: string, form: Record<string, string | string[]>, opts: { csrf?: boolean } = {}) {
    if (!this.csrf) await this.get('/sign-in')
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one)
    if (opts.csrf !== false && this.csrf) body.append('_csrf', this.csrf)
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
  }

  cookie(name: string) {
    return this.cookies.get(name)
  }

  forget(name: string) {
    this.cookies.delete(name)
  }
}

export async function signedIn(t: TestApp, username: string): Promise<Browser> {
  const b = new Browser(t.app)
  const res = await b.post('/sign-in', { username, password: PASSWORD })
  if (res.statusCode !== 303) throw new Error(`sign-in as ${username} failed: ${res.statusCode}`)
  return b
}

export async function count(db: Db, table: string): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)
  return n
}

/**
 * Audit rows other than refused attempts: what "nothing written" means for a refused request,
 * which now leaves a row saying it was refused (docs/decisions/0009).
 */
export async function auditWrites(db: Db): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action <> 'case.refused'")
  return n
}

/** An API call with a bearer token; its answer is checked against the operation's declaration (contract.ts). */
export async function api(t: TestApp, token: string | undefined, opts: InjectOptions) {
  const res = await t.app.inject({ ...opts, headers: { ...(token && { authorization: `Bearer ${token}` }), ...opts.headers } })
  checkContract(t.contract, opts.method ?? 'GET', String(opts.url ?? ''), res)
  return res
}
