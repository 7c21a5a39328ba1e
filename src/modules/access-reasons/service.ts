import { directPart } from '../../platform/access/policy.ts'
import { ACCESS_REASONS, insertReason, statedReason } from '../../platform/access/reasons.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, parseInput } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import { AccessReasonInput } from './schema.ts'

/** Where to go after stating a reason: only ever a page of this case on this site. */
export function safeNext(caseId: string, next: unknown): string {
  const home = `/cases/${caseId}`
  if (typeof next !== 'string' || !next.startsWith(home)) return home
  const rest = next.slice(home.length)
  return /^(\/[A-Za-z0-9_-]+)*\/?(\?[A-Za-z0-9_=&%.-]*)?$/.test(rest) ? next : home
}

/** The reason form: the case's heading, and whether this user needs to say why at all. Reads no victim data. */
export async function reasonForm(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openCase(tx, ctx, caseId, 'view')
    return {
      case: { id: c.id, urn: c.urn, offenceCode: c.offenceCode, offence: c.offence },
      direct: directPart(ctx.actor, c),
      stated: await statedReason(tx, ctx, c.id),
    }
  })
}

/**
 * States why this user needs to see the case's victims, for this session (web) or token (API).
 * Someone with a direct part needs none, and nothing is written for them. The row keeps the free
 * text; the audit row says only which of the listed reasons was given.
 */
export async function stateReason(ctx: Ctx, caseId: string, input: unknown) {
  const cmd = parseInput(AccessReasonInput, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'view')
    const at = ctx.clock.now()
    if (directPart(ctx.actor, c)) return { reason: cmd.reason, label: ACCESS_REASONS[cmd.reason], statedAt: at.toISOString() }
    if (!ctx.session) throw new Conflict('A reason is stated for a session: sign in again', 'conflict')
    const stated = await insertReason(tx, ctx, c.id, ctx.session, cmd)
    await audit.alteration(tx, ctx, {
      action: 'case.reason_stated',
      caseId: c.id,
      subject: 'reason for looking at the case’s victims',
      justification,
      details: { reason: cmd.reason, statedReason: stated.id },
    })
    return { reason: stated.reason, label: stated.label, statedAt: at.toISOString() }
  })
}
