import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Actor } from '../../platform/access/actor.ts'
import { allows, requireCase } from '../../platform/access/policy.ts'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { clockWording } from '../../platform/deadlines/deadlines.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, dateToInput, formErrors } from '../../platform/web/views.ts'
import { victimApiPaths, victimBase, victimPaths, whichVictim } from '../victims/paths.ts'
import type { VictimOfCase } from '../victims/service.ts'
import { CHANNELS, MADE_BY, MAX_UPDATE_DAYS, NFA_PREFERENCES, USUAL_FREQUENCIES } from './reference.ts'
import { londonInstant, timeFromInput } from './rules.ts'
import { CommunicationView, NextUpdate, Plan, PlanInput, RecordContact } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
/** `victimId` is absent on the case's old address, which serves its one victim. */
type Params = { Params: { id: string; victimId?: string } }

/** Success messages, chosen by a code in the query string so no user-supplied text is echoed. */
const DONE: Record<string, string> = {
  plan: 'The communication plan has been saved',
  contact: 'The contact has been recorded',
}

const PLAN_ANCHORS = { updateEveryDays: 'updates' }
const CONTACT_ANCHORS = { contactedAt: 'contactedOn-day' }

const isSupport = (actor: Actor) => actor.organisationKind === 'support_service'
/** An ISVA records only their own contacts. */
const madeByFor = (actor: Actor) => (isSupport(actor) ? MADE_BY.filter((m) => m.code === 'isva') : MADE_BY)

const yesNo = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined)
const asYesNo = (v: boolean) => (v ? 'yes' : 'no')

/** The frequency radios: the usual choices, another number of days, or only at key decisions. */
function frequencyInput(body: Body): number | null | undefined | string {
  const choice = body.updates
  if (choice === 'key_decisions') return null
  if (choice === 'other') {
    const days = (body.otherDays ?? '').trim()
    return /^\d{1,3}$/.test(days) ? Number(days) : days || undefined
  }
  return choice && /^\d+$/.test(choice) ? Number(choice) : undefined
}

function planInput(body: Body) {
  return {
    preferredChannel: body.preferredChannel || undefined,
    updateEveryDays: frequencyInput(body),
    safeTimes: body.safeTimes,
    messagesMayBeLeft: yesNo(body.messagesMayBeLeft),
    throughIsva: yesNo(body.throughIsva),
    nfaPreference: body.nfaPreference || undefined,
    nfaDetails: body.nfaDetails,
  }
}

/** The reverse of planInput, to fill the form from the plan in force. */
function planForm(p: Plan): Body {
  const usual = (USUAL_FREQUENCIES as readonly number[]).includes(p.updateEveryDays ?? -1)
  return {
    preferredChannel: p.preferredChannel.code,
    updates: p.updateEveryDays === null ? 'key_decisions' : usual ? String(p.updateEveryDays) : 'other',
    otherDays: p.updateEveryDays !== null && !usual ? String(p.updateEveryDays) : '',
    safeTimes: p.safeTimes,
    messagesMayBeLeft: asYesNo(p.messagesMayBeLeft),
    throughIsva: asYesNo(p.throughIsva),
    nfaPreference: p.nfaPreference.code,
    nfaDetails: p.nfaDetails ?? '',
  }
}

/** The contact form's date boxes and time box as one instant in England and Wales, or '' when unreadable. */
function contactInput(body: Body) {
  const date = dateFromInput(body, 'contactedOn')
  const time = timeFromInput(body.contactedTime ?? '')
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && time !== '' && time !== 'invalid'
  const instant = valid ? londonInstant(date, time) : undefined
  return {
    contactedAt: instant && !Number.isNaN(instant.getTime()) ? instant.toISOString() : undefined,
    channel: body.channel || undefined,
    madeBy: body.madeBy || undefined,
    plannedUpdate: yesNo(body.plannedUpdate),
    summary: body.summary,
    missedReason: body.missedReason ?? '',
    victimToldWhy: body.victimToldWhy === 'yes',
  }
}

const withWording = (next: { dueAt: string; overdue: boolean } | null, now: Date) =>
  next && { ...next, wording: clockWording('victim_update', new Date(next.dueAt), now) }

const planTitle = (agreed: boolean) => (agreed ? 'Change the communication plan' : 'Agree a communication plan')
/** What every page of the section shows of the victim, and where its links and forms go. */
const aboutVictim = (caseId: string, victim: VictimOfCase) => ({ victim, base: victimBase(caseId, victim?.id) })

const PLAN_LISTS = {
  channels: CHANNELS,
  nfaPreferences: NFA_PREFERENCES,
  usualFrequencies: USUAL_FREQUENCIES,
  maxDays: MAX_UPDATE_DAYS,
}

export function communicationRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    /** Back to the section at the address the request came by: the victim's, or the case's old one. */
    const sectionOf = (p: Params['Params']) => `${victimBase(p.id, p.victimId)}/communication`

    for (const path of victimPaths('/communication')) {
      app.get<Params & { Querystring: { done?: string } }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const view = await service.viewCommunication(ctx, req.params.id, whichVictim(req))
        const victim = { id: view.victim?.id ?? null }
        return reply.render('communication/views/show.njk', {
          title: `Communication with the victim – case ${view.case.urn}`,
          c: view.case,
          ...aboutVictim(view.case.id, view.victim),
          plan: view.plan,
          language: view.language,
          nextUpdate: withWording(view.nextUpdate, s.clock.now()),
          contacts: view.contacts,
          may: {
            agree: allows(ctx.actor, 'agree_plan', view.case, victim),
            record: allows(ctx.actor, 'record_contact', view.case, victim),
          },
          done: DONE[req.query.done ?? ''],
        })
      })
    }

    for (const path of victimPaths('/communication/plan')) {
      app.get<Params>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const view = await service.viewCommunication(ctx, req.params.id, whichVictim(req))
        // The form is offered only to those who may agree the plan (police and CPS, not ISVAs).
        requireCase(ctx.actor, 'agree_plan', view.case, { id: view.victim?.id ?? null })
        return reply.render('communication/views/plan.njk', {
          title: planTitle(Boolean(view.plan)),
          c: view.case,
          ...aboutVictim(view.case.id, view.victim),
          agreed: Boolean(view.plan),
          language: view.language,
          values: view.plan ? planForm(view.plan) : {},
          ...PLAN_LISTS,
        })
      })

      app.post<Params & { Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        try {
          await service.savePlan(ctx, req.params.id, planInput(body), whichVictim(req))
          return reply.redirect(`${sectionOf(req.params)}?done=plan`, 303)
        } catch (err) {
          if (!(err instanceof ValidationFailed)) throw err
          const { case: c, victim, planAgreed } = await service.communicationCase(ctx, req.params.id, 'view', whichVictim(req))
          return reply.status(400).render('communication/views/plan.njk', {
            title: planTitle(planAgreed),
            c,
            ...aboutVictim(c.id, victim),
            agreed: planAgreed,
            values: body,
            // A bad number of days points at the box where it was typed.
            errors: formErrors(err.fieldErrors, body.updates === 'other' ? { updateEveryDays: 'otherDays' } : PLAN_ANCHORS),
            ...PLAN_LISTS,
          })
        }
      })
    }

    for (const path of victimPaths('/communication/contacts')) {
      app.get<Params>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const { case: c, victim, nextUpdate } = await service.communicationCase(ctx, req.params.id, 'record', whichVictim(req))
        const now = s.clock.now()
        // Today's date in the boxes: most contacts are recorded the day they happen.
        const today = now.toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
        return reply.render('communication/views/contact.njk', {
          title: 'Record a contact with the victim',
          c,
          ...aboutVictim(c.id, victim),
          nextUpdate: withWording(nextUpdate, now),
          values: dateToInput('contactedOn', today),
          channels: CHANNELS,
          madeBy: madeByFor(ctx.actor),
        })
      })

      app.post<Params & { Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        try {
          await service.recordContact(ctx, req.params.id, contactInput(body), whichVictim(req))
          // An ISVA may record contacts without the victim sharing the plan and log with them.
          const back = isSupport(ctx.actor)
            ? `${victimBase(req.params.id, req.params.victimId)}/support`
            : `${sectionOf(req.params)}?done=contact`
          return reply.redirect(back, 303)
        } catch (err) {
          if (!(err instanceof ValidationFailed)) throw err
          const { case: c, victim, nextUpdate } = await service.communicationCase(ctx, req.params.id, 'record', whichVictim(req))
          return reply.status(400).render('communication/views/contact.njk', {
            title: 'Record a contact with the victim',
            c,
            ...aboutVictim(c.id, victim),
            nextUpdate: withWording(nextUpdate, s.clock.now()),
            values: body,
            errors: formErrors(err.fieldErrors, CONTACT_ANCHORS),
            channels: CHANNELS,
            madeBy: madeByFor(ctx.actor),
          })
        }
      })
    }
  }
}

export function communicationApi(api: Api) {
  const caseId = (req: { params: unknown }) => (req.params as { id: string }).id
  // On the case's old addresses a user who knows of several victims is asked which (409 several_victims).
  for (const path of victimApiPaths('/communication')) {
    api.route({
      method: 'get',
      path,
      tag: 'Communication',
      summary:
        'The victim’s communication plan agreed with them (null before one is agreed), their language from the victim record, the next agreed update due and their contact log, newest first. Without a victim in the path: the case’s one victim',
      response: CommunicationView,
      refusals: ['forbidden', 'conflict'],
      handler: async (ctx, req) => {
        const { case: _c, victim: _v, ...view } = await service.viewCommunication(ctx, caseId(req), whichVictim(req))
        return view
      },
    })
  }
  for (const path of victimApiPaths('/communication/plan')) {
    api.route({
      method: 'put',
      path,
      tag: 'Communication',
      summary:
        'Agree or change the victim’s communication plan; updateEveryDays null means updates only at key decisions. Agreeing it, or changing the frequency, starts the next-update clock afresh (an overdue one stays until the late update is recorded). throughIsva needs an ISVA engaged for this victim',
      body: PlanInput,
      response: z.object({ plan: Plan, nextUpdate: NextUpdate.nullable() }),
      refusals: ['forbidden', 'conflict'],
      handler: (ctx, req) => service.savePlan(ctx, caseId(req), req.body, whichVictim(req)),
    })
  }
  for (const path of victimApiPaths('/communication/contacts')) {
    api.route({
      method: 'post',
      path,
      tag: 'Communication',
      summary:
        'Record a contact with the victim. A planned update meets the victim’s next-update clock and starts the next; made after it was due, it needs missedReason and victimToldWhy: true',
      body: RecordContact,
      response: z.object({ id: z.uuid() }),
      status: 201,
      refusals: ['forbidden', 'conflict'],
      handler: (ctx, req) => service.recordContact(ctx, caseId(req), req.body, whichVictim(req)),
    })
  }
}
