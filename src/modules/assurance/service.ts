import { canReadAssuranceReturn } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { londonDate, londonInstant, today } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { NotFound, ValidationFailed } from '../../platform/errors.ts'
import { APPROVAL_THEMES, themeLabel } from '../action-plans/reference.ts'
import { addDays } from '../action-plans/rules.ts'
import * as queries from './queries.ts'
import { parseQuarter, quarterCode, quarterDates, quarterLabel, quarterOf } from './rules.ts'
import type { AssuranceReturn } from './schema.ts'

/**
 * The quarterly assurance return (CPS response to the 2021 joint inspection, recommendation 4):
 * how many rape cases of the Area have two or more action plans, and the narrative themes of
 * why, from the District Crown Prosecutors' approvals.
 *
 * Definitions, shown with the figures:
 *   quarter  a calendar quarter in England and Wales time (2026 Q4 is 1 October to 31 December);
 *   counted  a rape case (the case's rape flag) of the Area on which a second or later action
 *            plan was issued in the quarter;
 *   themes   the approvals recorded in the quarter on the cases counted.
 */

export const DEFINITION =
  'A case is counted when it is a rape case of this CPS Area and a second or later action plan was issued on it in the quarter. Themes count the District Crown Prosecutor approvals recorded in the quarter on those cases.'

export async function assuranceReturn(ctx: Ctx, quarter: string | undefined): Promise<AssuranceReturn> {
  if (!canReadAssuranceReturn(ctx.actor)) throw new NotFound()
  const q = quarter === undefined || quarter === '' ? quarterOf(today(ctx.clock)) : parseQuarter(quarter)
  if (!q) throw new ValidationFailed([{ field: 'quarter', message: 'Choose a quarter, for example 2026-Q4' }])
  const { from, to } = quarterDates(q)
  const start = londonInstant(from, '00:00')
  const end = londonInstant(to, '00:00')
  return ctx.db.transaction(async (tx) => {
    const areaId = ctx.actor.organisationId
    const cases = await queries.casesWithFurtherPlans(tx, areaId, start, end)
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
        details: { quarter: quarterCode(q) },
      })
    }
    await audit.consultation(tx, ctx, {
      action: 'assurance_return.viewed',
      subject: 'quarterly assurance return of action plans',
      justification: 'assurance return of own CPS Area',
      details: { quarter: quarterCode(q), cases: cases.length },
    })
    return {
      area: { id: areaId, name: ctx.actor.organisationName },
      quarter: { code: quarterCode(q), label: quarterLabel(q), from, to: addDays(to, -1) },
      definition: DEFINITION,
      casesWithTwoOrMorePlans: cases.length,
      themes: APPROVAL_THEMES.map((t) => ({
        code: t.code,
        label: t.label,
        approvals: inQuarter.filter((a) => a.theme === t.code).length,
      })).filter((t) => t.approvals > 0),
      cases: cases.map((c) => ({
        ...c,
        approvals: approvals
          .filter((a) => a.caseId === c.id)
          .map((a) => ({
            theme: { code: a.theme, label: themeLabel(a.theme) },
            reason: a.reason,
            approvedBy: a.approvedBy,
            approvedOn: londonDate(a.approvedAt),
            planNumber: a.planNumber,
          })),
      })),
    }
  })
}
