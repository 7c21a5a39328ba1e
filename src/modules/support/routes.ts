import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { SHAREABLE } from '../../platform/access/consent.ts'
import { allows } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { SUPPORT_KINDS, SUPPORT_OFFERED } from './reference.ts'
import { ChangeConsent, Offer, OfferSupport, PassOnWish, Refer, Referral, WISHES, Wish } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
const yesNo = (value: string) => (value === 'yes' ? true : value === 'no' ? false : undefined)

async function renderPage(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewSupport(ctx, caseId)
  const c = view.case
  return reply.render('support/views/support.njk', {
    title: 'Support',
    c,
    referrals: view.referrals,
    offers: view.offers,
    wishes: view.wishes,
    services: view.services,
    shareable: SHAREABLE.filter((s) => s.code !== 'case_summary'),
    kinds: SUPPORT_KINDS,
    offered: SUPPORT_OFFERED,
    wishKinds: WISHES,
    wishLabels: Object.fromEntries(WISHES.map((w) => [w.code, w.label])),
    actorId: ctx.actor.id,
    // What the policy lets this user do here decides which forms the page offers.
    may: {
      manage: allows(ctx.actor, 'manage_support', c),
      recordSupport: allows(ctx.actor, 'record_support', c),
      recordContact: allows(ctx.actor, 'record_contact', c),
      passOnWish: allows(ctx.actor, 'pass_on_wish', c),
      actOnWish: allows(ctx.actor, 'record_withdrawal', c),
    },
    values: { shared: [] },
    ...extra,
  })
}

type ReferralParams = { Params: { id: string; referralId: string }; Body: Body }

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

    app.post<ReferralParams>('/cases/:id/support/referrals/:referralId/consent', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const prefix = `consent-${req.params.referralId}`
      return submitForm(
        reply,
        () =>
          service.changeConsent(ctx, req.params.id, req.params.referralId, {
            consentRecordedOn: dateFromInput(body, prefix),
            shared: formList(body.shared),
          }),
        `/cases/${req.params.id}/support`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: { shared: [] }, errors }),
        { consentRecordedOn: `${prefix}-day` },
      )
    })

    app.post<ReferralParams>('/cases/:id/support/referrals/:referralId/isva', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      await service.nameSelfAsIsva(ctx, req.params.id, req.params.referralId)
      return reply.redirect(`/cases/${req.params.id}/support`, 303)
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/support/wishes', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () =>
          service.passOnWish(ctx, req.params.id, {
            wish: formText(body, 'wish') || undefined,
            message: formText(body, 'message'),
          }),
        `/cases/${req.params.id}/support`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: { ...body, shared: [] }, errors }),
      )
    })

    app.post<{ Params: { id: string; wishId: string } }>('/cases/:id/support/wishes/:wishId/acted-on', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      await service.acknowledgeWish(ctx, req.params.id, req.params.wishId)
      return reply.redirect(`/cases/${req.params.id}/support`, 303)
    })

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
    response: z.object({ referrals: z.array(Referral), offers: z.array(Offer), wishes: z.array(Wish) }),
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      const { referrals, offers, wishes } = await service.viewSupport(ctx, params(req).id)
      return { referrals, offers, wishes }
    },
  })
  const referral = (req: { params: unknown }) => req.params as { id: string; referralId: string }
  api.route({
    method: 'put',
    path: '/cases/{id}/support/referrals/{referralId}/consent',
    tag: 'Support',
    summary: 'Record what the victim now agrees to share with their support service (narrowed or widened), and when they said so',
    body: ChangeConsent,
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.changeConsent(ctx, referral(req).id, referral(req).referralId, req.body)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/support/referrals/{referralId}/isva',
    tag: 'Support',
    summary: 'An ISVA of the referred service names themselves as the victim’s ISVA, so police and CPS can reach them',
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.nameSelfAsIsva(ctx, referral(req).id, referral(req).referralId)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/support/wishes',
    tag: 'Support',
    summary:
      'An ISVA passes on that the victim wishes to stop supporting the investigation or to re-engage: a task for the officer in charge, not a withdrawal record',
    body: PassOnWish,
    response: z.object({ id: z.uuid() }),
    status: 201,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.passOnWish(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/support/wishes/{wishId}/acted-on',
    tag: 'Support',
    summary: 'The officer has acted on the wish the ISVA passed on',
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      const p = req.params as { id: string; wishId: string }
      await service.acknowledgeWish(ctx, p.id, p.wishId)
      return { ok: true as const }
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
    refusals: ['forbidden'],
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
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      await service.offerSupport(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
}
