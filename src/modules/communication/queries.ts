import type { Sql } from '../../db/client.ts'
import type { Deadline } from '../../platform/deadlines/deadlines.ts'
import { CHANNELS, frequencyLabel, labelled, MADE_BY, NFA_PREFERENCES } from './reference.ts'
import type { Contact, Plan, PlanInput, RecordContact } from './schema.ts'

interface PlanRow {
  id: string
  preferred_channel: string
  update_every_days: number | null
  safe_times: string
  messages_may_be_left: boolean
  through_isva: boolean
  nfa_preference: string
  nfa_details: string | null
  agreed_at: Date
  agreed_by: string
  updated_at: Date
  updated_by: string
}

export type StoredPlan = PlanInput & { id: string; view: Plan }

const toPlan = (r: PlanRow): StoredPlan => ({
  id: r.id,
  preferredChannel: r.preferred_channel as PlanInput['preferredChannel'],
  updateEveryDays: r.update_every_days,
  safeTimes: r.safe_times,
  messagesMayBeLeft: r.messages_may_be_left,
  throughIsva: r.through_isva,
  nfaPreference: r.nfa_preference as PlanInput['nfaPreference'],
  nfaDetails: r.nfa_details,
  view: {
    id: r.id,
    preferredChannel: labelled(CHANNELS, r.preferred_channel),
    updateEveryDays: r.update_every_days,
    updateFrequency: frequencyLabel(r.update_every_days),
    safeTimes: r.safe_times,
    messagesMayBeLeft: r.messages_may_be_left,
    throughIsva: r.through_isva,
    nfaPreference: labelled(NFA_PREFERENCES, r.nfa_preference),
    nfaDetails: r.nfa_details,
    agreedAt: r.agreed_at.toISOString(),
    agreedBy: r.agreed_by,
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  },
})

/**
 * The victim's plan (victimId null: the case's victim, not yet recorded); `lock` holds it until
 * commit, so plan changes and contacts for one victim take turns.
 */
export async function planOf(
  sql: Sql,
  caseId: string,
  victimId: string | null,
  opts: { lock?: boolean } = {},
): Promise<StoredPlan | undefined> {
  const [row] = await sql.query<PlanRow>(
    `SELECT p.id, p.preferred_channel, p.update_every_days, p.safe_times, p.messages_may_be_left, p.through_isva,
            p.nfa_preference, p.nfa_details, p.agreed_at, a.display_name AS agreed_by, p.updated_at, u.display_name AS updated_by
       FROM communication_plans p JOIN users a ON a.id = p.agreed_by JOIN users u ON u.id = p.updated_by
      WHERE p.case_id = $1 AND p.victim_id IS NOT DISTINCT FROM $2${opts.lock ? ' FOR UPDATE OF p' : ''}`,
    [caseId, victimId],
  )
  return row && toPlan(row)
}

const PLAN_PARAMS = (p: PlanInput) => [
  p.preferredChannel,
  p.updateEveryDays,
  p.safeTimes,
  p.messagesMayBeLeft,
  p.throughIsva,
  p.nfaPreference,
  p.nfaDetails,
]

/** Returns the new id, or undefined when someone else agreed this victim's plan first. */
export async function insertPlan(sql: Sql, caseId: string, victimId: string | null, p: PlanInput, at: Date, by: string) {
  const [row] = await sql.query<{ id: string }>(
    `INSERT INTO communication_plans (preferred_channel, update_every_days, safe_times, messages_may_be_left, through_isva,
                                      nfa_preference, nfa_details, case_id, agreed_at, agreed_by, updated_at, updated_by, victim_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10, $11)
     ON CONFLICT (case_id, coalesce(victim_id, '00000000-0000-0000-0000-000000000000')) DO NOTHING RETURNING id`,
    [...PLAN_PARAMS(p), caseId, at, by, victimId],
  )
  return row?.id
}

export async function updatePlan(sql: Sql, planId: string, p: PlanInput, at: Date, by: string) {
  await sql.query(
    `UPDATE communication_plans SET preferred_channel = $1, update_every_days = $2, safe_times = $3, messages_may_be_left = $4,
            through_isva = $5, nfa_preference = $6, nfa_details = $7, updated_at = $9, updated_by = $10
      WHERE id = $8`,
    [...PLAN_PARAMS(p), planId, at, by],
  )
}

interface ContactRow {
  id: string
  deadline_id: string | null
  contacted_at: Date
  channel: string
  made_by: string
  planned_update: boolean
  summary: string
  victim_told_why: boolean
  recorded_by: string
}

/**
 * The victim's contacts, newest first. A late update carries the missed clock's due time and
 * reason from its deadline row, found by id among `missed`: the case's missed update clocks,
 * which the caller reads through the deadline engine (the one owner of the deadlines table).
 */
export async function contactsOf(
  sql: Sql,
  caseId: string,
  victimId: string | null,
  missed: readonly Pick<Deadline, 'id' | 'dueAt' | 'closedReason'>[],
): Promise<Contact[]> {
  const rows = await sql.query<ContactRow>(
    `SELECT c.id, c.deadline_id, c.contacted_at, c.channel, c.made_by, c.planned_update, c.summary, c.victim_told_why,
            u.display_name AS recorded_by
       FROM victim_contacts c JOIN users u ON u.id = c.recorded_by
      WHERE c.case_id = $1 AND c.victim_id IS NOT DISTINCT FROM $2 ORDER BY c.contacted_at DESC, c.recorded_at DESC`,
    [caseId, victimId],
  )
  return rows.map((r) => ({
    id: r.id,
    contactedAt: r.contacted_at.toISOString(),
    channel: labelled(CHANNELS, r.channel),
    madeBy: labelled(MADE_BY, r.made_by),
    plannedUpdate: r.planned_update,
    summary: r.summary,
    late: lateOf(r.deadline_id ? missed.find((d) => d.id === r.deadline_id) : undefined),
    victimToldWhy: r.victim_told_why,
    recordedBy: r.recorded_by,
  }))
}

const lateOf = (d: Pick<Deadline, 'dueAt' | 'closedReason'> | undefined) =>
  d ? { dueAt: d.dueAt.toISOString(), reason: d.closedReason ?? '' } : null

export async function insertContact(
  sql: Sql,
  c: RecordContact & {
    caseId: string
    victimId: string | null
    at: Date
    by: string
    deadlineId: string | null
    victimToldWhy: boolean
  },
): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO victim_contacts (case_id, victim_id, contacted_at, channel, made_by, planned_update, summary, deadline_id,
                                  victim_told_why, recorded_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      c.caseId,
      c.victimId,
      c.contactedAt,
      c.channel,
      c.madeBy,
      c.plannedUpdate,
      c.summary,
      c.deadlineId,
      c.victimToldWhy,
      c.at,
      c.by,
    ],
  )
  return id
}
