import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, auditWrites, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { saveVictimDetails } from '../victims/service.ts'

let t: TestApp
let oic: string
let isva: string
let browser: Browser
beforeAll(async () => {
  t = await startTestApp()
  oic = await t.token('oic.north')
  isva = await t.token('isva')
  browser = await signedIn(t, 'oic.north')
})
afterAll(() => t.close())

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, as = oic) =>
  api(t, as, { method, url: `/api/v1${url}`, payload: payload as object })

const person = (firstName: string, lastName: string) => ({
  firstName,
  lastName,
  dateOfBirth: '1990-01-01',
  phone: '07700 900123',
  preferredLanguage: 'English',
  interpreterNeeded: false,
  vulnerable: false,
})

/**
 * A case file with two victims: A (Robin Testcase, supported by the demo ISVA service) and B
 * (Alex Madeup). The referral is made before A is recorded, so it becomes A's when A is.
 */
async function twoVictimCase(shared: string[] = ['victim_details', 'outcome']) {
  const input = t.caseInput('oic.north')
  const id = (await call('POST', '/cases', input)).json().id as string
  const referral = await call('POST', `/cases/${id}/support/referrals`, {
    serviceId: t.demo.orgs.isva,
    kind: 'isva',
    consentGiven: true,
    consentRecordedOn: '2026-10-05',
    shared,
  })
  expect(referral.statusCode).toBe(201)
  const a = (await call('PUT', `/cases/${id}/victim`, person('Robin', 'Testcase'))).json().victim.id as string
  const b = (await saveVictimDetails(await t.ctx('oic.north'), id, person('Alex', 'Madeup'), { another: true })).id
  return { id, a, b, firstReference: input.crimeReference as string }
}

/** Rows of every table a crime change writes, and the audit log: a refused change writes none. */
async function nothingWritten(action: () => Promise<unknown>) {
  const tables = ['crimes', 'crime_offences', 'case_events']
  const counts = async () => [...(await Promise.all(tables.map((table) => count(t.db, table)))), await auditWrites(t.db)]
  const before = await counts()
  await action()
  expect(await counts()).toEqual(before)
}

describe('the crimes of a case file, in the API', () => {
  test('a case starts with the crime it was opened for; police add another for a second victim', async () => {
    const { id, a, b, firstReference } = await twoVictimCase()
    let crimes = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect(crimes).toEqual([
      {
        id: expect.any(String),
        crimeReference: firstReference,
        referenceConfirmed: true,
        victim: { id: a, name: 'Robin Testcase' },
        offences: [{ code: '19C', label: 'Rape of a female aged 16 and over', rape: true }],
        rapeFlag: true,
        outcome: null,
        decided: null,
      },
    ])

    const added = await call('POST', `/cases/${id}/crimes`, { crimeReference: ' nc/99001/26 ', offences: ['20A'], victimId: b })
    expect(added.statusCode).toBe(201)
    expect(added.json()).toMatchObject({
      crimeReference: 'NC/99001/26',
      victim: { id: b, name: 'Alex Madeup' },
      offences: [{ code: '20A' }],
      rapeFlag: false,
    })
    crimes = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect(crimes.map((k: { crimeReference: string }) => k.crimeReference)).toEqual([firstReference, 'NC/99001/26'])
    // The case's offences are its crimes' together.
    const c = (await call('GET', `/cases/${id}`)).json()
    expect(c.offences.map((o: { code: string }) => o.code)).toEqual(['19C', '20A'])

    // The timeline says a crime was added, with ids only.
    const [event] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'crime.added'",
      [id],
    )
    expect(event.data).toEqual({ crimeId: added.json().id, victimId: b, offences: ['20A'] })
    const [audit] = await t.db.query<{ subject: string }>(
      "SELECT subject FROM audit_log WHERE case_id = $1 AND action = 'crime.added'",
      [id],
    )
    expect(audit.subject).toBe('crime and its offences')
  })

  test('correcting a reference carried over from the URN confirms it; offences and victim change with it', async () => {
    const { id, b } = await twoVictimCase()
    const [first] = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    // As the migration left a case of the one-crime record: its reference was the URN.
    await t.db.query('UPDATE crimes SET reference_confirmed = false WHERE id = $1', [first.id])
    expect((await call('GET', `/cases/${id}/crimes/${first.id}`)).json().referenceConfirmed).toBe(false)

    const res = await call('PUT', `/cases/${id}/crimes/${first.id}`, {
      crimeReference: 'NC/12121/26',
      offences: ['19C', '22A'],
      victimId: b,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      crimeReference: 'NC/12121/26',
      referenceConfirmed: true,
      victim: { id: b },
      offences: [{ code: '19C' }, { code: '22A' }],
    })
    const [event] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'crime.updated'",
      [id],
    )
    expect(event.data).toEqual({
      crimeId: first.id,
      victimId: b,
      fields: ['crimeReference', 'offences', 'victimId'],
      offences: { from: ['19C'], to: ['19C', '22A'] },
    })
  })

  test('a reference the case already holds is refused on the field, with nothing written', async () => {
    const { id, a, firstReference } = await twoVictimCase()
    await nothingWritten(async () => {
      const res = await call('POST', `/cases/${id}/crimes`, { crimeReference: firstReference, offences: ['20A'], victimId: a })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toEqual([
        { field: 'crimeReference', message: 'This case already has a crime with this reference number' },
      ])
    })
    const added = (
      await call('POST', `/cases/${id}/crimes`, { crimeReference: 'NC/55555/26', offences: ['20A'], victimId: a })
    ).json()
    await nothingWritten(async () => {
      const res = await call('PUT', `/cases/${id}/crimes/${added.id}`, {
        crimeReference: firstReference.toLowerCase(),
        offences: ['20A'],
        victimId: a,
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors[0].field).toBe('crimeReference')
    })
    // Its own reference is not a clash.
    const same = await call('PUT', `/cases/${id}/crimes/${added.id}`, {
      crimeReference: 'NC/55555/26',
      offences: ['20B'],
      victimId: a,
    })
    expect(same.statusCode).toBe(200)
  })

  test('bad input is refused naming each field, with nothing written', async () => {
    const { id, a } = await twoVictimCase()
    const other = await twoVictimCase()
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ crimeReference: '', offences: ['20A'], victimId: a }, 'crimeReference', /Enter the crime reference number/],
      [{ crimeReference: 'NC/<b>/26', offences: ['20A'], victimId: a }, 'crimeReference', /can only hold/],
      [{ crimeReference: 'NC/1/26', offences: [], victimId: a }, 'offences', /Select at least one offence/],
      [{ crimeReference: 'NC/1/26', offences: ['99Z'], victimId: a }, 'offences.0', /Select offences from the list/],
      // Once the case has a victim, each crime names one of them.
      [{ crimeReference: 'NC/1/26', offences: ['20A'] }, 'victimId', /Select the victim of this crime/],
      [{ crimeReference: 'NC/1/26', offences: ['20A'], victimId: other.a }, 'victimId', /victim recorded on this case/],
      [{ crimeReference: 'NC/1/26', offences: ['20A'], victimId: 'not-an-id' }, 'victimId', /Select the victim/],
    ]
    for (const [payload, field, message] of cases) {
      await nothingWritten(async () => {
        const res = await call('POST', `/cases/${id}/crimes`, payload)
        expect(res.statusCode, JSON.stringify(payload)).toBe(400)
        expect(res.json().errors.find((e: { field: string }) => e.field === field)?.message).toMatch(message)
      })
    }
  })

  test('a case with no victim yet takes crimes without one; the first victim recorded becomes their victim', async () => {
    const id = (await call('POST', '/cases', t.caseInput('oic.north'))).json().id as string
    const added = await call('POST', `/cases/${id}/crimes`, { crimeReference: 'NC/70001/26', offences: ['17A'] })
    expect(added.statusCode).toBe(201)
    expect(added.json().victim).toBeNull()
    const victim = (await call('PUT', `/cases/${id}/victim`, person('Sam', 'Pretend'))).json().victim
    const crimes = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect(crimes.map((k: { victim: { id: string } }) => k.victim.id)).toEqual([victim.id, victim.id])
  })

  test('only police casework adds or corrects crimes: the CPS and an ISVA are refused, another force gets 404', async () => {
    const { id, a } = await twoVictimCase()
    const { markReferred } = await import('./queries.ts')
    await markReferred(t.db, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    const body = { crimeReference: 'NC/80001/26', offences: ['20A'], victimId: a }
    const [prosecutor, south] = [await t.token('prosecutor'), await t.token('oic.south')]
    await nothingWritten(async () => {
      const cps = await call('POST', `/cases/${id}/crimes`, body, prosecutor)
      expect(cps.statusCode).toBe(403)
      expect(cps.json().code).toBe('police_only')
      expect((await call('POST', `/cases/${id}/crimes`, body, isva)).statusCode).toBe(403)
      expect((await call('POST', `/cases/${id}/crimes`, body, south)).statusCode).toBe(404)
    })
    expect((await call('GET', `/cases/${id}/crimes`, undefined, prosecutor)).json().crimes).toHaveLength(1)
  })
})

describe('a support service sees only the crimes of the victim it supports', () => {
  test('the ISVA of victim A sees A’s crime, gets 404 on B’s, and sees of an outcome only the plain words', async () => {
    const { id, a, b } = await twoVictimCase()
    const crimeOfB = (
      await call('POST', `/cases/${id}/crimes`, { crimeReference: 'NC/60001/26', offences: ['20A'], victimId: b })
    ).json()
    const supervisor = await t.token('supervisor.north')
    const finalised = await call(
      'POST',
      `/cases/${id}/crimes/${crimeOfB.id}/outcome`,
      {
        code: '18',
        finalisedOn: '2026-11-01',
        rationale: 'No suspect',
      },
      supervisor,
    )
    expect(finalised.statusCode).toBe(201)

    const seen = (await call('GET', `/cases/${id}/crimes`, undefined, isva)).json().crimes
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ victim: { id: a, name: 'Robin Testcase' }, outcome: null, decided: null })
    expect(JSON.stringify(seen)).not.toContain('Alex')
    expect(JSON.stringify(seen)).not.toContain('NC/60001/26')
    expect((await call('GET', `/cases/${id}/crimes/${crimeOfB.id}`, undefined, isva)).statusCode).toBe(404)
    expect((await call('GET', `/cases/${id}/crimes/${seen[0].id}`, undefined, isva)).statusCode).toBe(200)
    const put = await call(
      'PUT',
      `/cases/${id}/crimes/${crimeOfB.id}`,
      { crimeReference: 'X1', offences: ['20A'], victimId: b },
      isva,
    )
    expect(put.statusCode).toBe(404)

    // Police see both, and the outcome's code.
    const police = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect(police[1]).toMatchObject({
      outcome: { code: '18', label: 'Investigation complete: no suspect identified' },
      decided: 'The investigation ended without a suspect being identified',
    })

    // Of A's own crime, finalised, the ISVA learns what was decided in plain words, never the code.
    await call(
      'POST',
      `/cases/${id}/crimes/${seen[0].id}/outcome`,
      { code: '18', finalisedOn: '2026-11-01', rationale: 'None' },
      supervisor,
    )
    const after = (await call('GET', `/cases/${id}/crimes`, undefined, isva)).json().crimes
    expect(after[0]).toMatchObject({ outcome: null, decided: 'The investigation ended without a suspect being identified' })
  })

  test('without the victim’s "outcome" consent the ISVA is not told what was decided', async () => {
    const { id } = await twoVictimCase(['victim_details'])
    const [first] = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    await call(
      'POST',
      `/cases/${id}/crimes/${first.id}/outcome`,
      { code: '18', finalisedOn: '2026-11-01', rationale: 'x' },
      await t.token('supervisor.north'),
    )
    const seen = (await call('GET', `/cases/${id}/crimes`, undefined, isva)).json().crimes
    expect(seen[0]).toMatchObject({ outcome: null, decided: null })
  })
})

describe('the crime pages', () => {
  test('police add a crime in the browser: offences as checkboxes, the victim as radios of the case’s victims', async () => {
    const { id, b } = await twoVictimCase()
    const page = await browser.get(`/cases/${id}/crimes/new`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Add a crime')
    expect(page.body).toContain('name="offences" type="checkbox" value="20A"')
    expect(page.body).toContain('Robin Testcase')
    expect(page.body).toContain('Alex Madeup')
    expect(page.body).toMatch(new RegExp(`name="victimId" type="radio" value="${b}"`))

    await nothingWritten(async () => {
      const bad = await browser.post(`/cases/${id}/crimes`, { crimeReference: '', offences: [] })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('govuk-error-summary')
      expect(bad.body).toContain('Enter the crime reference number')
      expect(bad.body).toContain('Select at least one offence')
      const noVictim = await browser.post(`/cases/${id}/crimes`, { crimeReference: 'NC/40001/26', offences: ['20A'] })
      expect(noVictim.statusCode).toBe(400)
      expect(noVictim.body).toContain('href="#victimId"')
      expect(noVictim.body).toContain('value="NC/40001/26"')
    })
    const ok = await browser.post(`/cases/${id}/crimes`, { crimeReference: 'NC/40001/26', offences: ['20A', '88A'], victimId: b })
    expect(ok.statusCode).toBe(303)
    expect(ok.headers.location).toBe(`/cases/${id}`)
    const crimes = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect(crimes[1]).toMatchObject({
      crimeReference: 'NC/40001/26',
      victim: { id: b },
      offences: [{ code: '20A' }, { code: '88A' }],
    })
  })

  test('police correct a crime in the browser; a duplicate reference is shown on the field', async () => {
    const { id, a, firstReference } = await twoVictimCase()
    const added = (
      await call('POST', `/cases/${id}/crimes`, { crimeReference: 'NC/40002/26', offences: ['20A'], victimId: a })
    ).json()
    await t.db.query('UPDATE crimes SET reference_confirmed = false WHERE id = $1', [added.id])
    const page = await browser.get(`/cases/${id}/crimes/${added.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('carried over from the case’s URN')
    expect(page.body).toContain('value="NC/40002/26"')
    expect(page.body).toMatch(/value="20A" checked/)
    expect(page.body).toMatch(new RegExp(`value="${a}" checked`))

    await nothingWritten(async () => {
      const dup = await browser.post(`/cases/${id}/crimes/${added.id}`, {
        crimeReference: firstReference,
        offences: ['20A'],
        victimId: a,
      })
      expect(dup.statusCode).toBe(400)
      expect(dup.body).toContain('This case already has a crime with this reference number')
      expect(dup.body).toContain('href="#crimeReference"')
    })
    const ok = await browser.post(`/cases/${id}/crimes/${added.id}`, {
      crimeReference: 'NC/40003/26',
      offences: ['20A'],
      victimId: a,
    })
    expect(ok.statusCode).toBe(303)
    expect((await call('GET', `/cases/${id}/crimes/${added.id}`)).json()).toMatchObject({
      crimeReference: 'NC/40003/26',
      referenceConfirmed: true,
    })
  })

  test('the ISVA gets 404 on the page of another victim’s crime; the CPS may not open the form', async () => {
    const { id, b } = await twoVictimCase()
    const crimeOfB = (
      await call('POST', `/cases/${id}/crimes`, { crimeReference: 'NC/40004/26', offences: ['20A'], victimId: b })
    ).json()
    const isvaBrowser = await signedIn(t, 'isva')
    expect((await isvaBrowser.get(`/cases/${id}/crimes/${crimeOfB.id}`)).statusCode).toBe(404)
    expect((await isvaBrowser.get(`/cases/${id}/crimes/new`)).statusCode).toBe(403)
    expect((await browser.get(`/cases/${id}/crimes/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404)
  })
})

describe('the case details form changes the first crime’s offences', () => {
  test('it is filled from the first crime, not the case’s union, and says so when there are several crimes', async () => {
    const { id, a } = await twoVictimCase()
    let page = await browser.get(`/cases/${id}/details`)
    expect(page.body).not.toContain('This case file holds')
    await call('POST', `/cases/${id}/crimes`, { crimeReference: 'NC/40005/26', offences: ['20A'], victimId: a })
    page = await browser.get(`/cases/${id}/details`)
    expect(page.body).toMatch(/value="19C" checked/)
    expect(page.body).not.toMatch(/value="20A" checked/)
    expect(page.body).toContain('This case file holds 2 crimes. These are the offences of the first')
  })
})
