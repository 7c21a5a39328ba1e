import type { FastifyInstance } from 'fastify'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, formErrors } from '../../platform/web/views.ts'
import { nextStatuses } from './rules.ts'
import { STATUS_LABELS, type SuspectStatus } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
type Params = { id: string; suspectId: string }

/** GOV.UK tag colours, so a status reads at a glance in the table. */
const TAG_CLASSES: Record<SuspectStatus, string> = {
  not_identified: 'govuk-tag--grey',
  identified: 'govuk-tag--blue',
  arrested: 'govuk-tag--orange',
  interviewed_under_caution: 'govuk-tag--purple',
  on_bail: 'govuk-tag--yellow',
  released_under_investigation: 'govuk-tag--pink',
  charged: 'govuk-tag--green',
}

/** Success messages chosen by a code, so no user-supplied text is echoed from the query string. */
const DONE: Record<string, string> = { added: 'Suspect added', status: 'Status recorded' }

// Date inputs are three boxes; the error summary links to the first.
const DATE_ANCHORS = { effectiveDate: 'effectiveDate-day', dateOfBirth: 'dateOfBirth-day', bailReturnDate: 'bailReturnDate-day' }

const optionalDate = (body: Body, name: string) => dateFromInput(body, name) || undefined

export function suspectRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: Params; Querystring: { done?: string } }>('/cases/:id/suspects', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { case: c, suspects } = await service.listSuspects(ctx, req.params.id)
      return reply.render('suspects/views/list.njk', {
        title: `Suspects – case ${c.urn}`,
        c,
        suspects: suspects.map((x) => ({ ...x, recordable: nextStatuses(service.factsOf(x)).length > 0 })),
        tagClasses: TAG_CLASSES,
        done: DONE[req.query.done ?? ''],
      })
    })

    const newForm = (c: unknown, values: Body, errors?: ReturnType<typeof formErrors>) => ({
      title: 'Add a suspect',
      c,
      values,
      errors,
    })

    app.get<{ Params: Params }>('/cases/:id/suspects/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const c = await service.caseForNewSuspect(ctx, req.params.id)
      return reply.render('suspects/views/new.njk', newForm(c, {}))
    })

    app.post<{ Params: Params; Body: Body }>('/cases/:id/suspects/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = {
        status: body.status || undefined,
        firstName: body.firstName,
        lastName: body.lastName,
        dateOfBirth: optionalDate(body, 'dateOfBirth'),
        effectiveDate: dateFromInput(body, 'effectiveDate'),
      }
      try {
        const added = await service.addSuspect(ctx, req.params.id, input)
        return reply.redirect(`/cases/${req.params.id}/suspects?done=added#suspect-${added.id}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const c = await service.caseForNewSuspect(ctx, req.params.id)
        return reply.status(400).render('suspects/views/new.njk', newForm(c, body, formErrors(err.fieldErrors, DATE_ANCHORS)))
      }
    })

    const statusForm = async (ctx: Ctx, params: Params) => {
      const { case: c, suspect, next } = await service.suspectForStatusForm(ctx, params.id, params.suspectId)
      return {
        title: `Record a new status for ${suspect.displayName}`,
        c,
        suspect,
        statuses: next.map((value) => ({ value, text: STATUS_LABELS[value] })),
        tagClasses: TAG_CLASSES,
      }
    }

    app.get<{ Params: Params }>('/cases/:id/suspects/:suspectId/status', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return reply.render('suspects/views/status.njk', { ...(await statusForm(ctx, req.params)), values: {} })
    })

    app.post<{ Params: Params; Body: Body }>('/cases/:id/suspects/:suspectId/status', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      // Fields of the statuses not chosen arrive too (a reveal only hides them); the schema drops them.
      const input = {
        status: body.status || undefined,
        effectiveDate: dateFromInput(body, 'effectiveDate'),
        firstName: body.firstName,
        lastName: body.lastName,
        dateOfBirth: optionalDate(body, 'dateOfBirth'),
        bailReturnDate: dateFromInput(body, 'bailReturnDate'),
        bailConditions: body.bailConditions || undefined,
      }
      try {
        const { id, suspectId } = req.params
        await service.recordStatus(ctx, id, suspectId, input)
        return reply.redirect(`/cases/${id}/suspects?done=status#suspect-${suspectId}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const form = await statusForm(ctx, req.params)
        return reply
          .status(400)
          .render('suspects/views/status.njk', { ...form, values: body, errors: formErrors(err.fieldErrors, DATE_ANCHORS) })
      }
    })
  }
}
