import type { FastifyInstance } from 'fastify'
import { pageCtx } from '../../platform/auth/identify.ts'
import { quarterChoices } from '../../platform/calendar/quarters.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Services } from '../../platform/context.ts'
import { type FieldError, ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, formatDate, formErrors } from '../../platform/web/views.ts'
import {
  ageBandOf,
  answerLabel,
  CHARACTERISTICS,
  COMPLETENESS_LABELS,
  ETHNIC_GROUPS,
  isSuperseded,
  NOT_ASKED,
  PREFERS_NOT_TO_SAY,
} from './characteristics.ts'
import { victimPaths } from './paths.ts'
import type { AnswerRecorded, CompletenessReport, Victim } from './schema.ts'
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
    // Three empty boxes mean the date of birth is not known.
    dateOfBirth: dateFromInput(body, 'dateOfBirth') || undefined,
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
  const [year, month, day] = v.dateOfBirth?.split('-') ?? ['', '', '']
  const text = (s: string | null) => s ?? ''
  return {
    firstName: v.firstName,
    lastName: v.lastName,
    otherNames: text(v.otherNames),
    'dateOfBirth-day': day && String(Number(day)),
    'dateOfBirth-month': month && String(Number(month)),
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

const recordedText = (r: AnswerRecorded | undefined) =>
  r && `Recorded on ${formatDate(r.recordedAt, 'datetime')} by ${r.recordedBy.name}`

/** What the characteristics form needs to know about the victim beyond the answers chosen. */
interface FormFacts {
  /** Whole years from the date of birth; null when a date is recorded but not read (a form sent back). */
  age: number | null
  dateOfBirthRecorded: boolean
  recorded: Record<string, AnswerRecorded>
}

/**
 * One question per characteristic: real answers, then "or", then the two that are not answers.
 * Age is asked as a band only when no date of birth is recorded; ethnic group is asked at the
 * detailed level under its five broad groups, and an answer of the broad group only stays
 * offered (as it is) until the victim is asked again.
 */
function characteristicQuestions(chosen: Record<string, string | undefined>, facts: FormFacts) {
  return CHARACTERISTICS.map((c) => {
    const value = chosen[c.key] ?? NOT_ASKED
    const option = (v: string, label = answerLabel(c, v)) => ({ value: v, text: label, checked: value === v })
    const notAnswers = [
      { divider: 'or' },
      ...(isSuperseded(c, value) ? [option(value, `${answerLabel(c, value)}: keep until the victim is asked again`)] : []),
      option(PREFERS_NOT_TO_SAY),
      option(NOT_ASKED),
    ]
    const base = { key: c.key, name: c.name, question: c.question, recorded: recordedText(facts.recorded[c.key]) }
    if (c.key === 'age' && facts.dateOfBirthRecorded) {
      const band = facts.age === null ? '' : `: ${facts.age}, in the ${ageBandOf(facts.age).label} band`
      return {
        ...base,
        kind: 'fromDateOfBirth',
        recorded: undefined,
        text: `Taken from the victim’s date of birth${band}. To record an age band instead, remove the date of birth from the victim’s details.`,
      }
    }
    if (c.key === 'ethnicity') {
      return {
        ...base,
        kind: 'ethnicity',
        groups: ETHNIC_GROUPS.map((g, i) => ({
          idPrefix: i === 0 ? c.key : `${c.key}-${g.code}`,
          legend: g.label,
          items: g.categories.map((cat) => option(cat.value)),
        })),
        rest: notAnswers,
      }
    }
    return { ...base, kind: 'radios', items: [...c.answers.map((a) => option(a.value)), ...notAnswers] }
  })
}

/** The victim page's rows: each answer, with its broad group or band, and when and by whom it was recorded. */
function characteristicRows(v: Victim) {
  return CHARACTERISTICS.map((c) => {
    const value = v.characteristics[c.key]
    let answer = answerLabel(c, value)
    let detail: string | undefined
    if (c.key === 'age' && v.ageBand) {
      answer = v.ageBand.source === 'date_of_birth' ? `${v.ageBand.label} (from the date of birth)` : v.ageBand.label
    }
    if (c.key === 'ethnicity' && v.ethnicity.broadGroup) {
      detail = v.ethnicity.detailRecorded
        ? `Broad group: ${v.ethnicity.broadGroup.label}`
        : 'Only the broad group was recorded: ask the victim again'
    }
    return { name: c.name, answer, detail, recorded: recordedText(v.characteristicsRecorded[c.key]) }
  })
}

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`)
const ofWhole = (part: number, whole: number) => `${part} of ${whole} (${percent(part, whole)})`

/** A force's table: a row per characteristic (and one for all nine), a column for the force and each team. */
function forceTable(f: CompletenessReport['forces'][number]) {
  const columns = [{ name: `${f.name} (all teams)`, g: f }, ...f.teams.map((t) => ({ name: t.name, g: t }))]
  return {
    name: f.name,
    head: ['Characteristic', ...columns.map((c) => c.name)],
    rows: [
      ...CHARACTERISTICS.map((c, i) => [
        c.name,
        ...columns.map((col) => ofWhole(col.g.characteristics[i].answered, col.g.victims)),
      ]),
      ['All nine answered', ...columns.map((col) => ofWhole(col.g.complete, col.g.victims))],
      ['Ethnic group to ask again (broad group only)', ...columns.map((col) => String(col.g.ethnicityToAskAgain))],
    ],
  }
}

type VictimParams = { Params: { id: string; victimId?: string } }

/** A victim's page: under the victim once one is recorded, the case's old address before. */
const homeOf = (caseId: string, victim: { id: string } | null) =>
  victim ? `/cases/${caseId}/victims/${victim.id}` : `/cases/${caseId}/victim`

export function victimRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    for (const path of victimPaths('', '/victim')) {
      app.get<VictimParams & { Querystring: { done?: string } }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const { case: c, victim, mayEdit } = await service.viewVictim(ctx, req.params.id, { victimId: req.params.victimId })
        return reply.render('victims/views/show.njk', {
          title: `Victim – case ${c.urn}`,
          c,
          victim,
          home: homeOf(c.id, victim),
          characteristicRows: victim && characteristicRows(victim),
          // ISVAs read what the victim shares; only police and CPS change it.
          mayEdit,
          completenessLabel: victim && COMPLETENESS_LABELS[victim.characteristicsCompleteness.status],
          done: DONE[req.query.done ?? ''],
        })
      })
    }

    for (const path of victimPaths('/details', '/victim/details')) {
      app.get<VictimParams>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const { case: c, victim } = await service.viewVictim(ctx, req.params.id, {
          victimId: req.params.victimId,
          forEditing: true,
        })
        return reply.render('victims/views/details.njk', {
          title: detailsTitle(Boolean(victim)),
          c,
          action: `${homeOf(c.id, victim)}/details`,
          recorded: Boolean(victim),
          values: victim ? detailsForm(victim) : {},
        })
      })

      app.post<VictimParams & { Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        const { id, victimId } = req.params
        try {
          const saved = await service.saveVictimDetails(ctx, id, detailsInput(body), { victimId })
          return reply.redirect(`${homeOf(id, saved)}?done=details`, 303)
        } catch (err) {
          if (!(err instanceof ValidationFailed)) throw err
          const { case: c, victimRecorded } = await service.victimCase(ctx, id, { victimId })
          return reply.status(400).render('victims/views/details.njk', {
            title: detailsTitle(victimRecorded),
            c,
            action: req.url,
            recorded: victimRecorded,
            values: body,
            errors: formErrors(inFormOrder(err.fieldErrors), DETAILS_ANCHORS),
          })
        }
      })
    }

    // A further victim of the case file: their own crime, plan and support follow from their page.
    app.get<Params>('/cases/:id/victims/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { case: c } = await service.caseForNewVictim(ctx, req.params.id)
      return reply.render('victims/views/details.njk', {
        title: ADD_TITLE,
        c,
        action: `/cases/${c.id}/victims`,
        recorded: false,
        values: {},
      })
    })

    app.post<Params & { Body: Body }>('/cases/:id/victims', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      try {
        const saved = await service.saveVictimDetails(ctx, req.params.id, detailsInput(body), { another: true })
        return reply.redirect(`${homeOf(req.params.id, saved)}?done=details`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const { case: c } = await service.caseForNewVictim(ctx, req.params.id)
        return reply.status(400).render('victims/views/details.njk', {
          title: ADD_TITLE,
          c,
          action: `/cases/${c.id}/victims`,
          recorded: false,
          values: body,
          errors: formErrors(inFormOrder(err.fieldErrors), DETAILS_ANCHORS),
        })
      }
    })

    for (const path of victimPaths('/characteristics', '/victim/characteristics')) {
      app.get<VictimParams>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const { case: c, victim } = await service.viewVictim(ctx, req.params.id, {
          victimId: req.params.victimId,
          required: true,
          forEditing: true,
        })
        return reply.render('victims/views/characteristics.njk', {
          title: 'Protected characteristics',
          c,
          home: homeOf(c.id, victim),
          questions: characteristicQuestions(victim?.characteristics ?? {}, {
            age: victim?.age ?? null,
            dateOfBirthRecorded: Boolean(victim?.dateOfBirth),
            recorded: victim?.characteristicsRecorded ?? {},
          }),
        })
      })

      app.post<VictimParams & { Body: Body }>(path, async (req, reply) => {
        const ctx = pageCtx(s, req, reply)
        if (!ctx) return reply
        const body = req.body ?? {}
        const { id, victimId } = req.params
        const input = Object.fromEntries(CHARACTERISTICS.map((ch) => [ch.key, body[ch.key] || undefined]))
        try {
          const saved = await service.saveCharacteristics(ctx, id, input, { victimId })
          return reply.redirect(`${homeOf(id, saved)}?done=characteristics`, 303)
        } catch (err) {
          if (!(err instanceof ValidationFailed)) throw err
          const { case: c, dateOfBirthRecorded } = await service.victimCase(ctx, id, { victimId })
          return reply.status(400).render('victims/views/characteristics.njk', {
            title: 'Protected characteristics',
            c,
            home: req.url.replace(/\/characteristics$/, ''),
            questions: characteristicQuestions(body, { age: null, dateOfBirthRecorded, recorded: {} }),
            errors: formErrors(err.fieldErrors),
          })
        }
      })
    }

    app.get<{ Querystring: { quarter?: string } }>('/victims/completeness', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const today = todayIn(s.clock)
      try {
        const r = await service.completenessReport(ctx, req.query.quarter)
        return reply.render('victims/views/completeness.njk', {
          title: `Protected characteristics completeness, ${r.quarter.label}`,
          r,
          quarters: quarterChoices(today, r.quarter.code),
          overall: ofWhole(r.total.complete, r.total.victims),
          byCharacteristic: r.total.characteristics.map((c) => ({ ...c, percent: percent(c.answered, r.total.victims) })),
          forces: r.forces.map(forceTable),
        })
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        return reply.status(400).render('victims/views/completeness.njk', {
          title: 'Protected characteristics completeness',
          r: null,
          quarters: quarterChoices(today, ''),
          errors: formErrors(err.fieldErrors),
        })
      }
    })
  }
}

const ADD_TITLE = 'Add a victim to the case file'
const detailsTitle = (recorded: boolean) => (recorded ? 'Change the victim’s details' : 'Record the victim')
