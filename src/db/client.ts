import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export type Row = Record<string, unknown>

/** What every query function takes: the database itself or an open transaction. */
export interface Sql {
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>
}

export interface Db extends Sql {
  readonly engine: 'pglite' | 'postgresql'
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>
  close(): Promise<void>
}

// Dates stay 'YYYY-MM-DD' strings (a calendar date has no time zone) and bigint counts
// become numbers, so both engines hand back identical rows.
const DATE_OID = 1082
const INT8_OID = 20
const asString = (v: string) => v
const asNumber = (v: string) => Number(v)

// Given with every query too, so a transaction parses rows exactly as a plain query does.
const PGLITE_OPTIONS = { parsers: { [DATE_OID]: asString, [INT8_OID]: asNumber } }

/** Embedded PostgreSQL: in `dataDir`, or in memory; `loadDataDir` starts from a dump (tests use a migrated one). */
export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Db> {
  const lite = new PGlite({ dataDir, ...PGLITE_OPTIONS, loadDataDir })
  await lite.waitReady
  return wrapPglite(lite)
}

export function wrapPglite(lite: PGlite): Db {
  return {
    engine: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      return (await lite.query(text, params, PGLITE_OPTIONS)).rows as T[]
    },
    transaction<T>(fn: (tx: Sql) => Promise<T>) {
      return lite.transaction((tx) =>
        fn({ query: async <R>(text: string, params?: unknown[]) => (await tx.query(text, params, PGLITE_OPTIONS)).rows as R[] }),
      )
    },
    close: () => lite.close(),
  }
}

export function openPostgres(connectionString: string, max = 10): Db {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE_OID) return asString
      if (oid === INT8_OID) return asNumber
      return pg.types.getTypeParser(oid, format)
    },
  }
  const pool = new pg.Pool({ connectionString, max, types: types as pg.CustomTypesConfig })
  // An idle connection can be cut by the server (a restart, a failover, a test dropping its
  // database): the pool replaces it. Without this listener the error would end the process.
  pool.on('error', (err) => console.warn(`PostgreSQL connection lost: ${(err as { code?: string }).code ?? err.message}`))
  const run = async <T>(client: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) =>
    (await client.query(text, params)).rows as T[]
  return {
    engine: 'postgresql',
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn({ query: (text, params) => run(client, text, params) })
        await client.query('COMMIT')
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids come from URLs: a malformed one is a row that does not exist, never a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}
