import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { ELP_DECISIONS, PRESSURE_ANSWERS, WITHDRAWAL_REASONS } from './reasons.ts'
import { RecordElp, RecordReengagement, RecordWithdrawal, Withdrawal } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody

async function renderPage(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewWithdrawals(ctx, caseId)
  return reply.render('withdrawal/views/withdrawal.njk', {
    title: 'Withdrawal of support',
    c: view.case,
    withdrawals: view.withdrawals,
    withdrawn: view.withdrawn,
    // Only the current reasons are offered; legacy codes show on old withdrawals only.
    reasons: WITHDRAWAL_REASONS,
    pressureAnswers: PRESSURE_ANSWERS,
    values: { reasons: [] },
    ...extra,
  })
}

async function renderElp(
  ctx: Ctx,
  reply: FastifyReply,
  caseId: string,
  withdrawalId: string,
  extra: Record<string, unknown> = {},
) {
  const view = await service.viewElp(ctx, caseId, withdrawalId)
  const elp = view.withdrawal.elp
  return reply.render('withdrawal/views/elp.njk', {
    title: 'Evidence-led prosecution',
    c: view.case,
    w: view.withdrawal,
    side: ctx.actor.organisationKind,
    decisions: ELP_DECISIONS,
    values: {
      policeView: elp?.policeView?.value ?? '',
      cpsView: elp?.cpsView?.value ?? '',
      decision: elp?.decision?.value.code ?? '',
      result: elp?.result?.value ?? '',
    },
    ...extra,
  })
}

const yesNo = (value: string) => (value === 'yes' ? true : value === 'no' ? false : undefined)

/**
 * A withdrawal form post as the service wants it. The retraction statement's fields sit in a
 * conditional reveal, which a browser posts even when "No" is chosen: they count only with "Yes",
 * and the details of pressure only with "Yes" to pressure.
 */
function withdrawalFromForm(body: Body) {
  const taken = yesNo(formText(body, 'retractionStatementTaken'))
  const pressure = formText(body, 'pressureSuspected')
  const retraction = taken
    ? {
        retractionTakenOn: dateFromInput(body, 'retractionTakenOn') || undefined,
        retractionTakenBy: formText(body, 'retractionTakenBy'),
        maintainsAccountTrue: yesNo(formText(body, 'maintainsAccountTrue')),
        pressureSuspected: pressure === '' ? undefined : pressure,
        pressureDetails: pressure === 'yes' ? formText(body, 'pressureDetails') : '',
        victimsOwnWords: formText(body, 'victimsOwnWords'),
      }
    : {}
  return {
    withdrawnOn: dateFromInput(body, 'withdrawnOn'),
    everSupported: yesNo(formText(body, 'everSupported')),
    reasons: formList(body.reasons),
    details: formText(body, 'details'),
    retractionStatementTaken: taken,
    ...retraction,
  }
}

/** On the page an empty box means "no change": a recorded part is changed, never blanked. */
function elpFromForm(body: Body) {
  const given = (name: string) => formText(body, name).trim() || undefined
  return { policeView: given('policeView'), cpsView: given('cpsView'), decision: given('decision'), result: given('result') }
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
      return submitForm(
        reply,
        () => service.recordWithdrawal(ctx, req.params.id, withdrawalFromForm(body)),
        `/cases/${req.params.id}/withdrawal`,
        (errors) => renderPage(ctx, reply, req.params.id, { values: { ...body, reasons: formList(body.reasons) }, errors }),
        { withdrawnOn: 'withdrawnOn-day', retractionTakenOn: 'retractionTakenOn-day' },
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

    app.get<{ Params: { id: string; withdrawalId: string } }>('/cases/:id/withdrawal/:withdrawalId/elp', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderElp(ctx, reply, req.params.id, req.params.withdrawalId)
    })

    app.post<{ Params: { id: string; withdrawalId: string }; Body: Body }>(
      '/cases/:id/withdrawal/:withdrawalId/elp',
      async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        const { id, withdrawalId } = req.params
        return submitForm(
          reply,
          () => service.recordElp(ctx, id, withdrawalId, elpFromForm(body)),
          `/cases/${id}/withdrawal`,
          (errors) => renderElp(ctx, reply, id, withdrawalId, { values: body, errors }),
          { body: ctx.actor.organisationKind === 'cps_area' ? 'cpsView' : 'policeView', decision: 'decision' },
        )
      },
    )
  }
}

export function withdrawalApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as { id: string; withdrawalId: string }
  api.route({
    method: 'get',
    path: '/cases/{id}/withdrawals',
    tag: 'Withdrawal',
    summary: 'The victim’s withdrawals of support, retraction statements and re-engagements, newest first',
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
    summary:
      'Record that the victim withdrew support; the stage is taken from the case. The retraction statement’s details (MG6DAR) are needed when one was taken, and refused when not',
    body: RecordWithdrawal,
    response: z.object({ id: z.uuid() }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.recordWithdrawal(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/withdrawals/reengagement',
    tag: 'Withdrawal',
    summary: 'Record that the victim re-engaged after withdrawing support',
    body: RecordReengagement,
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.recordReengagement(ctx, params(req).id, req.body)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/withdrawals/{withdrawalId}/elp',
    tag: 'Withdrawal',
    summary:
      'Record or update parts of the evidence-led prosecution consideration: the police view (police), the CPS view and decision (CPS), the result (either). Parts left out keep what was recorded',
    body: RecordElp,
    response: z.object({ ok: z.literal(true) }),
    refusals: ['forbidden'],
    handler: async (ctx, req) => {
      const { id, withdrawalId } = params(req)
      await service.recordElp(ctx, id, withdrawalId, req.body)
      return { ok: true as const }
    },
  })
}
