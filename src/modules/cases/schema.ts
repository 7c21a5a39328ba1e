import { z } from 'zod'
import { OFFENCE_CODES } from './offences.ts'

/**
 * A police URN: two-digit force code, two-character unit, five-digit number, two-digit year,
 * for example 91AB1234526. People write it with spaces or slashes; we store it without.
 */
export const URN_PATTERN = /^[0-9]{2}[A-Z0-9]{2}[0-9]{5}[0-9]{2}$/

export const Urn = z
  .string({ error: 'Enter the URN' })
  .transform((v) => v.replace(/[\s/-]/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .min(1, 'Enter the URN')
      .regex(URN_PATTERN, 'Enter the URN in the police format: force code, unit, number and year, like 91AB1234526'),
  )

/** A calendar date as YYYY-MM-DD that really exists (no 31 February), with GOV.UK messages naming it. */
export const calendarDate = (name: string) =>
  z
    .string({ error: `Enter ${name}` })
    .min(1, `Enter ${name}`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${capitalise(name)} must be a real date`)
    .refine(
      (v) => {
        const d = new Date(`${v}T00:00:00Z`)
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
      },
      `${capitalise(name)} must be a real date`,
    )

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export const CreateCase = z.object({
  urn: Urn,
  offenceCode: z.enum(OFFENCE_CODES, { error: 'Select the offence classification' }),
  dateReported: calendarDate('the date reported'),
  officerInChargeId: z.uuid({ error: 'Select the officer in charge' }),
})
export type CreateCase = z.infer<typeof CreateCase>

export const CaseSummary = z.object({
  id: z.uuid(),
  urn: z.string(),
  offenceCode: z.string(),
  offence: z.string(),
  dateReported: z.string(),
  force: z.object({ id: z.uuid(), name: z.string() }),
  officerInCharge: z.object({ id: z.uuid(), name: z.string(), email: z.string(), phone: z.string() }),
  cpsArea: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
})
export type CaseSummary = z.infer<typeof CaseSummary>

export const CaseDetail = CaseSummary.extend({
  timeline: z.array(z.object({ type: z.string(), label: z.string(), occurredAt: z.string(), by: z.string().nullable() })),
})
export type CaseDetail = z.infer<typeof CaseDetail>
