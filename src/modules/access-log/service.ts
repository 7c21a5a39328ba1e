import { z } from 'zod'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { NotFound, parseInput } from '../../platform/errors.ts'
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
