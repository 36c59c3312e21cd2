import type { FastifyInstance } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { readNotifyConfig, type NotifyConfig } from '../../platform/notify/config.ts'
import { MAX_ATTEMPTS } from '../../platform/notify/outbox.ts'
import type { NotificationStatus } from '../../platform/notify/schema.ts'
import { templateLabel } from '../../platform/notify/templates.ts'
import { listNotifications } from './service.ts'

/** The status as administrators read it, and its GOV.UK tag colour. */
export function statusTag(status: NotificationStatus, attempts: number): { text: string; classes: string } {
  switch (status) {
    case 'sent':
      return { text: 'Sent', classes: 'govuk-tag--green' }
    case 'sent-demonstration':
      return { text: 'Sent in demonstration mode', classes: 'govuk-tag--turquoise' }
    case 'queued':
      return { text: 'Waiting to send', classes: 'govuk-tag--grey' }
    case 'sending':
      return { text: 'Sending', classes: 'govuk-tag--blue' }
    case 'failed':
      return { text: `Failed after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`, classes: 'govuk-tag--red' }
  }
}

export async function notificationRoutes(app: FastifyInstance, options: { db: Database; notify?: NotifyConfig }) {
  const { db } = options
  // What the worker does without a key (see startJobs): shown so nobody waits for an email that will not come.
  const demonstration = !(options.notify ?? readNotifyConfig()).apiKey

  app.get('/admin/notifications', { preHandler: requireRole(db, ['administrator']) }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const before = isUuid(query.before) ? query.before : undefined
    const { rows, more } = await listNotifications(db, actorOf(request), { before })
    const last = rows.at(-1)
    return reply.viewAsync('features/notifications/views/list.njk', {
      rows: rows.map((row) => ({
        ...row,
        templateLabel: templateLabel(row.template),
        tag: statusTag(row.status, row.attempts),
        retrying: row.status === 'queued' && row.attempts > 0,
      })),
      demonstration,
      maxAttempts: MAX_ATTEMPTS,
      olderHref: more && last ? `/admin/notifications?before=${last.id}` : null,
      newestHref: before ? '/admin/notifications' : null,
    })
  })
}
