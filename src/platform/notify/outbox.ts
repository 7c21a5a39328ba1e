import type { Db, Sql } from '../../db/client.ts'
import { ladderOf } from '../deadlines/ladders.ts'
import type { Step } from '../deadlines/sweeper.ts'

/**
 * Notifications leave through an outbox: the sweeper writes rows in the transaction that takes a
 * ladder step, and `deliver` hands undelivered rows to a Delivery, marking each one delivered
 * only once the Delivery has taken it. The local delivery keeps messages in memory, for
 * development and tests; GOV.UK Notify will be a second Delivery (a later issue).
 *
 * Messages name the case by URN and say what is due: never a victim's or suspect's details.
 */

export interface Message {
  notificationId: string
  to: { userId: string; email: string }
  subject: string
  body: string
}

export interface Delivery {
  send(message: Message): Promise<void>
}

/** Keeps what it is given, newest last, so development and tests can read what would have gone. */
export class LocalDelivery implements Delivery {
  readonly sent: Message[] = []
  async send(message: Message): Promise<void> {
    this.sent.push(message)
    if (this.sent.length > 1000) this.sent.shift()
  }
}

export const STEP_WORDS: Record<Step, string> = {
  reminder: 'Due soon',
  escalation_1: 'Overdue',
  escalation_2: 'Critically overdue',
}

interface Pending {
  id: string
  recipientId: string
  email: string
  step: Step
  kind: string
  urn: string
  caseId: string
  dueAt: Date
}

export function messageFor(n: Pending): Message {
  const ladder = ladderOf(n.kind)
  return {
    notificationId: n.id,
    to: { userId: n.recipientId, email: n.email },
    subject: `${STEP_WORDS[n.step]}: ${ladder.label}, case ${n.urn}`,
    body: `${ladder.label} on case ${n.urn} is ${STEP_WORDS[n.step].toLowerCase()}. Open /cases/${n.caseId}/${ladder.section} in Casebridge.`,
  }
}

/** Delivers up to `batch` waiting notifications; a failed send stays waiting for the next round. */
export async function deliver(db: Db, delivery: Delivery, now: Date, batch = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const pending = await waiting(tx, batch)
    let delivered = 0
    for (const n of pending) {
      try {
        await delivery.send(messageFor(n))
      } catch {
        continue
      }
      await tx.query('UPDATE notifications SET delivered_at = $2 WHERE id = $1', [n.id, now])
      delivered++
    }
    return delivered
  })
}

function waiting(tx: Sql, batch: number): Promise<Pending[]> {
  return tx.query<Pending>(
    `SELECT n.id, n.recipient_id AS "recipientId", u.email, n.step, d.kind, c.urn, c.id AS "caseId", d.due_at AS "dueAt"
       FROM (SELECT id FROM notifications WHERE delivered_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED) w
       JOIN notifications n ON n.id = w.id
       JOIN users u ON u.id = n.recipient_id
       JOIN deadlines d ON d.id = n.deadline_id
       JOIN cases c ON c.id = n.case_id
      ORDER BY n.created_at`,
    [batch],
  )
}
