import { loadFrameworks } from '../../frameworks/index.ts'
import type { Database } from './database.ts'

/**
 * Reference data follows the framework files at every start: each authority's framework is a data
 * file, and its tenant row is made or renamed from it. Nothing else about a tenant is copied into
 * the database; the framework is read from its file.
 */
export async function loadReferenceData(db: Database): Promise<void> {
  for (const framework of loadFrameworks()) {
    await db.system
      .insertInto('tenants')
      .values({ id: framework.id, name: framework.name })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: framework.name }))
      .execute()
  }
}
