import type { FastifyInstance } from 'fastify'
import { ROLE_LABELS } from '../../platform/access/actor.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { formList, submitForm } from '../../platform/web/views.ts'
import * as service from './service.ts'

type Body = Record<string, string | string[]>

/** Success messages, chosen by a code in the query string so no user-supplied text is echoed. */
const DONE: Record<string, string> = {
  created: 'User added',
  updated: 'Changes saved',
  unlock: 'Account unlocked',
  disable: 'Account disabled: they are signed out and their API tokens are revoked',
  enable: 'Account enabled',
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
  }
}
