import type { FastifyInstance } from 'fastify'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { type FieldError, ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, formErrors } from '../../platform/web/views.ts'
import {
  type Answers,
  answerLabel,
  CHARACTERISTICS,
  COMPLETENESS_LABELS,
  NOT_ASKED,
  PREFERS_NOT_TO_SAY,
} from './characteristics.ts'
import type { Victim } from './schema.ts'
import * as service from './service.ts'

type Body = Record<string, string>
type Params = { Params: { id: string } }

/** Success messages, chosen by a code in the query string so no user-supplied text is echoed. */
const DONE: Record<string, string> = {
  details: 'The victim’s details have been saved',
  characteristics: 'The victim’s protected characteristics have been saved',
}

const DETAILS_ANCHORS = { dateOfBirth: 'dateOfBirth-day', contact: 'phone' }

/** The error summary lists problems in the order of the form; cross-field rules come last from the schema. */
const DETAILS_ORDER = [
  'firstName',
  'lastName',
  'otherNames',
  'dateOfBirth',
  'contact',
  'phone',
  'email',
  'postalAddress',
  'preferredLanguage',
  'interpreterNeeded',
  'vulnerable',
  'vulnerableReason',
  'needs',
]
const inFormOrder = (errors: FieldError[]) =>
  errors.toSorted((a, b) => DETAILS_ORDER.indexOf(a.field) - DETAILS_ORDER.indexOf(b.field))

const yesNo = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined)
const asYesNo = (v: boolean) => (v ? 'yes' : 'no')

/** The details form as the service takes it: booleans from yes/no radios, the date from its three boxes. */
function detailsInput(body: Body) {
  return {
    firstName: body.firstName,
    lastName: body.lastName,
    otherNames: body.otherNames,
    dateOfBirth: dateFromInput(body, 'dateOfBirth'),
    phone: body.phone,
    email: body.email,
    postalAddress: body.postalAddress,
    preferredLanguage: body.preferredLanguage,
    interpreterNeeded: yesNo(body.interpreterNeeded),
    vulnerable: yesNo(body.vulnerable),
    vulnerableReason: body.vulnerableReason,
    needs: body.needs,
  }
}

/** The reverse of detailsInput, to fill the form from what is recorded. */
function detailsForm(v: Victim): Body {
  const [year, month, day] = v.dateOfBirth.split('-')
  const text = (s: string | null) => s ?? ''
  return {
    firstName: v.firstName,
    lastName: v.lastName,
    otherNames: text(v.otherNames),
    'dateOfBirth-day': String(Number(day)),
    'dateOfBirth-month': String(Number(month)),
    'dateOfBirth-year': year,
    phone: text(v.phone),
    email: text(v.email),
    postalAddress: text(v.postalAddress),
    preferredLanguage: v.preferredLanguage,
    interpreterNeeded: asYesNo(v.interpreterNeeded),
    vulnerable: asYesNo(v.vulnerable),
    vulnerableReason: text(v.vulnerableReason),
    needs: text(v.needs),
  }
}

/** One radios group per characteristic: real answers, then "or", then the two that are not answers. */
function characteristicQuestions(chosen: Record<string, string | undefined>, age: number | undefined) {
  return CHARACTERISTICS.map((c) => {
    const value = chosen[c.key] ?? NOT_ASKED
    const option = (v: string) => ({ value: v, text: answerLabel(c, v), checked: value === v })
    return {
      key: c.key,
      name: c.name,
      question: c.key === 'age' && age !== undefined ? `${c.question} Their date of birth gives an age of ${age}.` : c.question,
      items: [...c.answers.map((a) => option(a.value)), { divider: 'or' }, option(PREFERS_NOT_TO_SAY), option(NOT_ASKED)],
    }
  })
}

function characteristicRows(answers: Answers) {
  return CHARACTERISTICS.map((c) => ({ key: { text: c.name }, value: { text: answerLabel(c, answers[c.key]) } }))
}

export function victimRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<Params & { Querystring: { done?: string } }>('/cases/:id/victim', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { case: c, victim } = await service.viewVictim(ctx, req.params.id)
      return reply.render('victims/views/show.njk', {
        title: `Victim – case ${c.urn}`,
        c,
        victim,
        characteristicRows: victim && characteristicRows(victim.characteristics),
        completenessLabel: victim && COMPLETENESS_LABELS[victim.characteristicsCompleteness.status],
        done: DONE[req.query.done ?? ''],
      })
    })

    app.get<Params>('/cases/:id/victim/details', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { case: c, victim } = await service.viewVictim(ctx, req.params.id)
      const values = victim ? detailsForm(victim) : {}
      return reply.render('victims/views/details.njk', {
        title: detailsTitle(Boolean(victim)),
        c,
        recorded: Boolean(victim),
        values,
      })
    })

    app.post<Params & { Body: Body }>('/cases/:id/victim/details', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      try {
        await service.saveVictimDetails(ctx, req.params.id, detailsInput(body))
        return reply.redirect(`/cases/${req.params.id}/victim?done=details`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const { case: c, victimRecorded } = await service.victimCase(ctx, req.params.id)
        return reply.status(400).render('victims/views/details.njk', {
          title: detailsTitle(victimRecorded),
          c,
          recorded: victimRecorded,
          values: body,
          errors: formErrors(inFormOrder(err.fieldErrors), DETAILS_ANCHORS),
        })
      }
    })

    app.get<Params>('/cases/:id/victim/characteristics', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { case: c, victim } = await service.viewVictim(ctx, req.params.id, { required: true })
      return reply.render('victims/views/characteristics.njk', {
        title: 'Protected characteristics',
        c,
        questions: characteristicQuestions(victim?.characteristics ?? {}, victim?.age),
      })
    })

    app.post<Params & { Body: Body }>('/cases/:id/victim/characteristics', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = Object.fromEntries(CHARACTERISTICS.map((ch) => [ch.key, body[ch.key] || undefined]))
      try {
        await service.saveCharacteristics(ctx, req.params.id, input)
        return reply.redirect(`/cases/${req.params.id}/victim?done=characteristics`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const { case: c } = await service.victimCase(ctx, req.params.id)
        return reply.status(400).render('victims/views/characteristics.njk', {
          title: 'Protected characteristics',
          c,
          questions: characteristicQuestions(body, undefined),
          errors: formErrors(err.fieldErrors),
        })
      }
    })
  }
}

const detailsTitle = (recorded: boolean) => (recorded ? 'Change the victim’s details' : 'Record the victim')
