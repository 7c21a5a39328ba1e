import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import { MovedDate, movedQuery } from '../../platform/calendar/working-date.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import type { TriageKind } from './queries.ts'
import { TRIAGE_REASONS } from './reference.ts'
import { TriageInput, TriageOptions } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
type Params = { Params: { id: string; subjectId: string } }

const PAGES = {
  advice: { path: 'advice/requests', title: 'Triage the request for early advice' },
  charging: { path: 'charging/referrals', title: 'Triage the charging referral' },
} as const

function triageInput(body: Body) {
  const reasons = formList(body.reasons)
  return {
    decision: formText(body, 'decision') || undefined,
    unitId: formText(body, 'unitId') || undefined,
    prosecutorId: formText(body, 'prosecutorId') || undefined,
    reasons: reasons.map((code) => ({ code, detail: formText(body, `detail-${code}`) })),
    respondBy: dateFromInput(body, 'respondBy') || undefined,
  }
}

/** A reason's missing detail (reasons.N.detail) points at that reason's box on the page. */
function anchorsFor(body: Body) {
  const anchors: Record<string, string> = { respondBy: 'respondBy-day' }
  formList(body.reasons).forEach((code, i) => {
    anchors[`reasons.${i}.detail`] = `detail-${code}`
  })
  return anchors
}

export function triageRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    for (const kind of ['advice', 'charging'] as TriageKind[]) {
      const url = `/cases/:id/${PAGES[kind].path}/:subjectId/triage`
      const page = async (ctx: Ctx, reply: FastifyReply, p: Params['Params'], extra: Record<string, unknown> = {}) => {
        const { case: c, options } = await service.triageCase(ctx, kind, p.id, p.subjectId)
        return reply.render('triage/views/triage.njk', {
          title: PAGES[kind].title,
          c,
          kind,
          action: `/cases/${c.id}/${PAGES[kind].path}/${p.subjectId}/triage`,
          units: options.units,
          prosecutors: options.units.flatMap((u) => u.prosecutors.map((p) => ({ id: p.id, name: `${p.name} (${u.name})` }))),
          reasons: TRIAGE_REASONS,
          values: { reasons: [] },
          ...extra,
        })
      }
      app.get<Params>(url, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return page(ctx, reply, req.params)
      })
      app.post<Params & { Body: Body }>(url, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        const { id, subjectId } = req.params
        return submitForm(
          reply,
          () => service.triage(ctx, kind, id, subjectId, triageInput(body)),
          (r) => `/cases/${id}/advice?done=triaged${r.moved.length ? `&${movedQuery(r.moved)}` : ''}`,
          (errors) => page(ctx, reply, req.params, { values: { ...body, reasons: formList(body.reasons) }, errors }),
          anchorsFor(body),
        )
      })
    }
  }
}

export function triageApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string; requestId: string; referralId: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/triage-options',
    tag: 'Advice and charging',
    summary:
      'The units of the CPS Area the case is with, and the active prosecutors and CPS managers of each, whom triage may assign',
    response: TriageOptions,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.triageOptions(ctx, params(req).id),
  })
  const summary = (what: string) =>
    `CPS triage of a ${what}: accept and assign a prosecutor of a unit (the CPS clock passes to them), or reject with coded reasons, each with its detail, and a future date the police respond by (the CPS clock is cancelled and the police response clock starts). A date to respond by on a weekend or bank holiday is moved to the next working day and listed in \`moved\``
  api.route({
    method: 'post',
    path: '/cases/{id}/advice/requests/{requestId}/triage',
    tag: 'Advice and charging',
    summary: summary('request for early advice'),
    body: TriageInput,
    response: z.object({ id: z.uuid(), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.triage(ctx, 'advice', params(req).id, params(req).requestId, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/charging/referrals/{referralId}/triage',
    tag: 'Advice and charging',
    summary: summary('charging referral'),
    body: TriageInput,
    response: z.object({ id: z.uuid(), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.triage(ctx, 'charging', params(req).id, params(req).referralId, req.body),
  })
}
