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
  return londonDate(clock.now())
}

/** Minutes east of UTC that England and Wales are at `instant` (0 in winter, 60 in summer). */
// Formatters are built once: building one per call (as toLocaleDateString does) was a tenth of
// a case read's CPU under load (bench/README.md).
const LONDON_WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
})
const LONDON_ISO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

function londonOffsetMs(instant: number): number {
  const parts = LONDON_WALL_CLOCK.formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  return wall - Math.floor(instant / 60_000) * 60_000
}

/** A wall-clock date and time in England and Wales (YYYY-MM-DD, HH:MM) as an instant. */
export function londonInstant(date: string, time: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`)
  const guess = naive - londonOffsetMs(naive)
  return new Date(naive - londonOffsetMs(guess))
}

/**
 * The last moment of a calendar date in England and Wales: a target "by 4 December" is met
 * by anything done on 4 December, so its clock runs out at 23:59:59.999 that day.
 */
export function endOfLondonDay(date: string): Date {
  return new Date(londonInstant(date, '23:59').getTime() + 59_999)
}

/** The calendar date in England and Wales of an instant (YYYY-MM-DD). */
export function londonDate(at: Date): string {
  return LONDON_ISO_DATE.format(at)
}
