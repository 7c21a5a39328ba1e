import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problem } from '../api/problem.ts'
import { audit } from '../audit/audit.ts'
import type { Services } from '../context.ts'
import { type CaseRefusal, ChooseOne, Conflict, Forbidden, NotFound, ReasonNeeded, ValidationFailed } from '../errors.ts'

const isApi = (req: FastifyRequest) => req.url.startsWith('/api/')

/**
 * One place that turns errors into answers: problem JSON for the API, GOV.UK pages for
 * people. Unexpected errors are logged by type and message only (database errors can carry
 * the values that failed) and shown to the user as a reference id.
 */
export function registerErrorHandlers(app: FastifyInstance, s: Services) {
  app.setNotFoundHandler((req, reply) => notFound(req, reply))

  app.setErrorHandler(async (err: FastifyError | NotFound | Forbidden, req, reply) => {
    if (err instanceof NotFound || err instanceof Forbidden) {
      await recordRefusal(s, req, err.refusal, err instanceof NotFound ? 404 : 403)
    }
    if (err instanceof NotFound) return notFound(req, reply)
    if (err instanceof ValidationFailed) {
      if (isApi(req)) return problem(reply, 400, err.code, 'Your request has errors', { errors: err.fieldErrors })
      return page(
        reply,
        400,
        'There is a problem',
        err.fieldErrors.map((e) => e.message),
      )
    }
    if (err instanceof ReasonNeeded && !isApi(req)) {
      // Back to the page asked for once the reason is stated; a form post goes back to the case.
      const next = req.method === 'GET' ? req.url : `/cases/${err.caseId}`
      return reply.redirect(`/cases/${err.caseId}/reason?next=${encodeURIComponent(next)}`, 303)
    }
    if (err instanceof Forbidden) {
      if (isApi(req)) return problem(reply, 403, err.code, err.message)
      return page(reply, 403, 'You cannot do this', [err.message])
    }
    if (err instanceof ChooseOne && !isApi(req) && req.method === 'GET' && req.actor) {
      // The request's transaction rolled back with the error, so the consultation commits on its own.
      const ctx = { ...s, actor: req.actor, channel: 'web' as const }
      await s.db.transaction((tx) => audit.consultation(tx, ctx, err.consulted))
      return reply.render('choose.njk', {
        title: err.question,
        choices: err.choices.map((c) => ({ text: c.text, href: err.addressOf(req.url, c.id) })),
      })
    }
    if (err instanceof Conflict) {
      if (isApi(req)) return problem(reply, 409, err.code, err.message)
      return page(reply, 409, 'This cannot be done', [err.message])
    }
    if (err.code?.startsWith('FST_CSRF')) {
      return page(reply, 403, 'This form has expired', ['Go back, reload the page and try again.'])
    }
    if (err.statusCode === 429) {
      if (isApi(req)) return problem(reply, 429, 'rate_limited', 'Too many requests')
      return page(reply, 429, 'Too many attempts', ['Wait a minute, then try again.'])
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      if (isApi(req)) return problem(reply, err.statusCode, 'bad_request', 'Your request could not be read')
      return page(reply, err.statusCode, 'There is a problem', ['Your request could not be read. Go back and try again.'])
    }
    req.log.error({ err: { type: err.name, code: err.code, message: err.message, stack: err.stack } }, 'unexpected error')
    if (isApi(req)) return problem(reply, 500, 'internal', 'Something went wrong', { reference: req.id })
    return reply.status(500).render('error.njk', {
      title: 'Sorry, there is a problem with the service',
      paragraphs: ['Try again later. Nothing you entered has been saved.'],
      reference: req.id,
    })
  })
}

/**
 * A signed-in user refused a case that exists: recorded against the case, for its overseers'
 * access log (docs/decisions/0009). The request's own transaction has rolled back by now, so
 * this is a transaction of its own that commits. The answer is the same 404 or 403 whether or
 * not this succeeds: a failure here is logged for the operators and never shown.
 */
async function recordRefusal(s: Services, req: FastifyRequest, refusal: CaseRefusal | undefined, status: 403 | 404) {
  if (!refusal || !req.actor) return
  const ctx = { ...s, actor: req.actor, channel: isApi(req) ? ('api' as const) : ('web' as const) }
  try {
    await s.db.transaction((tx) => audit.refusal(tx, ctx, { ...refusal, status }))
  } catch (err) {
    req.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'refused attempt not recorded')
  }
}

function notFound(req: FastifyRequest, reply: FastifyReply) {
  if (isApi(req)) return problem(reply, 404, 'not_found', 'Not found')
  return page(reply, 404, 'Page not found', [
    'If you typed the web address, check it is correct.',
    'If you pasted the web address, check you copied the entire address.',
  ])
}

function page(reply: FastifyReply, status: number, title: string, paragraphs: string[]) {
  return reply.status(status).render('error.njk', { title, paragraphs })
}
