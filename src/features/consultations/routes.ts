import type { FastifyInstance, FastifyRequest } from 'fastify'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { typedValues } from '../../platform/http/forms.ts'
import { listQuery, readConsultation } from './forms.ts'
import { CONSULTATION_ROLES, listConsultations, recordConsultation } from './service.ts'

const VIEWS = 'features/consultations/views'

/** The authority's name for its Consultation Line ("Consultation Line" in Essex, "Duty Manager" in Southend). */
function lineName(request: FastifyRequest): string {
  return frameworkById(actorOf(request).tenantId)?.frontDoor.consultationLine?.name ?? 'Consultation Line'
}

export async function consultationRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, CONSULTATION_ROLES) }

  app.get('/front-door/consultations', guard, async (request, reply) => {
    const query = listQuery.parse(request.query ?? {})
    const { rows, more } = await listConsultations(db, actorOf(request), query.before)
    const last = rows.at(-1)
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      rows,
      lineName: lineName(request),
      recorded: query.recorded === '1' && !query.before,
      olderHref: more && last ? `/front-door/consultations?before=${last.id}` : null,
      newestHref: query.before ? '/front-door/consultations' : null,
    })
  })

  app.get('/front-door/consultations/new', guard, async (request, reply) =>
    reply.viewAsync(`${VIEWS}/new.njk`, { values: {}, lineName: lineName(request) }),
  )

  app.post('/front-door/consultations/new', guard, async (request, reply) => {
    const values = typedValues(request.body)
    const form = readConsultation(request.body)
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/new.njk`, { values, lineName: lineName(request), errors: form.errors, errorList: form.errorList })
    }
    await recordConsultation(db, actorOf(request), form.value, new Date())
    return reply.redirect('/front-door/consultations?recorded=1', 303)
  })
}
