import type { FastifyInstance } from 'fastify'
import { hasRole } from '../../platform/access/actor.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { Forbidden, NotFound, ValidationFailed } from '../../platform/errors.ts'
import { formErrors } from '../../platform/web/views.ts'
import { AccessLog, AccessLogQuery, parseAccessLogQuery, ReasonReview } from './schema.ts'
import * as service from './service.ts'

const OVERSEERS = ['police_supervisor', 'cps_manager', 'administrator'] as const
const NOT_OVERSEER = 'Only supervisors, CPS managers and administrators can see who has accessed a case'

const LABELS: Record<string, string> = { consultation: 'Looked at', alteration: 'Changed', refusal: 'Refused' }

export function accessLogRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get('/access-log', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      if (!hasRole(ctx.actor, ...OVERSEERS)) throw new Forbidden(NOT_OVERSEER, 'oversight_only')
      return reply.render('access-log/views/find.njk', { title: 'Who has seen a case', values: {} })
    })

    app.get('/access-log/review', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const review = await service.reasonsForReview(ctx)
      return reply.render('access-log/views/review.njk', { title: 'Reasons stated for looking at victims', ...review })
    })

    // By POST, so a URN typed here never sits in a URL, a history or a log.
    app.post<{ Body: Record<string, string> }>('/access-log', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      if (!hasRole(ctx.actor, ...OVERSEERS)) throw new Forbidden(NOT_OVERSEER, 'oversight_only')
      try {
        const id = await service.findForOversight(ctx, req.body ?? {})
        return reply.redirect(`/cases/${id}/access-log`, 303)
      } catch (err) {
        const fieldErrors =
          err instanceof ValidationFailed
            ? err.fieldErrors
            : err instanceof NotFound || err instanceof Forbidden
              ? [{ field: 'urn', message: 'There is no case with this URN that you oversee' }]
              : undefined
        if (!fieldErrors) throw err
        return reply.status(400).render('access-log/views/find.njk', {
          title: 'Who has seen a case',
          values: req.body,
          errors: formErrors(fieldErrors),
        })
      }
    })

    app.get<{ Params: { id: string }; Querystring: { page?: string; show?: string } }>(
      '/cases/:id/access-log',
      async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const filter = req.query.show === 'victim' || req.query.show === 'refused' ? req.query.show : 'all'
        const log = await service.accessLog(ctx, req.params.id, { filter, page: Number(req.query.page ?? 1) })
        return reply.render('access-log/views/log.njk', {
          title: `Who has seen case ${log.case.urn}`,
          ...log,
          labels: LABELS,
          pages: Math.ceil(log.total / log.pageSize),
        })
      },
    )
  }
}

export function accessLogApi(api: Api) {
  api.route({
    method: 'get',
    path: '/access-log/review',
    tag: 'Access log',
    summary:
      'The weekly review: reasons stated in the last 7 days by people without a direct part for looking at victims of the caller’s cases (police supervisors: own force; CPS managers: own Area), newest first. Reading it is audited',
    response: ReasonReview,
    refusals: ['forbidden'],
    handler: async (ctx) => {
      const review = await service.reasonsForReview(ctx)
      return {
        since: review.since.toISOString(),
        entries: review.entries.map((e) => ({ ...e, statedAt: e.statedAt.toISOString() })),
      }
    },
  })
  api.route({
    method: 'get',
    path: '/cases/{id}/access-log',
    tag: 'Access log',
    summary:
      'Who has seen this record: every consultation and change of the case from the audit log, newest first, 25 a page; for supervisors, CPS managers and administrators. Reading it is itself audited',
    query: AccessLogQuery,
    response: AccessLog,
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      const { show, page } = parseAccessLogQuery(req.query)
      const log = await service.accessLog(ctx, (req.params as { id: string }).id, { filter: show, page })
      return {
        case: log.case,
        show: log.filter,
        page: log.page,
        pageSize: log.pageSize,
        total: log.total,
        entries: log.entries.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      }
    },
  })
}
