import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { Triage } from '../triage/schema.ts'
import { MG_FORM_CODES } from './reference.ts'

const condition = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .max(4000, 'Each Threshold Test condition must be 4000 characters or fewer')
    .nullish()
    .transform((v) => v || null)

/** The Threshold Test's conditions, each required only when the Threshold Test is applied. */
const THRESHOLD = [
  ['thresholdGrounds', 'the reasonable grounds to suspect the suspect committed the offence'],
  ['thresholdFurtherEvidence', 'the further evidence expected to give a realistic prospect of conviction'],
  ['thresholdEvidenceExpected', 'the date the further evidence is expected'],
  ['thresholdSeriousness', 'why the seriousness or circumstances justify an immediate charging decision'],
  ['thresholdBailReasons', 'the substantial grounds to object to bail'],
  ['thresholdPublicInterest', 'why charging is in the public interest'],
] as const

/** The date fields of a referral as people read them, for the words about a date moved to a working day. */
export const referralDateLabel = (field: string) =>
  ({ thresholdEvidenceExpected: 'Date the further evidence is expected', decisionDue: 'Charging decision due date' })[field] ??
  'Date'

/** A file for a charging decision (DG6): the test applied and which MG forms come with it. */
export const ReferForCharge = z
  .object({
    test: z.enum(['full_code', 'threshold'], { error: 'Select the Full Code Test or the Threshold Test' }),
    thresholdGrounds: condition(THRESHOLD[0][1]),
    thresholdFurtherEvidence: condition(THRESHOLD[1][1]),
    thresholdEvidenceExpected: calendarDate(THRESHOLD[2][1]).nullish(),
    thresholdSeriousness: condition(THRESHOLD[3][1]),
    thresholdBailReasons: condition(THRESHOLD[4][1]),
    thresholdPublicInterest: condition(THRESHOLD[5][1]),
    mgForms: z
      .array(z.enum(MG_FORM_CODES, { error: 'Select MG forms from the list' }), { error: 'Select the MG forms in the file' })
      .default([]),
  })
  .superRefine((r, ctx) => {
    // DG6: every request for a charging decision comes with the MG3.
    if (!r.mgForms.includes('MG3')) {
      ctx.addIssue({
        code: 'custom',
        path: ['mgForms'],
        message: 'A file for a charging decision needs an MG3 (report to the Crown Prosecutor for a charging decision)',
      })
    }
    if (r.test !== 'threshold') return
    for (const [field, what] of THRESHOLD) {
      if (!r[field]) ctx.addIssue({ code: 'custom', path: [field], message: `Enter ${what} (Threshold Test)` })
    }
  })
  .transform((r) =>
    r.test === 'threshold'
      ? r
      : {
          ...r,
          thresholdGrounds: null,
          thresholdFurtherEvidence: null,
          thresholdEvidenceExpected: null,
          thresholdSeriousness: null,
          thresholdBailReasons: null,
          thresholdPublicInterest: null,
        },
  )
export type ReferForCharge = z.infer<typeof ReferForCharge>

const Coded = z.object({ code: z.string(), label: z.string() })

export const Referral = z.object({
  id: z.uuid(),
  test: Coded,
  threshold: z
    .object({
      grounds: z.string(),
      furtherEvidence: z.string(),
      evidenceExpected: z.string(),
      seriousness: z.string(),
      bailReasons: z.string(),
      /** Null on referrals made before the fifth condition was asked. */
      publicInterest: z.string().nullable(),
    })
    .nullable(),
  mgForms: z.array(Coded),
  state: Coded,
  cpsArea: z.string(),
  submittedAt: z.string(),
  submittedBy: z.string(),
  decidedAt: z.string().nullable(),
  /** The CPS clock: when the file was received, how long it has been with the CPS, and when the decision is due. */
  clock: z
    .object({
      receivedOn: z.string(),
      daysWithCps: z.number().int(),
      state: z.string(),
      dueAt: z.string(),
      wording: z.string().nullable(),
    })
    .nullable(),
  triage: z.array(Triage),
})
export type Referral = z.infer<typeof Referral>
