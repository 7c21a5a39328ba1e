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

const person = z.object({ id: z.uuid(), name: z.string(), email: z.string(), phone: z.string() })

/** What police record about a case, on creation and when they change it (everything but the URN). */
export const CaseDetails = z.object({
  offences: z
    .array(z.enum(OFFENCE_CODES, { error: 'Select offences from the list' }), { error: 'Select at least one offence' })
    .min(1, 'Select at least one offence'),
  offenceDateFrom: calendarDate('the date of the offence'),
  offenceDateTo: calendarDate('the end of the offence period').nullable().default(null),
  dateReported: calendarDate('the date reported'),
  dateRecorded: calendarDate('the date the crime was recorded'),
  officerInChargeId: z.uuid({ error: 'Select the officer in charge' }),
  supervisorId: z.uuid({ error: 'Select the supervisor' }),
  /** Defaults to the officer in charge's team. */
  teamId: z.uuid({ error: 'Select a team from the list' }).nullable().default(null),
})
export type CaseDetails = z.infer<typeof CaseDetails>

/**
 * A crime reference number as the force's crime system gives it. Forces differ in format, so
 * only its characters are checked; we store it upper case without surrounding spaces.
 */
export const CrimeReference = z
  .string({ error: 'Enter the crime reference number' })
  .transform((v) => v.trim().toUpperCase())
  .pipe(
    z
      .string()
      .min(1, 'Enter the crime reference number')
      .max(30, 'The crime reference number must be 30 characters or fewer')
      .regex(/^[A-Z0-9][A-Z0-9/ -]*$/, 'The crime reference number can only hold letters, numbers, spaces, hyphens and slashes'),
  )

// The URN comes first, as on the form, so the error summary lists problems in the form's order.
// The crime reference is that of the crime the case is opened for; more crimes are added later.
export const CreateCase = z.object({ urn: Urn, crimeReference: CrimeReference }).extend(CaseDetails.shape)
export type CreateCase = z.infer<typeof CreateCase>

export const CaseSummary = z.object({
  id: z.uuid(),
  urn: z.string(),
  /** The principal (first, most serious) offence, for headings and lists. */
  offenceCode: z.string(),
  offence: z.string(),
  offences: z.array(z.object({ code: z.string(), label: z.string(), rape: z.boolean() })),
  rapeFlag: z.boolean(),
  stage: z.object({ code: z.string(), label: z.string() }),
  offenceDateFrom: z.string(),
  offenceDateTo: z.string().nullable(),
  dateReported: z.string(),
  dateRecorded: z.string(),
  force: z.object({ id: z.uuid(), name: z.string() }),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  officerInCharge: person,
  supervisor: person.nullable(),
  cpsArea: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  reviewingProsecutor: person.nullable(),
  createdAt: z.string(),
})
export type CaseSummary = z.infer<typeof CaseSummary>

export const Clock = z.object({
  id: z.uuid(),
  kind: z.string(),
  label: z.string(),
  caseId: z.uuid(),
  section: z.string(),
  dueAt: z.string(),
  wording: z.string(),
  urgency: z.enum(['critical', 'overdue', 'due_soon', 'not_due']),
  urgencyLabel: z.string(),
  owner: z.string().nullable(),
  escalationLevel: z.number().int(),
})

/** A crime of the case file as police record or correct it (docs/decisions/0007). */
export const CrimeInput = z.object({
  crimeReference: CrimeReference,
  offences: CaseDetails.shape.offences,
  /** A victim recorded on the case; needed once the case has one. */
  victimId: z.uuid({ error: 'Select the victim of this crime' }).nullable().default(null),
})
export type CrimeInput = z.infer<typeof CrimeInput>

export const Crime = z.object({
  id: z.uuid(),
  crimeReference: z.string(),
  /** False for a reference carried over from the URN when the case held one crime: police should correct it. */
  referenceConfirmed: z.boolean(),
  /** Null while the case's victim is not yet recorded. */
  victim: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  offences: z.array(z.object({ code: z.string(), label: z.string(), rape: z.boolean() })),
  rapeFlag: z.boolean(),
  /** The Home Office outcome in force, for police and CPS; a support service is never told the code. */
  outcome: z.object({ code: z.string(), label: z.string() }).nullable(),
  /** What was decided, in plain words with no reasons: the only outcome a support service sees, with the victim's consent. */
  decided: z.string().nullable(),
})
export type Crime = z.infer<typeof Crime>

export const CaseDetail = CaseSummary.extend({
  /**
   * The crimes of the case file and its victims, each with its own crime reference. A support
   * service is told only of the victim it supports and their crimes.
   */
  crimes: z.array(Crime),
  victims: z.array(z.object({ id: z.uuid(), name: z.string() })),
  /**
   * True when the caller has no direct part in the case and has not stated why they need its
   * victims in this session: victims are then "Victim 1", "Victim 2" (POST /cases/{id}/access-reasons).
   */
  victimNamesWithheld: z.boolean(),
  /** What is running on the case and when it is due; casework, so not shown to support services. */
  clocks: z.array(Clock),
  /**
   * The ISVAs named on the victims' active referrals, with their direct contacts, for police and
   * CPS, and the victim each supports (null while the case's victim is not yet recorded).
   */
  isvas: z.array(
    z.object({
      name: z.string(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
      service: z.string(),
      victimId: z.uuid().nullable(),
      victimName: z.string().nullable(),
    }),
  ),
  timeline: z.array(z.object({ type: z.string(), label: z.string(), occurredAt: z.string(), by: z.string().nullable() })),
})
export type CaseDetail = z.infer<typeof CaseDetail>
