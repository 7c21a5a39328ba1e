import type { Sql } from '../../db/client.ts'
import { canSeeSuspects } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import { today as todayIn } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { openCase } from '../cases/service.ts'
import { appendEvent } from '../cases/timeline.ts'
import * as queries from './queries.ts'
import { checkDateOfBirth, checkTransition, nextStatuses, type Refusal } from './rules.ts'
import { AddSuspect, RecordStatus, STATUS_LABELS, type StatusEntry, type Suspect } from './schema.ts'

/** The case, if the user may see it and its suspects; otherwise NotFound, as for any case. */
async function openSuspects(tx: Sql, ctx: Ctx, caseId: string) {
  const opened = await openCase(tx, ctx, caseId)
  if (!canSeeSuspects(ctx.actor)) throw new NotFound()
  return opened
}

const today = (ctx: Ctx) => todayIn(ctx.clock)

function refuseIfAny(refusals: Refusal[]) {
  if (refusals.length > 0) throw new ValidationFailed(refusals.map(({ field, message }) => ({ field, message })))
}

function toEntry(r: queries.StatusRow): StatusEntry {
  return {
    status: r.status,
    label: STATUS_LABELS[r.status],
    effectiveDate: r.effective_date,
    bailReturnDate: r.bail_return_date,
    bailConditions: r.bail_conditions,
    recordedAt: r.recorded_at.toISOString(),
    recordedBy: r.recorded_by,
  }
}

async function loadSuspects(tx: Sql, caseId: string): Promise<Suspect[]> {
  const rows = await queries.suspectsOfCase(tx, caseId)
  const histories = new Map<string, StatusEntry[]>()
  for (const st of await queries.statusesOfCase(tx, caseId)) {
    const list = histories.get(st.suspect_id) ?? []
    list.unshift(toEntry(st)) // newest first
    histories.set(st.suspect_id, list)
  }
  return rows.map((r) => {
    const history = histories.get(r.id) ?? []
    return {
      id: r.id,
      number: r.number,
      displayName: r.first_name ? `${r.first_name} ${r.last_name}` : `Suspect ${r.number} (not identified)`,
      firstName: r.first_name,
      lastName: r.last_name,
      dateOfBirth: r.date_of_birth,
      createdAt: r.created_at.toISOString(),
      status: history[0],
      history,
    }
  })
}

async function loadSuspect(tx: Sql, caseId: string, suspectId: string): Promise<Suspect> {
  const found = (await loadSuspects(tx, caseId)).find((s) => s.id === suspectId)
  if (!found) throw new NotFound()
  return found
}

/** The history oldest first, as the transition rules read it. */
export const factsOf = (s: Suspect) => s.history.map((h) => ({ status: h.status, effectiveDate: h.effectiveDate })).reverse()

/** Viewing the suspects is a consultation under s62, audited in the same transaction as the read. */
export async function listSuspects(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openSuspects(tx, ctx, caseId)
    const suspects = await loadSuspects(tx, c.id)
    await audit.consultation(tx, ctx, {
      action: 'suspects.viewed',
      caseId: c.id,
      subject: 'suspects and their status history',
      justification,
      details: { shown: suspects.length },
    })
    return { case: c, suspects }
  })
}

/** The case for the add-a-suspect form: its heading is case data, so showing it is audited too. */
export async function caseForNewSuspect(ctx: Ctx, caseId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openSuspects(tx, ctx, caseId)
    await audit.consultation(tx, ctx, {
      action: 'case.viewed',
      caseId: c.id,
      subject: 'case heading, to add a suspect',
      justification,
    })
    return c
  })
}

/** One suspect with the statuses that may come next, for the record-a-status form. */
export async function suspectForStatusForm(ctx: Ctx, caseId: string, suspectId: string) {
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openSuspects(tx, ctx, caseId)
    const suspect = await loadSuspect(tx, c.id, suspectId)
    await audit.consultation(tx, ctx, {
      action: 'suspect.viewed',
      caseId: c.id,
      subject: 'suspect and status history, to record a status',
      justification,
      details: { suspectId: suspect.id },
    })
    return { case: c, suspect, next: nextStatuses(factsOf(suspect)) }
  })
}

export async function addSuspect(ctx: Ctx, caseId: string, input: unknown): Promise<Suspect> {
  const cmd = parseInput(AddSuspect, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openSuspects(tx, ctx, caseId)
    // A suspect not yet identified has been unknown since the report, so identifying them later
    // may be recorded with any date from then on, however late it is entered here.
    const effectiveDate = cmd.status === 'identified' ? cmd.effectiveDate : c.dateReported
    const identity = cmd.status === 'identified' ? cmd : undefined
    refuseIfAny([
      ...checkTransition([], { status: cmd.status, effectiveDate }, today(ctx)),
      ...checkDateOfBirth(identity?.dateOfBirth, today(ctx)),
    ])

    const at = ctx.clock.now()
    const by = ctx.actor.id
    const suspectId = await queries.insertSuspect(tx, {
      caseId: c.id,
      firstName: identity?.firstName,
      lastName: identity?.lastName,
      dateOfBirth: identity?.dateOfBirth,
      at,
      by,
    })
    await queries.insertStatus(tx, { suspectId, status: cmd.status, effectiveDate, at, by })
    // Event data outlives corrections and feeds notifications and measures: ids and statuses, never names.
    await appendEvent(tx, c.id, { type: 'suspect.added', at, by, data: { suspectId, status: cmd.status, effectiveDate } })
    const suspect = await loadSuspect(tx, c.id, suspectId)
    await audit.alteration(tx, ctx, {
      action: 'suspect.added',
      caseId: c.id,
      subject: 'suspect and first status',
      justification,
      details: { suspectId, status: cmd.status },
    })
    return suspect
  })
}

export async function recordStatus(ctx: Ctx, caseId: string, suspectId: string, input: unknown): Promise<Suspect> {
  const cmd = parseInput(RecordStatus, input)
  return ctx.db.transaction(async (tx) => {
    const { case: c, justification } = await openSuspects(tx, ctx, caseId)
    const locked = await queries.lockSuspect(tx, c.id, suspectId)
    if (!locked) throw new NotFound()
    const history = await queries.historyOf(tx, locked.id)
    const bail = cmd.status === 'on_bail' ? cmd : undefined
    const identity = cmd.status === 'identified' ? cmd : undefined
    refuseIfAny([
      ...checkTransition(
        history,
        { status: cmd.status, effectiveDate: cmd.effectiveDate, bailReturnDate: bail?.bailReturnDate },
        today(ctx),
      ),
      ...checkDateOfBirth(identity?.dateOfBirth, today(ctx)),
    ])

    const at = ctx.clock.now()
    const by = ctx.actor.id
    if (identity) await queries.nameSuspect(tx, locked.id, identity)
    await queries.insertStatus(tx, {
      suspectId: locked.id,
      status: cmd.status,
      effectiveDate: cmd.effectiveDate,
      bailReturnDate: bail?.bailReturnDate,
      bailConditions: bail?.bailConditions,
      at,
      by,
    })
    // The bail return date is kept in the event so a later bail-monitoring clock can start from it;
    // the conditions are free text that may name people, so they stay in the suspect's record only.
    await appendEvent(tx, c.id, {
      type: 'suspect.status_changed',
      at,
      by,
      data: {
        suspectId: locked.id,
        status: cmd.status,
        effectiveDate: cmd.effectiveDate,
        ...(bail && { bailReturnDate: bail.bailReturnDate }),
      },
    })
    const suspect = await loadSuspect(tx, c.id, locked.id)
    await audit.alteration(tx, ctx, {
      action: 'suspect.status_changed',
      caseId: c.id,
      subject: 'suspect status',
      justification,
      details: { suspectId: locked.id, status: cmd.status },
    })
    return suspect
  })
}

/** Whether any suspect of the case is identified (a surname is known), for the outcome rules (outcomes/service.ts). */
export async function anyIdentified(tx: Sql, caseId: string): Promise<boolean> {
  return queries.anyIdentified(tx, caseId)
}
