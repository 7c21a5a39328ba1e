import { Forbidden, NotFound } from '../errors.ts'
import { type Actor, hasRole } from './actor.ts'
import { type Shareable, shareableLabel } from './consent.ts'

/**
 * The one access policy. Every page, API endpoint and list asks here, so a rule changes in
 * one place. A user with no relation to a case is told it does not exist (NotFound, 404).
 */

/**
 * An active support referral: the service engaged, the victim it supports (null while the case's
 * victim is not yet recorded) and what that victim agreed it may see.
 */
export type SupportLink = { serviceId: string; victimId?: string | null; shared: string[]; kind: 'isva' | 'sarc' }
/**
 * A case as the policy sees it; `id` lets a refusal of a loaded case be recorded against it. The
 * people and teams allocated to it (`parts`) say who has a direct part in it (directPart).
 */
export type CaseRef = {
  id?: string
  forceId: string
  cpsAreaId: string | null
  support?: SupportLink[]
  restriction?: Restriction | null
  parts?: CaseParts
}
export type CaseParts = {
  officerInChargeId: string
  supervisorId: string | null
  teamId: string | null
  prosecutorId: string | null
  cpsUnitId: string | null
}
/**
 * view: read the shared record; edit_details: change what the police recorded about the case;
 * finalise: record or reopen the outcome; record_withdrawal: record a victim's withdrawal or
 * re-engagement (police or CPS, whoever hears of it); view_access_log: read who has seen the
 * record (supervisors and administrators).
 */
export type CaseAction =
  | 'view'
  | 'edit_details'
  | 'finalise'
  | 'record_withdrawal'
  | 'view_access_log'
  | 'view_victim'
  | 'edit_victim'
  | 'view_communication'
  | 'record_contact'
  | 'view_outcome'
  | 'manage_support'
  | 'view_casework'
  | 'request_advice'
  | 'refer_for_charge'
  | 'respond_to_plan'
  | 'triage'
  | 'give_advice'
  | 'issue_action_plan'
  | 'admin_finalise'
  | 'approve_action_plan'
  | 'authorise_outcome'
  | 'view_withdrawal'
  | 'agree_plan'
  | 'record_support'
  | 'pass_on_wish'
  | 'restrict'

/**
 * What an ISVA needs the victim to have agreed to share for each action; actions missing here
 * are police and CPS casework that ISVAs never do (their role is support, not investigation).
 */
const ISVA_NEEDS: Partial<Record<CaseAction, Shareable>> = {
  view: 'case_summary',
  view_victim: 'victim_details',
  view_communication: 'communication_plan',
  view_outcome: 'outcome',
  // An ISVA's own work with the victim: any engaged ISVA records it, whatever else is shared.
  record_contact: 'case_summary',
  record_support: 'case_summary',
  pass_on_wish: 'case_summary',
}

/** What only the victim's ISVA does: tell the officer that the victim wishes to stop or to re-engage. */
const SUPPORT_ONLY: readonly CaseAction[] = ['pass_on_wish']

/** Refusals an ISVA may meet in the ordinary course of supporting a victim, with the way forward. */
const ISVA_REFUSALS: Partial<Record<CaseAction, string>> = {
  record_withdrawal:
    'ISVAs are independent of the investigation and never record a withdrawal: pass on the victim’s wish to the officer in charge from the support page',
}

/**
 * What only the investigating force may do: the police own the crime record and its outcome,
 * ask for advice, refer for a charging decision and answer action plans.
 */
const POLICE_ONLY: readonly CaseAction[] = [
  'edit_details',
  'finalise',
  'authorise_outcome',
  'request_advice',
  'refer_for_charge',
  'respond_to_plan',
]
/** What only the CPS Area the case is referred to may do. */
const CPS_ONLY: readonly CaseAction[] = ['triage', 'give_advice', 'issue_action_plan', 'admin_finalise']
/**
 * The investigation's casework between police and CPS (early advice, charging, action plans): a
 * support service is not told these sections exist (404, as for suspects). view_casework reads them.
 */
const HIDDEN_FROM_SUPPORT: readonly CaseAction[] = [
  'view_casework',
  'view_withdrawal',
  'authorise_outcome',
  'request_advice',
  'refer_for_charge',
  'respond_to_plan',
  'triage',
  'give_advice',
  'issue_action_plan',
  'admin_finalise',
  'approve_action_plan',
]
/** A District Crown Prosecutor's (CPS manager's) alone: approving a second action plan after a Full Code Test referral. */
const CPS_MANAGER_ONLY: readonly CaseAction[] = ['approve_action_plan']

const POLICE_CASEWORK = ['investigator', 'police_supervisor'] as const
const CPS_CASEWORK = ['prosecutor', 'cps_manager'] as const

/**
 * The relation that lets this user see the case, in words fit for the audit log's
 * justification, or null when there is none.
 */
export function relationToCase(actor: Actor, c: CaseRef): string | null {
  if (shutOut(actor, c)) return null
  if (actor.organisationKind === 'police_force' && hasRole(actor, ...POLICE_CASEWORK) && c.forceId === actor.organisationId) {
    return 'case of own force'
  }
  if (actor.organisationKind === 'cps_area' && hasRole(actor, ...CPS_CASEWORK) && c.cpsAreaId === actor.organisationId) {
    return 'case referred to own CPS Area'
  }
  if (supportLink(actor, c)) return 'support service engaged with the victim’s consent'
  return null
}

/**
 * Whether the user has a direct part in the case: police, its officer in charge, supervisor or
 * team; CPS, its reviewing prosecutor or CPS unit; a support service, the engaged ISVA. Anyone
 * else with access states why before they see its victims (docs/decisions/0010).
 */
export function directPart(actor: Actor, c: CaseRef): boolean {
  if (supportLink(actor, c)) return true
  const p = c.parts
  if (!p || !relationToCase(actor, c)) return false
  const inTeam = (teamId: string | null) => actor.teamId != null && actor.teamId === teamId
  if (actor.organisationKind === 'police_force')
    return actor.id === p.officerInChargeId || actor.id === p.supervisorId || inTeam(p.teamId)
  return actor.id === p.prosecutorId || inTeam(p.cpsUnitId)
}

/** For a support service's user, what the victim agreed it may see; null for everyone else. */
export function supportShared(actor: Actor, c: CaseRef, victim?: VictimRef): string[] | null {
  return supportLink(actor, c, victim)?.shared ?? null
}

function supportLink(actor: Actor, c: CaseRef, victim?: VictimRef): SupportLink | undefined {
  if (actor.organisationKind !== 'support_service' || !hasRole(actor, 'isva')) return undefined
  // A SARC referral is a referral for the victim's care, not access to the case.
  return c.support?.find(
    (s) =>
      s.serviceId === actor.organisationId && s.kind === 'isva' && (victim === undefined || (s.victimId ?? null) === victim.id),
  )
}

/**
 * Of a case's victims, those this user may know of: all of them for police and CPS, only the
 * victims it supports for a support service.
 */
export function knownVictims<V extends { id: string }>(actor: Actor, c: CaseRef, victims: V[]): V[] {
  if (!supportLink(actor, c)) return victims
  return victims.filter((v) => supportLink(actor, c, { id: v.id }))
}

/**
 * Oversight without casework: a case's supervisors and its organisations' administrators may
 * read who has accessed it (DPA 2018 s62 lets logs be used to check lawfulness). Administrators
 * see the log, not the case.
 */
export function oversightOfCase(actor: Actor, c: CaseRef): string | null {
  if (shutOut(actor, c)) return null
  const ownForce = actor.organisationKind === 'police_force' && c.forceId === actor.organisationId
  const ownArea = actor.organisationKind === 'cps_area' && c.cpsAreaId === actor.organisationId
  if (ownForce && hasRole(actor, 'police_supervisor')) return 'supervisor in the investigating force'
  if (ownArea && hasRole(actor, 'cps_manager')) return 'manager in the CPS Area the case is referred to'
  if ((ownForce || ownArea) && hasRole(actor, 'administrator')) return 'administrator of own organisation'
  return null
}

/**
 * Returns the justification to audit, or throws: NotFound when the user has no relation to
 * the case (they must not learn it exists), Forbidden when they may see it but not do this.
 *
 * A refusal of a case that exists carries which case and what was attempted, so every route
 * that asks here has its refused attempts logged by the error handler without doing anything
 * itself (docs/decisions/0009). `allows` catches the error, so asking which forms to offer
 * logs nothing.
 */
export function requireCase(actor: Actor, action: CaseAction, c: CaseRef | undefined, victim?: VictimRef): string {
  try {
    return decide(actor, action, c, victim)
  } catch (err) {
    if (c?.id && (err instanceof NotFound || err instanceof Forbidden)) {
      err.refusal = {
        caseId: c.id,
        attempted: action,
        related: relationToCase(actor, c) !== null || oversightOfCase(actor, c) !== null,
      }
    }
    throw err
  }
}

/**
 * The victim a victim-scoped action is about (null: the case's victim, not yet recorded). A
 * support service relates only to the victim it supports: of a case file with several victims it
 * is told nothing of the others (404), so it cannot learn of another complainant.
 */
export type VictimRef = { id: string | null }

function decide(actor: Actor, action: CaseAction, c: CaseRef | undefined, victim?: VictimRef): string {
  if (c && action === 'view_access_log') {
    const oversight = oversightOfCase(actor, c)
    if (oversight) return oversight
    if (relationToCase(actor, c))
      throw new Forbidden('Only supervisors and administrators can see who has accessed a case', 'oversight_only')
    throw new NotFound()
  }
  const relation = c ? relationToCase(actor, c) : null
  if (!c || !relation) throw new NotFound()
  const link = supportLink(actor, c, victim)
  if (supportLink(actor, c) && !link) throw new NotFound()
  if (link) {
    if (HIDDEN_FROM_SUPPORT.includes(action)) throw new NotFound()
    const needed = ISVA_NEEDS[action]
    if (!needed)
      throw new Forbidden(
        ISVA_REFUSALS[action] ?? 'ISVAs support the victim and are not part of the investigation, so they cannot do this',
        action === 'record_withdrawal' ? 'isva_independent' : 'isva_not_investigator',
      )
    if (!link.shared.includes(needed)) {
      throw new Forbidden(
        `The victim has not agreed to share ${shareableLabel(needed)} with their support service`,
        'consent_not_given',
      )
    }
    return relation
  }
  if (SUPPORT_ONLY.includes(action)) {
    throw new Forbidden(
      'Only the victim’s ISVA passes on their wishes this way: record a withdrawal or re-engagement instead',
      'isva_only',
    )
  }
  restrictionRule(actor, action)
  if (POLICE_ONLY.includes(action) && !canCreateCase(actor)) {
    throw new Forbidden('Only the police force investigating the case can do this', 'police_only')
  }
  const cps = actor.organisationKind === 'cps_area'
  if (CPS_ONLY.includes(action) && !cps) throw new Forbidden('Only the CPS Area the case is referred to can do this', 'cps_only')
  if (CPS_MANAGER_ONLY.includes(action) && !(cps && hasRole(actor, 'cps_manager'))) {
    throw new Forbidden('Only a District Crown Prosecutor can approve this', 'dcp_only')
  }
  if (action === 'authorise_outcome' && !hasRole(actor, 'police_supervisor')) {
    throw new Forbidden(
      'Only a police supervisor can authorise a police decision to take no further action',
      'supervisor_authorisation_only',
    )
  }
  return relation
}

/** Whether the policy lets this user do `action` on the case: decides which forms a page offers. */
export function allows(actor: Actor, action: CaseAction, c: CaseRef, victim?: VictimRef): boolean {
  try {
    requireCase(actor, action, c, victim)
    return true
  } catch {
    return false
  }
}

/**
 * Suspect details are police and CPS casework only, on top of the case's own access. ISVAs
 * support the victim, are independent of police and CPS, and never see who is suspected: when
 * ISVAs gain a relation to cases, this still keeps them out of suspects, with a 404.
 */
export function canSeeSuspects(actor: Actor): boolean {
  if (actor.organisationKind === 'police_force') return hasRole(actor, ...POLICE_CASEWORK)
  if (actor.organisationKind === 'cps_area') return hasRole(actor, ...CPS_CASEWORK)
  return false
}

/**
 * The quarterly assurance return of action plans: District Crown Prosecutors (CPS managers) and
 * analysts of a CPS Area, for their own Area. Police analysts see nothing of it.
 */
export function canReadAssuranceReturn(actor: Actor): boolean {
  return actor.organisationKind === 'cps_area' && hasRole(actor, 'cps_manager', 'analyst')
}

/**
 * The protected characteristics completeness report (figures only): police supervisors for their
 * own force's cases, CPS managers for the cases referred to their own Area (caseScope).
 */
export function canReadCharacteristicsCompleteness(actor: Actor): boolean {
  if (actor.organisationKind === 'police_force') return hasRole(actor, 'police_supervisor')
  return actor.organisationKind === 'cps_area' && hasRole(actor, 'cps_manager')
}

export function canCreateCase(actor: Actor): boolean {
  return actor.organisationKind === 'police_force' && hasRole(actor, ...POLICE_CASEWORK)
}

export function canManageUsers(actor: Actor): boolean {
  return hasRole(actor, 'administrator')
}

/** The organisations' part of caseScope, before restrictions (below). */
function organisationScope(actor: Actor, params: unknown[], alias = 'c'): string {
  if (actor.organisationKind === 'police_force' && hasRole(actor, ...POLICE_CASEWORK)) {
    params.push(actor.organisationId)
    return `${alias}.force_id = $${params.length}`
  }
  if (actor.organisationKind === 'cps_area' && hasRole(actor, ...CPS_CASEWORK)) {
    params.push(actor.organisationId)
    return `${alias}.cps_area_id = $${params.length}`
  }
  if (actor.organisationKind === 'support_service' && hasRole(actor, 'isva')) {
    params.push(actor.organisationId)
    return `EXISTS (SELECT 1 FROM support_referrals r WHERE r.case_id = ${alias}.id AND r.service_id = $${params.length} AND r.kind = 'isva' AND r.ended_at IS NULL)`
  }
  return 'false'
}

/**
 * The same policy for rows about one victim (a victims table aliased `victim`, of a case aliased
 * `alias`): the case's scope, and for a support service only the victims it supports, so figures
 * never count another complainant of a case it supports.
 */
export function victimScope(actor: Actor, params: unknown[], alias = 'c', victim = 'v'): string {
  const cases = caseScope(actor, params, alias)
  if (actor.organisationKind !== 'support_service') return cases
  params.push(actor.organisationId)
  return `${cases} AND EXISTS (SELECT 1 FROM support_referrals r WHERE r.victim_id = ${victim}.id AND r.service_id = $${params.length} AND r.kind = 'isva' AND r.ended_at IS NULL)`
}

/*
 * Restricted cases (issue 10 item 2). While a restriction is in force only
 * the people it names may open the case at all: to everyone else, their own force's investigators,
 * supervisors and administrators, the CPS and the ISVA included, it is a case of another force
 * (404; gone from lists, searches, queues and counts). A refused look is still logged and shown to
 * the named overseers, since requireCase marks every refusal of a case that exists.
 */

/** A restriction in force: the ids of the users it names. */
export type Restriction = { named: string[] }

function shutOut(actor: Actor, c: CaseRef): boolean {
  return Boolean(c.restriction) && !c.restriction?.named.includes(actor.id)
}

/** Whether the case is restricted and this user is named on it (so may open it). */
export function namedOnRestriction(actor: Actor, c: CaseRef): boolean {
  return Boolean(c.restriction?.named.includes(actor.id))
}

/** Restricting a case, and changing or lifting a restriction: a police supervisor of the investigating force. */
function restrictionRule(actor: Actor, action: CaseAction) {
  if (action === 'restrict' && !(actor.organisationKind === 'police_force' && hasRole(actor, 'police_supervisor'))) {
    throw new Forbidden(
      'Only a police supervisor of the investigating force can restrict a case or change its restriction',
      'supervisor_restriction_only',
    )
  }
}

/**
 * The same policy as SQL, for lists: a boolean expression over the cases table aliased
 * `alias`. Pushes its parameters onto `params` and refers to them by position.
 */
export function caseScope(actor: Actor, params: unknown[], alias = 'c'): string {
  const scope = organisationScope(actor, params, alias)
  if (scope === 'false') return scope
  return `(${scope} AND NOT ${restrictedFrom(actor, params, alias)})`
}

/**
 * SQL: the case is restricted and this user is not named on it. For figures that must count
 * every case of an organisation (the quarterly return) but may not name one restricted from the reader.
 */
export function restrictedFrom(actor: Actor, params: unknown[], alias = 'c'): string {
  params.push(actor.id)
  return `EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = ${alias}.id AND x.lifted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM case_restriction_people n WHERE n.restriction_id = x.id AND n.user_id = $${params.length}))`
}
