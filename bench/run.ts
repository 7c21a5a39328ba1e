import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { type Db, openPglite, openPostgres, type Sql } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { loadActor } from '../src/platform/auth/actors.ts'
import { fixedClock } from '../src/platform/clock.ts'
import type { Services } from '../src/platform/context.ts'
import { queuePage, teamOf } from '../src/platform/deadlines/queue.ts'
import { sweep } from '../src/platform/deadlines/sweeper.ts'
import { addClocks, makeForcesAndCases, rearm, type Shape } from './data.ts'

/**
 * The deadline benchmarks (bench/README.md): (a) one sweep escalating the 1,000 clocks due now
 * among 100,000 and then 1,000,000 open clocks; (b) the server rendering one page of a team's
 * work queue holding 5,000 open clocks. On PostgreSQL at BENCH_DATABASE_URL (a throwaway
 * database is made there and dropped after) and on embedded PGlite (BENCH_PGLITE=0 skips it).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npm run bench
 */

const NOW = new Date('2026-11-02T10:00:00Z')
const PASSWORD = 'bench-password-1'
// PGlite holds everything in WASM memory and inserts on one core: it gets fewer rows unless told.
const ROWS = { postgresql: Number(process.env.BENCH_ROWS ?? 1_000_000), pglite: Number(process.env.BENCH_PGLITE_ROWS ?? 100_000) }
const SWEEP_RUNS = Number(process.env.BENCH_SWEEP_RUNS ?? 7)
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 200)

const ms = (n: number) => `${n.toFixed(1)} ms`
const median = (xs: number[]) => quantile(xs, 0.5)
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]
}
async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now()
  const result = await fn()
  return [performance.now() - start, result]
}
const log = (line = '') => console.log(line)

async function benchSweep(db: Db, label: string) {
  const times: number[] = []
  for (let run = 0; run < SWEEP_RUNS; run++) {
    await rearm(db)
    const [t, r] = await time(() => sweep(db, NOW))
    if (r.stepped !== 1000) throw new Error(`the sweep stepped ${r.stepped} clocks, not 1,000`)
    times.push(t)
  }
  log(
    `  sweep of the 1,000 due among ${label} open clocks: median ${ms(median(times))}, min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))} (${SWEEP_RUNS} runs, 2,000 notifications each)`,
  )
  return median(times)
}

async function explainSweep(db: Db) {
  await rearm(db)
  const plan = await db.transaction((tx) =>
    tx.query<{ 'QUERY PLAN': string }>(
      'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT id FROM deadlines WHERE next_step_at <= $1 ORDER BY next_step_at LIMIT $2 FOR UPDATE SKIP LOCKED',
      [NOW, 1000],
    ),
  )
  log('  EXPLAIN ANALYZE of the sweep’s scan:')
  for (const row of plan) log(`    ${row['QUERY PLAN']}`)
}

/** Signs in through the real form, as a browser would, and returns the cookies to send. */
async function signIn(app: Awaited<ReturnType<typeof buildApp>>, username: string) {
  const jar = new Map<string, string>()
  const keep = (res: { cookies: { name: string; value: string }[] }) => {
    for (const c of res.cookies) jar.set(c.name, c.value)
  }
  const form = await app.inject({ method: 'GET', url: '/sign-in' })
  keep(form)
  const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? ''
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    cookies: Object.fromEntries(jar),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf }).toString(),
  })
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`)
  keep(res)
  return Object.fromEntries(jar)
}

async function benchPages(services: Services) {
  const app = await buildApp(services)
  await app.ready()
  const cookies = await signIn(app, 'supervisor.north')
  const pages = [
    { name: 'team queue, page 1 (default sort)', url: '/queue?scope=team' },
    { name: 'team queue, overdue, by URN, page 3', url: '/queue?scope=team&group=overdue&sort=urn&order=asc&page=3' },
    { name: 'team queue, last page', url: '/queue?scope=team&page=200' },
  ]
  const results: { name: string; median: number; p95: number }[] = []
  for (const p of pages) {
    const first = await app.inject({ method: 'GET', url: p.url, cookies })
    if (first.statusCode !== 200) throw new Error(`${p.url}: ${first.statusCode}`)
    if (!first.body.includes('5000 items in this queue') && p.url === '/queue?scope=team') {
      throw new Error('the team queue does not hold 5,000 items')
    }
    for (let i = 0; i < 20; i++) await app.inject({ method: 'GET', url: p.url, cookies })
    const times: number[] = []
    for (let i = 0; i < PAGE_RUNS; i++) {
      const [t] = await time(() => app.inject({ method: 'GET', url: p.url, cookies }))
      times.push(t)
    }
    results.push({ name: p.name, median: median(times), p95: quantile(times, 0.95) })
    log(`  ${p.name}: median ${ms(median(times))}, p95 ${ms(quantile(times, 0.95))} (${PAGE_RUNS} requests)`)
  }
  await app.close()
  return results
}

/** The plans of the queries the default team page runs, with what each scanned and how long it took. */
async function explainQueue(db: Db, userId: string) {
  const actor = await loadActor(db, userId)
  if (!actor) throw new Error('no supervisor')
  const explaining: Sql = {
    async query<T>(text: string, params?: unknown[]) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) ${text}`, params)
      log(`    -- ${text.replace(/\s+/g, ' ').slice(0, 70)}…`)
      for (const row of plan) if (/Scan|Limit|Aggregate|Execution Time/.test(row['QUERY PLAN'])) log(`    ${row['QUERY PLAN']}`)
      return db.query<T>(text, params)
    },
  }
  log('  EXPLAIN ANALYZE of the default team page’s queries:')
  await queuePage(explaining, actor, await teamOf(db, userId), { scope: 'team', sort: 'due', order: 'asc', page: 1 }, NOW)
}

async function benchEngine(engine: 'postgresql' | 'pglite', db: Db) {
  const TOTAL = ROWS[engine]
  const SMALL = Math.min(100_000, TOTAL)
  log(
    `\n## ${engine} (${engine === 'pglite' ? 'PostgreSQL 18 in WASM' : ((await db.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]?.v ?? '')})`,
  )
  const [tMigrate] = await time(() => migrate(db))
  const clock = fixedClock(NOW)
  const services: Services = { db, clock, config: loadConfig({ LOG_LEVEL: 'silent' }, { server: false }) }
  const demo = await seedDemo(services, { password: PASSWORD })
  const [{ northTeam }] = await db.query<{ northTeam: string }>('SELECT team_id AS "northTeam" FROM users WHERE id = $1', [
    demo.users['oic.north'],
  ])
  const shape: Shape = {
    now: NOW,
    northForce: demo.orgs.north,
    northTeam,
    northOfficer: demo.users['oic.north'],
    northSupervisor: demo.users['supervisor.north'],
    cases: 50_000,
    teamItems: 5_000,
    armed: 1_000,
    forces: 20,
  }
  const [tCases] = await time(() => makeForcesAndCases(db, shape))
  log(`  set-up: migrate ${ms(tMigrate)}, 20 forces and 50,000 cases ${ms(tCases)}`)

  const [tSmall] = await time(() => addClocks(db, shape, 1, SMALL))
  log(`  ${SMALL.toLocaleString('en-GB')} open clocks inserted in ${ms(tSmall)}`)
  const small = await benchSweep(db, SMALL.toLocaleString('en-GB'))
  let large: number | undefined
  if (TOTAL > SMALL) {
    const [tLarge] = await time(() => addClocks(db, shape, SMALL + 1, TOTAL))
    log(`  ${(TOTAL - SMALL).toLocaleString('en-GB')} more open clocks inserted in ${ms(tLarge)}`)
    large = await benchSweep(db, TOTAL.toLocaleString('en-GB'))
  }
  await explainSweep(db)
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM deadlines WHERE state = 'open'")
  log(`  (${n.toLocaleString('en-GB')} open clocks in all)`)
  const pages = await benchPages(services)
  await explainQueue(db, demo.users['supervisor.north'])
  return { engine, small, large, pages, SMALL, TOTAL }
}

async function main() {
  const summary = []
  const url = process.env.BENCH_DATABASE_URL
  if (url) {
    const name = `casebridge_bench_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    const target = new URL(url)
    target.pathname = `/${name}`
    const db = openPostgres(target.toString(), 4)
    try {
      summary.push(await benchEngine('postgresql', db))
    } finally {
      await db.close()
      await admin.query(`DROP DATABASE ${name}`)
      await admin.end()
    }
  } else {
    log('BENCH_DATABASE_URL is not set: skipping PostgreSQL.')
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const db = await openPglite()
    try {
      summary.push(await benchEngine('pglite', db))
    } finally {
      await db.close()
    }
  }
  log('\n## Summary (targets: sweep under 200 ms, page under 100 ms)')
  for (const s of summary) {
    log(
      `  ${s.engine}: sweep ${ms(s.small)} at ${s.SMALL.toLocaleString('en-GB')}${s.large ? `, ${ms(s.large)} at ${s.TOTAL.toLocaleString('en-GB')}` : ''}; page median/p95 ${s.pages.map((p) => `${ms(p.median)}/${ms(p.p95)}`).join(', ')}`,
    )
  }
}

await main()
