import type { FastifyInstance, FastifyRequest } from 'fastify'
import { localDateOf, utcOffsetMs } from '../../domain/working-calendar.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, typedValues } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { CASEWORK_ROLES } from '../involvements/access.ts'
import { readEntry } from './forms.ts'
import { CHRONOLOGY_KINDS, NOTE_KINDS } from './record.ts'
import { addEntry, chronologyPage, entryFormFor } from './service.ts'

const VIEWS = 'features/chronology/views'

function involvementId(request: FastifyRequest): string {
  const value = (request.params as Record<string, string>).id
  if (!isUuid(value)) throw new NotFoundError()
  return value
}

/** An entry recorded without a time sits at local midnight: shown with its date only. */
function hasTime(at: Date): boolean {
  const local = at.getTime() + utcOffsetMs(at)
  return local % 86_400_000 !== 0
}

function kindItems(selected: string | undefined) {
  return NOTE_KINDS.map((kind) => ({ value: kind, text: CHRONOLOGY_KINDS[kind], checked: selected === kind }))
}

export async function chronologyRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, CASEWORK_ROLES) }

  app.get('/involvements/:id/chronology', guard, async (request, reply) => {
    const id = involvementId(request)
    const query = request.query as Record<string, unknown>
    const page = pageNumber(query.page)
    const significantOnly = query.significant === 'yes'
    const result = await chronologyPage(db, actorOf(request), id, { page, significantOnly })
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      ...result,
      significantOnly,
      added: query.added === '1',
      rows: result.rows.map((row) => ({ ...row, withTime: hasTime(row.occurred_at) })),
      range: rangeText(page, result.rows.length, result.total, significantOnly ? 'significant events' : 'entries'),
      pagination: paginationParams(`/involvements/${id}/chronology`, { significant: significantOnly ? 'yes' : undefined }, page, result.total),
    })
  })

  app.get('/involvements/:id/chronology/new', guard, async (request, reply) => {
    const { involvement } = await entryFormFor(db, actorOf(request), involvementId(request), { audit: true })
    const today = localDateOf(new Date()).split('-')
    return reply.viewAsync(`${VIEWS}/new.njk`, {
      involvement,
      kinds: kindItems(undefined),
      values: { 'date-day': String(Number(today[2])), 'date-month': String(Number(today[1])), 'date-year': today[0], significant: 'no' },
    })
  })

  app.post('/involvements/:id/chronology/new', guard, async (request, reply) => {
    const id = involvementId(request)
    const actor = actorOf(request)
    const body = (request.body ?? {}) as Record<string, unknown>
    // The relationship first: someone who may not add hears 404 or 409 before any checking of the form.
    const { involvement } = await entryFormFor(db, actor, id)
    const now = new Date()
    const read = readEntry(body, localDateOf(now), now)
    if (!read.ok) {
      const values = typedValues(body)
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/new.njk`, { involvement, values, kinds: kindItems(values.kind), ...errorsToSummary(read.errors, read.ids) })
    }
    await addEntry(db, actor, id, read.value)
    return reply.redirect(`/involvements/${id}/chronology?added=1`, 303)
  })
}
