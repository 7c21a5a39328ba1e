/** Time is injected so tests (and later the deadline engine's tests) can move it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(start: Date | string): Clock & { advance(ms: number): void; set(d: Date | string): void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    advance(ms) {
      current = new Date(current.getTime() + ms)
    },
    set(d) {
      current = new Date(d)
    },
  }
}

export const MINUTE = 60_000

/**
 * Today's calendar date in England and Wales (YYYY-MM-DD). Not the UTC date: between
 * midnight and 1am in British Summer Time that would still be yesterday.
 */
export function today(clock: Clock): string {
  return clock.now().toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
}
