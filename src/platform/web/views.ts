import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import nunjucks from 'nunjucks'
import { type FieldError, ValidationFailed } from '../errors.ts'

const root = path.resolve(import.meta.dirname, '../../..')

/**
 * Nunjucks with the GOV.UK and MOJ macros. Templates are found by path from src/modules
 * (for example "cases/views/show.njk") or from this folder's views/.
 */
export function createViews() {
  const env = nunjucks.configure(
    [
      path.join(import.meta.dirname, 'views'),
      path.join(root, 'src/modules'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, throwOnUndefined: false, noCache: false },
  )
  // MOJ's timeline calls these filters; ours format in UK time without a date library.
  env.addFilter('mojDate', (value: string | Date, type = 'datetime') => formatDate(value, type))
  env.addFilter('date', (value: string | Date) => formatDate(value, 'date'))
  return env
}

const London = 'Europe/London'
// Built once and reused: a formatter per call was the costliest function on a case page.
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: London })
const TIME = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: London })

export function formatDate(value: string | Date, type: string): string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value)
  const date = LONG_DATE.format(d)
  if (type === 'date') return date
  return `${date} at ${TIME.format(d).replace(' ', '')}`
}

declare module 'fastify' {
  interface FastifyReply {
    render(view: string, context?: Record<string, unknown>): FastifyReply
  }
}

/** `reply.render` adds what every page needs: who is signed in, the CSP nonce and a CSRF token. */
export function registerViews(app: FastifyInstance, globals: { sessionIdleMinutes: number; sessionWarningMinutes: number }) {
  const env = createViews()
  app.decorateReply('render', function (this: FastifyReply, view: string, context: Record<string, unknown> = {}) {
    const req: FastifyRequest = this.request
    const html = env.render(view, {
      ...globals,
      actor: req.actor,
      currentPath: req.url.split('?')[0],
      cspNonce: this.cspNonce?.script,
      csrfToken: this.generateCsrf(),
      ...context,
    })
    return this.type('text/html; charset=utf-8').send(html)
  })
}

/** Field errors shaped for govukErrorSummary and each field's errorMessage. */
export function formErrors(errors: FieldError[], anchors: Record<string, string> = {}) {
  const byField: Record<string, { text: string }> = {}
  for (const e of errors) byField[e.field] ??= { text: e.message }
  return {
    summary: Object.entries(byField).map(([field, m]) => ({ text: m.text, href: `#${anchors[field] ?? field}` })),
    fields: byField,
  }
}

/** Joins a GOV.UK date input's three boxes into YYYY-MM-DD ('' when all are empty). */
export function dateFromInput(body: Record<string, unknown>, name: string): string {
  const part = (p: string) => String(body[`${name}-${p}`] ?? '').trim()
  const [day, month, year] = [part('day'), part('month'), part('year')]
  if (!day && !month && !year) return ''
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'invalid'
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
}

/** The other way: an ISO date split into a date input's three boxes, to fill a form for a change. */
export function dateToInput(name: string, iso: string | null): Record<string, string> {
  if (!iso) return {}
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

/** A parsed form post: one string per field, or several for a repeated name (checkboxes). */
export type FormBody = Record<string, string | string[]>

/** A text field of a form post; '' when it was not sent, or sent more than once. */
export function formText(body: FormBody, name: string): string {
  const value = body[name]
  return typeof value === 'string' ? value : ''
}

/** A form field that may be sent once, many times or not at all (checkboxes), as a list. */
export function formList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/**
 * The shape of every form post: run the command, then go to `done`; on bad input answer 400
 * with the form drawn again from `redraw` (which shows the errors and what was typed). Any
 * other error is left to the error pages.
 */
export async function submitForm<T>(
  reply: FastifyReply,
  command: () => Promise<T>,
  done: string | ((result: T) => string),
  redraw: (errors: ReturnType<typeof formErrors>) => Promise<FastifyReply> | FastifyReply,
  anchors: Record<string, string> = {},
) {
  try {
    const result = await command()
    return reply.redirect(typeof done === 'string' ? done : done(result), 303)
  } catch (err) {
    if (!(err instanceof ValidationFailed)) throw err
    reply.status(400)
    return redraw(formErrors(err.fieldErrors, anchors))
  }
}
