import type { FieldError } from '../../platform/errors.ts'
import { formatDate } from '../../platform/web/views.ts'

export { londonInstant } from '../../platform/clock.ts'

/**
 * The rules of the victim's update clock, as pure functions so each has a unit test.
 *
 * The victim asked for an update every N calendar days (not working days: it is their
 * expectation, not a statutory clock). The clock restarts at the last planned update, or when the
 * plan is agreed or its frequency changed: agreeing a plan is itself a conversation with the victim.
 */

const DAY_MS = 86_400_000

/** When the next agreed update is due, counted from `from`; null when updates come only at key decisions. */
export function nextUpdateDue(updateEveryDays: number | null, from: Date): Date | null {
  return updateEveryDays === null ? null : new Date(from.getTime() + updateEveryDays * DAY_MS)
}

export const MISSED_REASON_RULE = 'give the reason the agreed update was missed'
export const VICTIM_TOLD_RULE = 'Confirm the victim has been told why the agreed update was missed'

/**
 * A planned update made after the agreed update was due closes that clock as missed, which needs
 * the reason it was missed and confirmation that the victim was told why (Victims' Code: if the
 * agreed frequency cannot be met, the victim is told why).
 */
export function lateUpdateErrors(
  c: { plannedUpdate: boolean; contactedAt: Date; missedReason: string; victimToldWhy: boolean },
  openClock: { dueAt: Date } | undefined,
): FieldError[] {
  if (!c.plannedUpdate || !openClock || c.contactedAt.getTime() <= openClock.dueAt.getTime()) return []
  const errors: FieldError[] = []
  if (!c.missedReason) {
    errors.push({
      field: 'missedReason',
      message: `The agreed update was due ${formatDate(openClock.dueAt, 'datetime')}: ${MISSED_REASON_RULE}`,
    })
  }
  if (!c.victimToldWhy) errors.push({ field: 'victimToldWhy', message: VICTIM_TOLD_RULE })
  return errors
}

export function contactTimeErrors(contactedAt: Date, now: Date): FieldError[] {
  return contactedAt.getTime() > now.getTime()
    ? [{ field: 'contactedAt', message: 'The date and time of the contact must be now or in the past' }]
    : []
}

/** A time typed by a person ("14:30", "2:30pm", "9am", "9.15am") as HH:MM; '' when empty, 'invalid' when unreadable. */
export function timeFromInput(raw: string): string {
  const s = raw.trim().toLowerCase().replace(/\s+/g, '')
  if (!s) return ''
  const m = s.match(/^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/)
  if (!m) return 'invalid'
  let hour = Number(m[1])
  const minute = Number(m[2] ?? '0')
  if (m[3]) {
    if (hour < 1 || hour > 12) return 'invalid'
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0)
  } else if (m[2] === undefined) {
    return 'invalid' // "14" alone is ambiguous; ask for "14:00" or "2pm"
  }
  if (hour > 23 || minute > 59) return 'invalid'
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}
