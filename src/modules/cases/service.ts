import type { Sql } from '../../db/client.ts'
import { type CaseAction, canCreateCase, requireCase } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { Forbidden, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { appendEvent, EVENT_LABELS, eventsForCase } from '../../platform/timeline/timeline.ts'
import * as queries from './queries.ts'
import { type CaseDetail, CreateCase } from './schema.ts'

export const PAGE_SIZE = 25

export async function createCase(ctx: Ctx, input: unknown): Promise<CaseDetail> {
  if (!canCreateCase(ctx.actor)) throw new Forbidden('Only police investigators and supervisors can record a case')
  const cmd = parseInput(CreateCase, input)
  const id = await ctx.db.transaction(async (tx) => {
    const forceId = ctx.actor.organisationId
    const errors = []
    const code = await queries.forceCode(tx, forceId)
    if (!cmd.urn.startsWith(code)) {
      errors.push({ field: 'urn', message: `The URN must start with your force code, ${code}` })
    }
    if (cmd.dateReported > ctx.clock.now().toISOString().slice(0, 10)) {
      errors.push({ field: 'dateReported', message: 'The date reported must be today or in the past' })
    }
    const officers = await queries.officersOfForce(tx, forceId)
    if (!officers.some((o) => o.id === cmd.officerInChargeId)) {
      errors.push({ field: 'officerInChargeId', message: 'Select an investigator from your force as officer in charge' })
    }
    // The URN starts with the user's own force code, so this tells them only of their own force's cases.
    if (await queries.urnExists(tx, cmd.urn)) errors.push({ field: 'urn', message: 'A case with this URN already exists' })
    if (errors.length > 0) throw new ValidationFailed(errors)

    const at = ctx.clock.now()
    const caseId = await queries.insertCase(tx, { ...cmd, forceId, createdBy: ctx.actor.id, at })
    await appendEvent(tx, caseId, { type: 'case.created', at, by: ctx.actor.id, data: { offenceCode: cmd.offenceCode } })
    await audit.alteration(tx, ctx, { action: 'case.created', caseId, subject: 'case record' })
    return caseId
  })
  return viewCase(ctx, id, { audited: false })
}

export type CaseRecord = NonNullable<Awaited<ReturnType<typeof queries.findCase>>>

/**
 * Loads a case the user may act on, with the justification to audit, or throws NotFound.
 * Every module's case command starts here, inside its transaction, so access is decided once.
 */
export async function openCase(tx: Sql, ctx: Ctx, caseId: string, action: CaseAction = 'view') {
  const found = await queries.findCase(tx, caseId)
  const justification = requireCase(ctx.actor, action, found)
  return { case: found as CaseRecord, justification }
}

/**
 * The case with its timeline. Reading it is a consultation under s62, so it is audited in
 * the same transaction: if the audit write fails, nothing is shown.
 */
export async function viewCase(ctx: Ctx, id: string, opts = { audited: true }): Promise<CaseDetail> {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, id)
    const events = await eventsForCase(tx, c.id)
    if (opts.audited) {
      await audit.consultation(tx, ctx, {
        action: 'case.viewed',
        caseId: c.id,
        subject: 'case record and timeline',
        justification,
      })
    }
    const { forceId: _f, cpsAreaId: _a, ...summary } = c
    return {
      ...summary,
      timeline: events.map((e) => ({
        type: e.type,
        label: EVENT_LABELS[e.type] ?? e.type,
        occurredAt: e.occurredAt.toISOString(),
        by: e.actorName,
      })),
    }
  })
}

export async function listCases(ctx: Ctx, pageNumber: number) {
  const page = Math.max(1, Math.floor(pageNumber) || 1)
  return ctx.db.transaction(async (tx) => {
    const result = await queries.listCases(tx, ctx.actor, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
    await audit.consultation(tx, ctx, {
      action: 'cases.listed',
      subject: 'case list',
      justification: 'cases in own scope',
      details: { page, shown: result.cases.length },
    })
    return {
      page,
      pageSize: PAGE_SIZE,
      total: result.total,
      cases: result.cases.map(({ forceId: _f, cpsAreaId: _a, ...c }) => c),
    }
  })
}

export async function officersForNewCase(ctx: Ctx) {
  if (!canCreateCase(ctx.actor)) throw new Forbidden('Only police investigators and supervisors can record a case')
  return queries.officersOfForce(ctx.db, ctx.actor.organisationId)
}
