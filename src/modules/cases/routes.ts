import type { FastifyInstance, FastifyReply } from 'fastify'
import { canCreateCase, oversightOfCase } from '../../platform/access/policy.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, dateToInput, formErrors, formList } from '../../platform/web/views.ts'
import type { CaseDetail } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string | string[]>

const DATE_FIELDS = ['offenceDateFrom', 'offenceDateTo', 'dateReported', 'dateRecorded'] as const
// Errors on a date input link to its first box.
const ANCHORS = Object.fromEntries(DATE_FIELDS.map((f) => [f, `${f}-day`]))

/** The case details form, read into the shape the service's schema checks. */
function detailsFromForm(body: Body) {
  const one = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '')
  return {
    offences: formList(body.offences),
    offenceDateFrom: dateFromInput(body, 'offenceDateFrom'),
    offenceDateTo: dateFromInput(body, 'offenceDateTo') || null,
    dateReported: dateFromInput(body, 'dateReported'),
    dateRecorded: dateFromInput(body, 'dateRecorded'),
    officerInChargeId: one('officerInChargeId') || undefined,
    supervisorId: one('supervisorId') || undefined,
    teamId: one('teamId') || null,
  }
}

/** A case's details as the form's values, to change them. */
function formFromCase(c: CaseDetail) {
  return {
    offences: c.offences.map((o) => o.code),
    ...Object.assign({}, ...DATE_FIELDS.map((f) => dateToInput(f, c[f]))),
    officerInChargeId: c.officerInCharge.id,
    supervisorId: c.supervisor?.id ?? '',
    teamId: c.team?.id ?? '',
  }
}

async function renderForm(ctx: Ctx, reply: FastifyReply, view: string, context: Record<string, unknown>, forceId?: string) {
  const options = await service.caseFormOptions(ctx, forceId)
  return reply.render(view, { ...options, ...context })
}

export function caseRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { page?: string } }>('/cases', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const result = await service.listCases(ctx, Number(req.query.page ?? 1))
      return reply.render('cases/views/list.njk', { title: 'Cases', ...result, pages: Math.ceil(result.total / result.pageSize) })
    })

    app.get('/cases/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const values = { officerInChargeId: ctx.actor.roles.includes('investigator') ? ctx.actor.id : '', offences: [] }
      return renderForm(ctx, reply, 'cases/views/new.njk', { title: 'Record a new case', values })
    })

    app.post<{ Body: Body }>('/cases', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      try {
        const created = await service.createCase(ctx, { urn: body.urn, ...detailsFromForm(body) })
        return reply.redirect(`/cases/${created.id}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        reply.status(400)
        return renderForm(ctx, reply, 'cases/views/new.njk', {
          title: 'Record a new case',
          values: { ...body, offences: formList(body.offences) },
          errors: formErrors(err.fieldErrors, ANCHORS),
        })
      }
    })

    app.get<{ Params: { id: string } }>('/cases/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const c = await service.viewCase(ctx, req.params.id)
      const ref = { forceId: c.force.id, cpsAreaId: c.cpsArea?.id ?? null }
      return reply.render('cases/views/show.njk', {
        title: `Case ${c.urn}`,
        c,
        canEdit: canCreateCase(ctx.actor),
        canSeeAccessLog: oversightOfCase(ctx.actor, ref) !== null,
      })
    })

    app.get<{ Params: { id: string } }>('/cases/:id/details', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const c = await service.viewCase(ctx, req.params.id)
      return renderForm(
        ctx,
        reply,
        'cases/views/details.njk',
        { title: 'Change case details', c, values: formFromCase(c) },
        c.force.id,
      )
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/details', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      try {
        await service.updateCaseDetails(ctx, req.params.id, detailsFromForm(body))
        return reply.redirect(`/cases/${req.params.id}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const c = await service.viewCase(ctx, req.params.id, { audited: false })
        reply.status(400)
        return renderForm(
          ctx,
          reply,
          'cases/views/details.njk',
          {
            title: 'Change case details',
            c,
            values: { ...body, offences: formList(body.offences) },
            errors: formErrors(err.fieldErrors, ANCHORS),
          },
          c.force.id,
        )
      }
    })
  }
}
