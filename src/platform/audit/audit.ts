import { createHash } from 'node:crypto'
import type { Sql } from '../../db/client.ts'
import type { Ctx } from '../context.ts'
import { type AuditSubjects, subjectWords, touchesVictimData } from './subjects.ts'

/**
 * The Data Protection Act 2018 s62 log. Each row carries the hash of the row before it, so
 * removing, changing or reordering a row breaks the chain at that point (see verify.ts).
 * Writers take one advisory lock so the chain stays linear across app instances; the
 * write is the last step of its transaction, so the lock is held only until commit.
 */

/**
 * What happened, as `subject.verb` ('case.viewed', 'victim.updated') or a sign-in event. Each
 * module names its own actions; the log does not need to know them in advance.
 */
export type AuditAction = `${string}.${string}` | 'sign_in' | 'sign_out'

export interface AuditEntry {
  at: Date
  actorId: string | null
  action: AuditAction
  caseId?: string | null
  /**
   * What was consulted or altered, from the fixed list in subjects.ts (never the personal data
   * itself). The list also says whether it is the victim's data, stored on the row as `victim_data`.
   */
  subject?: AuditSubjects | null
  /** Why the access was lawful, where s62 asks for it (consultation and disclosure). */
  justification?: string | null
  details?: Record<string, unknown>
}

export const GENESIS_HASH = '0'.repeat(64)
const CHAIN_LOCK = 7312002

export interface StoredAuditRow {
  id: number
  occurred_at: Date
  actor_id: string | null
  action: string
  case_id: string | null
  subject: string | null
  justification: string | null
  details: Record<string, unknown>
  /** Whether the row touched the victim's data; null on rows written before it was recorded (migration 0015). */
  victim_data: boolean | null
  prev_hash: string
  hash: string
}

export async function appendAudit(tx: Sql, entry: AuditEntry): Promise<void> {
  await appendAuditRows(tx, [entry])
}

/** Several rows at once, chained in the order given: one lock, one read of the last hash, one insert. */
export async function appendAuditRows(tx: Sql, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK])
  const [last] = await tx.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const ids = (
    await tx.query<{ id: number }>("SELECT nextval('audit_log_id_seq')::int AS id FROM generate_series(1, $1)", [entries.length])
  )
    .map((r) => r.id)
    .sort((a, b) => a - b) // the chain runs in id order, as verify walks it
  let prevHash = last?.hash ?? GENESIS_HASH
  const values: unknown[] = []
  const tuples: string[] = []
  entries.forEach((entry, n) => {
    const row = {
      id: ids[n],
      occurred_at: entry.at,
      actor_id: entry.actorId,
      action: entry.action,
      case_id: entry.caseId ?? null,
      subject: entry.subject ? subjectWords(entry.subject) : null,
      justification: entry.justification ?? null,
      details: entry.details ?? {},
      victim_data: entry.subject ? touchesVictimData(entry.subject) : false,
      prev_hash: prevHash,
    }
    prevHash = rowHash(row)
    const p = values.length
    tuples.push(`(${Array.from({ length: 11 }, (_, i) => `$${p + i + 1}`).join(', ')})`)
    values.push(
      row.id,
      row.occurred_at,
      row.actor_id,
      row.action,
      row.case_id,
      row.subject,
      row.justification,
      JSON.stringify(row.details),
      row.victim_data,
      row.prev_hash,
      prevHash,
    )
  })
  await tx.query(
    `INSERT INTO audit_log (id, occurred_at, actor_id, action, case_id, subject, justification, details, victim_data, prev_hash, hash)
     VALUES ${tuples.join(', ')}`,
    values,
  )
}

/** The hash of a row: its content in a canonical form, chained to the previous row's hash. */
export function rowHash(row: Omit<StoredAuditRow, 'hash'>): string {
  const content = canonicalJson([
    row.id,
    row.occurred_at.toISOString(),
    row.actor_id,
    row.action,
    row.case_id,
    row.subject,
    row.justification,
    row.details,
    // Rows written before the victim-data flag existed (null) are hashed exactly as they were
    // then; every row since has true or false, so the flag is inside the chain and cannot be
    // changed, or set to null, without breaking it.
    ...(row.victim_data === null ? [] : [row.victim_data]),
  ])
  return createHash('sha256').update(row.prev_hash).update('\n').update(content).digest('hex')
}

/** JSON with object keys sorted, because jsonb does not keep the order keys were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

type Consultation = {
  action: AuditAction
  caseId?: string
  subject: AuditSubjects
  justification: string
  details?: Record<string, unknown>
}

const consultationRow = (ctx: Ctx, e: Consultation): AuditEntry => ({
  at: ctx.clock.now(),
  actorId: ctx.actor.id,
  ...e,
  details: { kind: 'consultation', channel: ctx.channel, ...e.details },
})

/** Shorthands for the two kinds of case access s62 names most: consultation and alteration. */
export const audit = {
  consultation(tx: Sql, ctx: Ctx, e: Consultation) {
    return appendAudit(tx, consultationRow(ctx, e))
  },
  /** One consultation of each of several cases at once, such as the cases a name search returned. */
  consultations(tx: Sql, ctx: Ctx, es: readonly Consultation[]) {
    return appendAuditRows(
      tx,
      es.map((e) => consultationRow(ctx, e)),
    )
  },
  alteration(
    tx: Sql,
    ctx: Ctx,
    e: {
      action: AuditAction
      caseId?: string
      subject: AuditSubjects
      justification?: string
      details?: Record<string, unknown>
    },
  ) {
    const details = { kind: 'alteration', channel: ctx.channel, ...e.details }
    return appendAudit(tx, { at: ctx.clock.now(), actorId: ctx.actor.id, ...e, details })
  },
}
