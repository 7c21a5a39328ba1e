import type { FastifyReply } from 'fastify'

/** RFC 9457 problem details. */
export function problem(reply: FastifyReply, status: number, title: string, extra: Record<string, unknown> = {}) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, ...extra })
}
