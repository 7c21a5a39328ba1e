import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { allows } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, submitForm } from '../../platform/web/views.ts'
import { crimeApiPaths, crimeBase, crimePaths } from '../cases/crime-paths.ts'
import { POLICE_OUTCOMES } from './codes.ts'
import { CrimeRef, Decline, Declined, Finalise, Outcome, PlainOutcome, Proposal, Reopen } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
/** `crimeId` is absent on the addresses a case had when it held one crime. */
type Params = { id: string; crimeId?: string }
const ANCHORS = {
  finalisedOn: 'finalisedOn-day',
  victimToldOn: 'victimToldOn-day',
  cpsAgreedOn: 'cpsAgreedOn-day',
  decidedBy: 'decidedBy',
}

async function renderPage(ctx: Ctx, reply: FastifyReply, p: Params, extra: Record<string, unknown> = {}) {
  const view = await service.viewOutcomes(ctx, p.id, { crimeId: p.crimeId })
  return reply.render('outcomes/views/outcome.njk', {
    title: 'Outcome',
    ...view,
    c: view.case,
    // The page's forms post to the address it was opened at: the crime's, or the case's for its one crime.
    base: crimeBase(p.id, p.crimeId),
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
    for (const path of crimePaths('/outcome')) {
      const page = (p: Params) => `${crimeBase(p.id, p.crimeId)}/outcome`

      app.get<{ Params: Params }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return renderPage(ctx, reply, req.params)
      })

      app.post<{ Params: Params; Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        return submitForm(
          reply,
          () => service.finalise(ctx, req.params.id, finaliseInput(body), { crimeId: req.params.crimeId }),
          page(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: body, errors }),
          ANCHORS,
        )
      })

      app.post<{ Params: Params; Body: Body }>(`${path}/authorise`, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return submitForm(
          reply,
          () => service.authorise(ctx, req.params.id, { crimeId: req.params.crimeId }),
          page(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: req.body, errors }),
        )
      })

      app.post<{ Params: Params; Body: Body }>(`${path}/decline`, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return submitForm(
          reply,
          () => service.decline(ctx, req.params.id, { reason: req.body?.declineReason ?? '' }, { crimeId: req.params.crimeId }),
          page(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: req.body, errors }),
          { reason: 'declineReason' },
        )
      })

      app.post<{ Params: Params; Body: Body }>(`${path}/reopen`, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return submitForm(
          reply,
          () => service.reopen(ctx, req.params.id, { reason: req.body?.reason ?? '' }, { crimeId: req.params.crimeId }),
          page(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: req.body, errors }),
        )
      })
    }
  }
}

const OF_CRIME = ' of one crime of the case file'
const OF_SOLE =
  ' of the case’s one crime (the address a case had when it held one crime; with several crimes it answers 409 several_crimes: name the crime)'

export function outcomeApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as Params
  const which = (req: { params: unknown }) => ({ crimeId: params(req).crimeId })
  const [crime, sole] = crimeApiPaths('/outcome')
  for (const [path, whose] of [
    [crime, OF_CRIME],
    [sole, OF_SOLE],
  ] as const) {
    api.route({
      method: 'get',
      path,
      tag: 'Outcomes',
      summary: `The outcome in force, earlier outcomes and any decision awaiting authorisation${whose}; a support service sees only what was decided and when, in plain words, and only for the crimes of the victim it supports`,
      response: z.union([
        z.object({
          crime: CrimeRef,
          current: Outcome.nullable(),
          history: z.array(Outcome),
          proposal: Proposal.nullable(),
          declined: z.array(Declined),
        }),
        z.object({ crime: CrimeRef, plain: z.array(PlainOutcome) }),
      ]),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        const { case: _c, ...view } = await service.viewOutcomes(ctx, params(req).id, which(req))
        if ('severalCrimes' in view) {
          const { severalCrimes: _s, ...casework } = view
          return casework
        }
        return view
      },
    })
    api.route({
      method: 'post',
      path,
      tag: 'Outcomes',
      summary: `Record a police outcome${whose} by the counting rules. A police decision to take no further action by anyone but a supervisor waits for a supervisor’s authorisation (state awaiting_authorisation). The case is finalised when every crime has an outcome`,
      body: Finalise,
      response: z.object({ state: z.enum(['finalised', 'awaiting_authorisation']) }),
      status: 201,
      refusals: ['forbidden', 'conflict'],
      handler: (ctx, req) => service.finalise(ctx, params(req).id, req.body, which(req)),
    })
    api.route({
      method: 'post',
      path: `${path}/authorise`,
      tag: 'Outcomes',
      summary: `A police supervisor authorises the proposed decision to take no further action${whose}, which comes into force`,
      response: z.object({ ok: z.literal(true) }),
      refusals: ['invalid', 'forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.authorise(ctx, params(req).id, which(req))
        return { ok: true as const }
      },
    })
    api.route({
      method: 'post',
      path: `${path}/decline`,
      tag: 'Outcomes',
      summary: `A police supervisor declines the proposed decision to take no further action${whose}, with the reason`,
      body: Decline,
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.decline(ctx, params(req).id, req.body, which(req))
        return { ok: true as const }
      },
    })
    api.route({
      method: 'post',
      path: `${path}/reopen`,
      tag: 'Outcomes',
      summary: `Reopen the outcome${whose}, with the reason; a finalised case returns to investigation`,
      body: Reopen,
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.reopen(ctx, params(req).id, req.body, which(req))
        return { ok: true as const }
      },
    })
  }
}
