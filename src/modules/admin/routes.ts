import type { FastifyInstance } from 'fastify'
import { ROLE_LABELS } from '../../platform/access/actor.ts'
import { pageCtx } from '../../platform/auth/identify.ts'
import type { Services } from '../../platform/context.ts'
import { ValidationFailed } from '../../platform/errors.ts'
import { formErrors } from '../../platform/web/views.ts'
import * as service from './service.ts'

type Body = Record<string, string | string[]>

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

export function adminRoutes(s: Services) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { created?: string } }>('/admin/users', async (req, reply) => {
      const ctx = pageCtx(s, req, reply)
      if (!ctx) return reply
      const users = await service.listUsers(ctx)
      return reply.render('admin/views/users.njk', {
        title: 'Users',
        users,
        roleLabels: ROLE_LABELS,
        created: req.query.created === '1',
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
      const input = { ...body, roles: asList(body.roles), teamId: body.teamId || null }
      try {
        await service.createUser(ctx, input)
        return reply.redirect('/admin/users?created=1', 303)
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err
        const options = await service.userFormOptions(ctx)
        return reply.status(400).render('admin/views/new-user.njk', {
          title: 'Add a user',
          ...options,
          roleLabels: ROLE_LABELS,
          values: { ...body, password: '', roles: asList(body.roles) },
          errors: formErrors(err.fieldErrors, { roles: 'roles' }),
        })
      }
    })
  }
}
