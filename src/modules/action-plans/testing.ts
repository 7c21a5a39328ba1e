import { openDeadline, sideOwner } from '../../platform/deadlines/deadlines.ts'
import type { TestApp } from '../../testing/harness.ts'
import { appendEvent } from '../cases/timeline.ts'

/**
 * A case referred to the demo CPS Area for a charging decision, as the referral and triage
 * services (built in parallel) will leave it: a charging_referrals row accepted, the reviewing
 * prosecutor and CPS unit set, and the `charging.referred` event. Tests only.
 */
export async function referForCharge(
  t: TestApp,
  caseId: string,
  opts: { test?: 'full_code' | 'threshold'; at?: Date; chargingClock?: boolean } = {},
): Promise<string> {
  const at = opts.at ?? t.clock.now()
  const test = opts.test ?? 'full_code'
  return t.db.transaction(async (tx) => {
    const [unit] = await tx.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.cps])
    await tx.query('UPDATE cases SET cps_area_id = $2, reviewing_prosecutor_id = $3, cps_unit_id = $4 WHERE id = $1', [
      caseId,
      t.demo.orgs.cps,
      t.demo.users.prosecutor,
      unit.id,
    ])
    const threshold = test === 'threshold' ? ['Grounds', 'Further evidence', '2026-12-01', 'Bail risk'] : [null, null, null, null]
    const [{ id }] = await tx.query<{ id: string }>(
      `INSERT INTO charging_referrals (case_id, cps_area_id, test, threshold_grounds, threshold_further_evidence,
         threshold_evidence_expected, threshold_bail_reasons, mg_forms, state, submitted_at, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'accepted', $9, $10) RETURNING id`,
      [caseId, t.demo.orgs.cps, test, ...threshold, ['MG3', 'MG5'], at, t.demo.users['oic.north']],
    )
    await appendEvent(tx, caseId, {
      type: 'charging.referred',
      at,
      by: t.demo.users['oic.north'],
      data: { referralId: id, test },
    })
    if (opts.chargingClock !== false) {
      await openDeadline(tx, {
        kind: 'charging_decision',
        caseId,
        subjectId: id,
        dueAt: new Date(at.getTime() + 28 * 86_400_000),
        at,
        ...(await sideOwner(tx, caseId, 'cps')),
      })
    }
    return id
  })
}
