import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { dateFromInput, type FormBody, formList, formText, submitForm } from '../../platform/web/views.ts'
import { victimApiPaths, victimBase, victimPaths, whichVictim } from '../victims/paths.ts'
import { ELP_DECISIONS, PRESSURE_ANSWERS, WITHDRAWAL_REASONS } from './reasons.ts'
import { RecordElp, RecordReengagement, RecordWithdrawal, Withdrawal } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
/** `victimId` is there on the victim's address, not on the case's old one. */
type Params = { id: string; victimId?: string }
type ElpParams = Params & { withdrawalId: string }

async function renderPage(ctx: Ctx, reply: FastifyReply, params: Params, extra: Record<string, unknown> = {}) {
  const view = await service.viewWithdrawals(ctx, params.id, { victimId: params.victimId })
  return reply.render('withdrawal/views/withdrawal.njk', {
    title: 'Withdrawal of support',
    c: view.case,
    victim: view.victim,
    base: victimBase(view.case.id, view.victim?.id),
    withdrawals: view.withdrawals,
    withdrawn: view.withdrawn,
    // Only the current reasons are offered; legacy codes show on old withdrawals only.
    reasons: WITHDRAWAL_REASONS,
    pressureAnswers: PRESSURE_ANSWERS,
    values: { reasons: [] },
    ...extra,
  })
}

async function renderElp(ctx: Ctx, reply: FastifyReply, params: ElpParams, extra: Record<string, unknown> = {}) {
  const view = await service.viewElp(ctx, params.id, params.withdrawalId, { victimId: params.victimId })
  const elp = view.withdrawal.elp
  return reply.render('withdrawal/views/elp.njk', {
    title: 'Evidence-led prosecution',
    c: view.case,
    victim: view.victim,
    base: victimBase(view.case.id, view.victim?.id),
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

/** Where a form goes back to: the same victim's page, under the address it was posted to. */
const pageOf = (p: Params) => `${victimBase(p.id, p.victimId)}/withdrawal`

export function withdrawalRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    for (const path of victimPaths('/withdrawal')) {
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
          () => service.recordWithdrawal(ctx, req.params.id, withdrawalFromForm(body), { victimId: req.params.victimId }),
          pageOf(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: { ...body, reasons: formList(body.reasons) }, errors }),
          { withdrawnOn: 'withdrawnOn-day', retractionTakenOn: 'retractionTakenOn-day' },
        )
      })
    }

    for (const path of victimPaths('/withdrawal/reengagement')) {
      app.post<{ Params: Params; Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        return submitForm(
          reply,
          () =>
            service.recordReengagement(
              ctx,
              req.params.id,
              { reengagedOn: dateFromInput(body, 'reengagedOn'), note: formText(body, 'note') },
              { victimId: req.params.victimId },
            ),
          pageOf(req.params),
          (errors) => renderPage(ctx, reply, req.params, { values: body, errors }),
          { reengagedOn: 'reengagedOn-day' },
        )
      })
    }

    for (const path of victimPaths('/withdrawal/:withdrawalId/elp')) {
      app.get<{ Params: ElpParams }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        return renderElp(ctx, reply, req.params)
      })

      app.post<{ Params: ElpParams; Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        const { id, withdrawalId, victimId } = req.params
        return submitForm(
          reply,
          () => service.recordElp(ctx, id, withdrawalId, elpFromForm(body), { victimId }),
          pageOf(req.params),
          (errors) => renderElp(ctx, reply, req.params, { values: body, errors }),
          { body: ctx.actor.organisationKind === 'cps_area' ? 'cpsView' : 'policeView', decision: 'decision' },
        )
      })
    }
  }
}

export function withdrawalApi(api: Api) {
  const params = (req: { params: unknown }) => req.params as ElpParams
  // Each under the victim and, for the case's one victim, under the case: there a case file with
  // several victims answers 409 several_victims.
  const [underVictim, underCase] = victimApiPaths('/withdrawals')
  const bothPaths = (rest = '') => [underVictim + rest, underCase + rest]
  for (const path of bothPaths()) {
    api.route({
      method: 'get',
      path,
      tag: 'Withdrawal',
      summary: 'The victim’s withdrawals of support, retraction statements and re-engagements, newest first',
      response: z.object({ withdrawn: z.boolean(), withdrawals: z.array(Withdrawal) }),
      // 403 reason_needed: a user without a direct part in the case says why first (docs/decisions/0010).
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        const { withdrawn, withdrawals } = await service.viewWithdrawals(ctx, params(req).id, whichVictim(req))
        return { withdrawn, withdrawals }
      },
    })
    api.route({
      method: 'post',
      path,
      tag: 'Withdrawal',
      summary:
        'Record that the victim withdrew support; the stage is taken from the case. The retraction statement’s details (MG6DAR) are needed when one was taken, and refused when not. A victim has one withdrawal open at a time',
      body: RecordWithdrawal,
      response: z.object({ id: z.uuid() }),
      status: 201,
      refusals: ['forbidden', 'conflict'],
      handler: (ctx, req) => service.recordWithdrawal(ctx, params(req).id, req.body, whichVictim(req)),
    })
  }
  for (const path of bothPaths('/reengagement')) {
    api.route({
      method: 'post',
      path,
      tag: 'Withdrawal',
      summary: 'Record that the victim re-engaged after withdrawing support',
      body: RecordReengagement,
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        await service.recordReengagement(ctx, params(req).id, req.body, whichVictim(req))
        return { ok: true as const }
      },
    })
  }
  for (const path of bothPaths('/{withdrawalId}/elp')) {
    api.route({
      method: 'post',
      path,
      tag: 'Withdrawal',
      summary:
        'Record or update parts of the evidence-led prosecution consideration of one of the victim’s withdrawals: the police view (police), the CPS view and decision (CPS), the result (either). Parts left out keep what was recorded',
      body: RecordElp,
      response: z.object({ ok: z.literal(true) }),
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        const { id, withdrawalId } = params(req)
        await service.recordElp(ctx, id, withdrawalId, req.body, whichVictim(req))
        return { ok: true as const }
      },
    })
  }
}
