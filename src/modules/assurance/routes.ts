import type { FastifyInstance } from 'fastify'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import { quarterChoices } from '../../platform/calendar/quarters.ts'
import type { Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { formErrors } from '../../platform/web/views.ts'
import { returnCsv } from './csv.ts'
import { AssuranceReturn, ReturnQuery } from './schema.ts'
import * as service from './service.ts'

type Query = { Querystring: { quarter?: string } }

export function assuranceRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<Query>('/assurance/action-plans', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const today = s.clock.now().toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
      try {
        const r = await service.assuranceReturn(ctx, req.query.quarter)
        return reply.render('assurance/views/return.njk', {
          title: `Quarterly assurance return: action plans, ${r.quarter.label}`,
          r,
          quarters: quarterChoices(today, r.quarter.code),
        })
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        return reply.status(400).render('assurance/views/return.njk', {
          title: 'Quarterly assurance return: action plans',
          r: null,
          quarters: quarterChoices(today, ''),
          errors: formErrors(err.fieldErrors),
        })
      }
    })

    app.get<Query>('/assurance/action-plans/print', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const r = await service.assuranceReturn(ctx, req.query.quarter)
      return reply.render('assurance/views/print.njk', { title: `Assurance return ${r.quarter.code} – ${r.area.name}`, r })
    })

    app.get<Query>('/assurance/action-plans.csv', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const r = await service.assuranceReturn(ctx, req.query.quarter)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="action-plan-assurance-return-${r.quarter.code}.csv"`)
        .send(returnCsv(r))
    })
  }
}

export function assuranceApi(api: Api) {
  api.route({
    method: 'get',
    path: '/assurance/action-plans',
    tag: 'Assurance',
    summary:
      'The quarterly assurance return of the caller’s CPS Area (CPS managers and analysts): rape cases with a second or later action plan issued in the quarter, each with its DCP approvals and themes',
    query: ReturnQuery,
    response: AssuranceReturn,
    handler: (ctx, req) => service.assuranceReturn(ctx, (req.query as { quarter?: string }).quarter),
  })
}
