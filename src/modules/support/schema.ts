import { z } from 'zod'
import { SHAREABLE_CODES } from '../../platform/access/consent.ts'
import { calendarDate } from '../cases/schema.ts'
import { SUPPORT_OFFERED_CODES } from './reference.ts'

export const Refer = z.object({
  serviceId: z.uuid({ error: 'Select the support service' }),
  kind: z.enum(['isva', 'sarc'], { error: 'Select the kind of support' }),
  consentGiven: z.literal(true, { error: 'A referral needs the victim’s consent: confirm they have given it' }),
  consentRecordedOn: calendarDate('the date the victim consented'),
  // The case summary is the least any referral shares, so it is always added.
  shared: z
    .array(z.enum(SHAREABLE_CODES, { error: 'Select what the victim agreed to share from the list' }))
    .default([])
    .transform((parts) => [...new Set(['case_summary' as const, ...parts])]),
})
export type Refer = z.infer<typeof Refer>

/** Consent narrowed or widened: what the victim now agrees to share, and when they said so. */
export const ChangeConsent = z.object({
  consentRecordedOn: calendarDate('the date the victim said what they agree to share'),
  shared: z
    .array(z.enum(SHAREABLE_CODES, { error: 'Select what the victim agreed to share from the list' }))
    .default([])
    .transform((parts) => [...new Set(['case_summary' as const, ...parts])]),
})

export const WISHES = [
  { code: 'stop', label: 'The victim wishes to stop supporting the investigation' },
  { code: 'reengage', label: 'The victim wishes to re-engage with the investigation' },
] as const

/** What an ISVA passes on to the officer in charge: a task for the officer, not a withdrawal record. */
export const PassOnWish = z.object({
  wish: z.enum(['stop', 'reengage'], { error: 'Select what the victim wishes' }),
  message: z.string().trim().max(2000, 'The message must be 2000 characters or fewer').default(''),
})

export const EndReferral = z.object({
  reason: z
    .string({ error: 'Give the reason the referral is ending' })
    .trim()
    .min(1, 'Give the reason the referral is ending')
    .max(2000),
})

export const OfferSupport = z.object({
  offeredOn: calendarDate('the date support was offered'),
  support: z.enum(SUPPORT_OFFERED_CODES, { error: 'Select the support offered' }),
  accepted: z.boolean({ error: 'Select whether the victim accepted' }),
})
export type OfferSupport = z.infer<typeof OfferSupport>

export const Referral = z.object({
  id: z.uuid(),
  /** The victim referred: null while the case's victim is not yet recorded. */
  victimId: z.uuid().nullable(),
  service: z.object({ id: z.uuid(), name: z.string() }),
  kind: z.enum(['isva', 'sarc']),
  consentRecordedOn: z.string(),
  shared: z.array(z.object({ code: z.string(), label: z.string() })),
  referredBy: z.string(),
  referredAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  /** The ISVA supporting the victim, with their direct phone and email, for police and CPS. */
  isva: z.object({ id: z.uuid(), name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }).nullable(),
})
export type Referral = z.infer<typeof Referral>

export const Offer = z.object({
  stage: z.object({ code: z.string(), label: z.string() }),
  offeredOn: z.string(),
  support: z.object({ code: z.string(), label: z.string() }),
  accepted: z.boolean(),
  recordedBy: z.string(),
})
export type Offer = z.infer<typeof Offer>

export const Wish = z.object({
  id: z.uuid(),
  wish: z.enum(['stop', 'reengage']),
  message: z.string().nullable(),
  passedOnBy: z.string(),
  passedOnAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
})
