import type { FastifyInstance } from 'fastify'
import { ACCESS_REASONS } from '../../platform/access/reasons.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { formErrors } from '../../platform/web/views.ts'
import { AccessReasonInput, StatedReasonAnswer } from './schema.ts'
import * as service from './service.ts'

type Params = { id: string }
type Body = { reason?: string; detail?: string; next?: string }

const reasons = Object.entries(ACCESS_REASONS).map(([value, text]) => ({ value, text }))

export function accessReasonRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    const form = async (ctx: NonNullable<ReturnType<typeof pageCtx>>, id: string, values: Body, next: string) => {
      const found = await service.reasonForm(ctx, id)
      return { title: 'Why do you need to see this case’s victims?', c: found.case, reasons, values, next }
    }

    app.get<{ Params: Params; Querystring: { next?: string } }>('/cases/:id/reason', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const next = service.safeNext(req.params.id, req.query.next)
      return reply.render('access-reasons/views/reason.njk', await form(ctx, req.params.id, {}, next))
    })

    app.post<{ Params: Params; Body: Body }>('/cases/:id/reason', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const next = service.safeNext(req.params.id, body.next)
      try {
        await service.stateReason(ctx, req.params.id, { reason: body.reason || undefined, detail: body.detail })
        return reply.redirect(next, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const page = await form(ctx, req.params.id, body, next)
        return reply.status(400).render('access-reasons/views/reason.njk', { ...page, errors: formErrors(err.fieldErrors) })
      }
    })
  }
}

export function accessReasonApi(api: Api) {
  api.route({
    method: 'post',
    path: '/cases/{id}/access-reasons',
    tag: 'Access log',
    summary:
      'State why the caller, who has no direct part in the case, needs to see its victims: once per token and case, before any victim data (403 reason_needed until then). The label is recorded as the justification of each look; "other" needs `detail`, kept apart from the audit log and shown only to the case’s overseers',
    body: AccessReasonInput,
    response: StatedReasonAnswer,
    status: 201,
    handler: async (ctx, req) => service.stateReason(ctx, (req.params as Params).id, req.body),
  })
}
