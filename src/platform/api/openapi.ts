import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { apiCtx } from '../auth/identify.ts'
import type { Ctx, Services } from '../context.ts'
import { PROBLEM_CODES, type ProblemCode } from '../errors.ts'

/**
 * API routes are declared once, with the same zod schemas the forms use; the declaration
 * both registers the route and describes it in the OpenAPI document.
 */

type Method = 'get' | 'post' | 'put'

/**
 * The refusals beyond those every operation can give (401, 404; 400 with a body or query): 403
 * when the handler can raise Forbidden, 409 when it can raise Conflict, and 400 without a body or
 * query ('invalid') when it re-checks a rule against the case. Tests hold each answer an operation
 * gives to what it declares (src/testing/contract.ts), so a missing one fails there.
 */
export type Refusal = 'invalid' | 'forbidden' | 'conflict'

export interface Operation {
  method: Method
  path: string // OpenAPI style: /cases/{id}
  summary: string
  tag: string
  body?: z.ZodType
  query?: z.ZodObject
  response: z.ZodType
  status?: number
  refusals?: readonly Refusal[]
  handler: (ctx: Ctx, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const codeList = (Object.entries(PROBLEM_CODES) as [ProblemCode, string][]).map(([code, what]) => `\`${code}\`: ${what}`)

/** RFC 9457 problem details as every API refusal carries them. */
export const Problem = z.object({
  type: z.string(),
  title: z.string().describe('For people; may be reworded'),
  status: z.number().int(),
  code: z
    .string()
    .describe(
      `Stable and machine-readable: branch on this, not on the title. New codes may be added. Codes so far: ${codeList.join('; ')}`,
    ),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  reference: z.string().optional(),
})

const REFUSALS = {
  400: 'The request breaks a rule; `errors` names each field (`code` validation_failed, or the rule broken)',
  401: 'No valid bearer token (`code` unauthenticated)',
  403: 'The caller may see this but not do it, for example the wrong role; `code` names the rule',
  404: 'Not found, or not yours to see (`code` not_found)',
  409: 'A rule of the service stops this change in the state the case is in; `code` names the rule',
} as const

/** The answers an operation documents, by status: its success, then the refusals it can give. */
export function responsesOf(op: Operation): { success: number; refusals: (keyof typeof REFUSALS)[] } {
  const refusals: (keyof typeof REFUSALS)[] = []
  if (op.body || op.query || op.refusals?.includes('invalid')) refusals.push(400)
  refusals.push(401)
  if (op.refusals?.includes('forbidden')) refusals.push(403)
  refusals.push(404)
  if (op.refusals?.includes('conflict')) refusals.push(409)
  return { success: op.status ?? 200, refusals }
}

export class Api {
  readonly operations: Operation[] = []
  private readonly services: Services
  constructor(services: Services) {
    this.services = services
  }

  route(op: Operation) {
    this.operations.push(op)
  }

  /** The operation that answers a request (`/api/v1/cases/…?page=2`), literal segments before parameters as Fastify routes them. */
  find(method: string, url: string): Operation | undefined {
    const path = url.split('?')[0].replace(/^\/api\/v1/, '')
    const params = (op: Operation) => (op.path.match(/\{/g) ?? []).length
    return this.operations
      .filter((op) => op.method === method.toLowerCase())
      .filter((op) => new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path))
      .sort((a, b) => params(a) - params(b))[0]
  }

  /** Registers every declared route under the plugin's prefix, plus the OpenAPI document. */
  plugin() {
    return async (app: FastifyInstance) => {
      for (const op of this.operations) {
        app.route({
          method: op.method.toUpperCase() as Uppercase<Method>,
          url: op.path.replace(/\{(\w+)\}/g, ':$1'),
          handler: async (req, reply) => {
            const ctx = apiCtx(this.services, req, reply)
            if (!ctx) return reply
            const result = await op.handler(ctx, req, reply)
            return reply.status(op.status ?? 200).send(result)
          },
        })
      }
      app.get('/openapi.json', async () => this.document())
    }
  }

  document() {
    const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' })
    const inputSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })
    const problem = (description: string) => ({
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    })
    const paths: Record<string, Record<string, unknown>> = {}
    for (const op of this.operations) {
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string', format: 'uuid' },
      }))
      const query = op.query
        ? Object.entries(op.query.shape).map(([name, s]) => ({
            name,
            in: 'query',
            required: false,
            schema: inputSchema(s as z.ZodType),
          }))
        : []
      const { success, refusals } = responsesOf(op)
      paths[op.path] ??= {}
      paths[op.path][op.method] = {
        summary: op.summary,
        tags: [op.tag],
        parameters: [...params, ...query],
        ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(op.body) } } } }),
        responses: {
          [String(success)]: {
            description: 'Success',
            content: { 'application/json': { schema: schema(op.response) } },
          },
          ...Object.fromEntries(refusals.map((status) => [status, problem(REFUSALS[status])])),
          default: problem('Something went wrong (`code` internal); `reference` identifies it in the service’s logs'),
        },
      }
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Casebridge API',
        version: '1',
        description:
          'The joint police, CPS and ISVA case record for rape and serious sexual offence cases. Authenticate with a bearer token made by `npm run cli -- token create --user NAME`.',
      },
      servers: [{ url: '/api/v1' }],
      security: [{ bearer: [] }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: { Problem: schema(Problem) },
      },
      paths,
    }
  }
}
