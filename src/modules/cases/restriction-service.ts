import { z } from 'zod'
import type { Sql } from '../../db/client.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, parseInput, ValidationFailed } from '../../platform/errors.ts'
import * as queries from './restriction-queries.ts'
import { openCase } from './service.ts'
import { appendEvent } from './timeline.ts'

/**
 * Restricted cases (issue 10 item 2): a police supervisor of the investigating
 * force restricts a case with a reason and names the only people who may open it; the policy
 * (platform/access/policy.ts) then tells everyone else the case does not exist. The reasons are
 * kept in case_restriction_changes, never in the timeline's data or the audit log's details.
 */

const Reason = z
  .string()
  .trim()
  .min(1, 'Enter the reason')
  .max(2000, 'The reason must be 2,000 characters or fewer')
  .describe('Why (free text, kept with the restriction; shown only to those who may restrict the case)')

export const RestrictionInput = z.object({
  reason: Reason,
  namedUserIds: z
    .array(z.uuid({ message: 'Select people from the list' }))
    .max(500)
    .describe(
      'Who may open the case: users of the investigating force, of the CPS Area it is referred to, and the victim’s ISVA. The supervisor restricting is always named.',
    ),
})
export const LiftInput = z.object({ reason: Reason })

const CHANGE_LABELS: Record<queries.Change, string> = {
  restricted: 'Restricted',
  changed: 'People named changed',
  lifted: 'Restriction lifted',
}

export const RestrictionView = z.object({
  restricted: z.boolean(),
  named: z.array(z.object({ id: z.uuid(), name: z.string(), organisation: z.string() })),
  changes: z.array(
    z.object({
      change: z.enum(['restricted', 'changed', 'lifted']),
      label: z.string(),
      reason: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
})
export type RestrictionView = z.infer<typeof RestrictionView>

async function stateOf(tx: Sql, caseId: string): Promise<RestrictionView> {
  const current = await queries.restrictionInForce(tx, caseId)
  const changes = await queries.changesOf(tx, caseId)
  return {
    restricted: Boolean(current),
    named: current ? await queries.namedOn(tx, current.id) : [],
    changes: changes.map((h) => ({ ...h, label: CHANGE_LABELS[h.change], at: h.at.toISOString() })),
  }
}

/** The restriction page: what is in force, its history with reasons, and who may be named. Audited as a consultation. */
export async function restrictionForm(ctx: Ctx, caseId: string, opts = { audited: true }) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'restrict')
    const state = await stateOf(tx, c.id)
    const eligible = await queries.eligiblePeople(tx, c.id)
    if (opts.audited) {
      await audit.consultation(tx, ctx, {
        action: 'case.restriction_viewed',
        caseId: c.id,
        subject: 'case restriction',
        justification,
      })
    }
    return { case: { id: c.id, urn: c.urn, offenceCode: c.offenceCode, offence: c.offence }, ...state, eligible }
  })
}

/** Restricts the case, or changes who a restriction in force names; the supervisor doing it is always named. */
export async function restrictCase(ctx: Ctx, caseId: string, input: unknown): Promise<RestrictionView> {
  const cmd = parseInput(RestrictionInput, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'restrict')
    const eligible = new Set((await queries.eligiblePeople(tx, c.id)).map((p) => p.id))
    if (cmd.namedUserIds.some((id) => !eligible.has(id))) {
      throw new ValidationFailed([
        {
          field: 'namedUserIds',
          message: 'Select only people of the investigating force, of the CPS Area the case is referred to, or the victim’s ISVA',
        },
      ])
    }
    const named = [...new Set([ctx.actor.id, ...cmd.namedUserIds])]
    const at = ctx.clock.now()
    const current = await queries.restrictionInForce(tx, c.id)
    const restrictionId = current?.id ?? (await queries.insertRestriction(tx, c.id, ctx.actor.id, at))
    await queries.setNamed(tx, restrictionId, named)
    await queries.insertChange(tx, restrictionId, current ? 'changed' : 'restricted', cmd.reason, ctx.actor.id, at)
    const type = current ? 'case.restriction_changed' : 'case.restricted'
    await appendEvent(tx, c.id, { type, at, by: ctx.actor.id })
    await audit.alteration(tx, ctx, { action: type, caseId: c.id, subject: 'case restriction', justification })
    return stateOf(tx, c.id)
  })
}

/** Lifts the restriction in force: the case is open again to everyone its organisations' rules allow. */
export async function liftRestriction(ctx: Ctx, caseId: string, input: unknown): Promise<RestrictionView> {
  const cmd = parseInput(LiftInput, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'restrict')
    const current = await queries.restrictionInForce(tx, c.id)
    if (!current) throw new Conflict('The case is not restricted', 'not_restricted')
    const at = ctx.clock.now()
    await queries.liftRestriction(tx, current.id, ctx.actor.id, at)
    await queries.insertChange(tx, current.id, 'lifted', cmd.reason, ctx.actor.id, at)
    await appendEvent(tx, c.id, { type: 'case.unrestricted', at, by: ctx.actor.id })
    await audit.alteration(tx, ctx, { action: 'case.unrestricted', caseId: c.id, subject: 'case restriction', justification })
    return stateOf(tx, c.id)
  })
}

/** Whether a restriction is in force, for the overview's tag (the viewer is named, or they could not see the case). */
export async function isRestricted(ctx: Ctx, caseId: string): Promise<boolean> {
  const [row] = await ctx.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM case_restrictions WHERE case_id = $1 AND lifted_at IS NULL',
    [caseId],
  )
  return row.n > 0
}
