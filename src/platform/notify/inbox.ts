import type { Sql } from '../../db/client.ts'
import type { Actor } from '../access/actor.ts'
import { caseScope } from '../access/policy.ts'
import type { DeadlineKind } from '../deadlines/ladders.ts'
import type { Step } from '../deadlines/sweeper.ts'

/**
 * A person's notifications as the outbox holds them, newest first: the step, what is due and the
 * case by URN. Only cases the access policy lets them see today, so someone who moved to another
 * organisation no longer sees their old organisation's cases here.
 */

export const INBOX_PAGE_SIZE = 25

export interface InboxRow {
  id: string
  step: Step
  kind: DeadlineKind
  caseId: string
  urn: string
  createdAt: Date
}

export async function inboxPage(sql: Sql, actor: Actor, page: number): Promise<{ total: number; rows: InboxRow[] }> {
  const params: unknown[] = [actor.id]
  const from = `FROM notifications n JOIN deadlines d ON d.id = n.deadline_id JOIN cases c ON c.id = n.case_id
                WHERE n.recipient_id = $1 AND ${caseScope(actor, params, 'c')}`
  const [{ total }] = await sql.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, params)
  if (total === 0) return { total, rows: [] }
  const rows = await sql.query<InboxRow>(
    `SELECT n.id, n.step, d.kind, n.case_id AS "caseId", c.urn, n.created_at AS "createdAt" ${from}
      ORDER BY n.created_at DESC, n.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, INBOX_PAGE_SIZE, (page - 1) * INBOX_PAGE_SIZE],
  )
  return { total, rows }
}
