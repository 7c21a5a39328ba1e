import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { WITHDRAWAL_REASONS } from './reasons.ts'
import { RecordReengagement, RecordWithdrawal, Withdrawal } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody

async function renderPage(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewWithdrawals(ctx, caseId)
  return reply.render('withdrawal/views/withdrawal.njk', {
    title: 'Withdrawal of support',
    c: view.case,
    withdrawals: view.withdrawals,
    withdrawn: view.withdrawn,
    reasons: WITHDRAWAL_REASONS,
    values: { reasons: [] },
    ...extra,
  })
}

export function withdrawalRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>('/cases/:id/withdrawal', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderPage(ctx, reply, req.params.id)
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/withdrawal', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const taken = formText(body, 'retractionStatementTaken')
      return submitForm(
        reply,
        () =>
          service.recordWithdrawal(ctx, req.params.id, {
            withdrawnOn: dateFromInput(body, 'withdrawnOn'),
            reasons: formList(body.reasons),
            details: formText(body, 'details'),
            retractionStatementTaken: taken === '' ? undefined : taken === 'yes',
          }),
        `/cases/${req.params.id}/withdrawal`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: { ...body, reasons: formList(body.reasons) }, errors }),
        { withdrawnOn: 'withdrawnOn-day' },
      )
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/withdrawal/reengagement', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () =>
          service.recordReengagement(ctx, req.params.id, {
            reengagedOn: dateFromInput(body, 'reengagedOn'),
            note: formText(body, 'note'),
          }),
        `/cases/${req.params.id}/withdrawal`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: body, errors }),
        { reengagedOn: 'reengagedOn-day' },
      )
    })
  }
}

export function withdrawalApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/withdrawals',
    tag: 'Withdrawal',
    summary: 'The victim’s withdrawals of support and re-engagements, newest first',
    response: z.object({ withdrawn: z.boolean(), withdrawals: z.array(Withdrawal) }),
    handler: async (ctx, req) => {
      const { withdrawn, withdrawals } = await service.viewWithdrawals(ctx, params(req).id)
      return { withdrawn, withdrawals }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/withdrawals',
    tag: 'Withdrawal',
    summary: 'Record that the victim withdrew support; the stage is taken from the case',
    body: RecordWithdrawal,
    response: z.object({ id: z.uuid() }),
    status: 201,
    handler: (ctx, req) => service.recordWithdrawal(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/withdrawals/reengagement',
    tag: 'Withdrawal',
    summary: 'Record that the victim re-engaged after withdrawing support',
    body: RecordReengagement,
    response: z.object({ ok: z.literal(true) }),
    handler: async (ctx, req) => {
      await service.recordReengagement(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
}
