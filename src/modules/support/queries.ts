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

/** Referrals, active first; a support service's user sees only its own. */
export async function referralsOf(sql: Sql, caseId: string, onlyService: string | null): Promise<Referral[]> {
  const rows = await sql.query<{
    id: string
    service_id: string
    service_name: string
    kind: 'isva' | 'sarc'
    consent_recorded_on: string
    shared: Shareable[]
    referred_by: string
    referred_at: Date
    ended_at: Date | null
    end_reason: string | null
  }>(
    `SELECT r.id, r.service_id, o.name AS service_name, r.kind, r.consent_recorded_on, r.shared, u.display_name AS referred_by,
            r.referred_at, r.ended_at, r.end_reason
       FROM support_referrals r JOIN organisations o ON o.id = r.service_id JOIN users u ON u.id = r.referred_by
      WHERE r.case_id = $1 AND ($2::uuid IS NULL OR r.service_id = $2)
      ORDER BY (r.ended_at IS NULL) DESC, r.referred_at DESC`,
    [caseId, onlyService],
  )
  return rows.map((r) => ({
    id: r.id,
    service: { id: r.service_id, name: r.service_name },
    kind: r.kind,
    consentRecordedOn: r.consent_recorded_on,
    shared: r.shared.map((code) => ({ code, label: shareableLabel(code) })),
    referredBy: r.referred_by,
    referredAt: r.referred_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    endReason: r.end_reason,
  }))
}

export async function activeReferralTo(sql: Sql, caseId: string, serviceId: string) {
  const [row] = await sql.query<{ id: string }>(
    'SELECT id FROM support_referrals WHERE case_id = $1 AND service_id = $2 AND ended_at IS NULL FOR UPDATE',
    [caseId, serviceId],
  )
  return row
}

export async function insertReferral(sql: Sql, r: Refer & { caseId: string; by: string; at: Date }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO support_referrals (case_id, service_id, kind, consent_recorded_on, shared, referred_by, referred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [r.caseId, r.serviceId, r.kind, r.consentRecordedOn, r.shared, r.by, r.at],
  )
  return id
}

export async function endReferral(sql: Sql, caseId: string, referralId: string, e: { reason: string; by: string; at: Date }) {
  const rows = await sql.query<{ id: string }>(
    `UPDATE support_referrals SET ended_at = $3, ended_by = $4, end_reason = $5
      WHERE id = $1 AND case_id = $2 AND ended_at IS NULL RETURNING id`,
    [referralId, caseId, e.at, e.by, e.reason],
  )
  return rows.length > 0
}

export async function insertOffer(sql: Sql, o: OfferSupport & { caseId: string; stage: Stage; by: string; at: Date }) {
  await sql.query(
    `INSERT INTO support_offers (case_id, stage, offered_on, support, accepted, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [o.caseId, o.stage, o.offeredOn, o.support, o.accepted, o.by, o.at],
  )
}

export async function offersOf(sql: Sql, caseId: string): Promise<Offer[]> {
  const rows = await sql.query<{ stage: Stage; offered_on: string; support: string; accepted: boolean; recorded_by: string }>(
    `SELECT s.stage, s.offered_on, s.support, s.accepted, u.display_name AS recorded_by
       FROM support_offers s JOIN users u ON u.id = s.recorded_by WHERE s.case_id = $1 ORDER BY s.offered_on, s.recorded_at`,
    [caseId],
  )
  return rows.map((r) => ({
    stage: { code: r.stage, label: STAGES[r.stage] },
    offeredOn: r.offered_on,
    support: { code: r.support, label: SUPPORT_OFFERED.find((s) => s.code === r.support)?.label ?? r.support },
    accepted: r.accepted,
    recordedBy: r.recorded_by,
  }))
}
