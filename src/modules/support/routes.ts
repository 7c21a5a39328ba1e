import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { SHAREABLE } from '../../platform/access/consent.ts'
import { allows } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { victimApiPaths, victimBase, victimPaths, whichVictim } from '../victims/paths.ts'
import { SUPPORT_KINDS, SUPPORT_OFFERED } from './reference.ts'
import { ChangeConsent, Offer, OfferSupport, PassOnWish, Refer, Referral, WISHES, Wish } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
const yesNo = (value: string) => (value === 'yes' ? true : value === 'no' ? false : undefined)

/** The case and, on the address under a victim, which victim (undefined on the case's old address). */
type VictimParams = { id: string; victimId?: string }

async function renderPage(ctx: Ctx, reply: FastifyReply, p: VictimParams, extra: Record<string, unknown> = {}) {
  const view = await service.viewSupport(ctx, p.id, { victimId: p.victimId })
  const c = view.case
  const victim = view.victim && { id: view.victim.id }
  const may = (action: Parameters<typeof allows>[1]) => allows(ctx.actor, action, c, { id: victim?.id ?? null })
  return reply.render('support/views/support.njk', {
    title: 'Support',
    c,
    // Links and forms stay with this victim; their name only for those the victim lets read it.
    base: victimBase(c.id, victim?.id),
    victimName: view.victim && may('view_victim') ? view.victim.name : null,
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
      manage: may('manage_support'),
      recordSupport: may('record_support'),
      recordContact: may('record_contact'),
      passOnWish: may('pass_on_wish'),
      actOnWish: may('record_withdrawal'),
    },
    values: { shared: [] },
    ...extra,
  })
}

/** Where a form goes back to: the support page at the address it was posted to. */
const supportPage = (p: VictimParams) => `${victimBase(p.id, p.victimId)}/support`

type ReferralParams = { Params: VictimParams & { referralId: string }; Body: Body }

export function supportRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    for (const path of victimPaths('/support')) {
      app.get<{ Params: VictimParams }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return renderPage(ctx, reply, req.params)
      })
    }

    for (const path of victimPaths('/support/referrals')) {
      app.post<{ Params: VictimParams; Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        return submitForm(
          reply,
          () =>
            service.refer(
              ctx,
              req.params.id,
              {
                serviceId: formText(body, 'serviceId') || undefined,
                kind: formText(body, 'kind') || undefined,
                consentGiven: formText(body, 'consentGiven') === 'yes' ? true : undefined,
                consentRecordedOn: dateFromInput(body, 'consentRecordedOn'),
                shared: formList(body.shared),
              },
              { victimId: req.params.victimId },
            ),
          supportPage(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: { ...body, shared: formList(body.shared) }, errors }),
          { consentRecordedOn: 'consentRecordedOn-day' },
        )
      })
    }

    for (const path of victimPaths('/support/referrals/:referralId/end')) {
      app.post<ReferralParams>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return submitForm(
          reply,
          () =>
            service.endReferral(
              ctx,
              req.params.id,
              req.params.referralId,
              { reason: formText(req.body ?? {}, 'reason') },
              { victimId: req.params.victimId },
            ),
          supportPage(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: { shared: [] }, errors }),
        )
      })
    }

    for (const path of victimPaths('/support/referrals/:referralId/consent')) {
      app.post<ReferralParams>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        const prefix = `consent-${req.params.referralId}`
        return submitForm(
          reply,
          () =>
            service.changeConsent(
              ctx,
              req.params.id,
              req.params.referralId,
              { consentRecordedOn: dateFromInput(body, prefix), shared: formList(body.shared) },
              { victimId: req.params.victimId },
            ),
          supportPage(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: { shared: [] }, errors }),
          { consentRecordedOn: `${prefix}-day` },
        )
      })
    }

    for (const path of victimPaths('/support/referrals/:referralId/isva')) {
      app.post<ReferralParams>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        await service.nameSelfAsIsva(ctx, req.params.id, req.params.referralId, { victimId: req.params.victimId })
        return reply.redirect(supportPage(req.params), 303)
      })
    }

    for (const path of victimPaths('/support/wishes')) {
      app.post<{ Params: VictimParams; Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        return submitForm(
          reply,
          () =>
            service.passOnWish(
              ctx,
              req.params.id,
              { wish: formText(body, 'wish') || undefined, message: formText(body, 'message') },
              { victimId: req.params.victimId },
            ),
          supportPage(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: { ...body, shared: [] }, errors }),
        )
      })
    }

    for (const path of victimPaths('/support/wishes/:wishId/acted-on')) {
      app.post<{ Params: VictimParams & { wishId: string } }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        await service.acknowledgeWish(ctx, req.params.id, req.params.wishId, { victimId: req.params.victimId })
        return reply.redirect(supportPage(req.params), 303)
      })
    }

    for (const path of victimPaths('/support/offers')) {
      app.post<{ Params: VictimParams; Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        return submitForm(
          reply,
          () =>
            service.offerSupport(
              ctx,
              req.params.id,
              {
                offeredOn: dateFromInput(body, 'offeredOn'),
                support: formText(body, 'support') || undefined,
                accepted: yesNo(formText(body, 'accepted')),
              },
              { victimId: req.params.victimId },
            ),
          supportPage(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: { ...body, shared: [] }, errors }),
          { offeredOn: 'offeredOn-day' },
        )
      })
    }
  }
}

export function supportApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as VictimParams
  // Several victims' support (docs/decisions/0007): each operation under the victim, and at the case's old address for its one victim.
  for (const path of victimApiPaths('/support')) {
    api.route({
      method: 'get',
      path,
      tag: 'Support',
      summary:
        'The victim’s support referrals (a support service sees only its own), the support offered at each stage and the wishes passed on',
      response: z.object({ referrals: z.array(Referral), offers: z.array(Offer), wishes: z.array(Wish) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        const { referrals, offers, wishes } = await service.viewSupport(ctx, params(req).id, whichVictim(req))
        return { referrals, offers, wishes }
      },
    })
  }
  const referral = (req: { params: unknown }) => req.params as VictimParams & { referralId: string }
  for (const path of victimApiPaths('/support/referrals/{referralId}/consent')) {
    api.route({
      method: 'put',
      path,
      tag: 'Support',
      summary:
        'Record what the victim now agrees to share with their support service (narrowed or widened), and when they said so',
      body: ChangeConsent,
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.changeConsent(ctx, referral(req).id, referral(req).referralId, req.body, whichVictim(req))
        return { ok: true as const }
      },
    })
  }
  for (const path of victimApiPaths('/support/referrals/{referralId}/isva')) {
    api.route({
      method: 'post',
      path,
      tag: 'Support',
      summary: 'An ISVA of the referred service names themselves as the victim’s ISVA, so police and CPS can reach them',
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.nameSelfAsIsva(ctx, referral(req).id, referral(req).referralId, whichVictim(req))
        return { ok: true as const }
      },
    })
  }
  for (const path of victimApiPaths('/support/wishes')) {
    api.route({
      method: 'post',
      path,
      tag: 'Support',
      summary:
        'An ISVA passes on that the victim wishes to stop supporting the investigation or to re-engage: a task for the officer in charge, not a withdrawal record',
      body: PassOnWish,
      response: z.object({ id: z.uuid() }),
      status: 201,
      refusals: ['forbidden', 'conflict'],
      handler: (ctx, req) => service.passOnWish(ctx, params(req).id, req.body, whichVictim(req)),
    })
  }
  for (const path of victimApiPaths('/support/wishes/{wishId}/acted-on')) {
    api.route({
      method: 'post',
      path,
      tag: 'Support',
      summary: 'The officer has acted on the wish the ISVA passed on',
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        const p = req.params as VictimParams & { wishId: string }
        await service.acknowledgeWish(ctx, p.id, p.wishId, whichVictim(req))
        return { ok: true as const }
      },
    })
  }
  for (const path of victimApiPaths('/support/referrals')) {
    api.route({
      method: 'post',
      path,
      tag: 'Support',
      summary: 'Refer the victim to an ISVA service or SARC, with their consent and what they agreed to share',
      body: Refer,
      response: z.object({ id: z.uuid() }),
      status: 201,
      refusals: ['forbidden', 'conflict'],
      handler: (ctx, req) => service.refer(ctx, params(req).id, req.body, whichVictim(req)),
    })
  }
  for (const path of victimApiPaths('/support/offers')) {
    api.route({
      method: 'post',
      path,
      tag: 'Support',
      summary: 'Record support offered to the victim at the case’s current stage',
      body: OfferSupport,
      response: z.object({ ok: z.literal(true) }),
      status: 201,
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.offerSupport(ctx, params(req).id, req.body, whichVictim(req))
        return { ok: true as const }
      },
    })
  }
}
