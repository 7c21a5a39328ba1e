import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'
import { DEMO_PASSWORD } from './test/e2e/support.ts'

// Browser journeys against a real server on a fresh embedded database seeded with the demo data.
const root = path.dirname(fileURLToPath(import.meta.url))
const port = Number(process.env.JOURNEY_PORT ?? 3123)
const baseURL = `http://127.0.0.1:${port}`
// Playwright loads this file in the runner and again in each worker: only the runner starts the
// server, so only the runner needs a data folder (the workers never read it).
const dataDir = process.env.TEST_WORKER_INDEX === undefined ? mkdtempSync(path.join(os.tmpdir(), 'casebridge-journeys-')) : ''
// The runner stops the server before it exits, so the folder can go then.
if (dataDir) process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }))
const node = path.join(root, 'node_modules', '.bin', 'node')

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/journeys.json' }]],
  outputDir: 'test-results/journeys',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    browserName: 'chromium',
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here. The machine has no internet,
      // so everything that would phone home is switched off.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // Never the server a developer's DATABASE_URL names: demo data is only seeded into the embedded database.
    command: `env -u DATABASE_URL "${node}" src/main.ts`,
    cwd: root,
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    // main.ts closes the database on SIGTERM.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_PASSWORD,
      LOG_LEVEL: 'warn',
    },
  },
})
