import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { hasRole } from '../../platform/access/actor.ts'
import { canCreateCase } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import { MovedDate, movedFromQuery, movedQuery } from '../../platform/calendar/working-date.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { Referral, referralDateLabel } from '../charging/schema.ts'
import { triageDateLabel } from '../triage/schema.ts'
import { NOT_SOUGHT_REASONS } from './reference.ts'
import { AdviceRequest, EarlyAdvice, GiveAdvice, NotSought, RecordNotSought, RequestAdvice } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
type Params = { Params: { id: string } }
type RequestParams = { Params: { id: string; requestId: string } }

/** Success messages, chosen by a code in the query string so no user-supplied text is echoed. */
const DONE: Record<string, string> = {
  requested: 'Early advice has been requested from the CPS',
  not_sought: 'The reasons early advice is not sought have been recorded',
  triaged: 'The triage decision has been recorded',
  advised: 'The advice has been given to the police',
  referred: 'The case has been referred to the CPS for a charging decision',
}

const REQUEST_FIELDS = ['factualSummary', 'enquiriesDone', 'enquiriesOngoing', 'enquiriesPlanned', 'issues', 'questions'] as const

/** Dates moved to a working day by triage or a referral, named on this page after their redirects. */
const movedLabel = (field: string) =>
  field === 'respondBy' ? triageDateLabel(field) : field === 'adviceDue' ? service.ADVICE_DUE_LABEL : referralDateLabel(field)

/** The section page: what each user may do is worked out here from the same policy the services enforce. */
async function renderSection(ctx: Ctx, reply: FastifyReply, caseId: string, done?: string, moved?: string) {
  const view = await service.viewSection(ctx, caseId)
  const police = canCreateCase(ctx.actor)
  const cps = ctx.actor.organisationKind === 'cps_area'
  const openRequest = view.requests.some((r) => r.state.code === 'awaiting_triage' || r.state.code === 'accepted')
  const openReferral = view.referrals.some((r) => ['awaiting_triage', 'accepted', 'action_plan'].includes(r.state.code))
  const mayAdvise = cps && (view.case.reviewingProsecutor?.id === ctx.actor.id || hasRole(ctx.actor, 'cps_manager'))
  return reply.render('advice/views/show.njk', {
    title: `Advice and charging – case ${view.case.urn}`,
    c: view.case,
    ...view,
    can: {
      request: police && !openRequest,
      notSought: police && !openRequest,
      refer: police && !openReferral,
      triage: cps,
      advise: mayAdvise,
    },
    done: DONE[done ?? ''],
    moved: movedFromQuery(moved, movedLabel),
  })
}

export function adviceRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<Params & { Querystring: { done?: string; moved?: string } }>('/cases/:id/advice', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderSection(ctx, reply, req.params.id, req.query.done, req.query.moved)
    })

    const requestPage = async (ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) => {
      const { case: c } = await service.formCase(ctx, caseId, 'request_advice')
      return reply.render('advice/views/request.njk', {
        title: 'Request early advice',
        c,
        earlyAdviceDays: s.config.earlyAdviceDays,
        values: {},
        ...extra,
      })
    }
    app.get<Params>('/cases/:id/advice/request', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return requestPage(ctx, reply, req.params.id)
    })
    app.post<Params & { Body: Body }>('/cases/:id/advice/request', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.requestAdvice(ctx, req.params.id, Object.fromEntries(REQUEST_FIELDS.map((f) => [f, formText(body, f)]))),
        (r) => `/cases/${req.params.id}/advice?done=requested${r.moved.length ? `&${movedQuery(r.moved)}` : ''}`,
        (errors) => requestPage(ctx, reply, req.params.id, { values: body, errors }),
      )
    })

    const notSoughtPage = async (ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) => {
      const { case: c } = await service.formCase(ctx, caseId, 'request_advice')
      return reply.render('advice/views/not-sought.njk', {
        title: 'Record that early advice is not sought',
        c,
        reasons: NOT_SOUGHT_REASONS,
        values: { reasons: [] },
        ...extra,
      })
    }
    app.get<Params>('/cases/:id/advice/not-sought', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return notSoughtPage(ctx, reply, req.params.id)
    })
    app.post<Params & { Body: Body }>('/cases/:id/advice/not-sought', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const reasons = formList(body.reasons)
      return submitForm(
        reply,
        () => service.recordNotSought(ctx, req.params.id, { reasons, details: formText(body, 'details') }),
        `/cases/${req.params.id}/advice?done=not_sought`,
        (errors) => notSoughtPage(ctx, reply, req.params.id, { values: { ...body, reasons }, errors }),
      )
    })

    /** The advice form shows the request being answered, so reading it is audited like the section. */
    const advicePage = async (
      ctx: Ctx,
      reply: FastifyReply,
      caseId: string,
      requestId: string,
      extra: Record<string, unknown> = {},
    ) => {
      await service.adviceCase(ctx, caseId, requestId)
      const view = await service.viewSection(ctx, caseId)
      return reply.render('advice/views/give.njk', {
        title: 'Give early advice',
        c: view.case,
        request: view.requests.find((r) => r.id === requestId),
        values: {},
        ...extra,
      })
    }
    app.get<RequestParams>('/cases/:id/advice/requests/:requestId/advice', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return advicePage(ctx, reply, req.params.id, req.params.requestId)
    })
    app.post<RequestParams & { Body: Body }>('/cases/:id/advice/requests/:requestId/advice', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const { id, requestId } = req.params
      return submitForm(
        reply,
        () => service.giveAdvice(ctx, id, requestId, { advice: formText(body, 'advice') }),
        `/cases/${id}/advice?done=advised`,
        (errors) => advicePage(ctx, reply, id, requestId, { values: body, errors }),
      )
    })
  }
}

export const AdviceSection = z.object({
  earlyAdvice: EarlyAdvice,
  requests: z.array(AdviceRequest),
  notSought: z.array(NotSought),
  referrals: z.array(Referral),
})

export function adviceApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string; requestId: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/advice',
    tag: 'Advice and charging',
    summary:
      'Whether early advice has been considered and how, the requests for early advice with their triage and advice, the records of early advice not sought, and the charging referrals with their CPS clock; newest first',
    response: AdviceSection,
    handler: async (ctx, req) => {
      const { case: _c, ...view } = await service.viewSection(ctx, params(req).id)
      return view
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/advice/requests',
    tag: 'Advice and charging',
    summary:
      'Police request early advice from the CPS Area serving their force; the advice is due by the end of the day the configured number of days later (21 by default), or the next working day when that is a weekend or bank holiday (listed in `moved`). One request at a time is with the CPS',
    body: RequestAdvice,
    response: z.object({ id: z.uuid(), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.requestAdvice(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/advice/not-sought',
    tag: 'Advice and charging',
    summary: 'Police record that early advice was considered and not sought, with coded reasons and details',
    body: RecordNotSought,
    response: z.object({ id: z.uuid() }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.recordNotSought(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/advice/requests/{requestId}/advice',
    tag: 'Advice and charging',
    summary:
      'The prosecutor assigned at triage (or a CPS manager) gives the advice on an accepted request; the advice clock closes as met, or missed after its due time',
    body: GiveAdvice,
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.giveAdvice(ctx, params(req).id, params(req).requestId, req.body)
      return { ok: true as const }
    },
  })
}
