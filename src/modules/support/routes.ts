import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { SHAREABLE } from '../../platform/access/consent.ts'
import { canCreateCase, supportShared } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { SUPPORT_KINDS, SUPPORT_OFFERED } from './reference.ts'
import { Offer, OfferSupport, Refer, Referral } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
const yesNo = (value: string) => (value === 'yes' ? true : value === 'no' ? false : undefined)

async function renderPage(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewSupport(ctx, caseId)
  const ref = { forceId: view.case.forceId, cpsAreaId: view.case.cpsAreaId, support: view.case.support }
  return reply.render('support/views/support.njk', {
    title: 'Support',
    c: view.case,
    referrals: view.referrals,
    offers: view.offers,
    services: view.services,
    shareable: SHAREABLE.filter((s) => s.code !== 'case_summary'),
    kinds: SUPPORT_KINDS,
    offered: SUPPORT_OFFERED,
    // Police and CPS casework manage referrals; a support service only reads its own.
    canManage: supportShared(ctx.actor, ref) === null && (canCreateCase(ctx.actor) || ctx.actor.organisationKind === 'cps_area'),
    values: { shared: [] },
    ...extra,
  })
}

export function supportRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>('/cases/:id/support', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderPage(ctx, reply, req.params.id)
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/support/referrals', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () =>
          service.refer(ctx, req.params.id, {
            serviceId: formText(body, 'serviceId') || undefined,
            kind: formText(body, 'kind') || undefined,
            consentGiven: formText(body, 'consentGiven') === 'yes' ? true : undefined,
            consentRecordedOn: dateFromInput(body, 'consentRecordedOn'),
            shared: formList(body.shared),
          }),
        `/cases/${req.params.id}/support`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: { ...body, shared: formList(body.shared) }, errors }),
        { consentRecordedOn: 'consentRecordedOn-day' },
      )
    })

    app.post<{ Params: { id: string; referralId: string }; Body: Body }>(
      '/cases/:id/support/referrals/:referralId/end',
      async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return submitForm(
          reply,
          () => service.endReferral(ctx, req.params.id, req.params.referralId, { reason: formText(req.body ?? {}, 'reason') }),
          `/cases/${req.params.id}/support`,
          (errors) => renderPage(ctx, reply, req.params.id, { values: { shared: [] }, errors }),
        )
      },
    )

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/support/offers', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () =>
          service.offerSupport(ctx, req.params.id, {
            offeredOn: dateFromInput(body, 'offeredOn'),
            support: formText(body, 'support') || undefined,
            accepted: yesNo(formText(body, 'accepted')),
          }),
        `/cases/${req.params.id}/support`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: { ...body, shared: [] }, errors }),
        { offeredOn: 'offeredOn-day' },
      )
    })
  }
}

export function supportApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/support',
    tag: 'Support',
    summary: 'Support referrals (a support service sees only its own) and the support offered at each stage',
    response: z.object({ referrals: z.array(Referral), offers: z.array(Offer) }),
    handler: async (ctx, req) => {
      const { referrals, offers } = await service.viewSupport(ctx, params(req).id)
      return { referrals, offers }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/support/referrals',
    tag: 'Support',
    summary: 'Refer the victim to an ISVA service or SARC, with their consent and what they agreed to share',
    body: Refer,
    response: z.object({ id: z.uuid() }),
    status: 201,
    handler: (ctx, req) => service.refer(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/support/offers',
    tag: 'Support',
    summary: 'Record support offered to the victim at the case’s current stage',
    body: OfferSupport,
    response: z.object({ ok: z.literal(true) }),
    status: 201,
    handler: async (ctx, req) => {
      await service.offerSupport(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
}
