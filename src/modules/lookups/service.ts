import type { z } from 'zod'
import { type OrganisationKind, ROLE_LABELS, ROLES, type Role } from '../../platform/access/actor.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { APPROVAL_THEMES } from '../action-plans/reference.ts'
import { NOT_SOUGHT_REASONS } from '../advice/reference.ts'
import { isRape, OFFENCES } from '../cases/offences.ts'
import { MG_FORMS } from '../charging/reference.ts'
import { CHANNELS, NFA_PREFERENCES } from '../communication/reference.ts'
import { OUTCOMES, POLICE_OUTCOMES } from '../outcomes/codes.ts'
import { SUPPORT_KINDS, SUPPORT_OFFERED } from '../support/reference.ts'
import { TRIAGE_REASONS } from '../triage/reference.ts'
import { answerLabel, CHARACTERISTICS, isSuperseded, valuesOf } from '../victims/characteristics.ts'
import { ELP_DECISIONS, PRESSURE_ANSWERS, WITHDRAWAL_REASONS } from '../withdrawal/reasons.ts'
import * as queries from './queries.ts'
import type { Codes } from './schema.ts'

/**
 * Read-only lists an API client needs to fill in the ids and codes it sends. People are the
 * caller's own organisation's casework staff (whom a case, a triage or a plan may name), by work
 * name only; listing them is audited as the administrators' staff list is.
 */

/** The people of each kind of organisation whose ids the API takes. */
const CASEWORK_ROLES: Record<OrganisationKind, readonly Role[]> = {
  police_force: ['investigator', 'police_supervisor'],
  cps_area: ['prosecutor', 'cps_manager'],
  support_service: ['isva'],
}

export async function people(ctx: Ctx) {
  return ctx.db.transaction(async (tx) => {
    const people = await queries.staffOf(tx, ctx.actor.organisationId, CASEWORK_ROLES[ctx.actor.organisationKind])
    await audit.consultation(tx, ctx, {
      action: 'lookups.people_listed',
      subject: 'staff list of own organisation',
      justification: 'member of the organisation',
    })
    return { people }
  })
}

export async function teams(ctx: Ctx) {
  return { teams: await queries.teamsOf(ctx.db, ctx.actor.organisationId) }
}

export async function cpsAreas(ctx: Ctx) {
  return { areas: await queries.cpsAreas(ctx.db, ctx.actor.organisationId) }
}

const coded = (list: readonly { code: string; label: string }[]) => list.map(({ code, label }) => ({ code, label }))

/** The code lists, built once: they are the reference modules' own lists and change only with a release. */
export const CODES: z.output<typeof Codes> = {
  offences: OFFENCES.map(({ code, label }) => ({ code, label, rape: isRape(code) })),
  outcomes: OUTCOMES.map((o) => ({
    code: o.code,
    label: o.label,
    decider: o.decider,
    policeMayRecord: POLICE_OUTCOMES.some((p) => p.code === o.code),
  })),
  withdrawalReasons: coded(WITHDRAWAL_REASONS),
  pressureAnswers: coded(PRESSURE_ANSWERS),
  elpDecisions: coded(ELP_DECISIONS),
  characteristics: CHARACTERISTICS.map((c) => ({
    key: c.key,
    name: c.name,
    answers: valuesOf(c)
      .filter((v) => !isSuperseded(c, v))
      .map((value) => ({ value, label: answerLabel(c, value) })),
  })),
  supportKinds: Object.entries(SUPPORT_KINDS).map(([code, label]) => ({ code, label })),
  supportOffered: coded(SUPPORT_OFFERED),
  notSoughtReasons: coded(NOT_SOUGHT_REASONS),
  triageReasons: coded(TRIAGE_REASONS),
  mgForms: coded(MG_FORMS),
  approvalThemes: coded(APPROVAL_THEMES),
  contactChannels: coded(CHANNELS),
  nfaPreferences: coded(NFA_PREFERENCES),
  roles: ROLES.map((code) => ({ code, label: ROLE_LABELS[code] })),
}
