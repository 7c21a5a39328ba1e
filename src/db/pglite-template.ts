import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'
import { wrapPglite } from './client.ts'
import { migrate } from './migrate.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
  }
}

/**
 * Vitest global setup for the PGlite project: migrates one embedded database per run and
 * dumps it, so each test file loads a fresh copy instead of paying for initdb again.
 */
export default async function setup(project: TestProject) {
  const lite = new PGlite()
  await migrate(wrapPglite(lite))
  const dump = await lite.dumpDataDir('none')
  await lite.close()
  const dir = path.resolve(import.meta.dirname, '../../.tmp')
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `pglite-template-${process.pid}.tar`)
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', file)
  return () => rm(file, { force: true })
}
