import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { TRIAGE_REASON_CODES, triageReasonLabel } from './reference.ts'

/**
 * CPS triage of a request for early advice or a charging referral: accept and assign a
 * prosecutor in a unit of the Area, or reject with one or more coded reasons (each with its
 * detail) and the date the police should respond by.
 */
export const TriageInput = z
  .object({
    decision: z.enum(['accept', 'reject'], { error: 'Select whether to accept or reject' }),
    unitId: z.uuid({ error: 'Select the unit' }).nullish(),
    prosecutorId: z.uuid({ error: 'Select the prosecutor' }).nullish(),
    reasons: z
      .array(
        z.object({
          code: z.enum(TRIAGE_REASON_CODES, { error: 'Select reasons from the list' }),
          detail: z
            .string({ error: 'Give the detail' })
            .trim()
            .max(2000, 'Each detail must be 2000 characters or fewer')
            .default(''),
        }),
        { error: 'Select at least one reason' },
      )
      .default([]),
    respondBy: calendarDate('the date the police should respond by').nullish(),
  })
  .superRefine((t, ctx) => {
    if (t.decision === 'accept') {
      if (!t.unitId) ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'Select the unit' })
      if (!t.prosecutorId) ctx.addIssue({ code: 'custom', path: ['prosecutorId'], message: 'Select the prosecutor' })
      return
    }
    if (t.reasons.length === 0) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'Select at least one reason' })
    const seen = new Set<string>()
    t.reasons.forEach((r, i) => {
      if (seen.has(r.code)) ctx.addIssue({ code: 'custom', path: ['reasons', i, 'code'], message: 'Give each reason once' })
      seen.add(r.code)
      if (!r.detail) {
        ctx.addIssue({
          code: 'custom',
          path: ['reasons', i, 'detail'],
          message: `Give the detail for: ${triageReasonLabel(r.code)}`,
        })
      }
    })
    if (!t.respondBy) {
      ctx.addIssue({ code: 'custom', path: ['respondBy'], message: 'Enter the date the police should respond by' })
    }
  })
export type TriageInput = z.infer<typeof TriageInput>

/** The date fields of a triage as people read them, for the words about a date moved to a working day. */
export const triageDateLabel = (field: string) => (field === 'respondBy' ? 'Date the police should respond by' : 'Date')

const Coded = z.object({ code: z.string(), label: z.string() })
const Named = z.object({ id: z.uuid(), name: z.string() })

export const Triage = z.object({
  id: z.uuid(),
  decision: z.enum(['accepted', 'rejected']),
  decidedAt: z.string(),
  decidedBy: z.string(),
  prosecutor: Named.nullable(),
  unit: Named.nullable(),
  reasons: z.array(Coded.extend({ detail: z.string() })),
  respondBy: z.string().nullable(),
  /** The police response clock a rejection starts: its state and, while it runs, how it reads. */
  response: z.object({ state: z.string(), dueAt: z.string(), wording: z.string().nullable() }).nullable(),
})
export type Triage = z.infer<typeof Triage>

/** Who triage may assign: the Area's units and, for each, its active prosecutors and CPS managers. */
export const TriageOptions = z.object({
  units: z.array(Named.extend({ prosecutors: z.array(Named) })),
})
export type TriageOptions = z.infer<typeof TriageOptions>
