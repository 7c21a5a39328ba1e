import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'

/**
 * The module boundaries (ARCHITECTURE.md, STYLE.md) hold by construction:
 *
 * - imports: Biome's noRestrictedImports in biome.jsonc refuses src/platform importing
 *   src/modules, and a module importing another module's queries.ts. The tests below run Biome
 *   with the project's own configuration over a small synthetic tree, so a change to the
 *   configuration that stops it biting fails here, not silently;
 * - the deadlines table: no import rule can see SQL, so this file reads the sources and fails on
 *   SQL naming `deadlines` outside the deadline engine (src/platform/deadlines/).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const posix = (p: string) => p.split(sep).join('/')

/** SQL that reads or writes the table: a keyword that takes a table name, then `deadlines`. */
const DEADLINES_SQL = /\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\s+deadlines\b/gi

/**
 * Where SQL on the deadlines table is allowed besides the engine. The notification outbox and
 * inbox are the sweeper's own output (one row per escalation step of a clock) and read the clock
 * each notification is about; they are platform mechanisms with no RASSO knowledge.
 */
const DEADLINES_SQL_ALLOWED = ['src/platform/deadlines/', 'src/platform/notify/outbox.ts', 'src/platform/notify/inbox.ts']

/** The lines of `source` with SQL on the deadlines table; none when `path` (from the root) may hold it. */
function deadlinesSqlIn(path: string, source: string): number[] {
  if (DEADLINES_SQL_ALLOWED.some((allowed) => path === allowed || path.startsWith(allowed))) return []
  return [...source.matchAll(DEADLINES_SQL)].map((m) => source.slice(0, m.index).split('\n').length)
}

/** Source files the rule covers: src/ without tests, which may arrange and inspect clocks directly. */
function sources(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [posix(relative(ROOT, path))] : []
  })
}

describe('the deadlines table has one owner, the deadline engine', () => {
  test('no SQL on deadlines outside src/platform/deadlines', () => {
    const found = sources().flatMap((path) =>
      deadlinesSqlIn(path, readFileSync(join(ROOT, path), 'utf8')).map((line) => `${path}:${line}`),
    )
    expect(found, 'use or add a function of src/platform/deadlines/ instead').toEqual([])
  })

  test('the check finds a module reading, joining or moving clocks, and lets words and the engine pass', () => {
    const module = [
      'const a = `SELECT id FROM deadlines WHERE case_id = $1`',
      'const b = `SELECT c.id FROM victim_contacts c LEFT JOIN deadlines d ON d.id = c.deadline_id`',
      'const c = `UPDATE deadlines d SET organisation_id = $2`',
      '// the deadline engine, the one owner of the deadlines table',
      "import { openDeadline } from '../../platform/deadlines/deadlines.ts'",
    ].join('\n')
    expect(deadlinesSqlIn('src/modules/example/queries.ts', module)).toEqual([1, 2, 3])
    expect(deadlinesSqlIn('src/platform/deadlines/deadlines.ts', module)).toEqual([])
    expect(deadlinesSqlIn('src/platform/audit/audit.ts', 'INSERT INTO deadlines (kind) VALUES ($1)')).toEqual([1])
  })
})

describe('Biome refuses imports across the boundaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casebridge-boundaries-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const files: Record<string, string> = {
    // Forbidden: platform reaching into a module, directly or by re-export.
    'src/platform/web/bad.ts': "import { openCase } from '../../modules/cases/service.ts'\nexport const x = openCase\n",
    'src/platform/deadlines/bad.ts': "export { markReferred } from '../../modules/cases/queries.ts'\n",
    // Forbidden: a module reading another module's queries, however the path is spelt.
    'src/modules/outcomes/bad.ts': "import { openWithdrawal } from '../withdrawal/queries.ts'\nexport const x = openWithdrawal\n",
    'src/modules/charging/bad.ts':
      "import { howConsidered } from '../../modules/advice/queries.ts'\nexport const x = howConsidered\n",
    // Allowed: a module's own queries, another module's service, the platform's engine.
    'src/modules/outcomes/good.ts': [
      "import { openCase } from '../cases/service.ts'",
      "import { openDeadline } from '../../platform/deadlines/deadlines.ts'",
      "import { planOf } from './queries.ts'",
      'export const x = [openCase, openDeadline, planOf]',
      '',
    ].join('\n'),
    'src/platform/deadlines/good.ts': "import { Conflict } from '../errors.ts'\nexport const x = Conflict\n",
    // Allowed: a test arranging state through another module's queries (the one exemption).
    'src/modules/outcomes/good.int.test.ts':
      "import { markReferred } from '../cases/queries.ts'\nexport const x = markReferred\n",
    'src/platform/access/good.int.test.ts':
      "import { insertUser } from '../../modules/admin/queries.ts'\nexport const x = insertUser\n",
  }

  function lint(): Map<string, string[]> {
    copyFileSync(join(ROOT, 'biome.jsonc'), join(dir, 'biome.jsonc'))
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const biome = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'biome.cmd' : 'biome')
    // No `--only`: it would switch the rule back on in the test files the configuration exempts.
    const run = spawnSync(biome, ['lint', '--reporter=json', '--max-diagnostics=none', '.'], { cwd: dir, encoding: 'utf8' })
    const report = JSON.parse(run.stdout) as { diagnostics: { category: string; severity: string; location: { path: string } }[] }
    const byFile = new Map<string, string[]>()
    for (const d of report.diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports')) {
      const file = posix(d.location.path)
      byFile.set(file, [...(byFile.get(file) ?? []), d.severity])
    }
    return byFile
  }

  test('a forbidden import fails the lint; allowed imports and tests pass', () => {
    expect(Object.fromEntries(lint())).toEqual({
      'src/platform/web/bad.ts': ['error'],
      'src/platform/deadlines/bad.ts': ['error'],
      'src/modules/outcomes/bad.ts': ['error'],
      'src/modules/charging/bad.ts': ['error'],
    })
  })
})
