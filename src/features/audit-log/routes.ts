import type { FastifyInstance } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import { AUDIT_ACTIONS } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { auditFilter } from './forms.ts'
import { readAuditLog } from './service.ts'

export async function auditLogRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/admin/audit', { preHandler: requireRole(db, ['administrator']) }, async (request, reply) => {
    const filter = auditFilter.parse(request.query)
    const { rows, more } = await readAuditLog(db, actorOf(request), filter)
    const kept = new URLSearchParams()
    for (const key of ['action', 'actor', 'recordId', 'from', 'to'] as const) {
      const value = filter[key]
      if (value) kept.set(key, value)
    }
    const last = rows.at(-1)
    const olderHref = more && last ? `/admin/audit?${new URLSearchParams([...kept, ['before', last.id]]).toString()}` : null
    return reply.viewAsync('features/audit-log/views/list.njk', {
      rows: rows.map((row) => ({
        ...row,
        actionLabel: AUDIT_ACTIONS[row.action as keyof typeof AUDIT_ACTIONS] ?? row.action,
        detailText: Object.entries(row.detail ?? {})
          .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(', '),
      })),
      filter,
      actions: [
        { value: '', text: 'Any action' },
        ...Object.entries(AUDIT_ACTIONS).map(([value, text]) => ({ value, text, selected: value === filter.action })),
      ],
      olderHref,
      newestHref: filter.before ? `/admin/audit?${kept.toString()}` : null,
    })
  })
}
