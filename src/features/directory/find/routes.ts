import type { FastifyInstance } from 'fastify'
import type { Database } from '../../../platform/db/database.ts'

export async function findSupportRoutes(app: FastifyInstance, { db }: { db: Database }) {
  void app
  void db
}
