import type { FastifyInstance, FastifyReply } from 'fastify'
import { ROLE_LABELS, type Role } from '../../platform/access/actor.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { type FormBody, type formErrors, formList, formText, submitForm } from '../../platform/web/views.ts'
import * as service from './restriction-service.ts'

type Params = { Params: { id: string } }
type Errors = ReturnType<typeof formErrors>

/** The people who may be named, grouped by organisation for the checkboxes. */
function groups(eligible: Awaited<ReturnType<typeof service.restrictionForm>>['eligible']) {
  const byOrg = new Map<string, { organisation: string; people: { id: string; name: string; roles: string }[] }>()
  for (const p of eligible) {
    const group = byOrg.get(p.organisationId) ?? { organisation: p.organisation, people: [] }
    group.people.push({ id: p.id, name: p.name, roles: p.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', ') })
    byOrg.set(p.organisationId, group)
  }
  return [...byOrg.values()]
}

export function restrictionRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    const render = async (
      ctx: Ctx,
      reply: FastifyReply,
      caseId: string,
      form?: { body: FormBody; errors: Errors; lift?: boolean },
    ) => {
      // A form sent back with its errors shows nothing new, so nothing more is logged.
      const view = await service.restrictionForm(ctx, caseId, { audited: !form })
      const named = form && !form.lift ? formList(form.body.namedUserIds) : view.named.map((p) => p.id)
      return reply.render('cases/views/restriction.njk', {
        title: view.restricted ? 'Change the restriction' : 'Restrict this case',
        c: view.case,
        view,
        groups: groups(view.eligible),
        actorId: ctx.actor.id,
        values: {
          reason: form && !form.lift ? formText(form.body, 'reason') : '',
          liftReason: form?.lift ? formText(form.body, 'liftReason') : '',
          named,
        },
        errors: form?.errors,
      })
    }

    app.get<Params>('/cases/:id/restriction', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return render(ctx, reply, req.params.id)
    })

    app.post<Params & { Body: FormBody }>('/cases/:id/restriction', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = { reason: formText(body, 'reason'), namedUserIds: formList(body.namedUserIds) }
      return submitForm(
        reply,
        () => service.restrictCase(ctx, req.params.id, input),
        `/cases/${req.params.id}`,
        (errors) => render(ctx, reply, req.params.id, { body, errors: anchored(errors) }),
      )
    })

    app.post<Params & { Body: FormBody }>('/cases/:id/restriction/lift', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.liftRestriction(ctx, req.params.id, { reason: formText(body, 'liftReason') }),
        `/cases/${req.params.id}`,
        (errors) => render(ctx, reply, req.params.id, { body, errors: asLift(errors), lift: true }),
      )
    })
  }
}

/** A field error on one of the people (namedUserIds.0) belongs to the checkboxes as a whole. */
function anchored(errors: Errors): Errors {
  const fields: Errors['fields'] = {}
  for (const [field, m] of Object.entries(errors.fields)) fields[field.split('.')[0]] ??= m
  return {
    fields,
    summary: Object.entries(fields).map(([field, m]) => ({ text: m.text, href: `#${field}` })),
  }
}

/** The lift form's reason is its own field on the page, beside the restriction's. */
function asLift(errors: Errors): Errors {
  const fields = errors.fields.reason ? { liftReason: errors.fields.reason } : errors.fields
  return { fields, summary: errors.summary.map((e) => (e.href === '#reason' ? { ...e, href: '#liftReason' } : e)) }
}

export function restrictionApi(api: Api) {
  api.route({
    method: 'put',
    path: '/cases/{id}/restriction',
    tag: 'Cases',
    summary:
      'Restrict a case to the people named, or change who a restriction names (police supervisors of the investigating force): everyone else is told the case does not exist',
    body: service.RestrictionInput,
    response: service.RestrictionView,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.restrictCase(ctx, (req.params as { id: string }).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/restriction/lift',
    tag: 'Cases',
    summary: 'Lift a case’s restriction, with the reason (police supervisors named on it)',
    body: service.LiftInput,
    response: service.RestrictionView,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.liftRestriction(ctx, (req.params as { id: string }).id, req.body),
  })
}
