import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Db } from './client.ts'

const folder = path.join(import.meta.dirname, 'migrations')

/**
 * Applies the numbered SQL files in migrations/ once each, in order, each in its own
 * transaction. An advisory lock lets several app instances start at once safely.
 * `before` stops short of a migration, so a test can put data in as it was and then migrate it.
 */
export async function migrate(db: Db, opts: { before?: string } = {}): Promise<string[]> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql') && (opts.before === undefined || f < opts.before)).sort()
  const applied: string[] = []
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
  for (const name of files) {
    const sql = await readFile(path.join(folder, name), 'utf8')
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7312001)')
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name])
      if (done.length > 0) return
      for (const statement of splitStatements(sql)) await tx.query(statement)
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name])
      applied.push(name)
    })
  }
  return applied
}

/** Statements are separated by a line holding only `--;`, so function bodies may contain semicolons. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/^--;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}
