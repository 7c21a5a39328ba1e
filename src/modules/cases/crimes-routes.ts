import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { type FormBody, type formErrors, formList, formText, submitForm } from '../../platform/web/views.ts'
import * as service from './crimes-service.ts'
import { OFFENCES } from './offences.ts'
import { Crime, CrimeInput } from './schema.ts'

type Params = { Params: { id: string } }
type CrimeParams = { Params: { id: string; crimeId: string } }

/** The crime form, read into the shape the service's schema checks. */
const crimeFromForm = (body: FormBody) => ({
  crimeReference: formText(body, 'crimeReference'),
  offences: formList(body.offences),
  victimId: formText(body, 'victimId') || null,
})

/** Errors on the radios link to the first of them, as GOV.UK radios are named. */
const ANCHORS = { victimId: 'victimId' }

function renderForm(
  reply: FastifyReply,
  context: {
    title: string
    c: { id: string }
    victims: { id: string; name: string }[]
    values: Record<string, unknown>
    action: string
    errors?: ReturnType<typeof formErrors>
    crime?: unknown
  },
) {
  return reply.render('cases/views/crime.njk', { offences: OFFENCES, ...context })
}

export function crimeRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    const newForm = async (
      ctx: Ctx,
      reply: FastifyReply,
      caseId: string,
      body?: FormBody,
      errors?: ReturnType<typeof formErrors>,
    ) => {
      // A form sent back with its errors shows nothing new, so nothing more is logged.
      const form = await service.newCrimeForm(ctx, caseId, { audited: !errors })
      const sole = form.victims.length === 1 ? form.victims[0].id : ''
      const values = body ? { ...body, offences: formList(body.offences) } : { offences: [], victimId: sole }
      return renderForm(reply, {
        title: 'Add a crime',
        c: form.case,
        victims: form.victims,
        values,
        action: `/cases/${caseId}/crimes`,
        errors,
      })
    }

    app.get<Params>('/cases/:id/crimes/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return newForm(ctx, reply, req.params.id)
    })

    app.post<Params & { Body: FormBody }>('/cases/:id/crimes', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.addCrime(ctx, req.params.id, crimeFromForm(body)),
        `/cases/${req.params.id}`,
        (errors) => newForm(ctx, reply, req.params.id, body, errors),
        ANCHORS,
      )
    })

    const changeForm = async (
      ctx: Ctx,
      reply: FastifyReply,
      p: { id: string; crimeId: string },
      body?: FormBody,
      errors?: ReturnType<typeof formErrors>,
    ) => {
      const view = await service.viewCrime(ctx, p.id, p.crimeId, { forEditing: true, audited: !errors })
      const k = view.crime
      const values = body
        ? { ...body, offences: formList(body.offences) }
        : { crimeReference: k.crimeReference, offences: k.offences.map((o) => o.code), victimId: k.victim?.id ?? '' }
      return renderForm(reply, {
        title: `Crime ${k.crimeReference}`,
        c: view.case,
        crime: k,
        victims: view.victims,
        values,
        action: `/cases/${p.id}/crimes/${k.id}`,
        errors,
      })
    }

    app.get<CrimeParams>('/cases/:id/crimes/:crimeId', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return changeForm(ctx, reply, req.params)
    })

    app.post<CrimeParams & { Body: FormBody }>('/cases/:id/crimes/:crimeId', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.correctCrime(ctx, req.params.id, req.params.crimeId, crimeFromForm(body)),
        `/cases/${req.params.id}`,
        (errors) => changeForm(ctx, reply, req.params, body, errors),
        ANCHORS,
      )
    })
  }
}

export function crimeApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string; crimeId: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/crimes',
    tag: 'Cases',
    summary:
      'The crimes of the case file, in order: reference, victim, offences, rape flag and outcome. A support service sees only the crimes of the victim it supports, and of the outcome only what was decided, in plain words',
    response: z.object({ crimes: z.array(Crime) }),
    refusals: ['forbidden'],
    handler: async (ctx, req) => ({ crimes: await service.listCrimes(ctx, params(req).id) }),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/crimes',
    tag: 'Cases',
    summary:
      'Add a crime to the case file: its crime reference number (one the case does not already hold), offences and victim (a victim recorded on the case; needed once the case has one)',
    body: CrimeInput,
    response: Crime,
    status: 201,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.addCrime(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'get',
    path: '/cases/{id}/crimes/{crimeId}',
    tag: 'Cases',
    summary: 'One crime of the case file',
    response: Crime,
    refusals: ['forbidden'],
    handler: async (ctx, req) => (await service.viewCrime(ctx, params(req).id, params(req).crimeId)).crime,
  })
  api.route({
    method: 'put',
    path: '/cases/{id}/crimes/{crimeId}',
    tag: 'Cases',
    summary:
      'Correct a crime: its reference (which confirms a reference carried over from the URN when the case held one crime), offences and victim',
    body: CrimeInput,
    response: Crime,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.correctCrime(ctx, params(req).id, params(req).crimeId, req.body),
  })
}
