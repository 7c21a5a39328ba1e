import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { inject } from 'vitest'
import { type Db, openPglite, openPostgres } from './client.ts'

/**
 * A fresh, migrated database for one test file, on the engine the test project names:
 * in-memory PGlite, or a new database on the PostgreSQL server at TEST_DATABASE_URL.
 */
export type TestDb = Db & {
  /** Another connection pool on the same database, as a second app instance would have (PGlite has only the one). */
  reopen(): Db
}

/** `migrated: false` gives an empty database, for a test that migrates it itself (to put data in before a migration). */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDb> {
  const engine = process.env.TEST_ENGINE ?? 'pglite'
  if (engine === 'pglite' && opts.migrated === false) {
    const db = await openPglite()
    return { ...db, reopen: () => ({ ...db, close: async () => {} }) }
  }
  if (engine === 'pglite') {
    // Starting from the migrated dump made once per run (pglite-template.ts) takes 0.5 s instead of 4 s.
    const template = new File([await readFile(inject('pgliteTemplate'))], 'template.tar', { type: 'application/x-tar' })
    const db = await openPglite(undefined, template)
    return { ...db, reopen: () => ({ ...db, close: async () => {} }) }
  }
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_ENGINE=postgresql needs TEST_DATABASE_URL')
  const name = `casebridge_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  // A copy of the run's migrated template (postgres-template.ts) takes a fraction of migrating.
  const migrated = opts.migrated !== false
  await admin.query(migrated ? `CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}` : `CREATE DATABASE ${name}`)
  await admin.end()
  const target = new URL(url)
  target.pathname = `/${name}`
  const db = openPostgres(target.toString(), 4)
  return {
    ...db,
    reopen: () => openPostgres(target.toString(), 4),
    async close() {
      await db.close()
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
