import { z } from 'zod'
import { URGENCIES, type Urgency } from '../../platform/deadlines/deadlines.ts'
import { DEADLINE_KINDS } from '../../platform/deadlines/ladders.ts'
import { QUEUE_SCOPES, QUEUE_SORTS, type QueueFilter, URGENCY_ORDER } from '../../platform/deadlines/queue.ts'
import { parseInput } from '../../platform/errors.ts'

const GROUPS = URGENCY_ORDER as [Urgency, ...Urgency[]]
const page = z.coerce.number({ error: 'The page must be a number' }).int().min(1, 'The page must be 1 or more').default(1)

/** A queue's scope, filters, sort and page: the page's query string and the API's query parameters. */
export const QueueQuery = z.object({
  scope: z
    .enum(QUEUE_SCOPES, { error: 'Choose my work, my team or my organisation' })
    .default('mine')
    .describe('mine: clocks you own or that were escalated to you; team: your team’s; organisation: your organisation’s'),
  group: z.enum(GROUPS, { error: 'Choose a group from the list' }).optional().describe('critical, overdue, due_soon or not_due'),
  kind: z.enum(DEADLINE_KINDS, { error: 'Choose what is due from the list' }).optional().describe('The kind of clock'),
  owner: z.uuid({ error: 'Choose an owner from the list' }).optional().describe('The person who must act'),
  sort: z.enum(QUEUE_SORTS, { error: 'Sort by one of the listed columns' }).default('due').describe('Within each group'),
  order: z.enum(['asc', 'desc'], { error: 'Order is asc or desc' }).default('asc'),
  page,
})

/** Parses a query string: empty values ('' from "any" choices) count as not given. */
export function parseQueueQuery(raw: unknown): QueueFilter {
  return parseInput(QueueQuery, withoutEmpty(raw))
}

export const NotificationsQuery = z.object({ page })
export const parseNotificationsQuery = (raw: unknown) => parseInput(NotificationsQuery, withoutEmpty(raw))

function withoutEmpty(raw: unknown) {
  return Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined))
}

const Counts = z.object(Object.fromEntries(URGENCY_ORDER.map((g) => [g, z.number().int()])) as Record<Urgency, z.ZodNumber>)

export const QueueItem = z.object({
  id: z.uuid(),
  kind: z.enum(DEADLINE_KINDS),
  label: z.string().describe('What is due, in words'),
  caseId: z.uuid(),
  urn: z.string(),
  href: z.string().describe('The case page where the work is done'),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  dueAt: z.iso.datetime(),
  due: z.string().describe('The due time in words: "due in 3 working days", "5 days overdue"'),
  group: z.enum(GROUPS),
  groupLabel: z.enum(Object.values(URGENCIES) as [string, ...string[]]),
  escalationLevel: z.number().int().min(0).max(2),
})

export const Queue = z.object({
  scope: z.enum(QUEUE_SCOPES),
  scopes: z.array(z.enum(QUEUE_SCOPES)).describe('The queues the caller may open'),
  counts: Counts.describe('Clocks in each group, after the kind and owner filters'),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int().describe('Clocks matching every filter'),
  items: z.array(QueueItem),
  owners: z
    .array(z.object({ id: z.uuid(), name: z.string() }))
    .describe('The people who own clocks in this queue, for the owner filter'),
})

export const NotificationItem = z.object({
  id: z.uuid(),
  step: z.enum(['reminder', 'escalation_1', 'escalation_2']),
  stepLabel: z.enum(['Due soon', 'Overdue', 'Critically overdue']),
  kind: z.enum(DEADLINE_KINDS),
  label: z.string(),
  caseId: z.uuid(),
  urn: z.string(),
  href: z.string(),
  createdAt: z.iso.datetime(),
})

export const Notifications = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  notifications: z.array(NotificationItem),
})
