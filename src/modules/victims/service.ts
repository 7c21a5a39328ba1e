import type { Sql } from '../../db/client.ts'
import { audit } from '../../platform/audit/audit.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { Conflict, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import { type Answers, ageOn, completeness } from './characteristics.ts'
import * as queries from './queries.ts'
import { type Victim, VictimCharacteristics, VictimDetails } from './schema.ts'

/** What a case page's identity bar and sub-navigation need, and nothing more. */
export type CaseHeader = { id: string; urn: string; offenceCode: string; offence: string }

const DETAILS_SUBJECT = 'victim identity, contact details and needs'
const CHARACTERISTICS_SUBJECT = 'victim protected characteristics'
const RECORD_FIRST = 'Record the victim’s details before their protected characteristics'

const today = (ctx: Ctx) => todayIn(ctx.clock)

// Reading needs the victim's consent for a support service; changing is police and CPS casework.
async function openVictimCase(tx: Sql, ctx: Ctx, caseId: string, action: 'view_victim' | 'edit_victim' = 'view_victim') {
  const { case: c, justification } = await openCase(tx, ctx, caseId, action)
  const header: CaseHeader = { id: c.id, urn: c.urn, offenceCode: c.offenceCode, offence: c.offence }
  return { header, justification }
}

async function present(tx: Sql, ctx: Ctx, stored: queries.StoredVictim): Promise<Victim> {
  const characteristics = await queries.characteristicsOf(tx, stored.id)
  return {
    ...stored,
    age: ageOn(stored.dateOfBirth, today(ctx)),
    enhancedRights: true,
    intimidated: true,
    characteristics,
    characteristicsCompleteness: completeness(characteristics),
    recordedAt: stored.recordedAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
  }
}

/** Names of the fields whose values differ: the timeline and audit say what changed, never to what. */
function changedFields<T extends object>(before: T | undefined, after: T): (keyof T & string)[] {
  return (Object.keys(after) as (keyof T & string)[]).filter((k) => before?.[k] !== after[k])
}

/**
 * The case's victim, or null when none is recorded yet. Reading it is a consultation under
 * s62, audited in the same transaction with the relation that allowed it.
 */
export async function viewVictim(
  ctx: Ctx,
  caseId: string,
  opts: { required?: boolean } = {},
): Promise<{ case: CaseHeader; victim: Victim | null }> {
  return ctx.db.transaction(async (tx) => {
    const { header, justification } = await openVictimCase(tx, ctx, caseId)
    const stored = await queries.findVictim(tx, header.id)
    // The characteristics form needs a recorded victim to attach answers to.
    if (!stored && opts.required) throw new Conflict(RECORD_FIRST)
    await audit.consultation(tx, ctx, {
      action: 'victim.viewed',
      caseId: header.id,
      subject: stored ? [DETAILS_SUBJECT, CHARACTERISTICS_SUBJECT] : 'victim section (no victim recorded)',
      justification,
    })
    return { case: header, victim: stored ? await present(tx, ctx, stored) : null }
  })
}

/**
 * For a page that shows no victim data, such as a form sent back with its errors: access is
 * still decided by openCase, and nothing is written (bad input changes nothing, not even the log).
 */
export async function victimCase(ctx: Ctx, caseId: string): Promise<{ case: CaseHeader; victimRecorded: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const { header } = await openVictimCase(tx, ctx, caseId)
    return { case: header, victimRecorded: await queries.victimExists(tx, header.id) }
  })
}

/** Records the case's victim, or replaces their details when one is already recorded. */
export async function saveVictimDetails(ctx: Ctx, caseId: string, input: unknown): Promise<Victim> {
  const cmd = parseInput(VictimDetails, input)
  if (cmd.dateOfBirth >= today(ctx)) {
    throw new ValidationFailed([{ field: 'dateOfBirth', message: 'The date of birth must be in the past' }])
  }
  return ctx.db.transaction(async (tx) => {
    const { header, justification } = await openVictimCase(tx, ctx, caseId, 'edit_victim')
    const at = ctx.clock.now()
    const before = await queries.findVictim(tx, header.id, { lock: true })
    if (!before) {
      const id = await queries.insertVictim(tx, header.id, cmd, at, ctx.actor.id)
      if (!id) throw new Conflict('Someone else recorded this victim at the same time. Go back to the victim page to see it.')
      await appendEvent(tx, header.id, { type: 'victim.recorded', at, by: ctx.actor.id })
      await audit.alteration(tx, ctx, { action: 'victim.recorded', caseId: header.id, subject: DETAILS_SUBJECT, justification })
    } else {
      const { id, recordedAt: _r, updatedAt: _u, ...details } = before
      const fields = changedFields(details, cmd)
      if (fields.length > 0) {
        await queries.updateVictim(tx, id, cmd, at, ctx.actor.id)
        await appendEvent(tx, header.id, { type: 'victim.updated', at, by: ctx.actor.id, data: { fields } })
        await audit.alteration(tx, ctx, {
          action: 'victim.updated',
          caseId: header.id,
          subject: DETAILS_SUBJECT,
          justification,
          details: { fields },
        })
      }
    }
    return present(tx, ctx, (await queries.findVictim(tx, header.id)) as queries.StoredVictim)
  })
}

/** Replaces the answers to the nine questions; any left out become "not yet asked". */
export async function saveCharacteristics(ctx: Ctx, caseId: string, input: unknown): Promise<Victim> {
  const answers = parseInput(VictimCharacteristics, input) as Answers
  return ctx.db.transaction(async (tx) => {
    const { header, justification } = await openVictimCase(tx, ctx, caseId, 'edit_victim')
    const victim = await queries.findVictim(tx, header.id, { lock: true })
    if (!victim) throw new Conflict(RECORD_FIRST)
    const fields = changedFields(await queries.characteristicsOf(tx, victim.id), answers)
    if (fields.length > 0) {
      const at = ctx.clock.now()
      await queries.saveCharacteristics(tx, victim.id, answers, fields, at, ctx.actor.id)
      const { answered } = completeness(answers)
      // Which questions changed and how many are answered; the answers themselves are special category data.
      const data = { characteristics: fields, answered }
      await appendEvent(tx, header.id, { type: 'victim.characteristics_updated', at, by: ctx.actor.id, data })
      await audit.alteration(tx, ctx, {
        action: 'victim.characteristics_updated',
        caseId: header.id,
        subject: CHARACTERISTICS_SUBJECT,
        justification,
        details: data,
      })
    }
    return present(tx, ctx, victim)
  })
}

/** The completeness measure over every case the caller may see: figures only, no one named. */
export async function completenessInScope(ctx: Ctx) {
  return ctx.db.transaction(async (tx) => {
    const counts = await queries.completenessCounts(tx, ctx.actor)
    await audit.consultation(tx, ctx, {
      action: 'victims.completeness_counted',
      subject: 'protected characteristics completeness (counts only)',
      justification: 'cases in own scope',
    })
    return counts
  })
}
