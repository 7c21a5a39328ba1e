import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { createCase } from '../cases/service.ts'

/**
 * A case file with several victims (docs/decisions/0007): each victim has their own record and
 * address; police and CPS see them all; a support service is told only of the victim it
 * supports, and of no other complainant, not even that there is one.
 */

let t: TestApp
let oic: Browser
let isva: Browser
let token: string
let isvaToken: string
let caseId: string
let first: string
let second: string

const details = (firstName: string, lastName: string) => ({
  firstName,
  lastName,
  otherNames: null,
  dateOfBirth: null,
  phone: '07700 900123',
  email: null,
  postalAddress: null,
  preferredLanguage: 'English',
  interpreterNeeded: false,
  vulnerable: false,
  vulnerableReason: null,
  needs: null,
})

beforeAll(async () => {
  t = await startTestApp()
  oic = await signedIn(t, 'oic.north')
  isva = await signedIn(t, 'isva')
  token = await t.token('oic.north')
  isvaToken = await t.token('isva')
  caseId = (await createCase(await t.ctx('oic.north'), t.caseInput('oic.north'))).id
  const a = await api(t, token, { method: 'PUT', url: `/api/v1/cases/${caseId}/victim`, payload: details('Ottoline', 'Brack') })
  first = a.json().victim.id
  t.clock.advance(60_000)
  const b = await api(t, token, { method: 'POST', url: `/api/v1/cases/${caseId}/victims`, payload: details('Perpetua', 'Vane') })
  expect(b.statusCode).toBe(201)
  second = b.json().victim.id
  // The ISVA service supports the first victim only, who shares everything with it.
  await t.db.query(
    `INSERT INTO support_referrals (case_id, victim_id, service_id, kind, consent_recorded_on, shared, referred_by, referred_at)
     VALUES ($1, $2, $3, 'isva', '2026-10-02', ARRAY['case_summary', 'victim_details', 'communication_plan', 'outcome'], $4, now())`,
    [caseId, first, t.demo.orgs.isva, t.demo.users['oic.north']],
  )
})
afterAll(() => t.close())

describe('several victims in one case file', () => {
  test('the first victim recorded becomes the victim of the crime the case was opened for', async () => {
    const [crime] = await t.db.query<{ victim_id: string }>('SELECT victim_id FROM crimes WHERE case_id = $1', [caseId])
    expect(crime.victim_id).toBe(first)
  })

  test('police list both victims and read each at their own address', async () => {
    const list = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/victims` })
    expect(list.json().victims).toEqual([
      { id: first, name: 'Ottoline Brack' },
      { id: second, name: 'Perpetua Vane' },
    ])
    const b = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/victims/${second}` })
    expect(b.json().victim).toMatchObject({ id: second, firstName: 'Perpetua' })
    const page = await oic.get(`/cases/${caseId}/victims/${second}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Victim: Perpetua Vane')
    expect(page.body).not.toContain('Ottoline')
  })

  test('the case’s old victim address asks which victim: 409 in the API, a choice on the page', async () => {
    const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/victim` })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('several_victims')
    const put = await api(t, token, { method: 'PUT', url: `/api/v1/cases/${caseId}/victim`, payload: details('X', 'Y') })
    expect(put.statusCode).toBe(409)
    const before = await count(t.db, 'audit_log')
    const page = await oic.get(`/cases/${caseId}/victim/details`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Which victim?')
    expect(page.body).toContain(`href="/cases/${caseId}/victims/${first}/details"`)
    expect(page.body).toContain(`href="/cases/${caseId}/victims/${second}/details"`)
    // Showing their names is a consultation of the victims' data, recorded like any page.
    const [row] = await t.db.query<{ action: string; victim_data: boolean }>(
      'SELECT action, victim_data FROM audit_log ORDER BY id DESC LIMIT 1',
    )
    expect(await count(t.db, 'audit_log')).toBe(before + 1)
    expect(row).toEqual({ action: 'victims.listed', victim_data: true })
  })

  test('a change to one victim leaves the other as they were', async () => {
    const res = await oic.post(`/cases/${caseId}/victims/${second}/details`, {
      firstName: 'Perpetua',
      lastName: 'Vane-Ashdown',
      phone: '07700 900124',
      preferredLanguage: 'English',
      interpreterNeeded: 'no',
      vulnerable: 'no',
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/cases/${caseId}/victims/${second}?done=details`)
    const names = await t.db.query<{ last_name: string }>(
      'SELECT last_name FROM victims WHERE case_id = $1 ORDER BY created_at',
      [caseId],
    )
    expect(names.map((n) => n.last_name)).toEqual(['Brack', 'Vane-Ashdown'])
  })

  test('a victim of another case, or no victim at all, is not found at a case’s victim address', async () => {
    const other = (await createCase(await t.ctx('oic.north'), t.caseInput('oic.north'))).id
    expect((await api(t, token, { method: 'GET', url: `/api/v1/cases/${other}/victims/${first}` })).statusCode).toBe(404)
    expect((await oic.get(`/cases/${other}/victims/${first}`)).statusCode).toBe(404)
    expect((await oic.get(`/cases/${caseId}/victims/not-an-id`)).statusCode).toBe(404)
  })

  test('the case’s page lists its crimes and victims for the police', async () => {
    const page = await oic.get(`/cases/${caseId}`)
    expect(page.body).toContain('Ottoline Brack')
    expect(page.body).toContain('Perpetua Vane')
    expect(page.body).toContain(`href="/cases/${caseId}/victims/new"`)
    const detail = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}` })).json()
    expect(detail.victims.map((v: { id: string }) => v.id)).toEqual([first, second])
    expect(detail.crimes).toHaveLength(1)
    expect(detail.crimes[0]).toMatchObject({ victim: { id: first, name: 'Ottoline Brack' }, referenceConfirmed: true })
  })

  test('search by the second victim’s name finds the case', async () => {
    const res = await api(t, token, { method: 'POST', url: '/api/v1/cases/search', payload: { name: 'Perpetua' } })
    expect(res.json().cases.map((c: { id: string }) => c.id)).toContain(caseId)
  })
})

describe('a support service knows only the victim it supports', () => {
  test('the ISVA reads its own victim, and the other victim does not exist for it (404)', async () => {
    expect((await api(t, isvaToken, { method: 'GET', url: `/api/v1/cases/${caseId}/victims/${first}` })).statusCode).toBe(200)
    expect((await api(t, isvaToken, { method: 'GET', url: `/api/v1/cases/${caseId}/victims/${second}` })).statusCode).toBe(404)
    expect((await isva.get(`/cases/${caseId}/victims/${second}`)).statusCode).toBe(404)
    expect((await isva.get(`/cases/${caseId}/victims/${second}/communication`)).statusCode).toBe(404)
  })

  test('the case’s old address is its own victim’s for the ISVA, never a choice that names another', async () => {
    const res = await api(t, isvaToken, { method: 'GET', url: `/api/v1/cases/${caseId}/victim` })
    expect(res.statusCode).toBe(200)
    expect(res.json().victim.id).toBe(first)
    const page = await isva.get(`/cases/${caseId}/victim`)
    expect(page.body).toContain('Ottoline Brack')
    expect(page.body).not.toContain('Perpetua')
  })

  test('the list of victims, the case page and the case API name only the ISVA’s victim', async () => {
    const list = await api(t, isvaToken, { method: 'GET', url: `/api/v1/cases/${caseId}/victims` })
    expect(list.json().victims).toEqual([{ id: first, name: 'Ottoline Brack' }])
    const page = await isva.get(`/cases/${caseId}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Perpetua')
    expect(page.body).not.toContain(second)
    const detail = (await api(t, isvaToken, { method: 'GET', url: `/api/v1/cases/${caseId}` })).json()
    expect(detail.victims).toEqual([{ id: first, name: 'Ottoline Brack' }])
    expect(JSON.stringify(detail)).not.toContain(second)
  })

  test('the ISVA’s figures count only the victims it supports, never another complainant of the case', async () => {
    const [{ supported }] = await t.db.query<{ supported: number }>(
      `SELECT count(DISTINCT victim_id)::int AS supported FROM support_referrals
        WHERE service_id = $1 AND kind = 'isva' AND ended_at IS NULL`,
      [t.demo.orgs.isva],
    )
    const counts = await api(t, isvaToken, { method: 'GET', url: '/api/v1/victims/completeness' })
    expect(counts.json().victims).toBe(supported)
    const [{ all }] = await t.db.query<{ all: number }>(
      `SELECT count(*)::int AS "all" FROM victims WHERE case_id IN
         (SELECT case_id FROM support_referrals WHERE service_id = $1 AND kind = 'isva' AND ended_at IS NULL)`,
      [t.demo.orgs.isva],
    )
    expect(all).toBe(supported + 1) // the second victim of this case, whom the ISVA does not support
  })

  test('the ISVA’s search by the other victim’s name finds nothing', async () => {
    const res = await api(t, isvaToken, { method: 'POST', url: '/api/v1/cases/search', payload: { name: 'Perpetua' } })
    expect(res.json().cases).toEqual([])
    const own = await api(t, isvaToken, { method: 'POST', url: '/api/v1/cases/search', payload: { name: 'Ottoline' } })
    expect(own.json().cases.map((c: { id: string }) => c.id)).toEqual([caseId])
  })
})
