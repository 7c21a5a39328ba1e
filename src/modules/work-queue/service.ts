import type { z } from 'zod'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { clockWording, URGENCIES } from '../../platform/deadlines/deadlines.ts'
import { ladderOf } from '../../platform/deadlines/ladders.ts'
import {
  QUEUE_PAGE_SIZE,
  type QueueFilter,
  type QueueRow,
  type QueueScope,
  queuePage,
  queueScopes,
  teamOf,
} from '../../platform/deadlines/queue.ts'
import { Forbidden } from '../../platform/errors.ts'
import { INBOX_PAGE_SIZE, inboxPage } from '../../platform/notify/inbox.ts'
import { STEP_WORDS } from '../../platform/notify/outbox.ts'
import type { NotificationItem, Queue, QueueItem } from './schema.ts'

const NO_QUEUE = 'ISVAs, analysts and administrators have no work queue: clocks belong to police and CPS casework'

/** The queues a user may open (empty for people who have none). */
export async function scopesOf(ctx: Ctx): Promise<{ scopes: QueueScope[]; teamId: string | null }> {
  const teamId = await teamOf(ctx.db, ctx.actor.id)
  return { scopes: queueScopes(ctx.actor, teamId), teamId }
}

function present(row: QueueRow, now: Date): z.output<typeof QueueItem> {
  const ladder = ladderOf(row.kind)
  return {
    id: row.id,
    kind: row.kind,
    label: ladder.label,
    caseId: row.caseId,
    urn: row.urn,
    href: `/cases/${row.caseId}/${ladder.section}`,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    dueAt: row.dueAt.toISOString(),
    due: clockWording(row.kind, row.dueAt, now),
    group: row.urgency,
    groupLabel: URGENCIES[row.urgency],
    escalationLevel: row.escalationLevel,
  }
}

/** One page of a queue the user may open; Forbidden for a queue they do not have. */
export async function viewQueue(ctx: Ctx, f: QueueFilter): Promise<z.output<typeof Queue>> {
  const { scopes, teamId } = await scopesOf(ctx)
  if (scopes.length === 0) throw new Forbidden(NO_QUEUE)
  if (!scopes.includes(f.scope)) {
    throw new Forbidden(
      f.scope === 'team'
        ? 'You are not in a team, so you have no team queue'
        : 'Only police supervisors and CPS managers can see their organisation’s queue',
    )
  }
  const now = ctx.clock.now()
  return ctx.db.transaction(async (tx) => {
    const result = await queuePage(tx, ctx.actor, teamId, f, now)
    await audit.consultation(tx, ctx, {
      action: 'queue.listed',
      subject: 'work queue',
      justification: 'clocks in own organisation',
      details: {
        scope: f.scope,
        page: f.page,
        shown: result.rows.length,
        filters: { group: f.group, kind: f.kind, owner: f.owner, sort: f.sort, order: f.order },
      },
    })
    return {
      scope: f.scope,
      scopes,
      counts: result.counts,
      page: f.page,
      pageSize: QUEUE_PAGE_SIZE,
      total: result.total,
      items: result.rows.map((r) => present(r, now)),
      owners: result.owners,
    }
  })
}

/** The user's own notifications, newest first. */
export async function viewNotifications(ctx: Ctx, page: number) {
  return ctx.db.transaction(async (tx) => {
    const { total, rows } = await inboxPage(tx, ctx.actor, page)
    await audit.consultation(tx, ctx, {
      action: 'notifications.listed',
      subject: 'notifications',
      justification: 'own notifications',
      details: { page, shown: rows.length },
    })
    const notifications: z.output<typeof NotificationItem>[] = rows.map((n) => {
      const ladder = ladderOf(n.kind)
      return {
        id: n.id,
        step: n.step,
        stepLabel: STEP_WORDS[n.step] as z.output<typeof NotificationItem>['stepLabel'],
        kind: n.kind,
        label: ladder.label,
        caseId: n.caseId,
        urn: n.urn,
        href: `/cases/${n.caseId}/${ladder.section}`,
        createdAt: n.createdAt.toISOString(),
      }
    })
    return { page, pageSize: INBOX_PAGE_SIZE, total, notifications }
  })
}
