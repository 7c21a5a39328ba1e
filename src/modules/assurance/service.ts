import { canReadAssuranceReturn } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import {
  financialQuarterCode,
  financialQuarterDates,
  financialQuarterLabel,
  financialQuarterOf,
  parseFinancialQuarter,
} from '../../platform/calendar/quarters.ts'
import { londonDate, londonInstant, today } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { NotFound, ValidationFailed } from '../../platform/errors.ts'
import { APPROVAL_THEMES, themeLabel } from '../action-plans/reference.ts'
import * as queries from './queries.ts'
import type { AssuranceReturn } from './schema.ts'

/**
 * The quarterly assurance return (CPS response to the 2021 joint inspection, recommendation 4):
 * how many rape cases of the Area have two or more action plans, and the narrative themes of
 * why, from the District Crown Prosecutors' approvals.
 *
 * Definitions, shown with the figures:
 *   quarter  a financial-year quarter in England and Wales time, as the CPS and the Home Office
 *            count them (2026-27 Q3 is 1 October to 31 December 2026);
 *   counted  a rape case (the case's rape flag) of the Area on which a second or later action
 *            plan was issued in the quarter;
 *   themes   the approvals recorded in the quarter on the cases counted.
 */

export const DEFINITION =
  'A case is counted when it is a rape case of this CPS Area and a second or later action plan was issued on it in the quarter. A case is the case file (its URN), counted once however many crimes it holds: an action plan is for the whole file. Themes count the District Crown Prosecutor approvals recorded in the quarter on those cases.'

const RESTRICTED = 'Restricted case'

export async function assuranceReturn(ctx: Ctx, quarter: string | undefined): Promise<AssuranceReturn> {
  if (!canReadAssuranceReturn(ctx.actor)) throw new NotFound()
  const q = quarter === undefined || quarter === '' ? financialQuarterOf(today(ctx.clock)) : parseFinancialQuarter(quarter)
  if (!q) throw new ValidationFailed([{ field: 'quarter', message: 'Choose a quarter, for example 2026-27-Q3' }])
  const { from, until, last } = financialQuarterDates(q)
  const start = londonInstant(from, '00:00')
  const end = londonInstant(until, '00:00')
  return ctx.db.transaction(async (tx) => {
    const areaId = ctx.actor.organisationId
    const cases = await queries.casesWithFurtherPlans(tx, ctx.actor, start, end)
    const approvals = await queries.approvalsOfCases(
      tx,
      cases.map((c) => c.id),
      end,
    )
    const inQuarter = approvals.filter((a) => a.approvedAt >= start)
    for (const c of cases) {
      await audit.consultation(tx, ctx, {
        action: 'assurance_return.viewed',
        caseId: c.id,
        subject: 'action plans and approvals in the quarterly assurance return',
        justification: 'assurance return of own CPS Area',
        details: { quarter: financialQuarterCode(q) },
      })
    }
    await audit.consultation(tx, ctx, {
      action: 'assurance_return.viewed',
      subject: 'quarterly assurance return of action plans',
      justification: 'assurance return of own CPS Area',
      details: { quarter: financialQuarterCode(q), cases: cases.length },
    })
    return {
      area: { id: areaId, name: ctx.actor.organisationName },
      quarter: { code: financialQuarterCode(q), label: financialQuarterLabel(q), from, to: last },
      definition: DEFINITION,
      casesWithTwoOrMorePlans: cases.length,
      themes: APPROVAL_THEMES.map((t) => ({
        code: t.code,
        label: t.label,
        approvals: inQuarter.filter((a) => a.theme === t.code).length,
      })).filter((t) => t.approvals > 0),
      // A case restricted from the reader is counted with its themes, but neither named nor explained.
      cases: cases.map(({ restricted, ...c }) => ({
        ...c,
        urn: restricted ? RESTRICTED : c.urn,
        approvals: approvals
          .filter((a) => a.caseId === c.id)
          .map((a) => ({
            theme: { code: a.theme, label: themeLabel(a.theme) },
            reason: restricted ? RESTRICTED : a.reason,
            approvedBy: a.approvedBy,
            approvedOn: londonDate(a.approvedAt),
            planNumber: a.planNumber,
          })),
      })),
    }
  })
}
