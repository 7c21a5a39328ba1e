import { formatDate } from '../../platform/web/views.ts'
import { STATUS_LABELS, type SuspectStatus } from './schema.ts'

/**
 * Which status may follow which, and when. Pure, so every rule is unit tested on its own; the
 * service runs it inside the transaction that holds the suspect's row locked, so the history
 * it checks against cannot change before the new status is written.
 */

export interface StatusFact {
  status: SuspectStatus
  effectiveDate: string
}

export interface ProposedStatus extends StatusFact {
  bailReturnDate?: string
}

export type Rule =
  | 'start-status'
  | 'identify-first'
  | 'identified-once'
  | 'stays-identified'
  | 'charged-is-final'
  | 'charged-by-cps'
  | 'arrest-before-release'
  | 'no-repeat'
  | 'date-not-future'
  | 'date-not-before-previous'
  | 'bail-return-after-bail'
  | 'birth-date-past'

export interface Refusal {
  rule: Rule
  field: 'status' | 'effectiveDate' | 'bailReturnDate' | 'dateOfBirth'
  message: string
}

const STARTING: SuspectStatus[] = ['not_identified', 'identified']
const RELEASES: SuspectStatus[] = ['on_bail', 'released_under_investigation']
// Bail can be extended or varied, so it is the one status that may be recorded again in a row.
const REPEATABLE: SuspectStatus[] = ['on_bail']

const label = (s: SuspectStatus) => STATUS_LABELS[s].toLowerCase()

/**
 * Who is recording the status: the police by hand, or a CPS charging decision (the decisions
 * issue). For rape the CPS decides charge, so only a CPS decision may record "charged".
 */
export type StatusSource = 'police' | 'cps_decision'

/** Why `next` cannot follow `history` (oldest first), or null when it can. */
function statusRefusal(history: readonly StatusFact[], next: SuspectStatus, source: StatusSource): Refusal | null {
  const refuse = (rule: Rule, message: string): Refusal => ({ rule, field: 'status', message })
  const current = history.at(-1)?.status
  if (!current) {
    return STARTING.includes(next) ? null : refuse('start-status', 'A suspect starts as identified or not identified')
  }
  if (current === 'charged') return refuse('charged-is-final', 'This suspect has been charged: no further status can be recorded')
  if (current === 'not_identified') {
    if (next === 'identified') return null
    if (next === 'not_identified') return refuse('no-repeat', 'This suspect is already recorded as not identified')
    return refuse('identify-first', `A suspect who is not identified cannot be ${label(next)}: record them as identified first`)
  }
  if (next === 'not_identified')
    return refuse('stays-identified', 'A suspect who has been identified cannot become not identified')
  if (next === 'identified') return refuse('identified-once', 'This suspect is already identified')
  if (next === current && !REPEATABLE.includes(next)) return refuse('no-repeat', `This suspect is already ${label(next)}`)
  if (RELEASES.includes(next) && !history.some((h) => h.status === 'arrested')) {
    return refuse('arrest-before-release', `A suspect must be arrested before they can be ${label(next)}`)
  }
  if (next === 'charged' && source !== 'cps_decision') {
    return refuse(
      'charged-by-cps',
      'For rape the CPS decides whether to charge: a suspect is recorded as charged only by a CPS charging decision',
    )
  }
  return null
}

/** The statuses the form offers next; the same rules refuse anything else. */
export function nextStatuses(history: readonly StatusFact[], source: StatusSource = 'police'): SuspectStatus[] {
  return (Object.keys(STATUS_LABELS) as SuspectStatus[]).filter((s) => statusRefusal(history, s, source) === null)
}

/** Every rule the proposed status breaks, given the suspect's history (oldest first) and today's date. */
export function checkTransition(
  history: readonly StatusFact[],
  next: ProposedStatus,
  today: string,
  source: StatusSource = 'police',
): Refusal[] {
  const refusals: Refusal[] = []
  const status = statusRefusal(history, next.status, source)
  if (status) refusals.push(status)
  const previous = history.at(-1)
  if (next.effectiveDate > today) {
    refusals.push({
      rule: 'date-not-future',
      field: 'effectiveDate',
      message: 'The date it happened must be today or in the past',
    })
  } else if (previous && next.effectiveDate < previous.effectiveDate) {
    refusals.push({
      rule: 'date-not-before-previous',
      field: 'effectiveDate',
      message: `The date it happened cannot be before ${formatDate(previous.effectiveDate, 'date')}, when the suspect was recorded as ${label(previous.status)}`,
    })
  }
  if (next.status === 'on_bail' && next.bailReturnDate !== undefined && next.bailReturnDate <= next.effectiveDate) {
    refusals.push({
      rule: 'bail-return-after-bail',
      field: 'bailReturnDate',
      message: 'The bail return date must be after the date bailed',
    })
  }
  return refusals
}

export function checkDateOfBirth(dateOfBirth: string | undefined, today: string): Refusal[] {
  if (dateOfBirth === undefined || dateOfBirth < today) return []
  return [{ rule: 'birth-date-past', field: 'dateOfBirth', message: 'The date of birth must be in the past' }]
}
