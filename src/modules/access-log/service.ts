import { z } from 'zod'
import { hasRole } from '../../platform/access/actor.ts'
import { audit } from '../../platform/audit/audit.ts'
import { MINUTE } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'

import { Forbidden, NotFound, parseInput } from '../../platform/errors.ts'
import { Urn } from '../cases/schema.ts'
import { openCase } from '../cases/service.ts'
import * as queries from './queries.ts'

export const PAGE_SIZE = 25

/**
 * "Who has seen this record": every consultation and alteration of a case from the audit
 * log, for its supervisors and administrators. Reading the log is itself audited.
 */
export async function accessLog(ctx: Ctx, caseId: string, opts: { filter: queries.AccessFilter; page: number }) {
  const page = Math.max(1, Math.floor(opts.page) || 1)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'view_access_log')
    const result = await queries.accessToCase(tx, c.id, opts.filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
    await audit.consultation(tx, ctx, {
      action: 'case.access_log_viewed',
      caseId: c.id,
      subject: opts.filter === 'victim' ? 'access log of the victim’s details' : 'access log of the case',
      justification,
    })
    return { case: { id: c.id, urn: c.urn }, page, pageSize: PAGE_SIZE, filter: opts.filter, ...result }
  })
}

const FindByUrn = z.object({ urn: Urn })

/** Finds a case by URN for oversight; a case the user may not oversee is "not found", whatever the reason. */
export async function findForOversight(ctx: Ctx, input: unknown): Promise<string> {
  const { urn } = parseInput(FindByUrn, input)
  const id = await queries.caseIdByUrn(ctx.db, urn)
  if (!id) throw new NotFound()
  await ctx.db.transaction((tx) => openCase(tx, ctx, id, 'view_access_log'))
  return id
}

export const REVIEW_DAYS = 7

/**
 * The weekly review of stated reasons: police supervisors for their own force's cases, CPS
 * managers for their own Area's. Reading it is audited; it names no victim.
 */
export async function reasonsForReview(ctx: Ctx) {
  const a = ctx.actor
  const scope =
    a.organisationKind === 'police_force' && hasRole(a, 'police_supervisor')
      ? ({ column: 'force_id', id: a.organisationId } as const)
      : a.organisationKind === 'cps_area' && hasRole(a, 'cps_manager')
        ? ({ column: 'cps_area_id', id: a.organisationId } as const)
        : undefined
  if (!scope) throw new Forbidden('Only police supervisors and CPS managers review the reasons stated', 'oversight_only')
  const since = new Date(ctx.clock.now().getTime() - REVIEW_DAYS * 24 * 60 * MINUTE)
  return ctx.db.transaction(async (tx) => {
    const entries = await queries.reasonsForReview(tx, scope, since)
    await audit.consultation(tx, ctx, {
      action: 'access_reasons.reviewed',
      subject: 'reasons stated for looking at victims, for review',
      justification: a.organisationKind === 'police_force' ? 'supervisor in own force' : 'manager in own CPS Area',
    })
    return { since, entries }
  })
}
