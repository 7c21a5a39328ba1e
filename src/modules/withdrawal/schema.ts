import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { ALL_WITHDRAWAL_REASON_CODES } from './reasons.ts'

const text = (name: string, max: number) => z.string().trim().max(max, `${name} must be ${max} characters or fewer`).default('')

/**
 * A withdrawal as recorded. The shape is checked here; the rules across fields (legacy codes,
 * "never supported" against "withdrew later", what a retraction statement needs) are in rules.ts.
 * The legacy codes parse so that rules.ts can say what to choose instead.
 */
export const RecordWithdrawal = z.object({
  withdrawnOn: calendarDate('the date the victim withdrew support'),
  everSupported: z.boolean({ error: 'Select whether the victim ever supported a police investigation' }),
  reasons: z
    .array(z.enum(ALL_WITHDRAWAL_REASON_CODES, { error: 'Select reasons from the list' }), {
      error: 'Select at least one reason',
    })
    .min(1, 'Select at least one reason'),
  details: text('Details', 4000),
  retractionStatementTaken: z.boolean({ error: 'Select whether a retraction statement was taken' }),
  // The MG6DAR: only when a statement was taken.
  retractionTakenOn: calendarDate('the date the retraction statement was taken').optional(),
  retractionTakenBy: text('The officer who took the statement', 200),
  maintainsAccountTrue: z.boolean({ error: 'Select whether the victim maintains their original account is true' }).optional(),
  pressureSuspected: z
    .enum(['yes', 'no', 'unknown'], { error: 'Select whether pressure or intimidation is suspected' })
    .optional(),
  pressureDetails: text('Details of the suspected pressure or intimidation', 4000),
  victimsOwnWords: text('The victim’s reasons in their own words', 4000),
})
export type RecordWithdrawal = z.infer<typeof RecordWithdrawal>

export const RecordReengagement = z.object({
  reengagedOn: calendarDate('the date the victim re-engaged'),
  note: text('The note', 4000),
})
export type RecordReengagement = z.infer<typeof RecordReengagement>

/**
 * One part or more of the evidence-led prosecution consideration; parts left out keep what was
 * recorded before. Who may give which part is in rules.ts.
 */
const elpText = (name: string) => z.string().trim().max(4000, `${name} must be 4000 characters or fewer`).optional()
export const RecordElp = z.object({
  policeView: elpText('The police view'),
  cpsView: elpText('The CPS view'),
  decision: z.enum(['proceed', 'not_proceed'], { error: 'Select the decision from the list' }).optional(),
  result: elpText('The result'),
})
export type RecordElp = z.infer<typeof RecordElp>

const part = <T extends z.ZodType>(value: T) => z.object({ value, by: z.string(), at: z.string() }).nullable()

export const ElpConsideration = z.object({
  policeView: part(z.string()),
  cpsView: part(z.string()),
  decision: part(z.object({ code: z.string(), label: z.string() })),
  result: part(z.string()),
})
export type ElpConsideration = z.infer<typeof ElpConsideration>

export const Retraction = z.object({
  takenOn: z.string().nullable(),
  takenBy: z.string().nullable(),
  maintainsAccountTrue: z.boolean().nullable(),
  pressureSuspected: z.object({ code: z.string(), label: z.string() }).nullable(),
  pressureDetails: z.string().nullable(),
  victimsOwnWords: z.string().nullable(),
})

export const Withdrawal = z.object({
  id: z.uuid(),
  stage: z.object({ code: z.string(), label: z.string(), afterCharge: z.boolean() }),
  withdrawnOn: z.string(),
  everSupported: z.boolean().nullable().describe('null on withdrawals recorded before the question was asked'),
  reasons: z.array(z.object({ code: z.string(), label: z.string() })),
  details: z.string().nullable(),
  retractionStatementTaken: z.boolean(),
  retraction: Retraction.nullable().describe('the retraction statement (MG6DAR); null when none was taken'),
  recordedBy: z.string(),
  reengagedOn: z.string().nullable(),
  reengagementNote: z.string().nullable(),
  elp: ElpConsideration.nullable().describe('the evidence-led prosecution consideration, once one is recorded'),
})
export type Withdrawal = z.infer<typeof Withdrawal>
