import type { FastifyInstance, FastifyRequest } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, validateForm } from '../../platform/http/forms.ts'
import { changePasswordForm } from './forms.ts'
import { changeOwnPassword, endOtherSessions, ownAccount } from './service.ts'

const VIEWS = 'features/your-account/views'
const DONE = ['password-changed', 'sessions-ended'] as const

function sessionOf(request: FastifyRequest): string {
  return request.signedIn?.sessionIdHash ?? ''
}

/** Your own account: where you are signed in, signing out elsewhere, and changing your password. */
export async function yourAccountRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const signedIn = { preHandler: requireRole(db, 'any') }

  app.get('/account', signedIn, async (request, reply) => {
    const view = await ownAccount(db, actorOf(request), sessionOf(request))
    const done = (request.query as Record<string, unknown>).done
    return reply.viewAsync(`${VIEWS}/account.njk`, { ...view, done: DONE.find((d) => d === done) })
  })

  app.post('/account/sessions/end-others', signedIn, async (request, reply) => {
    await endOtherSessions(db, actorOf(request), sessionOf(request))
    return reply.redirect('/account?done=sessions-ended', 303)
  })

  app.get('/account/password', signedIn, async (_request, reply) => reply.viewAsync(`${VIEWS}/password.njk`, {}))

  app.post('/account/password', signedIn, async (request, reply) => {
    const form = validateForm(changePasswordForm, request.body)
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/password.njk`, form)
    }
    const result = await changeOwnPassword(db, actorOf(request), sessionOf(request), form.value, new Date())
    if (!result.ok) {
      reply.code(400)
      const message =
        result.reason === 'throttled'
          ? 'There have been too many wrong passwords for your account. Wait 15 minutes, then try again'
          : 'Your current password is not right'
      return reply.viewAsync(`${VIEWS}/password.njk`, errorsToSummary({ currentPassword: message }))
    }
    return reply.redirect('/account?done=password-changed', 303)
  })
}
