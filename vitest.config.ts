import { defineConfig } from 'vitest/config'

// Unit tests run once. Integration tests (*.int.test.ts) run on embedded PGlite and, when
// TEST_DATABASE_URL names a server, again on real PostgreSQL: each file gets its own database.
const integration = ['src/**/*.int.test.ts']
const engines = [{ name: 'pglite', env: { TEST_ENGINE: 'pglite' }, globalSetup: ['src/db/pglite-template.ts'] }]
if (process.env.TEST_DATABASE_URL) {
  engines.push({ name: 'postgresql', env: { TEST_ENGINE: 'postgresql' }, globalSetup: ['src/db/postgres-template.ts'] })
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: integration } },
      ...engines.map((e) => ({ test: { name: e.name, include: integration, env: e.env, globalSetup: e.globalSetup } })),
    ],
  },
})
