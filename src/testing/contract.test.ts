import type { LightMyRequestResponse } from 'fastify'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { Api } from '../platform/api/openapi.ts'
import type { Services } from '../platform/context.ts'
import { checkContract } from './contract.ts'

const api = new Api({} as Services)
const handler = async () => ({})
api.route({ method: 'get', path: '/things/{id}', tag: 'T', summary: 's', response: z.object({ n: z.number() }), handler })
api.route({ method: 'get', path: '/things/special', tag: 'T', summary: 's', response: z.object({ s: z.string() }), handler })
api.route({
  method: 'post',
  path: '/things/{id}/moves',
  tag: 'T',
  summary: 's',
  body: z.object({}),
  response: z.object({ ok: z.literal(true) }),
  status: 201,
  refusals: ['conflict'],
  handler,
})

const answer = (statusCode: number, body: unknown, type = 'application/json') =>
  ({
    statusCode,
    body: JSON.stringify(body),
    json: () => body,
    headers: { 'content-type': type },
  }) as unknown as LightMyRequestResponse
const problem = (status: number, code = 'conflict') =>
  answer(status, { type: 'about:blank', title: 'No', status, code }, 'application/problem+json')

test('finds the operation as Fastify routes it: a literal segment before a parameter, the query ignored', () => {
  expect(api.find('GET', '/api/v1/things/special?x=1')?.path).toBe('/things/special')
  expect(api.find('GET', '/api/v1/things/5f0c')?.path).toBe('/things/{id}')
  expect(api.find('POST', '/api/v1/things/5f0c')).toBeUndefined()
})

test('a success body must parse with the declared response schema', () => {
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', answer(200, { n: 1 }))).not.toThrow()
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', answer(200, { n: 'one' }))).toThrow(/n: /)
  expect(() => checkContract(api, 'GET', '/api/v1/things/special', answer(200, { n: 1 }))).toThrow(/declared response schema/)
})

test('a status the declaration does not document fails, naming the operation', () => {
  expect(() => checkContract(api, 'POST', '/api/v1/things/1/moves', problem(409))).not.toThrow()
  expect(() => checkContract(api, 'POST', '/api/v1/things/1/moves', problem(400, 'validation_failed'))).not.toThrow()
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', problem(409))).toThrow(/GET \/things\/\{id\} answered 409/)
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', problem(403, 'forbidden'))).toThrow(/does not document/)
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', problem(400))).toThrow(/does not document/)
  expect(() => checkContract(api, 'POST', '/api/v1/things/1/moves', answer(200, { ok: true }))).toThrow(/answered 200/)
})

test('a refusal must be problem JSON with a code', () => {
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', problem(404, 'not_found'))).not.toThrow()
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', problem(500, 'internal'))).not.toThrow()
  const noCode = answer(404, { type: 'about:blank', title: 'Not found', status: 404 }, 'application/problem+json')
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', noCode)).toThrow(/problem JSON with a code/)
  expect(() => checkContract(api, 'GET', '/api/v1/things/1', answer(404, { code: 'not_found' }))).toThrow(/problem JSON/)
})

test('answers outside the declared API are left alone', () => {
  expect(() => checkContract(api, 'GET', '/api/v1/openapi.json', answer(200, {}))).not.toThrow()
})
