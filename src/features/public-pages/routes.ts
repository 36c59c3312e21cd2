import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.ts'
import type { Database } from '../../platform/db/database.ts'
import { loadFrameworks } from '../../frameworks/index.ts'

/** Pages anyone may see: the start page, cookies, accessibility, and the health check. */
export async function publicPageRoutes(app: FastifyInstance, { db }: { db: Database; config: Config }) {
  app.get('/', async (request, reply) => {
    if (request.signedIn) return reply.redirect('/home', 303)
    const authorities = loadFrameworks().map((f) => ({ name: f.name, frontDoor: f.frontDoor }))
    return reply.viewAsync('features/public-pages/views/start.njk', { authorities })
  })

  app.get('/cookies', async (_request, reply) => reply.viewAsync('features/public-pages/views/cookies.njk'))
  app.get('/accessibility', async (_request, reply) => reply.viewAsync('features/public-pages/views/accessibility.njk'))

  // Used by load balancers and monitoring: healthy only when the database answers.
  app.get('/health', async (request, reply) => {
    try {
      await sql`select 1`.execute(db.system)
      return { status: 'ok', database: 'ok' }
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unreachable')
      reply.code(503)
      return { status: 'unavailable', database: 'unreachable' }
    }
  })

  // Browsers ask for this whatever the page says; answer without a 404 page.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect('/assets/images/favicon.svg', 301))
}
