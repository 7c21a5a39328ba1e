import type { LightMyRequestResponse } from 'fastify'
import { type Api, Problem, responsesOf } from '../platform/api/openapi.ts'

/**
 * Holds an API answer to the operation's declaration: the status must be one the OpenAPI
 * document lists, a success body must parse with the declared response schema (the zod schema
 * itself, so the document cannot drift from it), and a refusal must be problem JSON with a code.
 * An unexpected failure (500) is every operation's documented default. The harness's api() runs
 * it on every call, so every integration test checks the contract.
 */
export function checkContract(api: Api, method: string, url: string, res: LightMyRequestResponse): void {
  const op = api.find(method, url)
  if (!op) return // not a declared operation (the OpenAPI document, an unknown path's 404)
  const where = `${method.toUpperCase()} ${op.path}`
  const { success, refusals } = responsesOf(op)
  const status = res.statusCode
  // Any operation may fail unexpectedly: the document's `default` answer, problem JSON like the rest.
  if (status !== success && status !== 500 && !(refusals as number[]).includes(status)) {
    const body = res.headers['content-type']?.toString().includes('json') ? ` ${res.body.slice(0, 300)}` : ''
    throw new Error(
      `${where} answered ${status}, which its declaration does not document (it lists ${[success, ...refusals].join(', ')}): declare the refusal (refusals: ['forbidden' | 'conflict']) or fix the handler.${body}`,
    )
  }
  if (status === success) {
    const parsed = op.response.safeParse(res.json())
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).slice(0, 5)
      throw new Error(`${where} answered a body its declared response schema refuses:\n  ${issues.join('\n  ')}`)
    }
    return
  }
  const parsed = Problem.safeParse(res.json())
  if (!parsed.success || !res.headers['content-type']?.toString().startsWith('application/problem+json')) {
    throw new Error(`${where} refused with ${status} but not as problem JSON with a code: ${res.body.slice(0, 300)}`)
  }
}
