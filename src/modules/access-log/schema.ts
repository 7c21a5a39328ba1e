import { z } from 'zod'
import { parseInput } from '../../platform/errors.ts'
import { ACCESS_FILTERS } from './queries.ts'

/** The access log's filter and page, for the API's query parameters. */
export const AccessLogQuery = z.object({
  show: z
    .enum(ACCESS_FILTERS, { error: 'Show is all or victim' })
    .default('all')
    .describe(
      'all: every access to the case, and every refused attempt; victim: only reads and changes of the victim’s data (details, protected characteristics, communication plan and contacts, withdrawals, support) and name searches that returned the case; refused: only attempts the access policy refused (a user with no relation to the case, or without the role for what they tried)',
    ),
  page: z.coerce.number({ error: 'The page must be a number' }).int().min(1, 'The page must be 1 or more').default(1),
})

export const parseAccessLogQuery = (raw: unknown) =>
  parseInput(
    AccessLogQuery,
    Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined)),
  )

export const AccessLogEntry = z.object({
  occurredAt: z.iso.datetime(),
  kind: z
    .enum(['consultation', 'alteration', 'refusal'])
    .nullable()
    .describe('Looked at, changed, or refused (the user was answered 404 or 403 and saw nothing); null for other events'),
  action: z.string().describe('What happened, as subject.verb'),
  subject: z.string().nullable().describe('What was looked at or changed, in words'),
  justification: z
    .string()
    .nullable()
    .describe('Why the access was lawful: the relation the access policy found; null for a refusal'),
  attempted: z
    .string()
    .nullable()
    .describe('For a refusal, what was attempted, as the access policy names it (view, edit_victim, ...); null otherwise'),
  channel: z.enum(['web', 'api']).nullable(),
  who: z
    .string()
    .nullable()
    .describe(
      'The person’s name, or a system client’s name followed by " (system client)"; null for Casebridge itself (a sweep, the command line)',
    ),
  systemClient: z
    .boolean()
    .describe(
      'Whether the entry was made by a system client (another organisation’s system calling the API under its own name) rather than a person',
    ),
  organisation: z.string().nullable(),
  statedReason: z
    .object({ label: z.string(), detail: z.string().nullable().describe('The words given for “other”') })
    .nullable()
    .describe(
      'A look by someone with no direct part in the case, justified by the reason they stated for the session; null otherwise',
    ),
})

export const ReasonReview = z.object({
  since: z.iso.datetime(),
  entries: z
    .array(
      z.object({
        urn: z.string(),
        caseId: z.uuid(),
        statedAt: z.iso.datetime(),
        who: z.string(),
        organisation: z.string(),
        reason: z.string(),
        detail: z.string().nullable(),
        looks: z.number().int().describe('Looks at the case’s victim data this reason justified'),
      }),
    )
    .describe('Newest first'),
})

export const AccessLog = z.object({
  case: z.object({ id: z.uuid(), urn: z.string() }),
  show: z.enum(ACCESS_FILTERS),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  entries: z.array(AccessLogEntry).describe('Newest first'),
})
