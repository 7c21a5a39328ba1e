import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import type { Api } from '../../platform/api/openapi.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { URGENCIES } from '../../platform/deadlines/deadlines.ts'
import { type DeadlineKind, LADDERS } from '../../platform/deadlines/ladders.ts'
import type { QueueFilter, QueueScope, QueueSort } from '../../platform/deadlines/queue.ts'
import { URGENCY_ORDER } from '../../platform/deadlines/queue.ts'
import { paginationItems, sortHeader } from '../../platform/web/lists.ts'
import {
  Notifications,
  NotificationsQuery,
  parseNotificationsQuery,
  parseQueueQuery,
  Queue,
  type QueueItem,
  QueueQuery,
} from './schema.ts'
import * as service from './service.ts'

const SCOPE_NAMES: Record<QueueScope, string> = { mine: 'My work', team: 'My team', organisation: 'My organisation' }
const KIND_OPTIONS = (Object.keys(LADDERS) as DeadlineKind[])
  .map((k) => ({ value: k, text: LADDERS[k].label }))
  .sort((a, b) => a.text.localeCompare(b.text))

/** The queue's address for a state, leaving out defaults, so filters, sort and page survive every link. */
export function queueHref(f: QueueFilter, change: Partial<QueueFilter> = {}): string {
  const s = { ...f, ...change }
  const params = new URLSearchParams()
  if (s.scope !== 'mine') params.set('scope', s.scope)
  if (s.group) params.set('group', s.group)
  if (s.kind) params.set('kind', s.kind)
  if (s.owner) params.set('owner', s.owner)
  if (s.sort !== 'due' || s.order !== 'asc') {
    params.set('sort', s.sort)
    params.set('order', s.order)
  }
  if (s.page > 1) params.set('page', String(s.page))
  const qs = params.toString()
  return qs ? `/queue?${qs}` : '/queue'
}

/** Everything the queue page shows, worked out here so the template holds no logic. */
function queuePageModel(f: QueueFilter, q: z.output<typeof Queue>) {
  const owners = q.owners
  const pages = Math.ceil(q.total / q.pageSize)
  const first = { page: 1 }
  const sort = (key: QueueSort, text: string) =>
    sortHeader(f, key, text, (s, order) => queueHref(f, { ...first, sort: s, order }))
  const sections = URGENCY_ORDER.map((g) => ({
    group: g,
    heading: URGENCIES[g],
    count: q.counts[g],
    items: q.items.filter((i) => i.group === g).map(row),
  })).filter((s) => s.items.length > 0)
  const ownerName = owners.find((o) => o.id === f.owner)?.name ?? 'Not in the list'
  const tag = (text: string, change: Partial<QueueFilter>) => ({ text, href: queueHref(f, { ...change, ...first }) })
  const categories = [
    { heading: { text: 'Group' }, items: f.group ? [tag(URGENCIES[f.group], { group: undefined })] : [] },
    { heading: { text: 'What is due' }, items: f.kind ? [tag(LADDERS[f.kind].label, { kind: undefined })] : [] },
    { heading: { text: 'Owner' }, items: f.owner ? [tag(ownerName, { owner: undefined })] : [] },
  ].filter((c) => c.items.length > 0)
  const any = (text: string) => ({ value: '', text })
  return {
    title: SCOPE_NAMES[f.scope],
    state: f,
    subNav: q.scopes.map((s) => ({
      text: SCOPE_NAMES[s],
      href: queueHref({ ...f, owner: undefined }, { scope: s, ...first }),
      active: s === f.scope,
    })),
    summary: URGENCY_ORDER.map((g) => ({
      group: g,
      text: URGENCIES[g],
      count: q.counts[g],
      href: queueHref(f, { group: g, ...first }),
      current: f.group === g,
    })),
    total: q.total,
    filtered: Boolean(f.group || f.kind || f.owner),
    clearHref: queueHref({ ...f, group: undefined, kind: undefined, owner: undefined, page: 1 }),
    fields: {
      groups: [any('Any group'), ...URGENCY_ORDER.map((g) => ({ value: g, text: URGENCIES[g], selected: f.group === g }))],
      kinds: [any('Anything'), ...KIND_OPTIONS.map((k) => ({ ...k, selected: f.kind === k.value }))],
      owners: [any('Anyone'), ...owners.map((o) => ({ value: o.id, text: o.name, selected: f.owner === o.id }))],
    },
    selected: categories.length
      ? {
          heading: { text: 'Selected filters' },
          clearLink: {
            text: 'Clear filters',
            href: queueHref({ ...f, group: undefined, kind: undefined, owner: undefined, page: 1 }),
          },
          categories,
        }
      : undefined,
    sections,
    sortHeaders: { due: sort('due', 'Due'), urn: sort('urn', 'Case'), kind: sort('kind', 'What is due') },
    pagination: pages > 1 ? paginationItems(f.page, pages, (page) => queueHref(f, { page })) : undefined,
  }
}

const ESCALATION = ['Not escalated', 'Level 1', 'Level 2']
const row = (i: z.output<typeof QueueItem>) => ({
  ...i,
  escalation: ESCALATION[i.escalationLevel],
  ownerName: i.owner?.name ?? 'Not assigned',
})

export function workQueueRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: Record<string, string> }>('/queue', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const f = parseQueueQuery(req.query)
      // The filter form sends its "any" choices as empty values: tidy them out of the address.
      if (Object.values(req.query).includes('')) return reply.redirect(queueHref(f), 303)
      const { scopes } = await service.scopesOf(ctx)
      if (scopes.length === 0) return reply.render('work-queue/views/no-queue.njk', { title: 'Work queue' })
      const q = await service.viewQueue(ctx, f)
      return reply.render('work-queue/views/queue.njk', queuePageModel(f, q))
    })

    app.get<{ Querystring: Record<string, string> }>('/notifications', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const { page } = parseNotificationsQuery(req.query)
      const n = await service.viewNotifications(ctx, page)
      const pages = Math.ceil(n.total / n.pageSize)
      return reply.render('work-queue/views/notifications.njk', {
        title: 'Notifications',
        ...n,
        pagination:
          pages > 1 ? paginationItems(page, pages, (p) => (p > 1 ? `/notifications?page=${p}` : '/notifications')) : undefined,
      })
    })
  }
}

export function workQueueApi(api: Api) {
  api.route({
    method: 'get',
    path: '/queue',
    tag: 'Work queues',
    summary:
      'The caller’s work queue (or their team’s or organisation’s): running clocks grouped critically overdue, overdue, due soon, not due, with counts per group; 25 a page',
    query: QueueQuery,
    response: Queue,
    refusals: ['forbidden'],
    handler: (ctx, req) => service.viewQueue(ctx, parseQueueQuery(req.query)),
  })
  api.route({
    method: 'get',
    path: '/notifications',
    tag: 'Work queues',
    summary: 'The caller’s notifications (reminders and escalations), newest first, 25 a page',
    query: NotificationsQuery,
    response: Notifications,
    handler: (ctx, req) => service.viewNotifications(ctx, parseNotificationsQuery(req.query).page),
  })
}
