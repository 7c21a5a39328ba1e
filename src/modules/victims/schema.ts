import { z } from 'zod'
import { calendarDate } from '../cases/schema.ts'
import {
  type Answers,
  CHARACTERISTIC_KEYS,
  CHARACTERISTICS,
  type CharacteristicKey,
  COMPLETENESS_STATUSES,
  NOT_ASKED,
  valuesOf,
} from './characteristics.ts'

const requiredText = (message: string, max: number, name: string) =>
  z.string({ error: message }).trim().min(1, message).max(max, `${name} must be ${max} characters or fewer`)

/** Empty boxes arrive as '' from forms and as null or nothing from the API: all mean "none". */
const optionalText = (max: number, name: string) =>
  z
    .string({ error: `${name} must be text` })
    .trim()
    .max(max, `${name} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => v || null)

/**
 * Cross-field rules run even when another field is missing, so an empty form lists every
 * problem at once; zod's default skips them after a missing required field.
 */
const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null

export const CONTACT_RULE =
  'Enter at least one safe way to contact the victim: a phone number, an email address or a postal address'
export const VULNERABLE_REASON_RULE = 'Enter why the victim is vulnerable'

export const VictimDetails = z
  .object({
    firstName: requiredText('Enter the victim’s first name', 100, 'First name'),
    lastName: requiredText('Enter the victim’s last name', 100, 'Last name'),
    otherNames: optionalText(200, 'Other names'),
    // Optional: when it is not known, the age band is asked with the protected characteristics.
    // Must also be in the past: the service checks that against its clock.
    dateOfBirth: calendarDate('the date of birth')
      .nullish()
      .transform((v) => v ?? null),
    phone: optionalText(30, 'Phone number').pipe(
      z
        .string()
        .regex(/^\+?[0-9 ()-]{10,20}$/, 'Enter a phone number, like 07700 900 982 or +44 7700 900 982')
        .nullable(),
    ),
    email: optionalText(254, 'Email address').pipe(
      z.email({ error: 'Enter an email address in the correct format, like name@example.com' }).nullable(),
    ),
    postalAddress: optionalText(500, 'Postal address'),
    preferredLanguage: requiredText('Enter the victim’s preferred language', 60, 'Preferred language'),
    interpreterNeeded: z.boolean({ error: 'Select yes if the victim needs an interpreter' }),
    vulnerable: z.boolean({ error: 'Select yes if the victim is vulnerable' }),
    vulnerableReason: optionalText(1000, 'The reason'),
    needs: optionalText(2000, 'Needs and reasonable adjustments'),
  })
  .refine((v) => v.phone || v.email || v.postalAddress, { path: ['contact'], message: CONTACT_RULE, when: isObject })
  .refine((v) => !v.vulnerable || v.vulnerableReason, {
    path: ['vulnerableReason'],
    message: VULNERABLE_REASON_RULE,
    when: isObject,
  })
  // A reason kept after "not vulnerable" would be a stale statement about the person.
  .transform((v) => ({ ...v, vulnerableReason: v.vulnerable ? v.vulnerableReason : null }))
export type VictimDetails = z.infer<typeof VictimDetails>

/** One answer per characteristic from its reference list; a question left out is "not yet asked". */
export const VictimCharacteristics = z.object(
  Object.fromEntries(
    CHARACTERISTICS.map((c) => [
      c.key,
      z.enum(valuesOf(c), { error: `Select an answer for ${c.name.toLowerCase()} from the list` }).default(NOT_ASKED),
    ]),
  ) as Record<CharacteristicKey, z.ZodDefault<z.ZodEnum<Record<string, string>>>>,
)

export const Completeness = z.object({
  answered: z.number().int(),
  total: z.number().int(),
  status: z.enum(COMPLETENESS_STATUSES),
  /** Questions whose recorded answer no longer meets the standard (ethnic group at the broad level only). */
  toAskAgain: z.array(z.enum(CHARACTERISTIC_KEYS as [CharacteristicKey, ...CharacteristicKey[]])),
})

const Coded = z.object({ code: z.string(), label: z.string() })

export const EthnicityView = z.object({
  value: z.string(),
  label: z.string(),
  /** The broad group, also for an answer recorded at the broad level only; null when not stated or not asked. */
  broadGroup: Coded.nullable(),
  detailRecorded: z.boolean(),
  /** The police self-defined ethnicity (18+1) code it reconciles to; NS for "prefers not to say". */
  sdeCode: z.string().nullable(),
})

export const AgeBandView = Coded.extend({
  /** date_of_birth: worked out from the date of birth today; recorded: the band the victim gave when asked. */
  source: z.enum(['date_of_birth', 'recorded']),
})

/** When an answer was last recorded and by whom; only for questions with a stored answer. */
export const AnswerRecorded = z.object({
  recordedAt: z.string(),
  recordedBy: z.object({ id: z.uuid(), name: z.string() }),
})
export type AnswerRecorded = z.infer<typeof AnswerRecorded>

export const Victim = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  otherNames: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  /** Whole years today, from the date of birth; null when it is not known. */
  age: z.number().int().nullable(),
  ageBand: AgeBandView.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  postalAddress: z.string().nullable(),
  preferredLanguage: z.string(),
  interpreterNeeded: z.boolean(),
  // Victims of sexual offences always have enhanced rights and are always treated as intimidated
  // under the Victims' Code: these are facts of the case, not answers, so they cannot be false.
  enhancedRights: z.literal(true),
  intimidated: z.literal(true),
  vulnerable: z.boolean(),
  vulnerableReason: z.string().nullable(),
  needs: z.string().nullable(),
  characteristics: z.record(z.string(), z.string()),
  characteristicsRecorded: z.record(z.string(), AnswerRecorded),
  ethnicity: EthnicityView,
  characteristicsCompleteness: Completeness,
  recordedAt: z.string(),
  updatedAt: z.string(),
})
export type Victim = Omit<z.infer<typeof Victim>, 'characteristics'> & { characteristics: Answers }

export const VictimAnswer = z.object({ victim: Victim.nullable() })

/** The victims of a case file the caller may know of (a support service: only those it supports). */
export const VictimList = z.object({ victims: z.array(z.object({ id: z.uuid(), name: z.string() })) })

export const CompletenessCounts = z.object({
  victims: z.number().int(),
  complete: z.number().int(),
  incomplete: z.number().int(),
})
export type CompletenessCounts = z.infer<typeof CompletenessCounts>

export const CompletenessReportQuery = z.object({
  quarter: z
    .string()
    .optional()
    .describe('A financial-year quarter such as 2026-27-Q3 (October to December 2026); the current one when left out'),
})

const CharacteristicCount = z.object({
  key: z.string(),
  name: z.string(),
  answered: z.number().int(),
  notAnswered: z.number().int(),
})
const GroupFigures = z.object({
  victims: z.number().int(),
  complete: z.number().int(),
  characteristics: z.array(CharacteristicCount),
  ethnicityToAskAgain: z.number().int(),
})

export const CompletenessReport = z.object({
  organisation: z.object({ id: z.uuid(), name: z.string() }),
  quarter: z.object({ code: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  definition: z.string(),
  total: GroupFigures,
  forces: z.array(
    GroupFigures.extend({
      id: z.uuid(),
      name: z.string(),
      teams: z.array(GroupFigures.extend({ id: z.uuid().nullable(), name: z.string() })),
    }),
  ),
  ethnicity: z.object({
    broadGroups: z.array(
      z.object({
        code: z.string(),
        label: z.string(),
        victims: z.number().int(),
        detailRecorded: z.number().int(),
        broadOnly: z.number().int(),
        categories: z.array(z.object({ code: z.string(), label: z.string(), victims: z.number().int() })),
      }),
    ),
    prefersNotToSay: z.number().int(),
    notAsked: z.number().int(),
  }),
})
export type CompletenessReport = z.infer<typeof CompletenessReport>
