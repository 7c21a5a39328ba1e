import { isUuid, type Sql } from '../../db/client.ts'
import { type CaseAction, requireCase, type VictimRef } from '../../platform/access/policy.ts'
import type { Ctx } from '../../platform/context.ts'
import * as queries from './queries.ts'

/**
 * Opening a case for an action, in one place: the case's own service and the crimes of its file
 * (crimes-service.ts, which the case's service imports, so it cannot import the service back).
 */

export type CaseRecord = NonNullable<Awaited<ReturnType<typeof queries.findCase>>>

/**
 * The case as the access policy sees it, before any decision, for a caller that must know more
 * (which victim an action is about) before asking the policy: it must then call requireCase.
 * `lock` holds the case until commit, so two first victims cannot be recorded at once.
 */
export async function caseForPolicy(tx: Sql, caseId: string, opts: { lock?: boolean } = {}) {
  if (opts.lock && isUuid(caseId)) await tx.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId])
  return queries.findCase(tx, caseId)
}

/**
 * Loads a case the user may act on, with the justification to audit, or throws NotFound.
 * Every module's case command starts here, inside its transaction, so access is decided once.
 */
export async function openCase(
  tx: Sql,
  ctx: Ctx,
  caseId: string,
  action: CaseAction = 'view',
  victim?: VictimRef,
  opts: { lock?: boolean } = {},
) {
  const found = await caseForPolicy(tx, caseId, opts)
  const justification = requireCase(ctx.actor, action, found, victim)
  return { case: found as CaseRecord, justification }
}
