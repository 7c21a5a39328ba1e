import { isUuid, type Sql } from '../../db/client.ts'
import type { OrganisationKind, Role } from '../../platform/access/actor.ts'
import { canManageUsers } from '../../platform/access/policy.ts'
import { audit } from '../../platform/audit/audit.ts'
import type { Ctx } from '../../platform/context.ts'
import { type FieldError, Forbidden, NotFound, parseInput, ValidationFailed } from '../../platform/errors.ts'
import { TeamInput } from './schema.ts'

/**
 * Teams and their leads. A team's lead is who escalations reach at the top of the ladder (the
 * detective inspector over a police team, the District Crown Prosecutor over a CPS unit), so
 * only someone holding that role in the organisation can lead one.
 */

export type Team = { id: string; name: string; leadId: string | null; lead: string | null; members: number }

const LEAD_ROLE: Partial<Record<OrganisationKind, { role: Role; words: string }>> = {
  police_force: { role: 'police_supervisor', words: 'a police supervisor' },
  cps_area: { role: 'cps_manager', words: 'a CPS manager or District Crown Prosecutor' },
}

function requireAdmin(ctx: Ctx) {
  if (!canManageUsers(ctx.actor)) throw new Forbidden('Only administrators can manage teams', 'administrator_only')
}

const TEAMS = `SELECT t.id, t.name, t.lead_id AS "leadId", l.display_name AS lead,
    (SELECT count(*)::int FROM users m WHERE m.team_id = t.id AND m.disabled_at IS NULL) AS members
  FROM teams t LEFT JOIN users l ON l.id = t.lead_id`

export async function listTeams(ctx: Ctx): Promise<Team[]> {
  requireAdmin(ctx)
  return ctx.db.query<Team>(`${TEAMS} WHERE t.organisation_id = $1 ORDER BY t.name`, [ctx.actor.organisationId])
}

export async function viewTeam(ctx: Ctx, teamId: string, tx: Sql = ctx.db): Promise<Team> {
  requireAdmin(ctx)
  const [team] = isUuid(teamId)
    ? await tx.query<Team>(`${TEAMS} WHERE t.organisation_id = $1 AND t.id = $2`, [ctx.actor.organisationId, teamId])
    : []
  if (!team) throw new NotFound()
  return team
}

/** Who may lead a team: active people of the organisation holding the lead role. */
export async function possibleLeads(ctx: Ctx, tx: Sql = ctx.db): Promise<{ id: string; name: string }[]> {
  requireAdmin(ctx)
  const lead = LEAD_ROLE[ctx.actor.organisationKind]
  if (!lead) return []
  return tx.query(
    `SELECT id, display_name AS name FROM users
      WHERE organisation_id = $1 AND $2 = ANY(roles) AND disabled_at IS NULL AND NOT system_client ORDER BY display_name`,
    [ctx.actor.organisationId, lead.role],
  )
}

async function teamRules(tx: Sql, ctx: Ctx, cmd: TeamInput, teamId: string | null): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const clash = await tx.query(
    'SELECT 1 FROM teams WHERE organisation_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3',
    [ctx.actor.organisationId, cmd.name, teamId],
  )
  if (clash.length) errors.push({ field: 'name', message: 'A team with this name already exists: choose another name' })
  if (cmd.leadId && !(await possibleLeads(ctx, tx)).some((p) => p.id === cmd.leadId)) {
    const words = LEAD_ROLE[ctx.actor.organisationKind]?.words
    errors.push({
      field: 'leadId',
      message: words ? `Select a lead who is ${words} in your organisation` : 'Teams in your organisation do not have leads',
    })
  }
  return errors
}

export async function createTeam(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requireAdmin(ctx)
  const cmd = parseInput(TeamInput, input)
  return ctx.db.transaction(async (tx) => {
    const errors = await teamRules(tx, ctx, cmd, null)
    if (errors.length) throw new ValidationFailed(errors)
    const [{ id }] = await tx.query<{ id: string }>(
      'INSERT INTO teams (organisation_id, name, lead_id) VALUES ($1, $2, $3) RETURNING id',
      [ctx.actor.organisationId, cmd.name, cmd.leadId],
    )
    await audit.alteration(tx, ctx, { action: 'team.created', subject: 'team', details: { teamId: id, leadId: cmd.leadId } })
    return { id }
  })
}

export async function updateTeam(ctx: Ctx, teamId: string, input: unknown): Promise<void> {
  requireAdmin(ctx)
  const cmd = parseInput(TeamInput, input)
  await ctx.db.transaction(async (tx) => {
    const team = await viewTeam(ctx, teamId, tx)
    const errors = await teamRules(tx, ctx, cmd, team.id)
    if (errors.length) throw new ValidationFailed(errors)
    await tx.query('UPDATE teams SET name = $2, lead_id = $3 WHERE id = $1', [team.id, cmd.name, cmd.leadId])
    await audit.alteration(tx, ctx, { action: 'team.updated', subject: 'team', details: { teamId: team.id, leadId: cmd.leadId } })
  })
}
