import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { allows } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, submitForm } from '../../platform/web/views.ts'
import { POLICE_OUTCOMES } from './codes.ts'
import { Decline, Declined, Finalise, Outcome, PlainOutcome, Proposal, Reopen } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
const ANCHORS = {
  finalisedOn: 'finalisedOn-day',
  victimToldOn: 'victimToldOn-day',
  cpsAgreedOn: 'cpsAgreedOn-day',
  decidedBy: 'decidedBy',
}

async function renderPage(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewOutcomes(ctx, caseId)
  return reply.render('outcomes/views/outcome.njk', {
    title: 'Outcome',
    ...view,
    c: view.case,
    may: { finalise: allows(ctx.actor, 'finalise', view.case), authorise: allows(ctx.actor, 'authorise_outcome', view.case) },
    outcomes: POLICE_OUTCOMES,
    values: {},
    ...extra,
  })
}

const finaliseInput = (body: Body) => ({
  code: body.code || undefined,
  finalisedOn: dateFromInput(body, 'finalisedOn'),
  rationale: body.rationale ?? '',
  victimToldOn: dateFromInput(body, 'victimToldOn') || null,
  victimToldHow: body.victimToldHow ?? '',
  cpsAgreedBy: body.cpsAgreedBy ?? '',
  cpsAgreedOn: dateFromInput(body, 'cpsAgreedOn') || null,
})

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
        () => service.finalise(ctx, req.params.id, finaliseInput(body)),
        `/cases/${req.params.id}/outcome`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: body, errors }),
        ANCHORS,
      )
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/outcome/authorise', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return submitForm(
        reply,
        () => service.authorise(ctx, req.params.id),
        `/cases/${req.params.id}/outcome`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: req.body, errors }),
      )
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/outcome/decline', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return submitForm(
        reply,
        () => service.decline(ctx, req.params.id, { reason: req.body?.declineReason ?? '' }),
        `/cases/${req.params.id}/outcome`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: req.body, errors }),
        { reason: 'declineReason' },
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
    summary:
      'The outcome in force, earlier outcomes and any decision awaiting authorisation; a support service sees only what was decided and when, in plain words',
    response: z.union([
      z.object({
        current: Outcome.nullable(),
        history: z.array(Outcome),
        proposal: Proposal.nullable(),
        declined: z.array(Declined),
      }),
      z.object({ plain: z.array(PlainOutcome) }),
    ]),
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      const { case: _c, ...view } = await service.viewOutcomes(ctx, params(req).id)
      return view
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/outcome',
    tag: 'Outcomes',
    summary:
      'Record a police outcome by the counting rules. A police decision to take no further action by anyone but a supervisor waits for a supervisor’s authorisation (state awaiting_authorisation)',
    body: Finalise,
    response: z.object({ state: z.enum(['finalised', 'awaiting_authorisation']) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.finalise(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/outcome/authorise',
    tag: 'Outcomes',
    summary: 'A police supervisor authorises the proposed decision to take no further action, which comes into force',
    response: z.object({ ok: z.literal(true) }),
    refusals: ['invalid', 'forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.authorise(ctx, params(req).id)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/outcome/decline',
    tag: 'Outcomes',
    summary: 'A police supervisor declines the proposed decision to take no further action, with the reason',
    body: Decline,
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.decline(ctx, params(req).id, req.body)
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
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.reopen(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
}
