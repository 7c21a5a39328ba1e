import { recordNotSought } from '../modules/advice/service.ts'
import { refer } from '../modules/charging/service.ts'
import { addSuspect, anyIdentified } from '../modules/suspects/service.ts'
import { triage } from '../modules/triage/service.ts'
import type { TestApp } from './harness.ts'

/**
 * A Northvale case referred for a charging decision the way people do it: the investigator
 * records the suspect if none is identified yet, records why early advice is not sought and refers the file; a District Crown Prosecutor
 * accepts it and assigns the demo prosecutor in the demo RASSO unit. Returns the referral id.
 */
export async function referForCharge(t: TestApp, caseId: string, opts: { test?: 'full_code' | 'threshold' } = {}) {
  const oic = await t.ctx('oic.north')
  // A referral needs someone to charge.
  if (!(await anyIdentified(t.db, caseId))) {
    await addSuspect(oic, caseId, { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' })
  }
  await recordNotSought(oic, caseId, {
    reasons: ['ready_for_charging'],
    details: 'The file is complete and ready for a decision.',
  })
  const threshold = {
    thresholdGrounds: 'Grounds',
    thresholdFurtherEvidence: 'Further evidence',
    thresholdEvidenceExpected: '2027-01-15',
    thresholdSeriousness: 'Seriousness',
    thresholdBailReasons: 'Bail risk',
    thresholdPublicInterest: 'A serious sexual offence against a vulnerable victim',
  }
  const test = opts.test ?? 'full_code'
  const { id } = await refer(oic, caseId, { test, mgForms: ['MG3', 'MG5', 'MG11'], ...(test === 'threshold' ? threshold : {}) })
  const [unit] = await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.cps])
  await triage(await t.ctx('dcp'), 'charging', caseId, id, {
    decision: 'accept',
    unitId: unit.id,
    prosecutorId: t.demo.users.prosecutor,
  })
  return id
}
