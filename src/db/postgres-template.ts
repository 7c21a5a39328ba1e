import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openPostgres } from './client.ts'
import { migrate } from './migrate.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string
  }
}

/**
 * Vitest global setup for the PostgreSQL project: migrates one database per run, which each test
 * file then copies (CREATE DATABASE … TEMPLATE), instead of running every migration again.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('the postgresql project needs TEST_DATABASE_URL')
  const name = `casebridge_template_${randomBytes(6).toString('hex')}`
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      await c.query(sql)
    } finally {
      await c.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const target = new URL(url)
  target.pathname = `/${name}`
  // The template must have no connections left when files copy it, so this pool is closed first.
  const db = openPostgres(target.toString(), 1)
  await migrate(db)
  await db.close()
  project.provide('postgresTemplate', name)
  return () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}
