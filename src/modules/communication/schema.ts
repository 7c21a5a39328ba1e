import { z } from 'zod'
import { CHANNEL_CODES, MADE_BY_CODES, MAX_UPDATE_DAYS, NFA_PREFERENCE_CODES } from './reference.ts'

/**
 * Cross-field rules run even when another field is missing, so an empty form lists every
 * problem at once (zod skips refinements after a missing field by default).
 */
const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null

const FREQUENCY_RULE = `Select how often the victim wants updates, or enter a number of days from 1 to ${MAX_UPDATE_DAYS}`
export const THROUGH_ISVA_RULE = 'The victim prefers contact through their ISVA, so select yes for contact through their ISVA'
export const NFA_DETAILS_RULE = 'Give details of how the victim wants to hear of a decision to take no further action'

export const PlanInput = z
  .object({
    preferredChannel: z.enum(CHANNEL_CODES, { error: 'Select how the victim prefers to be contacted' }),
    /** null: updates only at key decisions, so no update clock runs. */
    updateEveryDays: z
      .number({ error: FREQUENCY_RULE })
      .int(FREQUENCY_RULE)
      .min(1, FREQUENCY_RULE)
      .max(MAX_UPDATE_DAYS, FREQUENCY_RULE)
      .nullable(),
    safeTimes: z
      .string({ error: 'Enter the safe times to contact the victim' })
      .trim()
      .min(1, 'Enter the safe times to contact the victim')
      .max(500, 'Safe times must be 500 characters or fewer'),
    messagesMayBeLeft: z.boolean({ error: 'Select yes if messages may be left for the victim' }),
    throughIsva: z.boolean({ error: 'Select yes if contact goes through the victim’s ISVA' }),
    nfaPreference: z.enum(NFA_PREFERENCE_CODES, {
      error: 'Select how the victim wants to hear of a decision to take no further action',
    }),
    nfaDetails: z
      .string({ error: 'Details must be text' })
      .trim()
      .max(1000, 'Details must be 1000 characters or fewer')
      .nullish()
      .transform((v) => v || null),
  })
  .refine((p) => p.preferredChannel !== 'via_isva' || p.throughIsva !== false, {
    path: ['throughIsva'],
    message: THROUGH_ISVA_RULE,
    when: isObject,
  })
  .refine((p) => p.nfaPreference !== 'other' || p.nfaDetails, { path: ['nfaDetails'], message: NFA_DETAILS_RULE, when: isObject })
export type PlanInput = z.infer<typeof PlanInput>

export const RecordContact = z.object({
  contactedAt: z.iso.datetime({ offset: true, error: 'Enter the date and time of the contact' }),
  channel: z.enum(CHANNEL_CODES, { error: 'Select how the contact was made' }),
  madeBy: z.enum(MADE_BY_CODES, { error: 'Select who made the contact' }),
  plannedUpdate: z.boolean({ error: 'Select yes if this was a planned update' }),
  summary: z
    .string({ error: 'Enter a short summary of the contact' })
    .trim()
    .min(1, 'Enter a short summary of the contact')
    .max(2000, 'The summary must be 2000 characters or fewer'),
  /** Needed only for a planned update made after the agreed update was due. */
  missedReason: z.string().trim().max(2000, 'The reason must be 2000 characters or fewer').default(''),
  victimToldWhy: z.boolean().default(false),
})
export type RecordContact = z.infer<typeof RecordContact>

const Coded = z.object({ code: z.string(), label: z.string() })

export const Plan = z.object({
  id: z.uuid(),
  preferredChannel: Coded,
  updateEveryDays: z.number().int().nullable(),
  updateFrequency: z.string(),
  safeTimes: z.string(),
  messagesMayBeLeft: z.boolean(),
  throughIsva: z.boolean(),
  nfaPreference: Coded,
  nfaDetails: z.string().nullable(),
  agreedAt: z.string(),
  agreedBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
})
export type Plan = z.infer<typeof Plan>

export const Contact = z.object({
  id: z.uuid(),
  contactedAt: z.string(),
  channel: Coded,
  madeBy: Coded,
  plannedUpdate: z.boolean(),
  summary: z.string(),
  /** A planned update made after the agreed update was due: when it was due and why it was missed. */
  late: z.object({ dueAt: z.string(), reason: z.string() }).nullable(),
  victimToldWhy: z.boolean(),
  recordedBy: z.string(),
})
export type Contact = z.infer<typeof Contact>

export const NextUpdate = z.object({ dueAt: z.string(), overdue: z.boolean() })

export const CommunicationView = z.object({
  plan: Plan.nullable(),
  /** Read from the victim record, never kept twice; null when no victim is recorded yet. */
  language: z.object({ preferredLanguage: z.string(), interpreterNeeded: z.boolean() }).nullable(),
  nextUpdate: NextUpdate.nullable(),
  contacts: z.array(Contact),
})
export type CommunicationView = z.infer<typeof CommunicationView>
