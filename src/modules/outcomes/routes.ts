import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, submitForm } from '../../platform/web/views.ts'
import { OUTCOMES } from './codes.ts'
import { Finalise, Outcome, Reopen } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
const ANCHORS = { finalisedOn: 'finalisedOn-day', victimToldOn: 'victimToldOn-day', decidedBy: 'decidedBy' }

async function renderPage(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewOutcomes(ctx, caseId)
  return reply.render('outcomes/views/outcome.njk', {
    title: 'Outcome',
    c: view.case,
    current: view.current,
    history: view.history,
    outcomes: OUTCOMES,
    values: {},
    ...extra,
  })
}

export function outcomeRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>('/cases/:id/outcome', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderPage(ctx, reply, req.params.id)
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/outcome', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () =>
          service.finalise(ctx, req.params.id, {
            code: body.code || undefined,
            finalisedOn: dateFromInput(body, 'finalisedOn'),
            decidedBy: body.decidedBy || null,
            rationale: body.rationale ?? '',
            victimToldOn: dateFromInput(body, 'victimToldOn') || null,
            victimToldHow: body.victimToldHow ?? '',
          }),
        `/cases/${req.params.id}/outcome`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: body, errors }),
        ANCHORS,
      )
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/outcome/reopen', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return submitForm(
        reply,
        () => service.reopen(ctx, req.params.id, { reason: req.body?.reason ?? '' }),
        `/cases/${req.params.id}/outcome`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: req.body, errors }),
      )
    })
  }
}

export function outcomeApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/outcome',
    tag: 'Outcomes',
    summary: 'The outcome in force, if any, and earlier outcomes of a reopened case',
    response: z.object({ current: Outcome.nullable(), history: z.array(Outcome) }),
    handler: async (ctx, req) => {
      const { current, history } = await service.viewOutcomes(ctx, params(req).id)
      return { current, history }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/outcome',
    tag: 'Outcomes',
    summary:
      'Finalise the case with a Home Office outcome code (14 and 16 need a recorded withdrawal; 15 who decided; 21 a rationale and the victim told)',
    body: Finalise,
    response: z.object({ ok: z.literal(true) }),
    status: 201,
    handler: async (ctx, req) => {
      await service.finalise(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/outcome/reopen',
    tag: 'Outcomes',
    summary: 'Reopen a finalised case, with the reason',
    body: Reopen,
    response: z.object({ ok: z.literal(true) }),
    handler: async (ctx, req) => {
      await service.reopen(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
}
