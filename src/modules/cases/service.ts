import type { Sql } from '../../db/client.ts'
import { canCreateCase, relationToCase, supportShared } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { runningClocks } from '../../platform/deadlines/deadlines.ts'
import { type FieldError, Forbidden, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { namedIsvas } from '../support/service.ts'
import * as crimes from './crimes.ts'
import { crimesForCase, victimsForCase } from './crimes-service.ts'
import { type CaseListQuery, filtersForAudit, SearchTerms, searchKind } from './find.ts'
import { isRape, OFFENCE_CODES, OFFENCES, offenceLabel } from './offences.ts'
import { type CaseRecord, openCase } from './open.ts'
import * as queries from './queries.ts'
import { type CaseDetail, CaseDetails, CreateCase } from './schema.ts'
import { appendEvent, EVENT_LABELS, eventsForCase, visibleToSupport } from './timeline.ts'

export const PAGE_SIZE = 25

const NOT_POLICE = 'Only police investigators and supervisors can record a case'

/** The rules every case's details must meet, on creation and on change; returns the team to use. */
async function checkDetails(tx: Sql, ctx: Ctx, forceId: string, cmd: CaseDetails) {
  const errors: FieldError[] = []
  const today = todayIn(ctx.clock)
  const offenceEnd = cmd.offenceDateTo ?? cmd.offenceDateFrom
  if (cmd.offenceDateTo && cmd.offenceDateTo < cmd.offenceDateFrom) {
    errors.push({ field: 'offenceDateTo', message: 'The end of the offence period must be on or after its start' })
  }
  if (offenceEnd > cmd.dateReported) {
    errors.push({ field: 'offenceDateFrom', message: 'The date of the offence must be on or before the date it was reported' })
  }
  if (cmd.dateReported > today) errors.push({ field: 'dateReported', message: 'The date reported must be today or in the past' })
  if (cmd.dateRecorded < cmd.dateReported) {
    errors.push({ field: 'dateRecorded', message: 'The crime cannot be recorded before it was reported' })
  } else if (cmd.dateRecorded > today) {
    errors.push({ field: 'dateRecorded', message: 'The date the crime was recorded must be today or in the past' })
  }
  const officer = (await queries.staffOfForce(tx, forceId, 'investigator')).find((o) => o.id === cmd.officerInChargeId)
  if (!officer)
    errors.push({ field: 'officerInChargeId', message: 'Select an investigator from your force as officer in charge' })
  const supervisors = await queries.staffOfForce(tx, forceId, 'police_supervisor')
  if (!supervisors.some((o) => o.id === cmd.supervisorId)) {
    errors.push({ field: 'supervisorId', message: 'Select a police supervisor from your force' })
  }
  const teams = await queries.teamsOfForce(tx, forceId)
  const teamId = cmd.teamId ?? officer?.teamId ?? null
  if (cmd.teamId && !teams.some((t) => t.id === cmd.teamId)) {
    errors.push({ field: 'teamId', message: 'Select a team from your force' })
  } else if (officer && !teamId) {
    errors.push({ field: 'teamId', message: 'Select the team: the officer in charge is not in a team' })
  }
  return { errors, teamId: teamId as string }
}

export async function createCase(ctx: Ctx, input: unknown): Promise<CaseDetail> {
  if (!canCreateCase(ctx.actor)) throw new Forbidden(NOT_POLICE, 'police_only')
  const cmd = parseInput(CreateCase, input)
  const id = await ctx.db.transaction(async (tx) => {
    const forceId = ctx.actor.organisationId
    const { errors, teamId } = await checkDetails(tx, ctx, forceId, cmd)
    const code = await queries.forceCode(tx, forceId)
    if (!cmd.urn.startsWith(code)) {
      errors.unshift({ field: 'urn', message: `The URN must start with your force code, ${code}` })
    } else if (await queries.urnExists(tx, cmd.urn)) {
      // The URN starts with the user's own force code, so this tells them only of their own force's cases.
      errors.unshift({ field: 'urn', message: 'A case with this URN already exists' })
    }
    if (errors.length > 0) throw new ValidationFailed(errors)

    const at = ctx.clock.now()
    const caseId = await queries.insertCase(tx, { ...cmd, teamId, forceId, createdBy: ctx.actor.id, at })
    await appendEvent(tx, caseId, { type: 'case.created', at, by: ctx.actor.id, data: { offences: cmd.offences } })
    await audit.alteration(tx, ctx, { action: 'case.created', caseId, subject: 'case record' })
    return caseId
  })
  return viewCase(ctx, id, { audited: false })
}

/** Police change what they recorded; a change of offences is a reclassification on the timeline. */
export async function updateCaseDetails(ctx: Ctx, caseId: string, input: unknown): Promise<void> {
  const cmd = parseInput(CaseDetails, input)
  await ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'edit_details')
    const { errors, teamId } = await checkDetails(tx, ctx, c.forceId, cmd)
    if (errors.length > 0) throw new ValidationFailed(errors)
    const before = c.offences.map((o) => o.code)
    await queries.updateCase(tx, c.id, { ...cmd, teamId })
    const at = ctx.clock.now()
    const after = (await queries.findCase(tx, c.id))?.offences.map((o) => o.code) ?? []
    if (before.join() !== after.join()) {
      await appendEvent(tx, c.id, { type: 'case.reclassified', at, by: ctx.actor.id, data: { from: before, to: after } })
    }
    await appendEvent(tx, c.id, { type: 'case.details_updated', at, by: ctx.actor.id })
    await audit.alteration(tx, ctx, { action: 'case.updated', caseId: c.id, subject: 'case details', justification })
  })
}

/** Everyone a case's details may name, for the forms. */
export async function caseFormOptions(ctx: Ctx, forceId = ctx.actor.organisationId) {
  if (!canCreateCase(ctx.actor)) throw new Forbidden(NOT_POLICE, 'police_only')
  return {
    offences: OFFENCES,
    officers: await queries.staffOfForce(ctx.db, forceId, 'investigator'),
    supervisors: await queries.staffOfForce(ctx.db, forceId, 'police_supervisor'),
    teams: await queries.teamsOfForce(ctx.db, forceId),
  }
}

export { type CaseRecord, caseForPolicy, openCase } from './open.ts'

/** The crimes of the case file, in order, for a caller already inside the case's transaction. */
export async function crimesOf(tx: Sql, caseId: string) {
  return crimes.crimesOfCase(tx, caseId)
}

/**
 * The case with its timeline. Reading it is a consultation under s62, so it is audited in
 * the same transaction: if the audit write fails, nothing is shown.
 */
export async function viewCase(ctx: Ctx, id: string, opts = { audited: true }): Promise<CaseDetail> {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, id)
    const file = await caseFileKnownTo(tx, ctx, c)
    // A support service sees only the events that belong to the parts the victim agreed to share,
    // and of those only the ones about the victim it supports (or about no one victim).
    const shared = supportShared(ctx.actor, c)
    const known = new Set(file.victims.map((v) => v.id))
    const knownCrimes = new Set(file.crimes.map((k) => k.id))
    const aboutKnown = (data: Record<string, unknown> | null) =>
      (typeof data?.victimId !== 'string' || known.has(data.victimId)) &&
      (typeof data?.crimeId !== 'string' || knownCrimes.has(data.crimeId))
    const events = (await eventsForCase(tx, c.id)).filter(
      (e) => !shared || (visibleToSupport(e.type, shared) && aboutKnown(e.data)),
    )
    if (opts.audited) {
      const named = file.victims.length > 0 && !file.withheld
      await audit.consultation(tx, ctx, {
        action: 'case.viewed',
        caseId: c.id,
        subject: named ? ['case record and timeline', 'names of the case’s victims'] : 'case record and timeline',
        // Names shown because of a stated reason are justified by it.
        justification: (named && file.justification) || justification,
      })
    }
    const summary = withoutPolicyFacts(c)
    return {
      ...summary,
      // A support service is told the offences of its victim's crimes, not of the whole file.
      ...(shared && offencesOf(file.crimes)),
      crimes: file.crimes,
      victims: file.victims,
      victimNamesWithheld: file.withheld,
      clocks: shared ? [] : await runningClocks(tx, c.id, ctx.clock.now()),
      isvas: shared ? [] : (await namedIsvas(tx, c.id)).map((i) => (file.withheld ? { ...i, victimName: null } : i)),
      timeline: events.map((e) => ({
        type: e.type,
        label: EVENT_LABELS[e.type] ?? e.type,
        occurredAt: e.occurredAt.toISOString(),
        by: e.actorName,
      })),
    }
  })
}

/** The crimes and victims of the case file this user may know of (crimes-service.ts). */
async function caseFileKnownTo(tx: Sql, ctx: Ctx, c: CaseRecord) {
  return { ...(await victimsForCase(tx, ctx, c)), crimes: await crimesForCase(tx, ctx, c) }
}

/** The case's offences and rape flag as the union of the given crimes'. */
function offencesOf(list: { offences: CaseRecord['offences']; rapeFlag: boolean }[]) {
  const codes = new Set(list.flatMap((k) => k.offences.map((o) => o.code)))
  const offences = OFFENCE_CODES.filter((code) => codes.has(code)).map((code) => ({
    code,
    label: offenceLabel(code),
    rape: isRape(code),
  }))
  return offences.length === 0
    ? {}
    : { offences, offenceCode: offences[0].code, offence: offences[0].label, rapeFlag: list.some((k) => k.rapeFlag) }
}

/** A case as people and clients read it: what only the access policy needs stays behind. */
function withoutPolicyFacts<C extends CaseRecord>({
  forceId: _f,
  cpsAreaId: _a,
  support: _s,
  restriction: _r,
  parts: _p,
  ...c
}: C) {
  return c
}

/**
 * The cases the user may see, filtered, sorted and paged. Listing is a consultation under s62:
 * audited with the filters and the kind of search, never the search terms (they name people).
 */
export async function listCases(ctx: Ctx, query: CaseListQuery, search?: SearchTerms) {
  return ctx.db.transaction((tx) => listInTx(tx, ctx, query, search))
}

async function listInTx(tx: Sql, ctx: Ctx, query: CaseListQuery, search?: SearchTerms) {
  const filters = { query, search, now: ctx.clock.now() }
  const result = await queries.listCases(tx, ctx.actor, filters, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE })
  await audit.consultation(tx, ctx, {
    action: 'cases.listed',
    subject: 'case list',
    justification: 'cases in own scope',
    details: { page: query.page, shown: result.cases.length, filters: filtersForAudit(query, search) },
  })
  // A name search tells the searcher that this case has a victim (or suspect) of that name, so
  // each case it returns is recorded against that case, to show in its access log with the
  // victim's data: by whom and when, never the name searched for.
  if (search?.name) {
    await audit.consultations(
      tx,
      ctx,
      result.cases.map((c) => ({
        action: 'case.found_by_name',
        caseId: c.id,
        subject: 'case in the results of a name search',
        justification: relationToCase(ctx.actor, c) ?? 'cases in own scope',
        details: { search: searchKind(search) },
      })),
    )
  }
  return {
    page: query.page,
    pageSize: PAGE_SIZE,
    total: result.total,
    cases: result.cases.map(withoutPolicyFacts),
  }
}

const auditSearch = (tx: Sql, ctx: Ctx, terms: SearchTerms) =>
  audit.consultation(tx, ctx, {
    action: 'cases.searched',
    subject: 'case search',
    justification: 'cases in own scope',
    details: { by: searchKind(terms) },
  })

/** Search through the API: the terms come in the body and the list comes back at once. */
export async function searchCases(ctx: Ctx, input: unknown, query: CaseListQuery) {
  const terms = parseInput(SearchTerms, input)
  return ctx.db.transaction(async (tx) => {
    await auditSearch(tx, ctx, terms)
    return listInTx(tx, ctx, query, terms)
  })
}

/** Search from the page: keeps the terms server-side and returns the id the list's address carries. */
export async function saveSearch(ctx: Ctx, input: unknown): Promise<string> {
  const terms = parseInput(SearchTerms, input)
  return ctx.db.transaction(async (tx) => {
    const id = await queries.saveSearch(tx, ctx.actor.id, terms, ctx.clock.now())
    await auditSearch(tx, ctx, terms)
    return id
  })
}

/** The user's own recent search, or undefined: another user's search id is no search at all. */
export function findSearch(ctx: Ctx, id: string) {
  return queries.findSearch(ctx.db, ctx.actor.id, id, ctx.clock.now())
}

/** What the list can be filtered by: the organisation's teams (CPS: its units) and officers in charge. */
export async function caseListOptions(ctx: Ctx) {
  const { organisationKind: kind, organisationId } = ctx.actor
  return {
    teams: kind === 'support_service' ? [] : await queries.teamsOfForce(ctx.db, organisationId),
    officers:
      kind === 'police_force'
        ? await queries.staffOfForce(ctx.db, organisationId, 'investigator')
        : await queries.officersInScope(ctx.db, ctx.actor),
    canFilterMine: kind === 'police_force' || kind === 'cps_area',
  }
}
