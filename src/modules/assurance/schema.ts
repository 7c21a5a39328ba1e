import { z } from 'zod'

export const ReturnQuery = z.object({
  quarter: z
    .string()
    .regex(/^\d{4}-\d{2}-Q[1-4]$/, 'Choose a quarter, for example 2026-27-Q3')
    .optional()
    .describe(
      'A financial-year quarter, YYYY-YY-Qn, as the CPS and Home Office count them (2026-27-Q3 is October to December 2026); the current quarter when left out',
    ),
})

export const AssuranceReturn = z.object({
  area: z.object({ id: z.uuid(), name: z.string() }),
  quarter: z.object({ code: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  definition: z.string(),
  casesWithTwoOrMorePlans: z.number().int(),
  themes: z.array(z.object({ code: z.string(), label: z.string(), approvals: z.number().int() })),
  cases: z.array(
    z.object({
      id: z.uuid(),
      urn: z.string(),
      plans: z.number().int(),
      furtherPlansInQuarter: z.number().int(),
      approvals: z.array(
        z.object({
          theme: z.object({ code: z.string(), label: z.string() }),
          reason: z.string(),
          approvedBy: z.string(),
          approvedOn: z.string(),
          planNumber: z.number().int().nullable(),
        }),
      ),
    }),
  ),
})
export type AssuranceReturn = z.infer<typeof AssuranceReturn>
