import type { FastifyInstance, FastifyReply } from 'fastify'
import { ROLE_LABELS } from '../../platform/access/actor.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Ctx, Services } from '../../platform/context.ts'
import { type FormBody, formList, submitForm } from '../../platform/web/views.ts'
import * as service from './service.ts'
import * as teams from './teams.ts'

type Body = FormBody

/** Success messages, chosen by a code in the query string so no user-supplied text is echoed. */
const DONE: Record<string, string> = {
  created: 'User added',
  updated: 'Changes saved',
  unlock: 'Account unlocked',
  disable: 'Account disabled: they are signed out and their API tokens are revoked',
  enable: 'Account enabled',
  system_disabled: 'System client disabled: its API tokens are revoked',
  team_created: 'Team added',
  team_updated: 'Team changes saved',
}

export function adminRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { done?: string } }>('/admin/users', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const users = await service.listUsers(ctx)
      return reply.render('admin/views/users.njk', {
        title: 'Users',
        users,
        systemClients: await service.listSystemClients(ctx),
        roleLabels: ROLE_LABELS,
        done: DONE[req.query.done ?? ''],
      })
    })

    app.get('/admin/users/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const options = await service.userFormOptions(ctx)
      return reply.render('admin/views/new-user.njk', {
        title: 'Add a user',
        ...options,
        roleLabels: ROLE_LABELS,
        values: { roles: [] },
      })
    })

    app.post<{ Body: Body }>('/admin/users', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = { ...body, roles: formList(body.roles), teamId: body.teamId || null }
      return submitForm(
        reply,
        () => service.createUser(ctx, input),
        '/admin/users?done=created',
        async (errors) =>
          reply.render('admin/views/new-user.njk', {
            title: 'Add a user',
            ...(await service.userFormOptions(ctx)),
            roleLabels: ROLE_LABELS,
            values: { ...body, password: '', roles: formList(body.roles) },
            errors,
          }),
      )
    })

    app.get<{ Params: { id: string } }>('/admin/users/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const user = await service.viewUser(ctx, req.params.id)
      const options = await service.userFormOptions(ctx)
      return reply.render('admin/views/edit-user.njk', {
        title: `Manage ${user.displayName}`,
        user,
        values: user,
        ...options,
        roleLabels: ROLE_LABELS,
      })
    })

    app.post<{ Params: { id: string }; Body: Body }>('/admin/users/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      return submitForm(
        reply,
        () => service.updateUser(ctx, req.params.id, { ...body, roles: formList(body.roles), teamId: body.teamId || null }),
        '/admin/users?done=updated',
        async (errors) => {
          const user = await service.viewUser(ctx, req.params.id)
          return reply.render('admin/views/edit-user.njk', {
            title: `Manage ${user.displayName}`,
            user,
            values: { ...body, roles: formList(body.roles) },
            ...(await service.userFormOptions(ctx)),
            roleLabels: ROLE_LABELS,
            errors,
          })
        },
      )
    })

    app.post<{ Params: { id: string; action: string } }>('/admin/users/:id/:action', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const done = await service.changeAccount(ctx, req.params.id, req.params.action)
      return reply.redirect(`/admin/users?done=${done}`, 303)
    })

    app.post<{ Params: { id: string } }>('/admin/system-clients/:id/disable', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      await service.disableSystemClient(ctx, req.params.id)
      return reply.redirect('/admin/users?done=system_disabled', 303)
    })

    app.get<{ Querystring: { done?: string } }>('/admin/teams', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return reply.render('admin/views/teams.njk', {
        title: 'Teams',
        teams: await teams.listTeams(ctx),
        done: DONE[req.query.done ?? ''],
      })
    })

    const teamForm = async (ctx: Ctx, reply: FastifyReply, team: teams.Team | null, values: object, errors?: unknown) =>
      reply.render('admin/views/team.njk', {
        title: team ? `Change ${team.name}` : 'Add a team',
        team,
        leads: await teams.possibleLeads(ctx),
        values,
        errors,
      })

    app.get('/admin/teams/new', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      return teamForm(ctx, reply, null, {})
    })

    app.post<{ Body: Body }>('/admin/teams', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = { name: body.name, leadId: body.leadId || null }
      return submitForm(
        reply,
        () => teams.createTeam(ctx, input),
        '/admin/teams?done=team_created',
        (errors) => teamForm(ctx, reply, null, body, errors),
      )
    })

    app.get<{ Params: { id: string } }>('/admin/teams/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const team = await teams.viewTeam(ctx, req.params.id)
      return teamForm(ctx, reply, team, team)
    })

    app.post<{ Params: { id: string }; Body: Body }>('/admin/teams/:id', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const body = req.body ?? {}
      const input = { name: body.name, leadId: body.leadId || null }
      return submitForm(
        reply,
        () => teams.updateTeam(ctx, req.params.id, input),
        '/admin/teams?done=team_updated',
        async (errors) => teamForm(ctx, reply, await teams.viewTeam(ctx, req.params.id), body, errors),
      )
    })
  }
}
