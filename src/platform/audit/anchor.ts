import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdir, open, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../../config.ts'
import type { Sql } from '../../db/client.ts'

/**
 * Checkpoints of the chain's head kept outside the database (docs/decisions/0009).
 *
 * The hash chain shows a change to a row only to someone who trusts the rows after it: a
 * superuser who edits a row, re-hashes every row after it, cuts the newest rows and moves
 * audit_chain_head passes a check that reads only the database. So after sealing, each instance
 * appends the head (last sealed id, its hash, the time) to a file in AUDIT_ANCHOR_DIR, signed
 * with HMAC-SHA256 under AUDIT_ANCHOR_KEY. `audit verify` then needs the row a checkpoint names to
 * exist with the hash it names: a rewrite changes that hash, a cut removes the row.
 *
 * One JSON object a line, appended and never rewritten, so the folder can be write-once storage
 * or shipped to a log service as it grows.
 */

export interface AnchorStore {
  dir: string
  key: string
}

export interface Checkpoint {
  lastId: number
  hash: string
  at: string
}

export const ANCHOR_FILE = 'audit-chain-checkpoints.jsonl'
const KEY_FILE = 'audit-anchor.key'
const FORMAT = 'casebridge-audit-checkpoint-v1'

function signature(key: string, c: Checkpoint): string {
  return createHmac('sha256', key).update(`${FORMAT}\n${c.lastId}\n${c.hash}\n${c.at}`).digest('hex')
}

/**
 * The signing key. A server deployment must set AUDIT_ANCHOR_KEY (config.ts refuses to start
 * without it): a key made up at each start could not check the checkpoints of the one before.
 * The embedded database keeps one it made in its data folder, beside the database itself, which
 * is enough for a demo on one machine and protects against nobody who can read that folder.
 */
export async function anchorKey(config: Pick<Config, 'auditAnchorKey' | 'databaseUrl' | 'dataDir'>): Promise<string> {
  if (config.auditAnchorKey) return config.auditAnchorKey
  if (config.databaseUrl) throw new Error('AUDIT_ANCHOR_KEY is required (32+ characters) when DATABASE_URL is set')
  const file = path.join(config.dataDir, KEY_FILE)
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(config.dataDir, { recursive: true })
  const key = randomBytes(32).toString('hex')
  // 'wx': if another process made it first, fail rather than replace a key already in use.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  return key
}

export async function anchorStore(config: Pick<Config, 'auditAnchorKey' | 'auditAnchorDir' | 'databaseUrl' | 'dataDir'>) {
  return { dir: config.auditAnchorDir, key: await anchorKey(config) }
}

/** The head the sealer recorded; null while nothing has been sealed. */
export async function chainHead(sql: Sql): Promise<{ lastId: number; hash: string } | null> {
  const [head] = await sql.query<{ lastId: number; hash: string }>(
    'SELECT last_id::int AS "lastId", last_hash AS hash FROM audit_chain_head',
  )
  return head && head.lastId > 0 ? head : null
}

/** Appends one signed checkpoint as a single write, flushed to disk before it returns. */
export async function appendCheckpoint(store: AnchorStore, c: Checkpoint): Promise<void> {
  await mkdir(store.dir, { recursive: true })
  const line = `${JSON.stringify({ lastId: c.lastId, hash: c.hash, at: c.at, sig: signature(store.key, c) })}\n`
  const file = await open(path.join(store.dir, ANCHOR_FILE), 'a', 0o640)
  try {
    await file.write(line)
    await file.datasync()
  } finally {
    await file.close()
  }
}

/**
 * Writes a checkpoint of the head after a sealing round, if the head has moved since the last one
 * this process wrote and at least `minutes` have passed (0: after every round that moved it).
 */
export function checkpointer(store: () => Promise<AnchorStore>, minutes: number) {
  let last: { lastId: number; at: number } | null = null
  return async (sql: Sql, now: Date): Promise<Checkpoint | null> => {
    const head = await chainHead(sql)
    if (!head || head.lastId === last?.lastId) return null
    if (last && now.getTime() - last.at < minutes * 60_000) return null
    const c = { lastId: head.lastId, hash: head.hash, at: now.toISOString() }
    await appendCheckpoint(await store(), c)
    last = { lastId: c.lastId, at: now.getTime() }
    return c
  }
}

export type CheckpointsRead =
  | { state: 'none' }
  | { state: 'found'; latest: Checkpoint; count: number }
  | { state: 'bad'; line: number; reason: string }

/**
 * Every checkpoint in the file, each signature checked; the latest is the one with the highest
 * id (instances sharing the folder may append out of order). A line that does not parse or
 * whose signature is wrong is a failure: the file is only ever appended to by this code.
 */
export async function readCheckpoints(store: AnchorStore): Promise<CheckpointsRead> {
  let text: string
  try {
    text = await readFile(path.join(store.dir, ANCHOR_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'none' }
    throw err
  }
  let latest: Checkpoint | null = null
  let count = 0
  const lines = text.split('\n')
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue
    const c = parse(line)
    if (!c) return { state: 'bad', line: i + 1, reason: 'it cannot be read as a checkpoint' }
    const expected = Buffer.from(signature(store.key, c), 'hex')
    const given = Buffer.from(c.sig, 'hex')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { state: 'bad', line: i + 1, reason: 'its signature is wrong (forged, altered, or signed with another key)' }
    }
    count++
    if (!latest || c.lastId > latest.lastId) latest = { lastId: c.lastId, hash: c.hash, at: c.at }
  }
  return latest ? { state: 'found', latest, count } : { state: 'none' }
}

function parse(line: string): (Checkpoint & { sig: string }) | null {
  try {
    const v = JSON.parse(line) as Record<string, unknown>
    const ok =
      Number.isSafeInteger(v.lastId) &&
      (v.lastId as number) > 0 &&
      typeof v.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(v.hash) &&
      typeof v.at === 'string' &&
      typeof v.sig === 'string' &&
      /^[0-9a-f]{64}$/.test(v.sig)
    return ok ? (v as unknown as Checkpoint & { sig: string }) : null
  } catch {
    return null
  }
}
