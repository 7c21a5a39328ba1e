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
  /**
   * Which session (web) or token (API) the request came through, as a one-way key: a reason
   * stated for looking at a case's victims holds for it alone (platform/access/reasons.ts).
   */
  session?: string
  /**
   * The reasons stated for the cases this request has opened, filled by the gate: the audit
   * writer marks the rows they justify, for "who has seen this record".
   */
  statedReasons?: Record<string, { id: number; label: string }>
}
