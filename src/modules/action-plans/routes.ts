import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { allows } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import { MovedDate, movedQuery } from '../../platform/calendar/working-date.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { clockWording } from '../../platform/deadlines/deadlines.ts'
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, formErrors, submitForm } from '../../platform/web/views.ts'
import { APPROVAL_THEMES, BLANK_ROWS, MAX_ACTIONS, RESPONSE_KINDS, REVIEW_OUTCOMES } from './reference.ts'
import { ActionPlansView, ApprovePlan, DecideMoreTime, IssuePlan, RecordReview, RespondToAction } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
type Params = { Params: { id: string } }
type ActionParams = { Params: { id: string; planId: string; actionId: string } }
type PlanParams = { Params: { id: string; planId: string } }
type Query = { Querystring: { done?: string; moved?: string } }

/** Success messages, chosen by a code in the query string so no user-supplied text is echoed. */
const DONE: Record<string, string> = {
  issued: 'The action plan has been issued to the police',
  approved: 'The further action plan has been approved',
  responded: 'Your response has been recorded',
  decided: 'Your decision on the request for more time has been recorded',
  admin_finalised: 'The case has been admin finalised',
  reviewed: 'Your review of the action plan has been recorded',
  closed: 'Your review has been recorded and the action plan is closed',
}

/** Where a form goes when done: the plans page, naming the dates moved to a working day (field and date given only). */
const plansPage = (caseId: string, done: string, moved: MovedDate[] = []) =>
  `/cases/${caseId}/action-plans?done=${done}${moved.length ? `&${movedQuery(moved)}` : ''}`

async function renderPlans(ctx: Ctx, reply: FastifyReply, caseId: string, extra: Record<string, unknown> = {}) {
  const view = await service.viewActionPlans(ctx, caseId, { audited: !extra.errors })
  const now = ctx.clock.now()
  const c = view.case
  // With the police: issued, or admin finalised waiting for them (responded and closed plans are over).
  const open = view.plans.find((p) => p.state.code === 'issued' || p.state.code === 'admin_finalised')
  return reply.render('action-plans/views/show.njk', {
    title: `Action plans – case ${c.urn}`,
    c,
    ...view,
    plans: view.plans.map((p) => ({
      ...p,
      actions: p.actions.map((a) => ({
        ...a,
        wording: a.clock && !a.clock.paused ? clockWording('action_target', new Date(a.clock.dueAt), now) : null,
        pending: a.moreTime.find((m) => m.decision === null) ?? null,
      })),
    })),
    openPlan: open ?? null,
    canIssue: allows(ctx.actor, 'issue_action_plan', c),
    canRespond: allows(ctx.actor, 'respond_to_plan', c),
    canApprove: allows(ctx.actor, 'approve_action_plan', c),
    canReview: view.mayReview,
    canAdminFinalise:
      allows(ctx.actor, 'admin_finalise', c) &&
      open?.state.code === 'issued' &&
      open.adminFinaliseFrom !== null &&
      new Date(open.adminFinaliseFrom) < now,
    themes: APPROVAL_THEMES,
    values: {},
    ...extra,
  })
}

/** The plan form's rows: filled rows first (so "Action 2" in a message is the second row shown), then blanks. */
function planRows(body: Body) {
  const count = Math.min(Math.max(Number(body.rows) || BLANK_ROWS, 1), MAX_ACTIONS)
  const filled: { description: string; ownerId: string; targetDate: string; day: string; month: string; year: string }[] = []
  for (let r = 1; r <= count; r++) {
    const row = {
      description: (body[`action${r}Description`] ?? '').trim(),
      ownerId: body[`action${r}Owner`] ?? '',
      day: body[`action${r}Target-day`] ?? '',
      month: body[`action${r}Target-month`] ?? '',
      year: body[`action${r}Target-year`] ?? '',
    }
    if (row.description || row.ownerId || row.day.trim() || row.month.trim() || row.year.trim()) {
      filled.push({ ...row, targetDate: dateFromInput(body, `action${r}Target`) })
    }
  }
  const values: Record<string, string> = {}
  filled.forEach((row, i) => {
    const n = i + 1
    Object.assign(values, {
      [`action${n}Description`]: row.description,
      [`action${n}Owner`]: row.ownerId,
      [`action${n}Target-day`]: row.day,
      [`action${n}Target-month`]: row.month,
      [`action${n}Target-year`]: row.year,
    })
  })
  for (const p of ['day', 'month', 'year']) values[`reviewDate-${p}`] = body[`reviewDate-${p}`] ?? ''
  return {
    count: Math.max(count, filled.length),
    values,
    input: {
      actions: filled.map((r) => ({ description: r.description, ownerId: r.ownerId || undefined, targetDate: r.targetDate })),
      reviewDate: dateFromInput(body, 'reviewDate'),
    },
  }
}

const ROW_FIELDS: Record<string, string> = { description: 'Description', ownerId: 'Owner', targetDate: 'Target' }
/** Field errors named for the form's boxes: actions.1.targetDate is the second row's target date. */
function rowErrors(err: ValidationFailed) {
  const fields = err.fieldErrors.map((e) => {
    const m = /^actions\.(\d+)\.(\w+)$/.exec(e.field)
    if (m) return { ...e, field: `action${Number(m[1]) + 1}${ROW_FIELDS[m[2]] ?? m[2]}` }
    return e.field === 'actions' ? { ...e, field: 'action1Description' } : e
  })
  const anchors: Record<string, string> = { reviewDate: 'reviewDate-day' }
  for (const f of fields) if (f.field.endsWith('Target')) anchors[f.field] = `${f.field}-day`
  return formErrors(fields, anchors)
}

export function actionPlanRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<Params & Query>('/cases/:id/action-plans', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const moved = service.movedFromQuery(req.query.moved)
      return renderPlans(ctx, reply, req.params.id, { done: DONE[req.query.done ?? ''], moved })
    })

    const renderNew = async (ctx: Ctx, reply: FastifyReply, id: string, extra: Record<string, unknown>) => {
      const { case: c, owners } = await service.planFormOptions(ctx, id)
      return reply.render('action-plans/views/new.njk', { title: 'Issue an action plan', c, owners, ...extra })
    }

    app.get<Params>('/cases/:id/action-plans/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderNew(ctx, reply, req.params.id, { rows: BLANK_ROWS, values: {} })
    })

    app.post<Params & { Body: Body }>('/cases/:id/action-plans', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const rows = planRows(body)
      // "Add another action" redraws the form with one more row; nothing is written.
      if (body.add) {
        return renderNew(ctx, reply, req.params.id, {
          rows: Math.min(rows.count + 1, MAX_ACTIONS),
          values: rows.values,
          focus: `action${Math.min(rows.count + 1, MAX_ACTIONS)}Description`,
        })
      }
      try {
        const issued = await service.issuePlan(ctx, req.params.id, rows.input)
        return reply.redirect(plansPage(req.params.id, 'issued', issued.moved), 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        reply.status(400)
        return renderNew(ctx, reply, req.params.id, { rows: rows.count, values: rows.values, errors: rowErrors(err) })
      }
    })

    app.post<Params & { Body: Body }>('/cases/:id/action-plans/approvals', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.approveFurtherPlan(ctx, req.params.id, { theme: body.theme || undefined, reason: body.reason }),
        `/cases/${req.params.id}/action-plans?done=approved`,
        (errors) => renderPlans(ctx, reply, req.params.id, { values: body, errors }),
        { theme: 'theme' },
      )
    })

    const renderRespond = async (ctx: Ctx, reply: FastifyReply, p: ActionParams['Params'], extra: Record<string, unknown>) => {
      const view = await service.viewActionPlans(ctx, p.id, { audited: false })
      const plan = view.plans.find((x) => x.id === p.planId)
      const action = plan?.actions.find((a) => a.id === p.actionId)
      if (!plan || !action) throw new NotFound()
      return reply.render('action-plans/views/respond.njk', {
        title: `Respond to action ${action.number}`,
        c: view.case,
        plan,
        action,
        kinds: RESPONSE_KINDS,
        values: {},
        ...extra,
      })
    }

    app.get<ActionParams>('/cases/:id/action-plans/:planId/actions/:actionId/response', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderRespond(ctx, reply, req.params, {})
    })

    app.post<ActionParams & { Body: Body }>('/cases/:id/action-plans/:planId/actions/:actionId/response', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const p = req.params
      return submitForm(
        reply,
        () =>
          service.respondToAction(ctx, p.id, p.planId, p.actionId, {
            outcome: body.outcome || undefined,
            details: body.details,
            ...(body.outcome === 'more_time' && { proposedDate: dateFromInput(body, 'proposedDate') }),
          }),
        (r) => plansPage(p.id, 'responded', r.moved),
        (errors) => renderRespond(ctx, reply, p, { values: body, errors }),
        { proposedDate: 'proposedDate-day' },
      )
    })

    app.post<ActionParams & { Body: Body }>('/cases/:id/action-plans/:planId/actions/:actionId/more-time', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const p = req.params
      return submitForm(
        reply,
        () => service.decideMoreTime(ctx, p.id, p.planId, p.actionId, { decision: body.decision || undefined, note: body.note }),
        `/cases/${p.id}/action-plans?done=decided`,
        (errors) => renderPlans(ctx, reply, p.id, { values: body, decisionFor: p.actionId, errors }),
        { decision: `decision-${p.actionId}`, note: `note-${p.actionId}` },
      )
    })

    const renderAdminFinalise = async (ctx: Ctx, reply: FastifyReply, id: string, errors?: unknown) => {
      const check = await service.adminFinaliseCheck(ctx, id)
      return reply.render('action-plans/views/admin-finalise.njk', {
        title: 'Admin finalise the case',
        c: check.case,
        ...check,
        errors,
      })
    }

    app.get<Params>('/cases/:id/admin-finalisation', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderAdminFinalise(ctx, reply, req.params.id)
    })

    app.post<Params>('/cases/:id/admin-finalisation', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      try {
        await service.adminFinalise(ctx, req.params.id)
      } catch (err) {
        // Too early, or nothing to finalise: the rule in the error summary, nothing written.
        if (!(err instanceof Conflict)) throw err
        reply.status(409)
        return renderAdminFinalise(ctx, reply, req.params.id, { summary: [{ text: err.message, href: '#blocked' }], fields: {} })
      }
      return reply.redirect(`/cases/${req.params.id}/action-plans?done=admin_finalised`, 303)
    })

    const renderReview = async (ctx: Ctx, reply: FastifyReply, p: PlanParams['Params'], extra: Record<string, unknown>) => {
      const view = await service.reviewForm(ctx, p.id, p.planId)
      return reply.render('action-plans/views/review.njk', {
        title: `Review action plan ${view.plan.number}`,
        c: view.case,
        plan: view.plan,
        outcomes: REVIEW_OUTCOMES,
        values: {},
        ...extra,
      })
    }

    app.get<PlanParams>('/cases/:id/action-plans/:planId/review', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return renderReview(ctx, reply, req.params, {})
    })

    app.post<PlanParams & { Body: Body }>('/cases/:id/action-plans/:planId/review', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const p = req.params
      return submitForm(
        reply,
        () =>
          service.recordReview(ctx, p.id, p.planId, {
            outcome: body.outcome || undefined,
            progress: body.progress,
            stillNeeded: body.stillNeeded,
            ...(body.outcome === 'next_review' && { nextReviewDate: dateFromInput(body, 'nextReviewDate') }),
            ...(body.outcome === 'close' && { closeReason: body.closeReason }),
          }),
        (r) => plansPage(p.id, r.planState === 'closed' ? 'closed' : 'reviewed', r.moved),
        (errors) => renderReview(ctx, reply, p, { values: body, errors }),
        { nextReviewDate: 'nextReviewDate-day' },
      )
    })
  }
}

export function actionPlanApi(api: Api) {
  type P = { id: string; planId: string; actionId: string }
  const params = (req: { params: unknown }) => req.params as P
  const ok = z.object({ ok: z.literal(true) })
  api.route({
    method: 'get',
    path: '/cases/{id}/action-plans',
    tag: 'Action plans',
    summary:
      'The case’s action plans, newest first, with their actions, responses, requests for more time and DCP approvals; and what admin finalisation means',
    response: ActionPlansView,
    handler: async (ctx, req) => {
      const { case: _c, mayReview: _r, ...view } = await service.viewActionPlans(ctx, params(req).id)
      return view
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/action-plans',
    tag: 'Action plans',
    summary:
      'Issue an action plan (CPS): numbered actions with an owner of the investigating force and a target date, and a review date. A target or review date on a weekend or bank holiday is moved to the next working day and listed in `moved`. A further plan after a Full Code Test submission needs a DCP approval first (409 without one)',
    body: IssuePlan,
    response: z.object({ id: z.uuid(), number: z.number().int(), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.issuePlan(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/action-plans/approvals',
    tag: 'Action plans',
    summary:
      'A District Crown Prosecutor approves a further action plan after a Full Code Test submission, with a reason and a theme',
    body: ApprovePlan,
    response: z.object({ id: z.uuid() }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.approveFurtherPlan(ctx, params(req).id, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/action-plans/{planId}/actions/{actionId}/responses',
    tag: 'Action plans',
    summary:
      'The police respond to an action: done, cannot be done, or more time (a proposed new target date, moved to the next working day if it falls on a weekend or bank holiday, listed in `moved`). A response to an admin-finalised plan reopens it; answering the last action sends the file back to the CPS',
    body: RespondToAction,
    response: z.object({ planState: z.enum(['issued', 'responded', 'admin_finalised']), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.respondToAction(ctx, params(req).id, params(req).planId, params(req).actionId, req.body),
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/action-plans/{planId}/actions/{actionId}/more-time-decision',
    tag: 'Action plans',
    summary: 'The prosecutor agrees (the action’s target moves) or refuses (with a note) a request for more time',
    body: DecideMoreTime,
    response: ok,
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.decideMoreTime(ctx, params(req).id, params(req).planId, params(req).actionId, req.body)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/admin-finalisation',
    tag: 'Action plans',
    summary:
      'Admin finalise the case (CPS) once the police are late: the wait (3 months by default) counts from the latest target date in force among the unanswered actions, agreed extra time included (409 `police_not_late` before). An administrative closure, not a decision on the evidence: the case reopens when the police respond',
    response: ok,
    refusals: ['forbidden', 'conflict'],
    handler: async (ctx, req) => {
      await service.adminFinalise(ctx, params(req).id)
      return { ok: true as const }
    },
  })
  api.route({
    method: 'post',
    path: '/cases/{id}/action-plans/{planId}/reviews',
    tag: 'Action plans',
    summary:
      'The reviewing prosecutor, or a DCP of the Area, reviews a plan still with the police: progress, what is still needed, and the next review date (moved to a working day, listed in `moved`) or closing the plan with a reason. Discharges the review clock and opens the next; closing sends the file back to the CPS. Others get 403 (`cps_only`, `reviewing_prosecutor_only`)',
    body: RecordReview,
    response: z.object({ id: z.uuid(), planState: z.enum(['issued', 'closed']), moved: z.array(MovedDate) }),
    status: 201,
    refusals: ['forbidden', 'conflict'],
    handler: (ctx, req) => service.recordReview(ctx, params(req).id, params(req).planId, req.body),
  })
}
