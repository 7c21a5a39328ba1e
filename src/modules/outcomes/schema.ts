import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { OUTCOME_CODES } from './codes.ts'

export const Finalise = z.object({
  code: z.enum(OUTCOME_CODES, { error: 'Select the outcome' }),
  finalisedOn: calendarDate('the date of the outcome'),
  /** Only outcome 15 is recorded as either side's; the police form records its own decisions. */
  decidedBy: z.enum(['police', 'cps'], { error: 'Select who decided' }).nullable().default(null),
  rationale: z.string().trim().max(8000, 'The rationale must be 8000 characters or fewer').default(''),
  victimToldOn: calendarDate('the date the victim was told').nullable().default(null),
  victimToldHow: z.string().trim().max(500, 'How the victim was told must be 500 characters or fewer').default(''),
  /** A caution for an indictable-only offence: who at the CPS agreed, and when. */
  cpsAgreedBy: z.string().trim().max(200, 'Who at the CPS agreed must be 200 characters or fewer').default(''),
  cpsAgreedOn: calendarDate('the date the CPS agreed').nullable().default(null),
})
export type Finalise = z.infer<typeof Finalise>

export const Reopen = z.object({
  reason: z
    .string({ error: 'Give the reason for reopening the case' })
    .trim()
    .min(1, 'Give the reason for reopening the case')
    .max(4000),
})

export const Decline = z.object({
  reason: z
    .string({ error: 'Say why the decision is not authorised' })
    .trim()
    .min(1, 'Say why the decision is not authorised')
    .max(4000, 'The reason must be 4000 characters or fewer'),
})

export const Outcome = z.object({
  code: z.string(),
  label: z.string(),
  finalisedOn: z.string(),
  decidedBy: z.enum(['police', 'cps']).nullable(),
  rationale: z.string().nullable(),
  victimToldOn: z.string().nullable(),
  victimToldHow: z.string().nullable(),
  cpsAgreedBy: z.string().nullable(),
  cpsAgreedOn: z.string().nullable(),
  finalisedBy: z.string(),
  /** The police supervisor who authorised a police decision to take no further action. */
  authorisedBy: z.string().nullable(),
  authorisedAt: z.string().nullable(),
  reopenedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
})
export type Outcome = z.infer<typeof Outcome>

/** A police decision to take no further action, waiting for a supervisor's authorisation. */
export const Proposal = z.object({
  id: z.uuid(),
  code: z.string(),
  label: z.string(),
  finalisedOn: z.string(),
  rationale: z.string().nullable(),
  proposedBy: z.string(),
  proposedAt: z.string(),
})
export type Proposal = z.infer<typeof Proposal>

/** What an ISVA is told with the victim's "outcome" consent: what was decided and when, never why. */
export const PlainOutcome = z.object({
  decided: z.string(),
  decidedOn: z.string(),
  inForce: z.boolean(),
})

/** A proposed police decision a supervisor did not authorise, with why: the officer needs to know. */
export const Declined = z.object({
  code: z.string(),
  label: z.string(),
  rationale: z.string().nullable(),
  proposedBy: z.string(),
  declinedBy: z.string(),
  declinedAt: z.string(),
  reason: z.string(),
})

/** Which crime of the case file an outcome is about. */
export const CrimeRef = z.object({ id: z.uuid(), crimeReference: z.string() })
