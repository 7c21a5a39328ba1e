import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { openDatabase } from './db/client.ts'
import { migrate } from './db/migrate.ts'
import { isEmpty, seedDemo } from './demo/seed.ts'
import { anchorKey } from './platform/audit/anchor.ts'
import { systemClock } from './platform/clock.ts'
import { startDeadlineWorker } from './platform/deadlines/worker.ts'
import { LocalDelivery } from './platform/notify/outbox.ts'

const config = loadConfig()
const db = await openDatabase(config)
await migrate(db)
// After the database is open, so a new embedded data folder is created by PGlite first. The
// embedded demo keeps the key it makes there (platform/audit/anchor.ts); a server must set it.
config.auditAnchorKey = await anchorKey(config)

// Demo data only ever goes into a new embedded database: never into a server named by DATABASE_URL.
const services = { db, clock: systemClock, config }
if (!config.databaseUrl && (await isEmpty(db))) {
  const demo = await seedDemo(services, { password: config.demoPassword })
  console.log(`\nCasebridge demo data created in ${config.dataDir}`)
  console.log(`Sign in as any of: ${demo.usernames.join(', ')}`)
  console.log(`Password: the value of DEMO_PASSWORD${process.env.DEMO_PASSWORD ? '' : ' (casebridge-demo)'}`)
  console.log(`Audit checkpoints go to ${config.auditAnchorDir}, signed with a key kept in ${config.dataDir}\n`)
}

const app = await buildApp(services)
await app.listen({ host: config.host, port: config.port })
// GOV.UK Notify replaces the local delivery in a later issue; until then notifications are read in the service.
const worker = startDeadlineWorker(services, new LocalDelivery(), app.log)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    worker.stop()
    await app.close()
    await db.close()
    process.exit(0)
  })
}
