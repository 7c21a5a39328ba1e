import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { apiCtx } from '../auth/identify.ts'
import type { Ctx, Services } from '../context.ts'

/**
 * API routes are declared once, with the same zod schemas the forms use; the declaration
 * both registers the route and describes it in the OpenAPI document.
 */

type Method = 'get' | 'post' | 'put'

interface Operation {
  method: Method
  path: string // OpenAPI style: /cases/{id}
  summary: string
  tag: string
  body?: z.ZodType
  query?: z.ZodObject
  response: z.ZodType
  status?: number
  handler: (ctx: Ctx, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
}

const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  reference: z.string().optional(),
})

export class Api {
  private operations: Operation[] = []
  private readonly services: Services
  constructor(services: Services) {
    this.services = services
  }

  route(op: Operation) {
    this.operations.push(op)
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
      content: { 'application/problem+json': { schema: schema(Problem) } },
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
      paths[op.path] ??= {}
      paths[op.path][op.method] = {
        summary: op.summary,
        tags: [op.tag],
        parameters: [...params, ...query],
        ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(op.body) } } } }),
        responses: {
          [String(op.status ?? 200)]: {
            description: 'Success',
            content: { 'application/json': { schema: schema(op.response) } },
          },
          ...(op.body && { 400: problem('The body breaks a rule; `errors` names each field') }),
          401: problem('No valid bearer token'),
          404: problem('Not found, or not yours to see'),
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
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    }
  }
}
