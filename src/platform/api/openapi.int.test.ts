import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../testing/harness.ts'

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
