import type { FastifyReply } from 'fastify'
import type { ProblemCode } from '../errors.ts'

/** RFC 9457 problem details, with the stable `code` a client branches on (the title is for people). */
export function problem(
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  title: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, code, ...extra })
}
