import { runCli } from './cli/commands.ts'
import { loadConfig } from './config.ts'
import { openDatabase } from './db/client.ts'
import { migrate } from './db/migrate.ts'
import { anchorStore } from './platform/audit/anchor.ts'
import { systemClock } from './platform/clock.ts'

// The embedded database admits one process at a time: stop the server before using the CLI on it.
const config = loadConfig(process.env, { server: false })
const db = await openDatabase(config)
try {
  await migrate(db)
  process.exitCode = await runCli(
    process.argv.slice(2),
    db,
    systemClock,
    {
      out: (l) => console.log(l),
      err: (l) => console.error(l),
    },
    () => anchorStore(config),
  )
} finally {
  await db.close()
}
