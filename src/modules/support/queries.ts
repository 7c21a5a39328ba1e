import type { Sql } from '../../db/client.ts'
import { type Shareable, shareableLabel } from '../../platform/access/consent.ts'
import { STAGES, type Stage } from '../cases/stage.ts'
import { SUPPORT_OFFERED } from './reference.ts'
import type { Offer, OfferSupport, Refer, Referral } from './schema.ts'

export async function supportServices(sql: Sql) {
  return sql.query<{ id: string; name: string }>(
    "SELECT id, name FROM organisations WHERE kind = 'support_service' ORDER BY name",
  )
}

/** A victim's referrals, active first; a support service's user sees only its own. */
export async function referralsOf(
  sql: Sql,
  caseId: string,
  victimId: string | null,
  onlyService: string | null,
): Promise<Referral[]> {
  const rows = await sql.query<{
    id: string
    victim_id: string | null
    service_id: string
    service_name: string
    kind: 'isva' | 'sarc'
    consent_recorded_on: string
    shared: Shareable[]
    referred_by: string
    referred_at: Date
    ended_at: Date | null
    end_reason: string | null
    isva: { id: string; name: string; phone: string | null; email: string | null } | null
  }>(
    `SELECT r.id, r.victim_id, r.service_id, o.name AS service_name, r.kind, r.consent_recorded_on, r.shared, u.display_name AS referred_by,
            r.referred_at, r.ended_at, r.end_reason,
            CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('id', i.id, 'name', i.display_name, 'phone', i.phone, 'email', i.email) END AS isva
       FROM support_referrals r JOIN organisations o ON o.id = r.service_id JOIN users u ON u.id = r.referred_by
       LEFT JOIN users i ON i.id = r.isva_id
      WHERE r.case_id = $1 AND r.victim_id IS NOT DISTINCT FROM $2 AND ($3::uuid IS NULL OR r.service_id = $3)
      ORDER BY (r.ended_at IS NULL) DESC, r.referred_at DESC`,
    [caseId, victimId, onlyService],
  )
  return rows.map((r) => ({
    id: r.id,
    victimId: r.victim_id,
    service: { id: r.service_id, name: r.service_name },
    kind: r.kind,
    consentRecordedOn: r.consent_recorded_on,
    shared: r.shared.map((code) => ({ code, label: shareableLabel(code) })),
    referredBy: r.referred_by,
    referredAt: r.referred_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    endReason: r.end_reason,
    isva: r.isva,
  }))
}

export async function activeReferralTo(sql: Sql, caseId: string, victimId: string | null, serviceId: string) {
  const [row] = await sql.query<{ id: string }>(
    `SELECT id FROM support_referrals
      WHERE case_id = $1 AND victim_id IS NOT DISTINCT FROM $2 AND service_id = $3 AND ended_at IS NULL FOR UPDATE`,
    [caseId, victimId, serviceId],
  )
  return row
}

/** One referral of this victim of the case, held until commit; undefined when it is not theirs. */
export async function referralOf(sql: Sql, caseId: string, victimId: string | null, referralId: string) {
  const [row] = await sql.query<{ id: string; service_id: string; kind: 'isva' | 'sarc'; shared: Shareable[]; ended: boolean }>(
    `SELECT id, service_id, kind, shared, ended_at IS NOT NULL AS ended FROM support_referrals
      WHERE id = $1 AND case_id = $2 AND victim_id IS NOT DISTINCT FROM $3 FOR UPDATE`,
    [referralId, caseId, victimId],
  )
  return row
}

export async function insertReferral(sql: Sql, r: Refer & { caseId: string; victimId: string | null; by: string; at: Date }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO support_referrals (case_id, victim_id, service_id, kind, consent_recorded_on, shared, referred_by, referred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [r.caseId, r.victimId, r.serviceId, r.kind, r.consentRecordedOn, r.shared, r.by, r.at],
  )
  return id
}

export async function endReferral(sql: Sql, referralId: string, e: { reason: string; by: string; at: Date }) {
  await sql.query('UPDATE support_referrals SET ended_at = $2, ended_by = $3, end_reason = $4 WHERE id = $1', [
    referralId,
    e.at,
    e.by,
    e.reason,
  ])
}

export async function insertOffer(
  sql: Sql,
  o: OfferSupport & { caseId: string; victimId: string | null; stage: Stage; by: string; at: Date },
) {
  await sql.query(
    `INSERT INTO support_offers (case_id, victim_id, stage, offered_on, support, accepted, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [o.caseId, o.victimId, o.stage, o.offeredOn, o.support, o.accepted, o.by, o.at],
  )
}

export async function offersOf(sql: Sql, caseId: string, victimId: string | null): Promise<Offer[]> {
  const rows = await sql.query<{ stage: Stage; offered_on: string; support: string; accepted: boolean; recorded_by: string }>(
    `SELECT s.stage, s.offered_on, s.support, s.accepted, u.display_name AS recorded_by
       FROM support_offers s JOIN users u ON u.id = s.recorded_by
      WHERE s.case_id = $1 AND s.victim_id IS NOT DISTINCT FROM $2 ORDER BY s.offered_on, s.recorded_at`,
    [caseId, victimId],
  )
  return rows.map((r) => ({
    stage: { code: r.stage, label: STAGES[r.stage] },
    offeredOn: r.offered_on,
    support: { code: r.support, label: SUPPORT_OFFERED.find((s) => s.code === r.support)?.label ?? r.support },
    accepted: r.accepted,
    recordedBy: r.recorded_by,
  }))
}

/**
 * The victim's active ISVA referral (victimId null: the case's victim, not yet recorded), locked,
 * or undefined: "through the ISVA" needs one.
 */
export async function activeIsvaReferral(sql: Sql, caseId: string, victimId: string | null, serviceId?: string) {
  const [row] = await sql.query<{ id: string; shared: Shareable[] }>(
    `SELECT id, shared FROM support_referrals
      WHERE case_id = $1 AND victim_id IS NOT DISTINCT FROM $2 AND kind = 'isva' AND ended_at IS NULL
        AND ($3::uuid IS NULL OR service_id = $3) FOR UPDATE`,
    [caseId, victimId, serviceId ?? null],
  )
  return row
}

export async function changeShared(sql: Sql, referralId: string, shared: string[], consentRecordedOn: string) {
  await sql.query('UPDATE support_referrals SET shared = $2, consent_recorded_on = $3 WHERE id = $1', [
    referralId,
    shared,
    consentRecordedOn,
  ])
}

export async function nameIsva(sql: Sql, referralId: string, isvaId: string) {
  await sql.query('UPDATE support_referrals SET isva_id = $2 WHERE id = $1', [referralId, isvaId])
}

export interface Wish {
  id: string
  wish: 'stop' | 'reengage'
  message: string | null
  passedOnBy: string
  passedOnAt: string
  acknowledgedBy: string | null
  acknowledgedAt: string | null
}

export async function insertWish(
  sql: Sql,
  w: { caseId: string; victimId: string | null; wish: string; message: string; by: string; at: Date },
) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO victim_wishes (case_id, victim_id, wish, message, passed_on_by, passed_on_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [w.caseId, w.victimId, w.wish, w.message || null, w.by, w.at],
  )
  return id
}

export async function wishesOf(sql: Sql, caseId: string, victimId: string | null): Promise<Wish[]> {
  const rows = await sql.query<{
    id: string
    wish: 'stop' | 'reengage'
    message: string | null
    passed_on_by: string
    passed_on_at: Date
    acknowledged_by: string | null
    acknowledged_at: Date | null
  }>(
    `SELECT w.id, w.wish, w.message, p.display_name AS passed_on_by, w.passed_on_at, a.display_name AS acknowledged_by, w.acknowledged_at
       FROM victim_wishes w JOIN users p ON p.id = w.passed_on_by LEFT JOIN users a ON a.id = w.acknowledged_by
      WHERE w.case_id = $1 AND w.victim_id IS NOT DISTINCT FROM $2 ORDER BY w.passed_on_at DESC`,
    [caseId, victimId],
  )
  return rows.map((r) => ({
    id: r.id,
    wish: r.wish,
    message: r.message,
    passedOnBy: r.passed_on_by,
    passedOnAt: r.passed_on_at.toISOString(),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
  }))
}

/** One wish passed on for this victim of the case, held until commit; undefined when it is not theirs. */
export async function wishOf(sql: Sql, caseId: string, victimId: string | null, wishId: string) {
  const [row] = await sql.query<{ id: string; acknowledged: boolean }>(
    `SELECT id, acknowledged_at IS NOT NULL AS acknowledged FROM victim_wishes
      WHERE id = $1 AND case_id = $2 AND victim_id IS NOT DISTINCT FROM $3 FOR UPDATE`,
    [wishId, caseId, victimId],
  )
  return row
}

export async function acknowledgeWish(sql: Sql, wishId: string, by: string, at: Date) {
  await sql.query('UPDATE victim_wishes SET acknowledged_by = $2, acknowledged_at = $3 WHERE id = $1', [wishId, by, at])
}

/**
 * The ISVAs named on the case's active referrals, with their direct phone and email, and the
 * victim each supports (null while the case's victim is not yet recorded).
 */
export async function namedIsvas(sql: Sql, caseId: string) {
  return sql.query<{
    name: string
    phone: string | null
    email: string | null
    service: string
    victimId: string | null
    victimName: string | null
  }>(
    `SELECT i.display_name AS name, i.phone, i.email, o.name AS service,
            v.id AS "victimId", CASE WHEN v.id IS NULL THEN NULL ELSE v.first_name || ' ' || v.last_name END AS "victimName"
       FROM support_referrals r JOIN users i ON i.id = r.isva_id JOIN organisations o ON o.id = r.service_id
       LEFT JOIN victims v ON v.id = r.victim_id
      WHERE r.case_id = $1 AND r.kind = 'isva' AND r.ended_at IS NULL
      -- In the order of the case file's victims, so each ISVA stands beside the victim they support.
      ORDER BY v.created_at NULLS FIRST, v.id, r.referred_at, r.id`,
    [caseId],
  )
}
