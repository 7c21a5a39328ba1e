import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'

export const SUSPECT_STATUSES = [
  'not_identified',
  'identified',
  'arrested',
  'interviewed_under_caution',
  'on_bail',
  'released_under_investigation',
  'charged',
] as const
export type SuspectStatus = (typeof SUSPECT_STATUSES)[number]

export const STATUS_LABELS: Record<SuspectStatus, string> = {
  not_identified: 'Not identified',
  identified: 'Identified',
  arrested: 'Arrested',
  interviewed_under_caution: 'Interviewed under caution',
  on_bail: 'On bail',
  released_under_investigation: 'Released under investigation',
  charged: 'Charged',
}

const personName = (which: string) =>
  z
    .string({ error: `Enter the suspect’s ${which}` })
    .trim()
    .min(1, `Enter the suspect’s ${which}`)
    .max(100, `The suspect’s ${which} must be 100 characters or fewer`)

/** A suspect is identified only with a name; the date of birth is often learnt later, so it is optional. */
const identity = {
  firstName: personName('first name'),
  lastName: personName('last name'),
  dateOfBirth: calendarDate('the date of birth').optional(),
}

export const AddSuspect = z.discriminatedUnion(
  'status',
  [
    z.object({ status: z.literal('identified'), ...identity, effectiveDate: calendarDate('the date identified') }),
    // Not identified since the case was reported: the service dates it, so identifying the suspect
    // later can be recorded with any date from the report on.
    z.object({ status: z.literal('not_identified') }),
  ],
  { error: 'Select whether the suspect has been identified' },
)
export type AddSuspect = z.infer<typeof AddSuspect>

const happened = calendarDate('the date it happened')

/** A new status. Whether it may follow the current one is decided by rules.ts, which needs the history. */
export const RecordStatus = z.discriminatedUnion(
  'status',
  [
    z.object({ status: z.literal('identified'), ...identity, effectiveDate: happened }),
    z.object({
      status: z.enum(['arrested', 'interviewed_under_caution', 'released_under_investigation', 'charged']),
      effectiveDate: happened.describe('For released under investigation, the date released'),
    }),
    z.object({
      status: z.literal('on_bail'),
      effectiveDate: happened.describe('The date bailed'),
      bailReturnDate: calendarDate('the bail return date'),
      bailConditions: z
        .string()
        .trim()
        .max(1000, 'The bail conditions must be 1000 characters or fewer')
        .optional()
        .describe('A short summary of the bail conditions'),
    }),
  ],
  { error: 'Select the suspect’s new status' },
)
export type RecordStatus = z.infer<typeof RecordStatus>

export const StatusEntry = z.object({
  status: z.enum(SUSPECT_STATUSES),
  label: z.string(),
  effectiveDate: z.string(),
  bailReturnDate: z.string().nullable(),
  bailConditions: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
})
export type StatusEntry = z.infer<typeof StatusEntry>

export const Suspect = z.object({
  id: z.uuid(),
  /** 1, 2, 3... in the order suspects were added: how an unidentified suspect is told apart. */
  number: z.number().int(),
  displayName: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  createdAt: z.string(),
  status: StatusEntry,
  /** Newest first. */
  history: z.array(StatusEntry),
})
export type Suspect = z.infer<typeof Suspect>

export const SuspectList = z.object({ suspects: z.array(Suspect) })
