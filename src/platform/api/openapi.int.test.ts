import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, startTestApp, type TestApp } from '../../testing/harness.ts'

type DocOperation = {
  requestBody?: unknown
  parameters: { in: string }[]
  responses: Record<string, { content: Record<string, { schema: unknown }> }>
}

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

test('the OpenAPI 3.1 document describes every case endpoint from the same schemas the forms use', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
  expect(res.statusCode).toBe(200)
  const doc = res.json()
  expect(doc.openapi).toBe('3.1.0')
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/cases', '/cases/{id}', '/cases/{id}/details']))
  expect(Object.keys(doc.paths['/cases/{id}/details'])).toEqual(['put'])
  expect(Object.keys(doc.paths['/cases']).sort()).toEqual(['get', 'post'])
  const body = doc.paths['/cases'].post.requestBody.content['application/json'].schema
  expect(body.required.sort()).toEqual([
    'crimeReference',
    'dateRecorded',
    'dateReported',
    'offenceDateFrom',
    'offences',
    'officerInChargeId',
    'supervisorId',
    'urn',
  ])
  expect(body.properties.offences.items.enum).toContain('19C')
  expect(doc.paths['/cases'].post.responses['201']).toBeDefined()
  expect(doc.paths['/cases'].post.responses['400'].content['application/problem+json']).toBeDefined()
  expect(doc.paths['/cases/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true })
  const withdrawal = doc.paths['/cases/{id}/withdrawals'].post.requestBody.content['application/json'].schema
  expect(withdrawal.required).toEqual(expect.arrayContaining(['everSupported', 'reasons', 'retractionStatementTaken']))
  expect(withdrawal.properties.pressureSuspected.enum).toEqual(['yes', 'no', 'unknown'])
  expect(doc.paths['/cases/{id}/withdrawals/{withdrawalId}/elp'].post.parameters.map((p: { name: string }) => p.name)).toEqual([
    'id',
    'withdrawalId',
  ])
  expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' })
})

test('every operation documents its refusals as problem JSON carrying a stable code', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
  const problem = doc.components.schemas.Problem
  expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code']))
  expect(problem.properties.code.description).toContain('`isva_independent`')
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, DocOperation>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${path}`
      const statuses = Object.keys(op.responses)
      expect(statuses, where).toEqual(expect.arrayContaining(['401', '404']))
      if (op.requestBody || op.parameters.some((p: { in: string }) => p.in === 'query')) expect(statuses, where).toContain('400')
      for (const s of statuses.filter((x) => x.startsWith('4'))) {
        expect(op.responses[s].content['application/problem+json'].schema, where).toEqual({
          $ref: '#/components/schemas/Problem',
        })
      }
    }
  }
  // Spot checks of the declarations against the rules the handlers enforce.
  expect(Object.keys(doc.paths['/cases/{id}/outcome/authorise'].post.responses).sort()).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
    '409',
    'default',
  ])
  expect(Object.keys(doc.paths['/cases/{id}/withdrawals'].post.responses)).toEqual(expect.arrayContaining(['403', '409']))
  expect(Object.keys(doc.paths['/cases'].get.responses)).not.toContain('403')
})

test('a refusal carries its code: generic for the kind, specific where the service names the rule', async () => {
  const token = await t.token('prosecutor')
  const call = (method: 'GET' | 'POST', url: string, payload?: object) => api(t, token, { method, url: `/api/v1${url}`, payload })
  const notFound = await call('GET', '/cases/00000000-0000-4000-8000-000000000000')
  expect(notFound.json()).toMatchObject({ status: 404, code: 'not_found' })
  const invalid = await call('POST', '/cases/search', { urn: 7 })
  expect(invalid.json()).toMatchObject({ status: 400, code: 'validation_failed' })
  const policeOnly = await call('POST', '/cases', t.caseInput('oic.north'))
  expect(policeOnly.json()).toMatchObject({ status: 403, code: 'police_only' })
  const unreadable = await api(t, token, {
    method: 'POST',
    url: '/api/v1/cases/search',
    headers: { 'content-type': 'application/json' },
    payload: '{',
  })
  expect(unreadable.json()).toMatchObject({ status: 400, code: 'bad_request' })
})
