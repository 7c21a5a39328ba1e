import type { FastifyInstance } from 'fastify'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, formErrors } from '../../platform/web/views.ts'
import { OFFENCES } from './offences.ts'
import * as service from './service.ts'

type Body = Record<string, string>

export function caseRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { page?: string } }>('/cases', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const result = await service.listCases(ctx, Number(req.query.page ?? 1))
      return reply.render('cases/views/list.njk', { title: 'Cases', ...result, pages: Math.ceil(result.total / result.pageSize) })
    })

    app.get('/cases/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const officers = await service.officersForNewCase(ctx)
      const values = officers.some((o) => o.id === ctx.actor.id) ? { officerInChargeId: ctx.actor.id } : {}
      return reply.render('cases/views/new.njk', { title: 'Record a new case', officers, offences: OFFENCES, values })
    })

    app.post<{ Body: Body }>('/cases', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = {
        urn: body.urn,
        offenceCode: body.offenceCode || undefined,
        dateReported: dateFromInput(body, 'dateReported'),
        officerInChargeId: body.officerInChargeId || undefined,
      }
      try {
        const created = await service.createCase(ctx, input)
        return reply.redirect(`/cases/${created.id}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const officers = await service.officersForNewCase(ctx)
        return reply.status(400).render('cases/views/new.njk', {
          title: 'Record a new case',
          officers,
          offences: OFFENCES,
          values: body,
          errors: formErrors(err.fieldErrors, { dateReported: 'dateReported-day' }),
        })
      }
    })

    app.get<{ Params: { id: string } }>('/cases/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const c = await service.viewCase(ctx, req.params.id)
      return reply.render('cases/views/show.njk', { title: `Case ${c.urn}`, c })
    })
  }
}
