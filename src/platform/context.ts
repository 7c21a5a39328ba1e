import type { Config } from '../config.ts'
import type { Db } from '../db/client.ts'
import type { Actor } from './access/actor.ts'
import type { Clock } from './clock.ts'

/** What the app is built from: wired by hand in main.ts and in tests. */
export interface Services {
  db: Db
  clock: Clock
  config: Config
}

/** Who is asking, through which door, with the services to answer. Every service function takes one. */
export interface Ctx extends Services {
  actor: Actor
  channel: 'web' | 'api'
}
