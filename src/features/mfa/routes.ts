import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import { mfaRequiredFor, otpauthUri } from '../../platform/auth/mfa.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, validateForm } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { groupedSecret } from '../sign-in/routes.ts'
import { setUpCodeForm } from '../sign-in/forms.ts'
import { ownMfa, resetAccountMfa, setUpOwnMfa } from './service.ts'

const PATH = '/account/security-codes'

/** Setting up security codes while signed in, and an administrator resetting someone's. */
export async function mfaRoutes(app: FastifyInstance, { db, config }: { db: Database; config: Config }) {
  const render = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>) => {
    const actor = actorOf(request)
    const state = await ownMfa(db, actor, config.mfaKey)
    if (state.enabled) {
      return reply.viewAsync('features/mfa/views/status.njk', { recoveryCodesLeft: state.recoveryCodesLeft })
    }
    return reply.viewAsync('features/sign-in/views/set-up-mfa.njk', {
      ...(errors ? errorsToSummary(errors) : {}),
      action: PATH,
      required: mfaRequiredFor(actor.role, config.mfaRequired),
      secret: groupedSecret(state.secret ?? ''),
      uri: otpauthUri(state.secret ?? '', request.signedIn?.email ?? ''),
    })
  }

  app.get(PATH, { preHandler: requireRole(db, 'any') }, async (request, reply) => render(request, reply))

  app.post(PATH, { preHandler: requireRole(db, 'any') }, async (request, reply) => {
    const form = validateForm(setUpCodeForm, request.body)
    if (!form.ok) {
      reply.code(400)
      return render(request, reply, form.errors)
    }
    const result = await setUpOwnMfa(db, actorOf(request), config.mfaKey, form.value.code, new Date())
    if (!result.ok) {
      reply.code(400)
      return render(request, reply, { code: 'The code is not right. Enter the current 6-digit code from your authenticator app' })
    }
    reply.header('cache-control', 'no-store')
    return reply.viewAsync('features/sign-in/views/recovery-codes.njk', { codes: result.recoveryCodes, continueTo: '/home' })
  })

  app.post('/admin/accounts/:id/reset-mfa', { preHandler: requireRole(db, ['administrator']) }, async (request, reply) => {
    const { id } = request.params as { id: string }
    if (!isUuid(id)) throw new NotFoundError()
    await resetAccountMfa(db, actorOf(request), id)
    return reply.redirect(`/admin/accounts/${id}?changed=reset-mfa`, 303)
  })
}
