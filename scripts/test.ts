// `npm test`: lint, typecheck, unit and integration tests (on PGlite, and on PostgreSQL when
// TEST_DATABASE_URL is set), then the browser journeys. In CI nothing may be skipped.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const CHROMIUM = '/usr/bin/chromium'
const ci = Boolean(process.env.CI)
const started = Date.now()
const totals = { passed: 0, failed: 0 }

function step(name: string, command: string, args: string[]): boolean {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`)
  const t = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env })
  const ok = result.status === 0
  console.log(`── ${name} ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  return ok
}

function fail(message: string): never {
  console.error(`\n✗ ${message}`)
  process.exit(1)
}

function warn(message: string) {
  const line = '!'.repeat(78)
  console.warn(`\n${line}\n${message}\n${line}`)
}

if (ci && !process.env.TEST_DATABASE_URL) {
  fail('CI is set but TEST_DATABASE_URL is not: the integration tests must also run on PostgreSQL (see .ci/run).')
}
if (!process.env.TEST_DATABASE_URL) {
  warn('TEST_DATABASE_URL is not set: integration tests run on embedded PGlite only, not on a PostgreSQL server.')
}

rmSync('test-results', { recursive: true, force: true })
mkdirSync('test-results', { recursive: true })

if (!step('lint and format', 'biome', ['check', '.'])) fail('Biome found problems: run `npm run format` and fix the rest.')
if (!step('typecheck', 'tsc', ['--noEmit'])) fail('TypeScript found errors.')

const unitOk = step('unit and integration tests', 'vitest', [
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
])
count('test-results/vitest.json', (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests + r.numTodoTests }))

let journeysOk = true
if (existsSync(CHROMIUM)) {
  journeysOk = step('browser journeys', 'playwright', ['test'])
  count('test-results/journeys.json', (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky }))
} else if (ci) {
  fail(`CI is set but ${CHROMIUM} is missing: the browser journeys cannot be skipped in CI (.ci/run installs it).`)
} else {
  warn(`JOURNEYS SKIPPED: no Chromium at ${CHROMIUM}. Install it with \`apt-get install chromium\` to run them.`)
}

console.log(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s`)
// The plain closing line CI reads.
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`)
if (!unitOk || !journeysOk || totals.failed > 0) process.exit(1)
if (totals.passed === 0) fail('No tests ran.')

// biome-ignore lint/suspicious/noExplicitAny: the reporters' JSON shapes are read for two numbers only
function count(file: string, read: (report: any) => { passed: number; failed: number }) {
  if (!existsSync(file)) {
    totals.failed++
    console.error(`No report at ${file}: counting the step as failed.`)
    return
  }
  const { passed, failed } = read(JSON.parse(readFileSync(file, 'utf8')))
  totals.passed += passed
  totals.failed += failed
}
