import type { Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import {
  allows,
  type CaseAction,
  type CaseRef,
  knownVictims,
  relationToCase,
  requireCase,
  supportShared,
} from '../../platform/access/policy.ts'
import { victimsReason } from '../../platform/access/reasons.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { ChooseOne, type FieldError, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { outcome } from '../outcomes/codes.ts'
import { addressForCrime } from './crime-paths.ts'
import * as crimes from './crimes.ts'
import { OFFENCE_CODES } from './offences.ts'
import { type CaseRecord, caseForPolicy, openCase } from './open.ts'
import { type Crime, CrimeInput } from './schema.ts'
import { appendEvent } from './timeline.ts'

/**
 * The crimes of a case file (docs/decisions/0007): police add them and correct them; everyone
 * who may see the case sees those it may know of. This file reads the case through queries.ts,
 * not service.ts, so the case's own service (its overview) can call crimesForCase.
 */

type KnownCase = CaseRef & { id: string }

const SUBJECT = 'crime and its offences' as const
const VICTIM_NAMES = 'names of the case’s victims' as const

export const SEVERAL_CRIMES = 'This case file holds several crimes: choose the crime from the case’s page'

/** What a case page's identity bar and sub-navigation need. */
const headerOf = (c: CaseRecord) => ({ id: c.id, urn: c.urn, offenceCode: c.offenceCode, offence: c.offence })

/**
 * Of a case's crimes, those this user may know of: all of them for police and CPS; for a support
 * service only the crimes of the victim it supports, so it never learns of another complainant.
 */
export function crimesKnownTo<K extends { victimId: string | null }>(actor: Actor, c: CaseRef, all: K[]): K[] {
  if (supportShared(actor, c) === null) return all
  return all.filter((k) => supportShared(actor, c, { id: k.victimId }) !== null)
}

function present(actor: Actor, c: CaseRef, k: crimes.StoredCrime, victims: { id: string; name: string }[]): Crime {
  const victim = victims.find((v) => v.id === k.victimId)
  const rule = k.outcomeCode ? outcome(k.outcomeCode) : undefined
  // The code names the kind of reason; ISVAs are independent of the investigation and see only the plain words.
  const casework = supportShared(actor, c) === null
  return {
    id: k.id,
    crimeReference: k.crimeReference,
    referenceConfirmed: k.referenceConfirmed,
    victim: victim ? { id: victim.id, name: victim.name } : null,
    offences: k.offences,
    rapeFlag: k.rapeFlag,
    outcome: casework && k.outcomeCode ? { code: k.outcomeCode, label: rule?.label ?? k.outcomeCode } : null,
    decided:
      k.outcomeCode && allows(actor, 'view_outcome', c, { id: k.victimId }) ? (rule?.plain ?? 'The case was closed') : null,
  }
}

/**
 * The crimes of the case this user may know of, in order, for a caller that has opened the case
 * in its transaction (the case's overview) and audits the reading itself.
 */
export async function crimesForCase(tx: Sql, ctx: Ctx, c: KnownCase): Promise<Crime[]> {
  const all = await crimes.crimesOfCase(tx, c.id)
  const { victims } = await victimsForCase(tx, ctx, c)
  return crimesKnownTo(ctx.actor, c, all).map((k) => present(ctx.actor, c, k, victims))
}

/**
 * The victims of the case this user may know of (knownVictims), by name where it may read their
 * details: a support service whose victim did not agree to share their details is not told the
 * name, and someone without a direct part who has not stated why in this session sees "Victim 1"
 * (`withheld`). `justification` is the reason they stated, when names were shown because of it.
 */
export async function victimsForCase(tx: Sql, ctx: Ctx, c: KnownCase) {
  const known = knownVictims(ctx.actor, c, await crimes.victimsOfCase(tx, c.id))
  const reason = known.length > 0 && relationToCase(ctx.actor, c) ? await victimsReason(tx, ctx, c) : 'direct'
  if (reason === null) return { victims: known.map((v, i) => ({ id: v.id, name: `Victim ${i + 1}` })), withheld: true }
  if (reason !== 'direct') ctx.statedReasons = { ...ctx.statedReasons, [c.id]: { id: reason.id, label: reason.label } }
  const victims = known.map((v) =>
    allows(ctx.actor, 'view_victim', c, { id: v.id }) ? v : { id: v.id, name: 'The victim you support' },
  )
  return { victims, withheld: false, justification: reason === 'direct' ? undefined : reason.label }
}

/**
 * Opens a part of the case that belongs to one of its crimes (its outcome), deciding access for
 * that crime's victim, with the justification to audit.
 *
 * `crimeId` names the crime; it must be one of the case's (404 otherwise, as for a case that does
 * not exist). Without it the part is that of the case's one crime (the addresses a case had before
 * it could hold several): the only crime the user may know of. A user who knows of several must
 * choose (ChooseOne, 409 several_crimes in the API, a "Which crime?" page on a GET page).
 * `lock` holds the case until commit, so two crimes finalised at once see each other.
 */
export async function openCrimeSection(
  tx: Sql,
  ctx: Ctx,
  caseId: string,
  crimeId: string | undefined,
  action: CaseAction,
  opts: { lock?: boolean } = {},
) {
  const c = await caseForPolicy(tx, caseId, opts)
  const all = c ? await crimes.crimesOfCase(tx, c.id) : []
  let crime: crimes.StoredCrime | undefined
  if (crimeId !== undefined) {
    crime = all.find((k) => k.id === crimeId)
  } else {
    const known = c ? crimesKnownTo(ctx.actor, c, all) : []
    if (known.length > 1) {
      const justification = requireCase(ctx.actor, action, c)
      const choices = known.map((k) => ({ id: k.id, text: `${k.crimeReference}: ${k.offences.map((o) => o.label).join(', ')}` }))
      const consulted = { action: 'crimes.listed' as const, caseId: c?.id, subject: SUBJECT, justification }
      throw new ChooseOne(SEVERAL_CRIMES, 'several_crimes', 'Which crime?', choices, addressForCrime, consulted)
    }
    crime = known[0]
  }
  if (!crime) {
    // Not a crime of this case, or none this user may know of: as unknown as a case that does not exist.
    requireCase(ctx.actor, 'view', c)
    throw new NotFound()
  }
  const justification = requireCase(ctx.actor, action, c, { id: crime.victimId })
  return { case: c as CaseRecord, header: headerOf(c as CaseRecord), crime, justification }
}

/** The crimes of the case the user may know of, audited as a consultation. */
export async function listCrimes(ctx: Ctx, caseId: string): Promise<Crime[]> {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'view')
    const found = await crimesForCase(tx, ctx, c)
    await audit.consultation(tx, ctx, { action: 'crimes.viewed', caseId: c.id, subject: SUBJECT, justification })
    return found
  })
}

/** One crime of the case. `forEditing` opens it as a change, for the form that corrects it. */
export async function viewCrime(
  ctx: Ctx,
  caseId: string,
  crimeId: string,
  opts: { forEditing?: boolean; audited?: boolean } = {},
) {
  return ctx.db.transaction(async (tx) => {
    const action = opts.forEditing ? 'edit_details' : 'view'
    const { case: c, header, crime, justification } = await openCrimeSection(tx, ctx, caseId, crimeId, action)
    const victims = await crimes.victimsOfCase(tx, c.id)
    if (opts.audited !== false) {
      // The form offers every victim of the case by name; police casework may know them all.
      const subject = opts.forEditing ? ([SUBJECT, VICTIM_NAMES] as const) : SUBJECT
      await audit.consultation(tx, ctx, { action: 'crime.viewed', caseId: c.id, subject, justification, details: { crimeId } })
    }
    return { case: header, crime: present(ctx.actor, c, crime, victims), victims: opts.forEditing ? victims : [] }
  })
}

/** What the form to add a crime needs: the case and its victims. Police casework only. */
export async function newCrimeForm(ctx: Ctx, caseId: string, opts: { audited?: boolean } = {}) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'edit_details')
    const victims = await crimes.victimsOfCase(tx, c.id)
    if (opts.audited !== false && victims.length > 0) {
      await audit.consultation(tx, ctx, { action: 'victims.listed', caseId: c.id, subject: VICTIM_NAMES, justification })
    }
    return { case: headerOf(c), victims }
  })
}

/** The rules a crime must meet against the case: a reference of its own, and a victim of the case once it has one. */
async function checkCrime(tx: Sql, caseId: string, cmd: CrimeInput, exceptCrimeId?: string): Promise<FieldError[]> {
  const errors: FieldError[] = []
  if (await crimes.referenceInUse(tx, caseId, cmd.crimeReference, exceptCrimeId)) {
    errors.push({ field: 'crimeReference', message: 'This case already has a crime with this reference number' })
  }
  const victims = await crimes.victimsOfCase(tx, caseId)
  if (cmd.victimId === null) {
    if (victims.length > 0) errors.push({ field: 'victimId', message: 'Select the victim of this crime' })
  } else if (!victims.some((v) => v.id === cmd.victimId)) {
    errors.push({ field: 'victimId', message: 'Select a victim recorded on this case' })
  }
  return errors
}

/** Police add a crime to the case file: its reference, offences and victim. */
export async function addCrime(ctx: Ctx, caseId: string, input: unknown): Promise<Crime> {
  const cmd = parseInput(CrimeInput, input)
  return ctx.db.transaction(async (tx) => {
    // The case is held until commit, so two crimes cannot take one reference or one position.
    const { case: c, justification } = await openCase(tx, ctx, caseId, 'edit_details', undefined, { lock: true })
    const errors = await checkCrime(tx, c.id, cmd)
    if (errors.length > 0) throw new ValidationFailed(errors)
    const at = ctx.clock.now()
    const crimeId = await crimes.insertCrime(tx, c.id, cmd, at, ctx.actor.id)
    const offences = OFFENCE_CODES.filter((code) => cmd.offences.includes(code))
    await appendEvent(tx, c.id, {
      type: 'crime.added',
      at,
      by: ctx.actor.id,
      data: { crimeId, victimId: cmd.victimId, offences },
    })
    await audit.alteration(tx, ctx, {
      action: 'crime.added',
      caseId: c.id,
      subject: SUBJECT,
      justification,
      details: { crimeId },
    })
    const added = (await crimes.findCrime(tx, c.id, crimeId)) as crimes.StoredCrime
    return present(ctx.actor, c, added, await crimes.victimsOfCase(tx, c.id))
  })
}

/**
 * Police correct a crime: its reference (which confirms a reference carried over from the URN),
 * offences and victim. The timeline says which fields changed, and how the offences did.
 */
export async function correctCrime(ctx: Ctx, caseId: string, crimeId: string, input: unknown): Promise<Crime> {
  const cmd = parseInput(CrimeInput, input)
  return ctx.db.transaction(async (tx) => {
    const opened = await openCrimeSection(tx, ctx, caseId, crimeId, 'edit_details', { lock: true })
    const { case: c, crime: before, justification } = opened
    const errors = await checkCrime(tx, c.id, cmd, before.id)
    if (errors.length > 0) throw new ValidationFailed(errors)
    const from = before.offences.map((o) => o.code)
    const to = OFFENCE_CODES.filter((code) => cmd.offences.includes(code))
    const fields = [
      ...(before.crimeReference !== cmd.crimeReference || !before.referenceConfirmed ? ['crimeReference'] : []),
      ...(from.join() !== to.join() ? ['offences'] : []),
      ...(before.victimId !== cmd.victimId ? ['victimId'] : []),
    ]
    if (fields.length > 0) {
      const at = ctx.clock.now()
      await crimes.updateCrime(tx, c.id, before.id, cmd)
      const data = {
        crimeId: before.id,
        victimId: cmd.victimId,
        fields,
        ...(fields.includes('offences') && { offences: { from, to } }),
      }
      await appendEvent(tx, c.id, { type: 'crime.updated', at, by: ctx.actor.id, data })
      await audit.alteration(tx, ctx, {
        action: 'crime.updated',
        caseId: c.id,
        subject: SUBJECT,
        justification,
        details: { crimeId: before.id, fields },
      })
    }
    const after = (await crimes.findCrime(tx, c.id, before.id)) as crimes.StoredCrime
    return present(ctx.actor, c, after, await crimes.victimsOfCase(tx, c.id))
  })
}

/**
 * The offences of the case's first crime, which the case details form changes, and how many
 * crimes the case holds (the form says which crime it changes when there are several).
 */
export async function firstCrimeOfCase(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c } = await openCase(tx, ctx, caseId, 'edit_details')
    const all = await crimes.crimesOfCase(tx, c.id)
    return { first: all[0], count: all.length }
  })
}
