import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import { MovedDate, movedQuery } from '../../platform/calendar/working-date.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { Conflict, ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, type FormBody, formErrors, formList, formText } from '../../platform/web/views.ts'
import { EarlyAdvice } from '../advice/schema.ts'
import * as advice from '../advice/service.ts'
import { MG_FORMS } from './reference.ts'
import { ReferForCharge, Referral } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody
type Params = { Params: { id: string } }

const ANCHORS = { test: 'test', mgForms: 'mgForms', thresholdEvidenceExpected: 'thresholdEvidenceExpected-day' }

function referralInput(body: Body) {
  return {
    test: formText(body, 'test') || undefined,
    thresholdGrounds: formText(body, 'thresholdGrounds'),
    thresholdFurtherEvidence: formText(body, 'thresholdFurtherEvidence'),
    thresholdEvidenceExpected: dateFromInput(body, 'thresholdEvidenceExpected') || undefined,
    thresholdSeriousness: formText(body, 'thresholdSeriousness'),
    thresholdBailReasons: formText(body, 'thresholdBailReasons'),
    thresholdPublicInterest: formText(body, 'thresholdPublicInterest'),
    mgForms: formList(body.mgForms),
  }
}

export function chargingRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    const page = async (ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) => {
      const { case: c, earlyAdvice } = await advice.formCase(ctx, caseId, 'refer_for_charge')
      return reply.render('charging/views/referral.njk', {
        title: 'Refer for a charging decision',
        c,
        earlyAdvice,
        mgForms: MG_FORMS,
        chargingDecisionDays: s.config.chargingDecisionDays,
        values: { mgForms: [] },
        ...extra,
      })
    }
    app.get<Params>('/cases/:id/charging/referral', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return page(ctx, reply, req.params.id)
    })
    app.post<Params & { Body: Body }>('/cases/:id/charging/referral', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const values = { ...body, mgForms: formList(body.mgForms) }
      try {
        const { moved } = await service.refer(ctx, req.params.id, referralInput(body))
        return reply.redirect(`/cases/${req.params.id}/advice?done=referred${moved.length ? `&${movedQuery(moved)}` : ''}`, 303)
      } catch (err) {
        if (err instanceof ValidationFailed) {
          return page(ctx, reply.status(400), req.params.id, { values, errors: formErrors(err.fieldErrors, ANCHORS) })
        }
        // A rule of the service (early advice not considered, a referral already open): shown in the error summary.
        if (err instanceof Conflict) {
          const errors = { summary: [{ text: err.message, href: '#early-advice' }], fields: {} }
          return page(ctx, reply.status(409), req.params.id, { values, errors })
        }
        throw err
      }
    })
  }
}

export function chargingApi(api: Api) {
  const caseId = (req: { params: unknown }) => (req.params as { id: string }).id
  api.route({
    method: 'get',
    path: '/cases/{id}/charging/referrals',
    tag: 'Advice and charging',
    summary: 'Whether early advice has been considered, and the charging referrals with their triage and CPS clock, newest first',
    response: z.object({ earlyAdvice: EarlyAdvice, referrals: z.array(Referral) }),
    handler: async (ctx, req) => {
      const { earlyAdvice, referrals } = await advice.viewSection(ctx, caseId(req))
      return { earlyAdvice, referrals }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/charging/referrals',
    tag: 'Advice and charging',
    summary: `Police refer the case to the CPS Area serving their force for a charging decision: the Full Code Test, or the Threshold Test with its conditions, and the MG forms in the file. Refused (409) unless early advice has been considered. ${service.EARLY_ADVICE_RULE}. The decision is due by the end of the day the configured number of days later (28 by default), or the next working day when that is a weekend or bank holiday. A date the further evidence is expected on a weekend or bank holiday is moved to the next working day. Dates moved are listed in \`moved\``,
    body: ReferForCharge,
    response: z.object({ id: z.uuid(), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.refer(ctx, caseId(req), req.body),
  })
}
