import type { FastifyInstance } from 'fastify'
import { parseDateParts } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { dateParts, errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { allows, CASEWORK_ROLES } from '../involvements/access.ts'
import { DISCLOSURE_FIELDS, disclosureForm } from './forms.ts'
import { DISCLOSURE_BASES, DISCLOSURE_SOURCES } from './record.ts'
import { disclosureFormContext, recordByHand, sharingLog } from './service.ts'

const VIEWS = 'features/sharing/views'

const basisItems = (selected: string | undefined) => Object.entries(DISCLOSURE_BASES).map(([value, text]) => ({ value, text, checked: value === selected }))

/** The family's sharing log, and recording by hand a disclosure made outside the system. */
export async function sharingRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const casework = { preHandler: requireRole(db, CASEWORK_ROLES) }

  app.get('/involvements/:id/sharing', casework, async (request, reply) => {
    const id = idParam(request)
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const { involvement, relation, rows, total } = await sharingLog(db, actorOf(request), id, page)
    return reply.viewAsync(`${VIEWS}/log.njk`, {
      involvement,
      canRecord: allows(relation, 'contribute') && involvement.status !== 'closed',
      rows: rows.map((row) => ({ ...row, basisText: DISCLOSURE_BASES[row.basis], sourceText: DISCLOSURE_SOURCES[row.source] })),
      range: rangeText(page, rows.length, total, 'disclosures'),
      pagination: paginationParams(`/involvements/${id}/sharing`, {}, page, total),
      done: (request.query as Record<string, unknown>).done,
    })
  })

  app.get('/involvements/:id/sharing/new', casework, async (request, reply) => {
    const context = await disclosureFormContext(db, actorOf(request), idParam(request))
    return reply.viewAsync(`${VIEWS}/new.njk`, { ...context, values: {}, basisItems: basisItems(undefined) })
  })

  app.post('/involvements/:id/sharing/new', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(disclosureForm, request.body)
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
    const shared = parseDateParts(dateParts(request.body, 'date'), { label: 'The date it was shared', today: localDateOf(new Date()) })
    if (!shared.ok) errors.date = shared.message
    const result = form.ok && shared.ok ? await recordByHand(db, actor, id, form.value, shared.date) : { ok: false as const, errors }
    if (!result.ok) {
      reply.code(400)
      const ordered = Object.fromEntries(DISCLOSURE_FIELDS.filter((f) => result.errors[f]).map((f) => [f, result.errors[f] as string]))
      return reply.viewAsync(`${VIEWS}/new.njk`, {
        ...(await disclosureFormContext(db, actor, id)),
        values,
        basisItems: basisItems(values.basis),
        ...errorsToSummary(ordered, { basis: 'basis', date: 'date-day' }),
      })
    }
    return reply.redirect(`/involvements/${id}/sharing?done=recorded`, 303)
  })
}
