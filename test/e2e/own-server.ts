import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { openPglite } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrate.ts'
import { seedDemo } from '../../src/demo/seed.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { sweepAll } from '../../src/platform/deadlines/sweeper.ts'
import { DEMO_PASSWORD } from './support.ts'

/**
 * A journey that moves time forward needs a server whose clock it holds. This one runs in the
 * journey's own process, on a fresh embedded database with the demo data, and its clock only
 * moves when the journey says so. The server the other journeys use runs on real time, and the
 * service has no way to move its clock from outside: there is no test door in production code.
 */
export async function startOwnServer(port: number) {
  const db = await openPglite()
  await migrate(db)
  const clock = fixedClock(new Date())
  const config = loadConfig({ LOG_LEVEL: 'silent' }, { server: false })
  await seedDemo({ db, clock, config }, { password: DEMO_PASSWORD })
  const app = await buildApp({ db, clock, config })
  await app.listen({ host: '127.0.0.1', port })
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    db,
    /** Moves time on by whole days and runs the sweeper, as the background worker would. */
    async passDays(days: number) {
      clock.advance(days * 86_400_000)
      return sweepAll(db, clock.now())
    },
    async close() {
      await app.close()
      await db.close()
    },
  }
}
