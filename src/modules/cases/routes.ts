import type { FastifyInstance, FastifyReply } from 'fastify'
import { allows, canCreateCase, canSeeSuspects, oversightOfCase } from '../../platform/access/policy.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { dateFromInput, dateToInput, type FormBody, formErrors, formList, submitForm } from '../../platform/web/views.ts'
import { crimeRoutes } from './crimes-routes.ts'
import * as crimes from './crimes-service.ts'
import {
  type CaseListQuery,
  filterFields,
  listHref,
  paginationItems,
  parseListQuery,
  selectedFilters,
  sortHeader,
  termsFromBox,
} from './find.ts'
import { restrictionRoutes } from './restriction-routes.ts'
import * as restriction from './restriction-service.ts'
import type { CaseDetail } from './schema.ts'
import * as service from './service.ts'

type Body = FormBody

const DATE_FIELDS = ['offenceDateFrom', 'offenceDateTo', 'dateReported', 'dateRecorded'] as const
// Errors on a date input link to its first box.
const ANCHORS = Object.fromEntries(DATE_FIELDS.map((f) => [f, `${f}-day`]))

/** The case details form, read into the shape the service's schema checks. */
function detailsFromForm(body: Body) {
  const one = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '')
  return {
    offences: formList(body.offences),
    offenceDateFrom: dateFromInput(body, 'offenceDateFrom'),
    offenceDateTo: dateFromInput(body, 'offenceDateTo') || null,
    dateReported: dateFromInput(body, 'dateReported'),
    dateRecorded: dateFromInput(body, 'dateRecorded'),
    officerInChargeId: one('officerInChargeId') || undefined,
    supervisorId: one('supervisorId') || undefined,
    teamId: one('teamId') || null,
  }
}

/** A case's details as the form's values, to change them; the offences are its first crime's, which the form changes. */
function formFromCase(c: CaseDetail, offences: string[]) {
  return {
    offences,
    ...Object.assign({}, ...DATE_FIELDS.map((f) => dateToInput(f, c[f]))),
    officerInChargeId: c.officerInCharge.id,
    supervisorId: c.supervisor?.id ?? '',
    teamId: c.team?.id ?? '',
  }
}

/**
 * The case details form changes the offences of the case's first crime: when the case file holds
 * several crimes, the form says so, and which crime it is.
 */
function offencesHint(first: Awaited<ReturnType<typeof crimes.firstCrimeOfCase>>): string | undefined {
  if (first.count < 2) return undefined
  return `This case file holds ${first.count} crimes. These are the offences of the first, crime ${first.first.crimeReference}; change the offences of another crime from that crime’s page. Select all that apply. A rape classification sets the CPS rape flag, which stays on the case.`
}

async function renderForm(ctx: Ctx, reply: FastifyReply, view: string, context: Record<string, unknown>, forceId?: string) {
  const options = await service.caseFormOptions(ctx, forceId)
  return reply.render(view, { ...options, ...context })
}

/** The case list with its filter panel, search box, sortable headers and pagination. */
async function renderList(
  ctx: Ctx,
  reply: FastifyReply,
  query: CaseListQuery,
  searchId?: string,
  typed?: { q: string; errors: ReturnType<typeof formErrors> },
) {
  const terms = searchId ? await service.findSearch(ctx, searchId) : undefined
  const result = await service.listCases(ctx, query, terms)
  const options = await service.caseListOptions(ctx)
  const state = { ...query, search: terms ? searchId : undefined }
  const pages = Math.ceil(result.total / result.pageSize)
  return reply.render('cases/views/list.njk', {
    title: 'Cases',
    ...result,
    state,
    filtered: listHref({ ...state, sort: 'newest', order: 'desc', page: 1 }) !== '/cases',
    searchLost: Boolean(searchId && !terms),
    searchText: typed?.q ?? (terms ? [terms.urn, terms.name].filter(Boolean).join(' ') : ''),
    errors: typed?.errors,
    canCreate: canCreateCase(ctx.actor),
    // Police see their own force's cases only; the CPS sees cases of several forces.
    showForce: ctx.actor.organisationKind !== 'police_force',
    suspectsSearchable: canSeeSuspects(ctx.actor),
    fields: filterFields(state, options),
    selected: selectedFilters(state, options, terms),
    sortHeaders: {
      urn: sortHeader(state, 'urn', 'URN'),
      reported: sortHeader(state, 'reported', 'Date reported'),
      officer: sortHeader(state, 'officer', 'Officer in charge'),
      stage: sortHeader(state, 'stage', 'Stage'),
    },
    pagination: pages > 1 ? paginationItems(state, pages) : undefined,
  })
}

export function caseRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: Record<string, string | string[]> }>('/cases', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { search, ...filters } = req.query
      const query = parseListQuery(filters)
      const searchId = typeof search === 'string' ? search : undefined
      // The filter form sends its "any" choices as empty values: tidy them out of the address.
      if (Object.values(req.query).includes('')) return reply.redirect(listHref({ ...query, search: searchId || undefined }), 303)
      return renderList(ctx, reply, query, searchId)
    })

    // Names never go in a URL: the search box posts here, the terms are kept server-side, and the
    // list's address carries only a random search id that works for this user alone.
    app.post<{ Body: Body }>('/cases/search', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const q = req.body?.q
      try {
        const id = await service.saveSearch(ctx, termsFromBox(q))
        return reply.redirect(`/cases?search=${id}`, 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        reply.status(400)
        const errors = formErrors(err.fieldErrors.slice(0, 1).map((e) => ({ ...e, field: 'q' })))
        return renderList(ctx, reply, parseListQuery({}), undefined, { q: typeof q === 'string' ? q : '', errors })
      }
    })

    app.get('/cases/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const values = { officerInChargeId: ctx.actor.roles.includes('investigator') ? ctx.actor.id : '', offences: [] }
      return renderForm(ctx, reply, 'cases/views/new.njk', { title: 'Record a new case', values })
    })

    app.post<{ Body: Body }>('/cases', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.createCase(ctx, { urn: body.urn, crimeReference: body.crimeReference, ...detailsFromForm(body) }),
        (created) => `/cases/${created.id}`,
        (errors) =>
          renderForm(ctx, reply, 'cases/views/new.njk', {
            title: 'Record a new case',
            values: { ...body, offences: formList(body.offences) },
            errors,
          }),
        ANCHORS,
      )
    })

    app.get<{ Params: { id: string } }>('/cases/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const c = await service.viewCase(ctx, req.params.id)
      const ref = { forceId: c.force.id, cpsAreaId: c.cpsArea?.id ?? null }
      return reply.render('cases/views/show.njk', {
        title: `Case ${c.urn}`,
        c,
        canEdit: canCreateCase(ctx.actor),
        canSeeAccessLog: oversightOfCase(ctx.actor, ref) !== null,
        // Whoever sees the case now is named on any restriction, or there is none.
        canRestrict: allows(ctx.actor, 'restrict', ref),
        restricted: await restriction.isRestricted(ctx, c.id),
      })
    })

    app.get<{ Params: { id: string } }>('/cases/:id/details', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const c = await service.viewCase(ctx, req.params.id)
      const first = await crimes.firstCrimeOfCase(ctx, c.id)
      const values = formFromCase(
        c,
        first.first.offences.map((o) => o.code),
      )
      return renderForm(
        ctx,
        reply,
        'cases/views/details.njk',
        { title: 'Change case details', c, values, offencesHint: offencesHint(first) },
        c.force.id,
      )
    })

    app.post<{ Params: { id: string }; Body: Body }>('/cases/:id/details', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.updateCaseDetails(ctx, req.params.id, detailsFromForm(body)),
        `/cases/${req.params.id}`,
        async (errors) => {
          const c = await service.viewCase(ctx, req.params.id, { audited: false })
          const values = { ...body, offences: formList(body.offences) }
          const hint = offencesHint(await crimes.firstCrimeOfCase(ctx, c.id))
          return renderForm(
            ctx,
            reply,
            'cases/views/details.njk',
            { title: 'Change case details', c, values, errors, offencesHint: hint },
            c.force.id,
          )
        },
        ANCHORS,
      )
    })

    await crimeRoutes(s)(app)
    await restrictionRoutes(s)(app)
  }
}
