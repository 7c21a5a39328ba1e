/**
 * Every subject the audit log may name, in one place, each with whether it is the victim's data.
 *
 * An audit call names its subject from this list (the type refuses any other words), and the
 * writer stores the classification on the row, inside the hash chain. So a new read of the
 * victim's data cannot be written without someone deciding here that it is one, and "who has
 * seen this record", filtered to the victim, reads the stored flag rather than a list of actions
 * that each new module would have to remember to join.
 *
 * The words are what people read in the access log: say what was consulted or altered, never
 * the personal data itself.
 */
const VICTIM = { victimData: true } as const
const OTHER = { victimData: false } as const

export const AUDIT_SUBJECTS = {
  // The victim's data: their details and characteristics, how and when they are contacted, their
  // withdrawals, their support, and the fact that a search for a name turned up their case.
  'victim identity, contact details and needs': VICTIM,
  'victim protected characteristics': VICTIM,
  'victim section (no victim recorded)': VICTIM,
  'victim communication plan': VICTIM,
  'victim contact log': VICTIM,
  'victim language and interpreter need': VICTIM,
  'victim’s withdrawals of support': VICTIM,
  'victim’s withdrawal of support': VICTIM,
  'victim’s re-engagement': VICTIM,
  'support referrals and offers': VICTIM,
  'support referral': VICTIM,
  'support offered': VICTIM,
  'case parts shared with a support service, with the victim’s consent': VICTIM,
  'case in the results of a name search': VICTIM,
  'names of the case’s victims': VICTIM,
  'victim’s wish passed on by their ISVA': VICTIM,
  // Part of the withdrawal record: whether to prosecute without the victim's support.
  'evidence-led prosecution consideration': VICTIM,

  // The case and its casework.
  'case record': OTHER,
  'case details': OTHER,
  'case record and timeline': OTHER,
  'case referral to CPS Area': OTHER,
  'case outcome': OTHER,
  'crime and its offences': OTHER,
  'crime outcome': OTHER,
  'suspects and their status history': OTHER,
  'case heading, to add a suspect': OTHER,
  'suspect and status history, to record a status': OTHER,
  'suspect and first status': OTHER,
  'suspect status': OTHER,
  'early advice, charging referrals and CPS triage': OTHER,
  'request for early advice': OTHER,
  'reasons early advice was not sought': OTHER,
  'early advice to the police': OTHER,
  'file for a charging decision': OTHER,
  'CPS triage of a request for early advice': OTHER,
  'CPS triage of a charging referral': OTHER,
  'action plans': OTHER,
  'action plan': OTHER,
  'approval of a further action plan': OTHER,
  'response to an action plan': OTHER,
  'review of an action plan': OTHER,
  'request for more time on an action': OTHER,
  'admin finalisation of the case': OTHER,
  // Who may open a restricted case, and why (the reasons stay in their own table).
  'case restriction': OTHER,

  // Oversight of the log itself: who looked, not the victim's data.
  'access log of the case': OTHER,
  'access log of the victim’s details': OTHER,
  // Which of the listed reasons was given (its free text stays in access_reasons), and the review of them.
  'reason for looking at the case’s victims': OTHER,
  'reasons stated for looking at victims, for review': OTHER,

  // Refused attempts (docs/decisions/0009): what the policy refused, never what was asked for
  // beyond that, so no victim data even when the attempt was at the victim's details.
  'attempt to open a case without a relation to it': OTHER,
  'attempt at something on the case the user may not do': OTHER,

  // Lists and figures over many cases (no case named on the row).
  'case list': OTHER,
  'case search': OTHER,
  'work queue': OTHER,
  notifications: OTHER,
  'protected characteristics completeness (counts only)': OTHER,
  'protected characteristics completeness by force and team (counts only)': OTHER,
  'action plans and approvals in the quarterly assurance return': OTHER,
  'quarterly assurance return of action plans': OTHER,

  // Running the service.
  'staff list of own organisation': OTHER,
  'staff account': OTHER,
  'system client account': OTHER,
  team: OTHER,
} as const satisfies Record<string, { victimData: boolean }>

export type AuditSubject = keyof typeof AUDIT_SUBJECTS

/** One subject, or several consulted together on one page. */
export type AuditSubjects = AuditSubject | readonly [AuditSubject, ...AuditSubject[]]

/** The words stored in the row's `subject`, as people read them in the access log. */
export function subjectWords(subject: AuditSubjects): string {
  return typeof subject === 'string' ? subject : subject.join(', ')
}

/** Whether any of the subjects is the victim's data. */
export function touchesVictimData(subject: AuditSubjects): boolean {
  const list: readonly AuditSubject[] = typeof subject === 'string' ? [subject] : subject
  return list.some((s) => AUDIT_SUBJECTS[s].victimData)
}

/**
 * Rows written before the classification (migration 0015) carry none (`victim_data` is null):
 * these are the actions that read or changed the victim's data then. The list is closed: every
 * row written since is classified by its subject above.
 */
export const VICTIM_ACTIONS_BEFORE_CLASSIFICATION = [
  'victim.viewed',
  'victim.recorded',
  'victim.updated',
  'victim.characteristics_updated',
  'communication.viewed',
  'communication.plan_agreed',
  'communication.plan_changed',
  'communication.contact_recorded',
  'withdrawal.viewed',
  'withdrawal.recorded',
  'withdrawal.reengaged',
  'support.viewed',
  'support.ended',
  'support.offered',
  'case.disclosed',
] as const
