import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import { APPROVAL_THEME_CODES, MAX_ACTIONS } from './reference.ts'

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${what[0].toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`)

export const ActionInput = z.object({
  description: text('what the police should do', 2000),
  ownerId: z.uuid({ error: 'Select the officer who owns the action' }),
  targetDate: calendarDate('the target date'),
})
export type ActionInput = z.infer<typeof ActionInput>

export const IssuePlan = z.object({
  actions: z
    .array(ActionInput, { error: 'Add at least one action' })
    .min(1, 'Add at least one action')
    .max(MAX_ACTIONS, `A plan can have at most ${MAX_ACTIONS} actions`),
  reviewDate: calendarDate('the review date'),
})
export type IssuePlan = z.infer<typeof IssuePlan>

export const ApprovePlan = z.object({
  theme: z.enum(APPROVAL_THEME_CODES, { error: 'Select the main theme of why a further plan is needed' }),
  reason: text('the reason a further plan is needed', 2000),
})
export type ApprovePlan = z.infer<typeof ApprovePlan>

export const RespondToAction = z.discriminatedUnion(
  'outcome',
  [
    z.object({ outcome: z.literal('done'), details: text('what was done and found', 4000) }),
    z.object({ outcome: z.literal('cannot_be_done'), details: text('why the action cannot be done', 4000) }),
    z.object({
      outcome: z.literal('more_time'),
      proposedDate: calendarDate('the new target date you propose'),
      details: text('why more time is needed', 4000),
    }),
  ],
  { error: 'Select how you are responding to the action' },
)
export type RespondToAction = z.infer<typeof RespondToAction>

export const DecideMoreTime = z.object({
  decision: z.enum(['agreed', 'refused'], { error: 'Select whether you agree the new target date' }),
  note: z.string().trim().max(2000, 'The note must be 2000 characters or fewer').default(''),
})
export type DecideMoreTime = z.infer<typeof DecideMoreTime>

const reviewText = {
  progress: text('the progress made on the plan', 4000),
  stillNeeded: text('what is still needed', 4000),
}
/** The text every review has, checked on its own too so a form with no choice made shows every mistake at once. */
export const ReviewText = z.object(reviewText)
export const RecordReview = z.discriminatedUnion(
  'outcome',
  [
    z.object({ outcome: z.literal('next_review'), ...reviewText, nextReviewDate: calendarDate('the next review date') }),
    z.object({ outcome: z.literal('close'), ...reviewText, closeReason: text('why the plan is closed', 2000) }),
  ],
  { error: 'Select whether to set the next review date or close the plan' },
)
export type RecordReview = z.infer<typeof RecordReview>

export const Review = z.object({
  id: z.uuid(),
  progress: z.string(),
  stillNeeded: z.string(),
  nextReviewDate: z.string().nullable(),
  closeReason: z.string().nullable(),
  reviewedAt: z.string(),
  reviewedBy: z.string(),
})
export type Review = z.infer<typeof Review>

const Labelled = z.object({ code: z.string(), label: z.string() })
const Clock = z.object({ dueAt: z.string(), overdue: z.boolean(), paused: z.boolean() }).nullable()

export const Approval = z.object({
  id: z.uuid(),
  theme: Labelled,
  reason: z.string(),
  approvedAt: z.string(),
  approvedBy: z.string(),
  planNumber: z.number().int().nullable(),
})
export type Approval = z.infer<typeof Approval>

export const MoreTimeRequest = z.object({
  id: z.uuid(),
  proposedDate: z.string(),
  reason: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  decision: z.enum(['agreed', 'refused', 'withdrawn']).nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
})
export type MoreTimeRequest = z.infer<typeof MoreTimeRequest>

export const Action = z.object({
  id: z.uuid(),
  number: z.number().int(),
  description: z.string(),
  owner: z.object({ id: z.uuid(), name: z.string() }),
  targetDate: z.string(),
  originalTargetDate: z.string(),
  state: Labelled,
  response: z.string().nullable(),
  respondedAt: z.string().nullable(),
  respondedBy: z.string().nullable(),
  clock: Clock,
  moreTime: z.array(MoreTimeRequest),
})
export type Action = z.infer<typeof Action>

export const Plan = z.object({
  id: z.uuid(),
  number: z.number().int(),
  state: Labelled,
  reviewDate: z.string(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  respondedAt: z.string().nullable(),
  adminFinalisedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** When the CPS may admin finalise if the police have not responded (the wait's end). */
  adminFinaliseFrom: z.string().nullable(),
  /** Why admin finalisation is possible only then: the wait and the date it counts from. */
  adminFinaliseWhy: z.string().nullable(),
  /** Reviews of the plan, oldest first. */
  reviews: z.array(Review),
  approval: Approval.nullable(),
  actions: z.array(Action),
})
export type Plan = z.infer<typeof Plan>

export const ActionPlansView = z.object({
  plans: z.array(Plan),
  approvals: z.array(Approval),
  /** Whether the next plan needs a DCP's approval first (a further plan after a Full Code Test submission). */
  nextPlanNeedsApproval: z.boolean(),
  /** An approval waiting to be used by the next plan. */
  approvalWaiting: z.boolean(),
  adminFinalised: z.boolean(),
  /** Shown wherever admin finalisation is: what it means, in plain words. */
  adminFinalisedMeaning: z.array(z.string()),
})
export type ActionPlansView = z.infer<typeof ActionPlansView>
