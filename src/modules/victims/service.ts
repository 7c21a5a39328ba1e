import type { Sql } from '../../db/client.ts'
import {
  allows,
  type CaseAction,
  canReadCharacteristicsCompleteness,
  knownVictims,
  requireCase,
} from '../../platform/access/policy.ts'
import { requireVictimsReason } from '../../platform/access/reasons.ts'
import { audit } from '../../platform/audit/audit.ts'
import {
  financialQuarterCode,
  financialQuarterDates,
  financialQuarterLabel,
  financialQuarterOf,
  parseFinancialQuarter,
} from '../../platform/calendar/quarters.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { ChooseOne, Conflict, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { type CaseRecord, caseForPolicy } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import {
  AGE_BANDS,
  type Answers,
  ageBandOf,
  ageOn,
  broadOnlyValue,
  CHARACTERISTICS,
  completeness,
  ETHNIC_GROUPS,
  effectiveAnswers,
  ethnicityOf,
  FROM_DATE_OF_BIRTH,
  isSuperseded,
  NOT_ASKED,
  PREFERS_NOT_TO_SAY,
} from './characteristics.ts'
import { addressForVictim } from './paths.ts'
import * as queries from './queries.ts'
import { type CompletenessReport, type Victim, VictimCharacteristics, VictimDetails } from './schema.ts'

/** What a case page's identity bar and sub-navigation need, and nothing more. */
export type CaseHeader = { id: string; urn: string; offenceCode: string; offence: string }

const DETAILS_SUBJECT = 'victim identity, contact details and needs'
const CHARACTERISTICS_SUBJECT = 'victim protected characteristics'
const RECORD_FIRST = 'Record the victim’s details before their protected characteristics'

const today = (ctx: Ctx) => todayIn(ctx.clock)
const headerOf = (c: CaseRecord): CaseHeader => ({ id: c.id, urn: c.urn, offenceCode: c.offenceCode, offence: c.offence })

export const SEVERAL_VICTIMS = 'This case has several victims: choose the victim from the case’s page'

/** The victim a section is about: null while the case's victim is not yet recorded. */
export type VictimOfCase = { id: string; name: string } | null

/**
 * Opens a section of the case that belongs to one of its victims (details, communication,
 * support, withdrawal), deciding access for that victim, with the justification to audit.
 *
 * `victimId` names the victim. Without it the section is that of the case's one victim (the
 * addresses a case had before it could hold several): the only victim the user may know of, or
 * none yet recorded; a user who knows of several must choose (Conflict several_victims). A
 * support service knows only the victims it supports, so it is never told there are others.
 */
export async function openVictimSection(
  tx: Sql,
  ctx: Ctx,
  caseId: string,
  victimId: string | undefined,
  action: CaseAction,
  opts: { lock?: boolean } = {},
) {
  const c = await caseForPolicy(tx, caseId, opts)
  // Before anything about a victim is read, even which victims there are: someone without a direct part says why.
  const reason = await requireVictimsReason(tx, ctx, c, action)
  const victims = c ? await queries.victimsOfCase(tx, c.id) : []
  let victim: VictimOfCase
  if (victimId !== undefined) {
    const named = victims.find((v) => v.id === victimId)
    // Not a victim of this case: as unknown as a case that does not exist.
    if (!named) {
      requireCase(ctx.actor, 'view', c)
      throw new NotFound()
    }
    victim = { id: named.id, name: named.name }
  } else {
    const known = c ? knownVictims(ctx.actor, c, victims) : []
    if (known.length > 1) {
      const justification = reason ?? requireCase(ctx.actor, action, c)
      const choices = known.map((v) => ({ id: v.id, text: v.name }))
      const consulted = {
        action: 'victims.listed' as const,
        caseId: c?.id,
        subject: 'names of the case’s victims' as const,
        justification,
      }
      throw new ChooseOne(SEVERAL_VICTIMS, 'several_victims', 'Which victim?', choices, addressForVictim, consulted)
    }
    victim = known[0] ? { id: known[0].id, name: known[0].name } : null
  }
  const relation = requireCase(ctx.actor, action, c, { id: victim?.id ?? null })
  return { case: c as CaseRecord, header: headerOf(c as CaseRecord), victim, justification: reason ?? relation }
}

/** The victims of a case this user may know of, by name, for the case's page and choosers. */
export async function victimsKnownTo(tx: Sql, ctx: Ctx, c: CaseRecord) {
  return knownVictims(ctx.actor, c, await queries.victimsOfCase(tx, c.id)).map((v) => ({ id: v.id, name: v.name }))
}

// Reading needs the victim's consent for a support service; changing is police and CPS casework.
async function openVictimCase(
  tx: Sql,
  ctx: Ctx,
  caseId: string,
  victimId: string | undefined,
  action: 'view_victim' | 'edit_victim' = 'view_victim',
  opts: { lock?: boolean } = {},
) {
  const opened = await openVictimSection(tx, ctx, caseId, victimId, action, opts)
  return { ...opened, mayEdit: allows(ctx.actor, 'edit_victim', opened.case, { id: opened.victim?.id ?? null }) }
}

async function present(tx: Sql, ctx: Ctx, stored: queries.StoredVictim): Promise<Victim> {
  const { answers, recorded } = await queries.characteristicsOf(tx, stored.id)
  const characteristics = effectiveAnswers(answers, stored.dateOfBirth !== null)
  const age = stored.dateOfBirth === null ? null : ageOn(stored.dateOfBirth, today(ctx))
  const band = age === null ? AGE_BANDS.find((b) => b.value === characteristics.age) : ageBandOf(age)
  // Age from the date of birth is not a stored answer, so it has no "recorded" of its own.
  const { age: _storedAge, ...recordedAnswers } = recorded
  return {
    ...stored,
    age,
    ageBand: band ? { code: band.value, label: band.label, source: age === null ? 'recorded' : 'date_of_birth' } : null,
    enhancedRights: true,
    intimidated: true,
    characteristics,
    characteristicsRecorded: age === null ? recorded : recordedAnswers,
    ethnicity: ethnicityOf(characteristics.ethnicity),
    characteristicsCompleteness: completeness(characteristics),
    recordedAt: stored.recordedAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
  }
}

/** Names of the fields whose values differ: the timeline and audit say what changed, never to what. */
function changedFields<T extends object>(before: T | undefined, after: T): (keyof T & string)[] {
  return (Object.keys(after) as (keyof T & string)[]).filter((k) => before?.[k] !== after[k])
}

type Which = { victimId?: string }

/**
 * A victim of the case, or null when none is recorded yet. Reading it is a consultation under
 * s62, audited in the same transaction with the relation that allowed it.
 */
export async function viewVictim(
  ctx: Ctx,
  caseId: string,
  opts: Which & { required?: boolean; forEditing?: boolean } = {},
): Promise<{ case: CaseHeader; victim: Victim | null; mayEdit: boolean }> {
  return ctx.db.transaction(async (tx) => {
    // A form to change the victim's record opens the case as a change, so it is offered only to those who may make it.
    const opened = await openVictimCase(tx, ctx, caseId, opts.victimId, opts.forEditing ? 'edit_victim' : 'view_victim')
    const { header, justification, mayEdit } = opened
    const stored = opened.victim && (await queries.findVictim(tx, header.id, opened.victim.id))
    // The characteristics form needs a recorded victim to attach answers to.
    if (!stored && opts.required) throw new Conflict(RECORD_FIRST, 'victim_not_recorded')
    await audit.consultation(tx, ctx, {
      action: 'victim.viewed',
      caseId: header.id,
      subject: stored ? [DETAILS_SUBJECT, CHARACTERISTICS_SUBJECT] : 'victim section (no victim recorded)',
      justification,
    })
    return { case: header, victim: stored ? await present(tx, ctx, stored) : null, mayEdit }
  })
}

/**
 * For a page that shows no victim data, such as a form sent back with its errors: access is
 * still decided here, and nothing is written (bad input changes nothing, not even the log).
 */
export async function victimCase(
  ctx: Ctx,
  caseId: string,
  opts: Which = {},
): Promise<{ case: CaseHeader; victimRecorded: boolean; dateOfBirthRecorded: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const { header, victim } = await openVictimCase(tx, ctx, caseId, opts.victimId)
    // Whether a date is recorded decides which age question the form shows; the date itself is not read.
    return {
      case: header,
      victimRecorded: victim !== null,
      dateOfBirthRecorded: victim ? await queries.dateOfBirthRecorded(tx, victim.id) : false,
    }
  })
}

/**
 * Records a victim, or replaces their details. With `victimId` it changes that victim; without
 * it, it records the case's victim when none is recorded and changes the one there is otherwise.
 * `another` records a further victim of the case file (docs/decisions/0007).
 */
export async function saveVictimDetails(
  ctx: Ctx,
  caseId: string,
  input: unknown,
  opts: Which & { another?: boolean } = {},
): Promise<Victim> {
  const cmd = parseInput(VictimDetails, input)
  if (cmd.dateOfBirth !== null && cmd.dateOfBirth >= today(ctx)) {
    throw new ValidationFailed([{ field: 'dateOfBirth', message: 'The date of birth must be in the past' }])
  }
  return ctx.db.transaction(async (tx) => {
    // The case is held until commit, so two people recording its first victim at once make one, not two.
    const opened = opts.another
      ? await openForNewVictim(tx, ctx, caseId)
      : await openVictimCase(tx, ctx, caseId, opts.victimId, 'edit_victim', { lock: true })
    const { header, justification } = opened
    const at = ctx.clock.now()
    const before = opened.victim && (await queries.findVictim(tx, header.id, opened.victim.id, { lock: true }))
    let victimId: string
    if (!before) {
      victimId = await queries.insertVictim(tx, header.id, cmd, at, ctx.actor.id)
      await queries.takeOverHeldRecords(tx, header.id, victimId)
      await appendEvent(tx, header.id, { type: 'victim.recorded', at, by: ctx.actor.id })
      await audit.alteration(tx, ctx, { action: 'victim.recorded', caseId: header.id, subject: DETAILS_SUBJECT, justification })
    } else {
      const { id, recordedAt: _r, updatedAt: _u, ...details } = before
      victimId = id
      const fields = changedFields(details, cmd)
      if (fields.length > 0) {
        await queries.updateVictim(tx, id, cmd, at, ctx.actor.id)
        await appendEvent(tx, header.id, { type: 'victim.updated', at, by: ctx.actor.id, data: { fields } })
        await audit.alteration(tx, ctx, {
          action: 'victim.updated',
          caseId: header.id,
          subject: DETAILS_SUBJECT,
          justification,
          details: { fields },
        })
      }
    }
    return present(tx, ctx, (await queries.findVictim(tx, header.id, victimId)) as queries.StoredVictim)
  })
}

/** For the form to add a victim: who may add one is decided as for recording one; nothing is read or written. */
export async function caseForNewVictim(ctx: Ctx, caseId: string): Promise<{ case: CaseHeader }> {
  return ctx.db.transaction(async (tx) => ({ case: (await openForNewVictim(tx, ctx, caseId)).header }))
}

/** The victims of the case the user may know of, by name: a consultation of their names. */
export async function listVictims(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const c = await caseForPolicy(tx, caseId)
    const reason = await requireVictimsReason(tx, ctx, c, 'view_victim')
    const justification = reason ?? requireCase(ctx.actor, 'view_victim', c)
    const victims = await victimsKnownTo(tx, ctx, c as CaseRecord)
    await audit.consultation(tx, ctx, {
      action: 'victims.listed',
      caseId: (c as CaseRecord).id,
      subject: 'names of the case’s victims',
      justification,
    })
    return victims
  })
}

/** Adding a victim is about none of those already recorded, so it opens the case, not one victim's section. */
async function openForNewVictim(tx: Sql, ctx: Ctx, caseId: string) {
  const c = await caseForPolicy(tx, caseId, { lock: true })
  const reason = await requireVictimsReason(tx, ctx, c, 'edit_victim')
  const justification = reason ?? requireCase(ctx.actor, 'edit_victim', c)
  return { case: c as CaseRecord, header: headerOf(c as CaseRecord), victim: null as VictimOfCase, justification }
}

export const AGE_FROM_DATE_OF_BIRTH_RULE =
  'The victim’s date of birth is recorded, so their age is taken from it. To record an age band instead, remove the date of birth from the victim’s details'
export const AGE_BAND_NEEDS_NO_DATE_RULE = 'Choose the victim’s age band, or record their date of birth on the victim’s details'
export const ETHNICITY_DETAIL_RULE =
  'Choose the victim’s ethnic group from the detailed list; an answer of the broad group only can no longer be recorded'

/**
 * The rules an answer list cannot check alone, against what is recorded: age is taken from a
 * recorded date of birth (so nothing else may be given for it) and asked as a band otherwise; a
 * superseded answer may be sent back unchanged, never newly given. Returns the answers to store.
 */
function checkAnswers(answers: Answers, stored: Answers, hasDateOfBirth: boolean): Answers {
  const errors = []
  let age = answers.age
  if (hasDateOfBirth) {
    if (age !== NOT_ASKED && age !== FROM_DATE_OF_BIRTH) errors.push({ field: 'age', message: AGE_FROM_DATE_OF_BIRTH_RULE })
    age = stored.age // what is stored for age is not in use while the date is recorded; leave it alone
  } else if (age === FROM_DATE_OF_BIRTH) {
    errors.push({ field: 'age', message: AGE_BAND_NEEDS_NO_DATE_RULE })
  }
  for (const c of CHARACTERISTICS) {
    if (isSuperseded(c, answers[c.key]) && answers[c.key] !== stored[c.key]) {
      errors.push({
        field: c.key,
        message: c.key === 'ethnicity' ? ETHNICITY_DETAIL_RULE : `Choose an answer for ${c.name.toLowerCase()} from the list`,
      })
    }
  }
  if (errors.length > 0) throw new ValidationFailed(errors)
  return { ...answers, age }
}

/** Replaces the answers to the nine questions; any left out become "not yet asked". */
export async function saveCharacteristics(ctx: Ctx, caseId: string, input: unknown, opts: Which = {}): Promise<Victim> {
  const given = parseInput(VictimCharacteristics, input) as Answers
  return ctx.db.transaction(async (tx) => {
    const opened = await openVictimCase(tx, ctx, caseId, opts.victimId, 'edit_victim')
    const { header, justification } = opened
    const victim = opened.victim && (await queries.findVictim(tx, header.id, opened.victim.id, { lock: true }))
    if (!victim) throw new Conflict(RECORD_FIRST, 'victim_not_recorded')
    const stored = (await queries.characteristicsOf(tx, victim.id)).answers
    const answers = checkAnswers(given, stored, victim.dateOfBirth !== null)
    const fields = changedFields(stored, answers)
    if (fields.length > 0) {
      const at = ctx.clock.now()
      await queries.saveCharacteristics(tx, victim.id, answers, fields, at, ctx.actor.id)
      const { answered } = completeness(effectiveAnswers(answers, victim.dateOfBirth !== null))
      // Which questions changed and how many are answered; the answers themselves are special category data.
      const data = { characteristics: fields, answered }
      await appendEvent(tx, header.id, { type: 'victim.characteristics_updated', at, by: ctx.actor.id, data })
      await audit.alteration(tx, ctx, {
        action: 'victim.characteristics_updated',
        caseId: header.id,
        subject: CHARACTERISTICS_SUBJECT,
        justification,
        details: data,
      })
    }
    return present(tx, ctx, victim)
  })
}

/** The completeness measure over every case the caller may see: figures only, no one named. */
export async function completenessInScope(ctx: Ctx) {
  return ctx.db.transaction(async (tx) => {
    const counts = await queries.completenessCounts(tx, ctx.actor)
    await audit.consultation(tx, ctx, {
      action: 'victims.completeness_counted',
      subject: 'protected characteristics completeness (counts only)',
      justification: 'cases in own scope',
    })
    return counts
  })
}

export const REPORT_DEFINITION =
  'Figures count victims, each once however many of the case file’s crimes are theirs: the victims of the cases recorded in the quarter (the date the crime was recorded). A question is answered when the victim gave an answer or preferred not to say; age is answered by a date of birth or an age band. Ethnic group recorded at the broad group only is not answered: ask the victim again. A victim is complete when all nine questions are answered.'

const NO_TEAM = 'No team recorded'

/**
 * Completeness of the protected characteristics, per characteristic, force and team, for one
 * financial-year quarter: police supervisors see their own force's cases, CPS managers the
 * cases referred to their own Area. Figures only; no victim or case is named.
 */
export async function completenessReport(ctx: Ctx, quarter: string | undefined): Promise<CompletenessReport> {
  if (!canReadCharacteristicsCompleteness(ctx.actor)) throw new NotFound()
  const fq = quarter === undefined || quarter === '' ? financialQuarterOf(today(ctx)) : parseFinancialQuarter(quarter)
  if (!fq) throw new ValidationFailed([{ field: 'quarter', message: 'Choose a quarter, for example 2026-27-Q3' }])
  const { from, until, last } = financialQuarterDates(fq)
  return ctx.db.transaction(async (tx) => {
    const rows = await queries.completenessByTeam(tx, ctx.actor, { from, until })
    const ethnicity = await queries.ethnicityCounts(tx, ctx.actor, { from, until })
    await audit.consultation(tx, ctx, {
      action: 'victims.completeness_report_viewed',
      subject: 'protected characteristics completeness by force and team (counts only)',
      justification: ctx.actor.organisationKind === 'cps_area' ? 'cases referred to own CPS Area' : 'cases of own force',
      details: { quarter: financialQuarterCode(fq) },
    })
    const forces = [...new Set(rows.map((r) => r.forceId))].map((id) => {
      const own = rows.filter((r) => r.forceId === id)
      return {
        id,
        name: own[0].forceName,
        ...figures(own),
        teams: own.map((r) => ({ id: r.teamId, name: r.teamName ?? NO_TEAM, ...figures([r]) })),
      }
    })
    return {
      organisation: { id: ctx.actor.organisationId, name: ctx.actor.organisationName },
      quarter: { code: financialQuarterCode(fq), label: financialQuarterLabel(fq), from, to: last },
      definition: REPORT_DEFINITION,
      total: figures(rows),
      forces,
      ethnicity: ethnicityFigures(ethnicity),
    }
  })
}

/** Sums rows of the query into one group's figures. */
function figures(rows: queries.CompletenessGroupRow[]) {
  const sum = (f: (r: queries.CompletenessGroupRow) => number) => rows.reduce((n, r) => n + f(r), 0)
  const victims = sum((r) => r.victims)
  return {
    victims,
    complete: sum((r) => r.complete),
    characteristics: CHARACTERISTICS.map((c, i) => {
      const answered = sum((r) => r.answered[i])
      return { key: c.key, name: c.name, answered, notAnswered: victims - answered }
    }),
    ethnicityToAskAgain: sum((r) => r.ethnicityToAskAgain),
  }
}

/** Ethnic group at both levels: each broad group with its detailed categories and its broad-only answers. */
function ethnicityFigures(counts: { value: string; victims: number }[]) {
  const of = (value: string) => counts.find((c) => c.value === value)?.victims ?? 0
  const broadGroups = ETHNIC_GROUPS.map((g) => {
    const categories = g.categories.map((c) => ({ code: c.value, label: c.label, victims: of(c.value) }))
    const detailRecorded = categories.reduce((n, c) => n + c.victims, 0)
    const broadOnly = of(broadOnlyValue(g.code))
    return { code: g.code, label: g.label, victims: detailRecorded + broadOnly, detailRecorded, broadOnly, categories }
  })
  const prefersNotToSay = of(PREFERS_NOT_TO_SAY)
  const all = counts.reduce((n, c) => n + c.victims, 0)
  // The rest: no answer stored, "not yet asked", or a value from no list; none says anything about the person.
  const notAsked = all - prefersNotToSay - broadGroups.reduce((n, g) => n + g.victims, 0)
  return { broadGroups, prefersNotToSay, notAsked }
}

/**
 * The victim's preferred language and interpreter need, null when no victim is recorded: all the
 * communication plan (communication/service.ts) needs of the record, read in the caller's transaction.
 */
export async function victimLanguage(
  tx: Sql,
  caseId: string,
  victimId: string | null,
): Promise<{ preferredLanguage: Victim['preferredLanguage']; interpreterNeeded: Victim['interpreterNeeded'] } | null> {
  const victim = victimId && (await queries.findVictim(tx, caseId, victimId))
  return victim ? { preferredLanguage: victim.preferredLanguage, interpreterNeeded: victim.interpreterNeeded } : null
}
