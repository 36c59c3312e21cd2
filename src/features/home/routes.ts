import type { FastifyInstance } from 'fastify'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { ROLE_HOMES } from './roles.ts'
import { authorityTotals, queueTotals } from './service.ts'
import { dueCallsCount } from '../signposting/service.ts'
import { closuresAwaitingSignOff, listInvolvements } from '../involvements/service.ts'

const CASELOAD_ROLES = new Set(['practitioner', 'team_manager', 'early_help_advisor', 'duty_manager'])
const HOME_ROWS = 10

export async function homeRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/home', { preHandler: requireRole(db, 'any') }, async (request, reply) => {
    const actor = actorOf(request)
    const framework = frameworkById(actor.tenantId)
    const totals = actor.role === 'administrator' || actor.role === 'performance_analyst' ? await authorityTotals(db, actor) : null
    const queue = actor.role === 'front_door_officer' || actor.role === 'duty_manager' ? await queueTotals(db, actor) : null
    // A practitioner's own families with what is due next; a manager's, advisor's or duty manager's overdue reviews and actions.
    const caseload = CASELOAD_ROLES.has(actor.role) ? await listInvolvements(db, actor, { overdue: actor.role !== 'practitioner' }, 1, new Date()) : null
    const calls = actor.role === 'front_door_officer' || actor.role === 'duty_manager' ? await dueCallsCount(db, actor) : null
    const closing = actor.role === 'team_manager' ? await closuresAwaitingSignOff(db, actor) : null
    return reply.viewAsync('features/home/views/home.njk', {
      role: actor.role,
      home: ROLE_HOMES[actor.role],
      frontDoor: framework?.frontDoor,
      levels: framework?.levels ?? [],
      totals,
      queue,
      closing,
      calls,
      caseload: caseload ? { rows: caseload.rows.slice(0, HOME_ROWS), total: caseload.total } : null,
    })
  })
}
