import type { z } from 'zod'
import type { Consultation } from './audit/audit.ts'

export type FieldError = { field: string; message: string }

/**
 * The access policy refused a user an existing case. Set on the NotFound or Forbidden it throws,
 * so the error handler can record the attempt against the case after the request's transaction
 * has rolled back (docs/decisions/0009). Only fixed words: never anything the user typed.
 */
export interface CaseRefusal {
  caseId: string
  /** The policy's name for what was attempted ('view', 'edit_victim', ...). */
  attempted: string
  /** Whether the user has any relation to the case (casework, support or oversight). */
  related: boolean
}

/**
 * The stable codes an API client branches on (problem JSON's `code`). Messages are written for
 * people and may be reworded; a code, once published, may not. The generic code of each kind of
 * refusal comes first, then the rules the service tells apart.
 */
export const PROBLEM_CODES = {
  validation_failed: 'The request breaks a rule; `errors` names each field',
  bad_request: 'The request could not be read (malformed JSON, wrong content type)',
  unauthenticated: 'No valid bearer token',
  not_found: 'Not found, or not yours to see',
  forbidden: 'The caller may know the thing exists but may not do this',
  conflict: 'A rule of the service stops this change in the state the case is in',
  rate_limited: 'Too many requests: wait, then try again',
  internal: 'Something went wrong; `reference` identifies it in the service’s logs',

  // 400s naming a rule of the domain rather than the shape of a field
  outcome_rules_not_met: 'The outcome’s counting rules are not met by the case; `errors` names each',

  // 403s: who may do what
  police_only: 'Only the police force investigating the case can do this',
  cps_only: 'Only the CPS Area the case is referred to can do this',
  dcp_only: 'Only a District Crown Prosecutor (CPS manager) can approve this',
  supervisor_authorisation_only: 'Only a police supervisor can authorise a police decision to take no further action',
  supervisor_restriction_only:
    'Only a police supervisor of the investigating force can restrict a case or change its restriction',
  isva_only: 'Only the victim’s ISVA passes on their wishes this way',
  isva_independent: 'ISVAs are independent of the investigation and never record a withdrawal',
  isva_not_investigator: 'ISVAs support the victim and are not part of the investigation',
  consent_not_given: 'The victim has not agreed to share this with their support service',
  oversight_only: 'Only supervisors, CPS managers and administrators can see who has accessed a case',
  administrator_only: 'Only administrators of the organisation can do this',
  elp_part_not_yours: 'This part of the evidence-led prosecution consideration is the other organisation’s to record',
  assigned_prosecutor_only: 'Only the prosecutor assigned at triage, or a CPS manager, can give this advice',
  reason_needed:
    'You have no direct part in this case: state why you need to see its victims (POST /cases/{id}/access-reasons), once a session or token',
  reviewing_prosecutor_only:
    'Only the reviewing prosecutor, or a District Crown Prosecutor of the Area, can review an action plan',

  // 409s: the state of the case stops the change
  changed_meanwhile: 'Someone else changed this at the same time: read it again, then decide',
  already_closed: 'This has already been closed, answered or decided',
  not_referred_to_cps: 'The case has not been referred to the CPS',
  no_serving_cps_area: 'The caller’s force has no serving CPS Area set',
  early_advice_not_considered: 'Early advice must be considered before a charging referral',
  suspect_not_identified: 'A charging referral needs an identified suspect',
  already_with_cps: 'A request or referral of this kind is already with the CPS',
  already_triaged: 'This request or referral has already been triaged',
  action_plan_open: 'An action plan is still with the police',
  dcp_approval_needed: 'A further action plan after a Full Code Test submission needs a DCP’s approval first',
  dcp_approval_not_needed: 'No approval is needed, or one is already waiting to be used',
  police_not_late: 'The police are not late yet: the wait after the latest target date has not passed',
  victim_not_recorded: 'Record the victim first',
  several_victims: 'The case file holds several victims: name the victim (/cases/{id}/victims/{victimId}/…)',
  several_crimes: 'The case file holds several crimes: name the crime (/cases/{id}/crimes/{crimeId}/…)',
  withdrawal_already_recorded: 'The victim’s withdrawal is already recorded: record their re-engagement first',
  no_withdrawal: 'The victim has not withdrawn support',
  referral_ended: 'The support referral has ended',
  outcome_already_finalised: 'The case is already finalised: reopen it to record another outcome',
  outcome_awaiting_authorisation: 'A decision to take no further action is waiting for a supervisor’s authorisation',
  no_outcome_proposal: 'There is no decision waiting for authorisation',
  not_restricted: 'The case is not restricted, so there is no restriction to lift',
  outcome_not_finalised: 'The case is not finalised, so there is nothing to reopen',
} as const
export type ProblemCode = keyof typeof PROBLEM_CODES

/** The thing does not exist, or the user must not learn that it does. Always a 404. */
export class NotFound extends Error {
  refusal?: CaseRefusal
  constructor() {
    super('Not found')
  }
}

/** The user may know the thing exists but may not do this to it (for example, the wrong role). */
export class Forbidden extends Error {
  refusal?: CaseRefusal
  readonly code: ProblemCode
  constructor(message: string, code: ProblemCode = 'forbidden') {
    super(message)
    this.code = code
  }
}

/**
 * The user may see the case but has no direct part in it, and has not yet stated in this session
 * why they need its victims (docs/decisions/0010): a page sends them to say why, the API answers
 * 403 reason_needed. Not a refusal of the case: nothing is logged as an attempt.
 */
export class ReasonNeeded extends Forbidden {
  readonly caseId: string
  constructor(caseId: string) {
    super('You have no direct part in this case: state why you need to see its victims first', 'reason_needed')
    this.caseId = caseId
  }
}

/** A rule of the service stops this change; the message is written for the user. */
export class Conflict extends Error {
  readonly code: ProblemCode
  constructor(message: string, code: ProblemCode = 'conflict') {
    super(message)
    this.code = code
  }
}

/**
 * An address that stands for one of several things (the case's victim, when the case file holds
 * several): the API answers 409 naming the rule; a page asks the person which one they meant,
 * each choice linking to the address `addressOf` gives for it.
 */
export class ChooseOne extends Conflict {
  readonly question: string
  readonly choices: { id: string; text: string }[]
  readonly addressOf: (url: string, id: string) => string
  /** Showing the choices consults what they name: the page records it, as any page would. */
  readonly consulted: Consultation
  constructor(
    message: string,
    code: ProblemCode,
    question: string,
    choices: { id: string; text: string }[],
    addressOf: (url: string, id: string) => string,
    consulted: Consultation,
  ) {
    super(message, code)
    this.question = question
    this.choices = choices
    this.addressOf = addressOf
    this.consulted = consulted
  }
}

export class ValidationFailed extends Error {
  readonly fieldErrors: FieldError[]
  readonly code: ProblemCode
  constructor(fieldErrors: FieldError[], code: ProblemCode = 'validation_failed') {
    super('There is a problem with the information you gave')
    this.fieldErrors = fieldErrors
    this.code = code
  }
}

/** Parses input with a schema, turning every issue into a field error a page or API can show. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new ValidationFailed(
    result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message })),
  )
}
