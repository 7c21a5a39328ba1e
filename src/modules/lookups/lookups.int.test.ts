import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
const tokens: Record<string, string> = {}
beforeAll(async () => {
  t = await startTestApp()
  for (const u of ['oic.north', 'prosecutor', 'isva', 'oic.south']) tokens[u] = await t.token(u)
})
afterAll(() => t.close())

const get = (user: string | undefined, path: string) =>
  api(t, user && tokens[user], { method: 'GET', url: `/api/v1/lookups/${path}` })

test('people: the caller’s own organisation’s casework staff by work name and role, nothing more, and the listing is audited', async () => {
  const res = await get('oic.north', 'people')
  expect(res.statusCode).toBe(200)
  const { people } = res.json()
  const byId = new Map(people.map((p: { id: string }) => [p.id, p]))
  expect(byId.get(t.demo.users['oic.north'])).toMatchObject({ name: 'DC Sam Okafor', roles: ['investigator'] })
  expect(byId.get(t.demo.users['supervisor.north'])).toMatchObject({ roles: ['police_supervisor'] })
  // Another force's officers, and the force's own analysts and administrators, are not offered.
  for (const other of ['oic.south', 'analyst', 'admin.north', 'prosecutor']) expect(byId.has(t.demo.users[other])).toBe(false)
  expect(Object.keys(people[0]).sort()).toEqual(['id', 'name', 'roles', 'teamId'])
  expect(res.body).not.toContain('@')
  const [row] = await t.db.query<{ subject: string; actor_id: string }>(
    "SELECT subject, actor_id FROM audit_log WHERE action = 'lookups.people_listed' ORDER BY id DESC LIMIT 1",
  )
  expect(row).toEqual({ subject: 'staff list of own organisation', actor_id: t.demo.users['oic.north'] })

  const cps = (await get('prosecutor', 'people')).json().people.map((p: { id: string }) => p.id)
  expect(cps.sort()).toEqual([t.demo.users.prosecutor, t.demo.users.dcp].sort())
  const isva = (await get('isva', 'people')).json().people.map((p: { id: string }) => p.id)
  expect(isva).toEqual([t.demo.users.isva])
})

test('teams are the caller’s own organisation’s; CPS Areas mark the one serving the caller’s force', async () => {
  const north = (await get('oic.north', 'teams')).json().teams
  const south = (await get('oic.south', 'teams')).json().teams
  expect(north.length).toBeGreaterThan(0)
  expect(north.map((x: { id: string }) => x.id)).not.toEqual(expect.arrayContaining([south[0].id]))
  const { areas } = (await get('oic.north', 'cps-areas')).json()
  expect(areas).toEqual([expect.objectContaining({ name: 'CPS Vale and Mere', servesCallersForce: true })])
  expect((await get('isva', 'cps-areas')).json().areas[0].servesCallersForce).toBe(false)
})

test('codes: the lists the API takes, each code with its label', async () => {
  const codes = (await get('oic.north', 'codes')).json()
  expect(codes.offences).toEqual(expect.arrayContaining([expect.objectContaining({ code: '19C', rape: true })]))
  expect(codes.outcomes.find((o: { code: string }) => o.code === '1')).toMatchObject({ decider: 'cps', policeMayRecord: false })
  expect(codes.outcomes.find((o: { code: string }) => o.code === '18')).toMatchObject({ policeMayRecord: true })
  expect(codes.withdrawalReasons.length).toBeGreaterThan(3)
  expect(codes.characteristics).toHaveLength(9)
  expect(codes.characteristics[0].answers).toEqual(
    expect.arrayContaining([{ value: 'prefers_not_to_say', label: 'Prefers not to say' }]),
  )
  expect(codes.supportKinds.map((k: { code: string }) => k.code)).toEqual(['isva', 'sarc'])
  for (const list of Object.values(codes) as { code?: string; label?: string }[][]) expect(list.length).toBeGreaterThan(0)
})

test('lookups need a token like the rest of the API, and are in the OpenAPI document', async () => {
  const res = await get(undefined, 'people')
  expect(res.statusCode).toBe(401)
  expect(res.json().code).toBe('unauthenticated')
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
  for (const p of ['people', 'teams', 'cps-areas', 'codes']) expect(doc.paths[`/lookups/${p}`].get.tags).toEqual(['Lookups'])
})
