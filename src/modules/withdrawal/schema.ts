import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { WITHDRAWAL_REASON_CODES } from './reasons.ts'

export const RecordWithdrawal = z
  .object({
    withdrawnOn: calendarDate('the date the victim withdrew support'),
    reasons: z
      .array(z.enum(WITHDRAWAL_REASON_CODES, { error: 'Select reasons from the list' }), { error: 'Select at least one reason' })
      .min(1, 'Select at least one reason'),
    details: z.string().trim().max(4000, 'Details must be 4000 characters or fewer').default(''),
    retractionStatementTaken: z.boolean({ error: 'Select whether a retraction statement was taken' }),
  })
  .refine((w) => !w.reasons.includes('other') || w.details.length > 0, {
    path: ['details'],
    message: 'Give details of the other reason',
  })
export type RecordWithdrawal = z.infer<typeof RecordWithdrawal>

export const RecordReengagement = z.object({
  reengagedOn: calendarDate('the date the victim re-engaged'),
  note: z.string().trim().max(4000, 'The note must be 4000 characters or fewer').default(''),
})
export type RecordReengagement = z.infer<typeof RecordReengagement>

export const Withdrawal = z.object({
  id: z.uuid(),
  stage: z.object({ code: z.string(), label: z.string() }),
  withdrawnOn: z.string(),
  reasons: z.array(z.object({ code: z.string(), label: z.string() })),
  details: z.string().nullable(),
  retractionStatementTaken: z.boolean(),
  recordedBy: z.string(),
  reengagedOn: z.string().nullable(),
  reengagementNote: z.string().nullable(),
})
export type Withdrawal = z.infer<typeof Withdrawal>
