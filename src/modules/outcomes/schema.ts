import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { OUTCOME_CODES } from './codes.ts'

export const Finalise = z.object({
  code: z.enum(OUTCOME_CODES, { error: 'Select the outcome' }),
  finalisedOn: calendarDate('the date of the outcome'),
  decidedBy: z.enum(['police', 'cps'], { error: 'Select who decided' }).nullable().default(null),
  rationale: z.string().trim().max(8000, 'The rationale must be 8000 characters or fewer').default(''),
  victimToldOn: calendarDate('the date the victim was told').nullable().default(null),
  victimToldHow: z.string().trim().max(500, 'How the victim was told must be 500 characters or fewer').default(''),
})
export type Finalise = z.infer<typeof Finalise>

export const Reopen = z.object({
  reason: z
    .string({ error: 'Give the reason for reopening the case' })
    .trim()
    .min(1, 'Give the reason for reopening the case')
    .max(4000),
})

export const Outcome = z.object({
  code: z.string(),
  label: z.string(),
  finalisedOn: z.string(),
  decidedBy: z.enum(['police', 'cps']).nullable(),
  rationale: z.string().nullable(),
  victimToldOn: z.string().nullable(),
  victimToldHow: z.string().nullable(),
  finalisedBy: z.string(),
  reopenedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
})
export type Outcome = z.infer<typeof Outcome>
