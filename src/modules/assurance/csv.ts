import { csvRow } from './rules.ts'
import type { AssuranceReturn } from './schema.ts'

/** One row per approval (a case without one has a single row with the approval columns empty). */
export function returnCsv(r: AssuranceReturn): string {
  const lines = [
    csvRow([
      'Area',
      'Quarter',
      'URN',
      'Action plans',
      'Further plans in quarter',
      'Theme',
      'Reason',
      'Approved by',
      'Approved on',
      'Plan',
    ]),
  ]
  for (const c of r.cases) {
    const base = [r.area.name, r.quarter.code, c.urn, c.plans, c.furtherPlansInQuarter]
    if (c.approvals.length === 0) lines.push(csvRow([...base, null, null, null, null, null]))
    for (const a of c.approvals) {
      lines.push(csvRow([...base, a.theme.label, a.reason, a.approvedBy, a.approvedOn, a.planNumber]))
    }
  }
  return `${lines.join('\r\n')}\r\n`
}
