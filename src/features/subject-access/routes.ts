import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { exportSubjectAccess, SUBJECT_ACCESS_ROLES, subjectAccessPage } from './service.ts'

const VIEWS = 'features/subject-access/views'

/** How the readable document shows a value of the export: marked text, a list, a marked record, a record or plain. */
function kindOf(v: unknown): 'parts' | 'array' | 'marked' | 'object' | 'scalar' {
  if (Array.isArray(v)) return 'array'
  if (v && typeof v === 'object') return 'parts' in v ? 'parts' : 'redact' in v ? 'marked' : 'object'
  return 'scalar'
}

/** Who asked: recorded in the family's sharing log as the recipient of the export. */
export const exportForm = z.object({
  requestedBy: z
    .string({ error: 'Enter who made the subject access request' })
    .trim()
    .min(1, 'Enter who made the subject access request')
    .max(300, 'Who made the request must be 300 characters or fewer'),
})

/**
 * A subject access export for one person in a family: GET explains and asks who made the request;
 * POST produces the readable document (printable) or, at `.json`, the JSON download. Team managers
 * and duty managers only.
 */
export async function subjectAccessRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const overseer = { preHandler: requireRole(db, SUBJECT_ACCESS_ROLES) }
  const path = '/involvements/:id/people/:personId/subject-access'

  app.get(path, overseer, async (request, reply) => {
    const view = await subjectAccessPage(db, actorOf(request), idParam(request, 'id'), idParam(request, 'personId'))
    return reply.viewAsync(`${VIEWS}/choose.njk`, { ...view, values: {} })
  })

  const produce = (format: 'document' | 'json') => async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = actorOf(request)
    const id = idParam(request, 'id')
    const personId = idParam(request, 'personId')
    const form = validateForm(exportForm, request.body)
    if (!form.ok) {
      const view = await subjectAccessPage(db, actor, id, personId)
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/choose.njk`, { ...view, values: typedValues(request.body), errors: form.errors, errorList: form.errorList })
    }
    const { involvement, person, record } = await exportSubjectAccess(db, actor, id, personId, { ...form.value, format }, new Date())
    reply.header('cache-control', 'no-store')
    if (format === 'json') {
      const name = `subject-access-${involvement.reference}-${person.given_name}-${person.family_name}`.replace(/[^A-Za-z0-9-]/g, '')
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.json"`)
        .send(JSON.stringify(record, null, 2))
    }
    return reply.viewAsync(`${VIEWS}/document.njk`, { involvement, person, record, requestedBy: form.value.requestedBy, kindOf })
  }

  app.post(path, overseer, produce('document'))
  app.post(`${path}.json`, overseer, produce('json'))
}
