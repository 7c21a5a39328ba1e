import type { Sql } from '../../db/client.ts'
import type { Ctx } from '../context.ts'
import { ReasonNeeded } from '../errors.ts'
import { type CaseAction, type CaseRef, directPart, relationToCase, requireCase } from './policy.ts'

/**
 * A legitimate relationship for every look at a victim (docs/decisions/0010). A user with a direct
 * part in a case sees its victims as their work; anyone else with access states why, once a
 * session (or API token) for each case, from this list. The label is the s62 justification of
 * those looks; the free text for "other" stays in `access_reasons`, shown only to overseers.
 */
export const ACCESS_REASONS = {
  covering: 'Covering for the officer in charge or their team',
  duty: 'Duty or out-of-hours response',
  review: 'Supervisory or management review',
  linked: 'A linked investigation',
  other: 'Other reason',
} as const
export type AccessReason = keyof typeof ACCESS_REASONS
export const ACCESS_REASON_CODES = Object.keys(ACCESS_REASONS) as [AccessReason, ...AccessReason[]]

export type StatedReason = { id: number; reason: AccessReason; label: string }

/** The reason this user last stated for the case in this session or token, if any. */
export async function statedReason(tx: Sql, ctx: Ctx, caseId: string): Promise<StatedReason | undefined> {
  if (!ctx.session) return undefined
  const [row] = await tx.query<{ id: number; reason: AccessReason }>(
    `SELECT id::int AS id, reason FROM access_reasons
      WHERE case_id = $1 AND user_id = $2 AND session_key = $3 ORDER BY id DESC LIMIT 1`,
    [caseId, ctx.actor.id, ctx.session],
  )
  return row && { id: row.id, reason: row.reason, label: ACCESS_REASONS[row.reason] }
}

/**
 * Whether this user may see the case's victims now: 'direct' for a direct part, the reason they
 * stated in this session, or null (a reason is needed). Only for a user the policy relates to the case.
 */
export async function victimsReason(tx: Sql, ctx: Ctx, c: CaseRef & { id: string }) {
  if (directPart(ctx.actor, c)) return 'direct' as const
  return (await statedReason(tx, ctx, c.id)) ?? null
}

/**
 * The gate before any of a case's victim data is read: decides `action` as the policy does
 * (an outsider still gets its 404), then, for a user without a direct part, asks for the reason
 * stated in this session (ReasonNeeded without one). Returns the justification to audit: the
 * reason's label, remembered on the request so the audit rows it justifies are marked.
 */
export async function requireVictimsReason(
  tx: Sql,
  ctx: Ctx,
  c: (CaseRef & { id: string }) | undefined,
  action: CaseAction,
): Promise<string | undefined> {
  if (!c || !relationToCase(ctx.actor, c) || directPart(ctx.actor, c)) return undefined
  requireCase(ctx.actor, action, c)
  const stated = await statedReason(tx, ctx, c.id)
  if (!stated) throw new ReasonNeeded(c.id)
  ctx.statedReasons = { ...ctx.statedReasons, [c.id]: { id: stated.id, label: stated.label } }
  return stated.label
}

/** Keeps a stated reason for this user, case and session; returns it. */
export async function insertReason(
  tx: Sql,
  ctx: Ctx,
  caseId: string,
  session: string,
  r: { reason: AccessReason; detail: string | null },
): Promise<StatedReason> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO access_reasons (case_id, user_id, session_key, channel, reason, detail, stated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
    [caseId, ctx.actor.id, session, ctx.channel, r.reason, r.detail, ctx.clock.now()],
  )
  return { id: row.id, reason: r.reason, label: ACCESS_REASONS[r.reason] }
}
