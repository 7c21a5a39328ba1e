import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import Fastify from 'fastify'
import pg from 'pg'
import { runCli } from '../src/cli/commands.ts'
import { loadConfig } from '../src/config.ts'
import { openPostgres } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { systemClock } from '../src/platform/clock.ts'

/**
 * Audited reads under load (bench/README.md, "Reads"): the real app, started as `node src/main.ts`
 * on a throwaway PostgreSQL database holding the demo data, driven by wrk on loopback with 50
 * connections for a bounded time each: the audited JSON case read, the case page with a session
 * cookie, and, in the same run, a bare Fastify + pg endpoint reading the same case row. Then
 * `audit verify` on what the load wrote.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5511/postgres npm run bench:reads
 *
 * Knobs: BENCH_SECONDS (15 per endpoint), BENCH_CONNECTIONS (50), BENCH_THREADS (2).
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const THREADS = Number(process.env.BENCH_THREADS ?? 2)
const PASSWORD = 'bench-password-1'
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3911)
const run = promisify(execFile)
const log = (line = '') => console.log(line)

interface WrkResult {
  name: string
  rps: number
  p50: number
  p90: number
  p99: number
  requests: number
  errors: string | null
  cpu: { app: number; machine: number }
}

/** wrk prints latencies as 1.23ms, 456.78us or 1.02s. */
function toMs(text: string): number {
  const m = text.match(/^([\d.]+)(us|ms|s|m)$/)
  if (!m) throw new Error(`cannot read the latency "${text}"`)
  const n = Number(m[1])
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000
}

/** CPU seconds used so far by a process and its reaped children (/proc/PID/stat: utime+stime+cutime+cstime). */
async function cpuSeconds(pids: number[]): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  let ticks = 0
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += fields.slice(11, 15).reduce((a, b) => a + Number(b), 0)
  }
  return ticks / 100
}

/** Busy CPU ticks of the whole machine so far (/proc/stat): other people's work shares these 2 cores. */
async function machineBusySeconds(): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const [, ...ticks] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/)
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number)
  return (user + nice + system + irq + softirq + steal) / 100
}

async function wrk(name: string, url: string, headers: Record<string, string>, appPid: number): Promise<WrkResult> {
  const args = [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '--timeout', '10s']
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`)
  const [app0, all0] = [await cpuSeconds([appPid]), await machineBusySeconds()]
  const { stdout } = await run('wrk', [...args, url], { timeout: (SECONDS + 30) * 1000 })
  const [app1, all1] = [await cpuSeconds([appPid]), await machineBusySeconds()]
  const pick = (re: RegExp) => stdout.match(re)?.[1]
  const result: WrkResult = {
    name,
    rps: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
    p50: toMs(pick(/\n\s+50%\s+(\S+)/) ?? ''),
    p90: toMs(pick(/\n\s+90%\s+(\S+)/) ?? ''),
    p99: toMs(pick(/\n\s+99%\s+(\S+)/) ?? ''),
    requests: Number(pick(/(\d+) requests in/)),
    errors: [pick(/(Non-2xx or 3xx responses: \d+)/), pick(/(Socket errors: .+)/)].filter(Boolean).join('; ') || null,
    cpu: { app: (app1 - app0) / SECONDS, machine: (all1 - all0) / SECONDS },
  }
  log(
    `  ${name}: ${result.rps.toFixed(0)} req/s, latency p50 ${result.p50.toFixed(1)} ms, p90 ${result.p90.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms` +
      ` (${result.requests} requests; server CPU ${((result.cpu.app * SECONDS * 1000) / result.requests).toFixed(2)} ms a request; cores busy: the server ${result.cpu.app.toFixed(2)}, the whole machine ${result.cpu.machine.toFixed(2)} of 2)` +
      (result.errors ? `  ERRORS: ${result.errors}` : ''),
  )
  if (result.errors) throw new Error(`${name}: ${result.errors}`)
  return result
}

/** The floor: Fastify and a pg pool of the app's size reading the same row, no session, no audit. */
async function bareServer(url: string, caseId: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  pool.on('error', () => {}) // the database is dropped at the end with its connections
  const app = Fastify({ logger: false })
  app.get<{ Params: { id: string } }>('/bare/cases/:id', async (req, reply) => {
    const { rows } = await pool.query('SELECT * FROM cases WHERE id = $1', [req.params.id])
    if (rows.length === 0) return reply.code(404).send()
    return rows[0]
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as AddressInfo).port
  if ((await fetch(`http://127.0.0.1:${port}/bare/cases/${caseId}`)).status !== 200) throw new Error('bare endpoint failed')
  return {
    port,
    async close() {
      await app.close()
      await pool.end()
    },
  }
}

async function startApp(url: string): Promise<ChildProcess> {
  // BENCH_PROFILE=dir writes a V8 CPU profile of the app to dir, to see where its time goes.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []
  const child = spawn(process.execPath, [...profile, 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(APP_PORT),
      HOST: '127.0.0.1',
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      AUDIT_ANCHOR_KEY: randomBytes(32).toString('hex'),
      AUDIT_ANCHOR_DIR: path.join(os.tmpdir(), `casebridge-bench-anchors-${process.pid}`),
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'warn',
      // Sealing runs while the load does, as it would in service.
      SWEEP_SECONDS: '5',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${APP_PORT}/sign-in`).then(
      (r) => r.ok,
      () => false,
    )
    if (up) return child
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill()
  throw new Error('the app did not start')
}

/** Signs in through the real form, as a browser would, and returns the Cookie header. */
async function signIn(username: string): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const eq = pair.indexOf('=')
      jar.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const form = await fetch(`http://127.0.0.1:${APP_PORT}/sign-in`)
  keep(form)
  const csrf = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? ''
  const res = await fetch(`http://127.0.0.1:${APP_PORT}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf }).toString(),
  })
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`)
  keep(res)
  return cookie()
}

async function main() {
  const base = process.env.BENCH_DATABASE_URL
  if (!base)
    throw new Error('Set BENCH_DATABASE_URL to a PostgreSQL server: a throwaway database is made there and dropped after.')
  const name = `casebridge_reads_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const target = new URL(base)
  target.pathname = `/${name}`
  const url = target.toString()
  const db = openPostgres(url, 4)
  let app: ChildProcess | undefined
  let bare: Awaited<ReturnType<typeof bareServer>> | undefined
  try {
    const [{ v }] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")
    log(`## Audited reads: PostgreSQL ${v}, ${CONNECTIONS} connections, ${SECONDS} s each, wrk with ${THREADS} threads`)
    await migrate(db)
    const services = { db, clock: systemClock, config: loadConfig({ LOG_LEVEL: 'silent' }, { server: false }) }
    const demo = await seedDemo(services, { password: PASSWORD })
    const [{ id: caseId }] = await db.query<{ id: string }>(
      "SELECT id FROM cases WHERE urn LIKE '91NV10001%' AND force_id = $1",
      [demo.orgs.north],
    )
    const lines: string[] = []
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) }
    if ((await runCli(['token', 'create', '--user', 'oic.north', '--label', 'bench'], db, systemClock, io)) !== 0) {
      throw new Error(lines.join('\n'))
    }
    const token = lines[lines.length - 1]

    app = await startApp(url)
    const appPid = app.pid as number
    const cookie = await signIn('oic.north')
    bare = await bareServer(url, caseId)
    const api = `http://127.0.0.1:${APP_PORT}/api/v1/cases/${caseId}`
    const page = `http://127.0.0.1:${APP_PORT}/cases/${caseId}`
    const authorised = { authorization: `Bearer ${token}` }
    for (const [u, h] of [
      [api, authorised],
      [page, { cookie }],
    ] as const) {
      const res = await fetch(u, { headers: h })
      if (res.status !== 200) throw new Error(`${u}: ${res.status}`)
    }
    const [{ before }] = await db.query<{ before: number }>('SELECT count(*)::int AS before FROM audit_log')

    // A short warm-up of each, so the JIT and the pools are ready before anything is timed.
    const results: WrkResult[] = []
    const bareUrl = `http://127.0.0.1:${bare.port}/bare/cases/${caseId}`
    for (const [u, h] of [
      [bareUrl, {}],
      [api, authorised],
      [page, { cookie }],
    ] as const) {
      await run('wrk', ['-t1', '-c10', '-d2s', ...Object.entries(h).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), u])
    }
    results.push(await wrk('bare Fastify + pg, same case row', bareUrl, {}, process.pid))
    results.push(await wrk('audited JSON case read (GET /api/v1/cases/{id})', api, authorised, appPid))
    results.push(await wrk('case page (GET /cases/{id}, HTML)', page, { cookie }, appPid))

    const [{ after, unsealed }] = await db.query<{ after: number; unsealed: number }>(
      'SELECT count(*)::int AS after, count(*) FILTER (WHERE hash IS NULL)::int AS unsealed FROM audit_log',
    )
    const [bareR, apiR, pageR] = results
    log('\n## Summary')
    log(`  audited JSON read / bare endpoint: ${((apiR.rps / bareR.rps) * 100).toFixed(0)}% (target at least 50%)`)
    log(
      `  case page: ${pageR.rps.toFixed(0)} req/s, p99 ${pageR.p99.toFixed(1)} ms (target at least 1,000 req/s with p99 under 100 ms)`,
    )
    log(`  audit rows written under load: ${after - before}; not yet sealed when the load stopped: ${unsealed}`)

    // Verify with the real CLI, as an operator would, while the app (and its sealer) still runs.
    const cli = async (...args: string[]) => {
      const { stdout, stderr } = await run(process.execPath, ['src/cli.ts', ...args], {
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      }).catch((e: { stdout: string; stderr: string }) => e)
      return `${stdout}${stderr}`.trim()
    }
    log(`\n$ npm run cli -- audit verify\n${await cli('audit', 'verify')}`)
    log(`$ npm run cli -- audit seal\n${await cli('audit', 'seal')}`)
    log(`$ npm run cli -- audit verify\n${await cli('audit', 'verify')}`)
  } finally {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM')
      await once(app, 'exit')
    }
    await bare?.close()
    await db.close()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

await main()
