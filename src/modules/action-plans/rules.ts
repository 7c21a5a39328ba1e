/** Pure date rules for action plans: no database, so they are tested on their own. */

/** A calendar date `months` later; the 31st becomes the month's last day where it has fewer. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}

/**
 * When the CPS may admin finalise a plan the police have not answered: the wait counts from the
 * latest target date in force among the unanswered actions (agreed extensions included), or from
 * the day the plan reopened after an earlier admin finalisation if that is later. Possible from
 * the day after the returned date.
 */
export function adminFinaliseWaitEnds(latestTarget: string, months: number, reopenedOn: string | null = null): string {
  const from = reopenedOn && reopenedOn > latestTarget ? reopenedOn : latestTarget
  return addMonths(from, months)
}
