import { z } from 'zod'
import { Triage } from '../triage/schema.ts'
import { NOT_SOUGHT_REASON_CODES } from './reference.ts'

const required = (what: string, max = 10_000) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${what[0].toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`)

/** A request for early investigative advice: what the prosecutor needs to advise (all required). */
export const RequestAdvice = z.object({
  factualSummary: required('a summary of the facts'),
  enquiriesDone: required('the lines of enquiry completed'),
  enquiriesOngoing: required('the lines of enquiry ongoing'),
  enquiriesPlanned: required('the lines of enquiry planned'),
  issues: required('the issues in the case, including the suspect’s account'),
  questions: required('the questions you want the prosecutor to answer'),
})
export type RequestAdvice = z.infer<typeof RequestAdvice>

export const RecordNotSought = z.object({
  reasons: z
    .array(z.enum(NOT_SOUGHT_REASON_CODES, { error: 'Select reasons from the list' }), {
      error: 'Select why early advice was not sought',
    })
    .min(1, 'Select why early advice was not sought'),
  details: required('the details of why early advice was not sought', 4000),
})
export type RecordNotSought = z.infer<typeof RecordNotSought>

export const GiveAdvice = z.object({ advice: required('the advice', 20_000) })
export type GiveAdvice = z.infer<typeof GiveAdvice>

const Coded = z.object({ code: z.string(), label: z.string() })
const Clock = z
  .object({
    state: z.string(),
    dueAt: z.string(),
    /** How the due time reads while the clock runs ("due in 12 days", "3 days overdue"); null once closed. */
    wording: z.string().nullable(),
  })
  .nullable()

export const AdviceRequest = z.object({
  id: z.uuid(),
  state: Coded,
  cpsArea: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  factualSummary: z.string(),
  enquiriesDone: z.string(),
  enquiriesOngoing: z.string(),
  enquiriesPlanned: z.string(),
  issues: z.string(),
  questions: z.string(),
  advice: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  /** The CPS clock: advice due within the configured days of the request. */
  clock: Clock,
  triage: z.array(Triage),
})
export type AdviceRequest = z.infer<typeof AdviceRequest>

export const NotSought = z.object({
  id: z.uuid(),
  reasons: z.array(Coded),
  details: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
})
export type NotSought = z.infer<typeof NotSought>

/** Whether early advice has been considered (recommendation 5), and how. */
export const EarlyAdvice = z.object({
  considered: z.boolean(),
  how: z.enum(['requested', 'not_sought']).nullable(),
  label: z.string(),
})
export type EarlyAdvice = z.infer<typeof EarlyAdvice>
