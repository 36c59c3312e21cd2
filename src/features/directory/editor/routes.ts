import type { FastifyInstance } from 'fastify'
import type { Database } from '../../../platform/db/database.ts'

export async function directoryEditorRoutes(app: FastifyInstance, { db }: { db: Database }) {
  void app
  void db
}
