import { randomUUID } from 'node:crypto'
import type { Database } from '../../../platform/db/database.ts'
import type { ReferralRoute } from '../../../platform/db/schema.ts'
import type { OrukService } from '../oruk/types.ts'
import { saveService } from '../store.ts'

/** A directory service for tests, saved through the store as an editor or an import would. */
export interface TestService {
  name: string
  description?: string
  status?: OrukService['status']
  minimumAge?: number
  maximumAge?: number
  levels?: number[]
  localities?: string[]
  categories?: string[]
  referralRoutes?: ReferralRoute[]
  howToRefer?: string
  capacity?: string
  lastCheckedOn?: string | null
  postcode?: string
  phone?: string
  email?: string
  url?: string
  organization?: { id?: string; name: string; organisationId?: string }
  extra?: Partial<OrukService>
}

export async function addService(db: Database, tenantId: string, input: TestService): Promise<string> {
  const id = randomUUID()
  const organization = input.organization ? { id: input.organization.id ?? randomUUID(), name: input.organization.name, description: '' } : undefined
  const record: OrukService = {
    id,
    name: input.name,
    status: input.status ?? 'active',
    ...(input.description ? { description: input.description } : {}),
    ...(input.minimumAge !== undefined ? { minimum_age: input.minimumAge } : {}),
    ...(input.maximumAge !== undefined ? { maximum_age: input.maximumAge } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.url ? { url: input.url } : {}),
    ...(organization ? { organization } : {}),
    ...(input.phone ? { contacts: [{ id: randomUUID(), phones: [{ id: randomUUID(), number: input.phone }] }] } : {}),
    ...(input.postcode
      ? {
          service_at_locations: [
            {
              id: randomUUID(),
              location: {
                id: randomUUID(),
                location_type: 'physical',
                name: `${input.name} venue`,
                addresses: [
                  { id: randomUUID(), address_1: '1 Example Street', city: 'Chelmsford', state_province: 'Essex', postal_code: input.postcode, country: 'GB', address_type: 'physical' },
                ],
              },
            },
          ],
        }
      : {}),
    ...input.extra,
  }
  await db.asTenant(tenantId, async (trx) => {
    await saveService(
      trx,
      tenantId,
      record,
      {
        levels: input.levels ?? [],
        localities: input.localities ?? [],
        categories: input.categories ?? [],
        referralRoutes: input.referralRoutes ?? [],
        howToRefer: input.howToRefer ?? null,
        capacity: input.capacity ?? null,
        lastCheckedOn: input.lastCheckedOn ?? null,
      },
      null,
    )
    if (organization && input.organization?.organisationId) {
      await trx.updateTable('directory_organizations').set({ organisation_id: input.organization.organisationId }).where('id', '=', organization.id).execute()
    }
  })
  return id
}
