import { createHash } from 'node:crypto'
import type { Sql } from '../../db/client.ts'
import type { Ctx } from '../context.ts'
import { type AuditSubjects, subjectWords, touchesVictimData } from './subjects.ts'

/**
 * The Data Protection Act 2018 s62 log. Each sealed row carries the hash of the row before it, so
 * removing, changing or reordering a row breaks the chain at that point (see verify.ts).
 *
 * A request writes its rows in its own transaction, unchained, so a committed read or change
 * always has its row and a rolled-back one has none, and no request waits for another. The sealer
 * (sealer.ts), run by each instance's sweeper, chains them afterwards in id order under one
 * advisory lock (docs/decisions/0008).
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
  /** Null until the sealer chains the row (migration 0018). */
  prev_hash: string | null
  hash: string | null
}

export async function appendAudit(tx: Sql, entry: AuditEntry): Promise<void> {
  await appendAuditRows(tx, [entry])
}

const COLUMNS = 8

/**
 * Several rows at once in one insert, taking ids in the order given. No lock and no read: the id
 * comes from the column default (audit_log_next_id(), which gives the transaction its id first,
 * as the sealer needs) and the row is chained later.
 */
export async function appendAuditRows(tx: Sql, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  const values: unknown[] = []
  const tuples: string[] = []
  for (const entry of entries) {
    const p = values.length
    tuples.push(`(${Array.from({ length: COLUMNS }, (_, i) => `$${p + i + 1}`).join(', ')})`)
    values.push(
      entry.at,
      entry.actorId,
      entry.action,
      entry.caseId ?? null,
      entry.subject ? subjectWords(entry.subject) : null,
      entry.justification ?? null,
      JSON.stringify(entry.details ?? {}),
      entry.subject ? touchesVictimData(entry.subject) : false,
    )
  }
  await tx.query(
    `INSERT INTO audit_log (occurred_at, actor_id, action, case_id, subject, justification, details, victim_data)
     VALUES ${tuples.join(', ')}`,
    values,
  )
}

/** The hash of a row: its content in a canonical form, chained to the previous row's hash. */
export function rowHash(row: Omit<StoredAuditRow, 'hash' | 'prev_hash'> & { prev_hash: string }): string {
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

export type Consultation = {
  action: AuditAction
  caseId?: string
  subject: AuditSubjects
  justification: string
  details?: Record<string, unknown>
}

/**
 * A look justified by a reason the user stated for the case (platform/access/reasons.ts) names it,
 * so "who has seen this record" can flag it and show the reason; the row holds its id, never its text.
 */
const statedReason = (ctx: Ctx, e: { caseId?: string; justification?: string | null }) => {
  const stated = e.caseId ? ctx.statedReasons?.[e.caseId] : undefined
  return stated && stated.label === e.justification ? { statedReason: stated.id } : {}
}

/**
 * A row written for a system client says so in its details (docs/decisions/0011), inside the
 * chain like the rest of the details; a person's rows carry nothing extra, so their hashing is
 * exactly as before.
 */
const actorKind = (ctx: Ctx) => (ctx.actor.systemClient ? { actor: 'system' } : {})

const consultationRow = (ctx: Ctx, e: Consultation): AuditEntry => ({
  at: ctx.clock.now(),
  actorId: ctx.actor.id,
  ...e,
  details: { kind: 'consultation', channel: ctx.channel, ...actorKind(ctx), ...statedReason(ctx, e), ...e.details },
})

/** How a refused attempt is recorded on its row: `details.kind`, which the access log filters on. */
export const REFUSAL = 'refusal'

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
    const details = { kind: 'alteration', channel: ctx.channel, ...actorKind(ctx), ...statedReason(ctx, e), ...e.details }
    return appendAudit(tx, { at: ctx.clock.now(), actorId: ctx.actor.id, ...e, details })
  },
  /**
   * A user refused a case that exists (docs/decisions/0009): who, when, the policy's name for
   * what they attempted and the answer they got. Written in a transaction of its own, because
   * the request's transaction rolls back. Nothing from the URL beyond the case id.
   */
  refusal(tx: Sql, ctx: Ctx, e: { caseId: string; attempted: string; related: boolean; status: 403 | 404 }) {
    return appendAudit(tx, {
      at: ctx.clock.now(),
      actorId: ctx.actor.id,
      action: 'case.refused',
      caseId: e.caseId,
      subject: e.related
        ? 'attempt at something on the case the user may not do'
        : 'attempt to open a case without a relation to it',
      justification: null,
      details: { kind: REFUSAL, channel: ctx.channel, ...actorKind(ctx), attempted: e.attempted, status: e.status },
    })
  },
}
