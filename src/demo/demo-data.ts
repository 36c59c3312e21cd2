import type { Database } from '../platform/db/database.ts'
import type { OrganisationKind, Role } from '../platform/db/schema.ts'
import { ROLE_LABELS } from '../domain/roles.ts'
import { hashPassword } from '../platform/auth/passwords.ts'

/** Shown in the README and printed at start; never loaded in production. */
export const DEMO_PASSWORD = 'early-help-demo'

interface DemoOrganisation {
  key: string
  name: string
  kind: OrganisationKind
}

/** The council's own roles: one demonstration account each, loaded in the first seed run. */
type StaffRole = Exclude<Role, 'service_provider'>

interface DemoAuthority {
  tenantId: string
  domain: string
  organisations: DemoOrganisation[]
  /** Which demonstration organisation each role's account belongs to, and the person's name. */
  people: Record<StaffRole, { organisation: string; name: string }>
  /**
   * A service provider's own account, which edits its organisation's services in the directory. Its
   * organisation is created with it when missing, so a database from before the directory gains both.
   */
  provider: { organisation: DemoOrganisation; name: string }
  /** More practitioners, to make a Team Around the Family with: email local part, organisation, name. */
  colleagues: { local: string; organisation: string; name: string; label: string }[]
}

// Fictional organisations and people: no real school, team or person is named.
const AUTHORITIES: DemoAuthority[] = [
  {
    tenantId: 'essex',
    domain: 'essex.example',
    organisations: [
      { key: 'hub', name: 'Children and Families Hub', kind: 'council' },
      { key: 'family-solutions', name: 'Family Solutions (Mid quadrant)', kind: 'council' },
      { key: 'council', name: 'Essex County Council Early Help', kind: 'council' },
      { key: 'school', name: 'Greenfield Primary School (demonstration)', kind: 'school' },
      { key: 'health', name: 'Mid Essex Health Visiting (demonstration)', kind: 'health' },
      { key: 'voluntary', name: 'Chelmer Family Support Trust (demonstration)', kind: 'voluntary' },
    ],
    people: {
      practitioner: { organisation: 'school', name: 'Amira Okafor' },
      front_door_officer: { organisation: 'hub', name: 'Ben Hughes' },
      duty_manager: { organisation: 'hub', name: 'Carys Lloyd' },
      early_help_advisor: { organisation: 'council', name: 'Dev Patel' },
      team_manager: { organisation: 'family-solutions', name: 'Ellen Marsh' },
      performance_analyst: { organisation: 'council', name: 'Farid Rahman' },
      administrator: { organisation: 'council', name: 'Grace Whitfield' },
    },
    colleagues: [
      { local: 'family-solutions-worker', organisation: 'family-solutions', name: 'Owen Clarke', label: 'Family Solutions worker' },
      { local: 'health-visitor', organisation: 'health', name: 'Priya Shah', label: 'Health visitor' },
      { local: 'family-support-worker', organisation: 'voluntary', name: 'Rhys Evans', label: 'Family support worker' },
    ],
    provider: { organisation: { key: 'voluntary', name: 'Chelmer Family Support Trust (demonstration)', kind: 'voluntary' }, name: 'Vikram Joshi' },
  },
  {
    tenantId: 'southend',
    domain: 'southend.example',
    organisations: [
      { key: 'front-door', name: 'Early Help Front Door', kind: 'council' },
      { key: 'family-support', name: 'Early Help Family Support', kind: 'council' },
      { key: 'council', name: 'Southend-on-Sea City Council Early Help', kind: 'council' },
      { key: 'school', name: 'Seaview Academy (demonstration)', kind: 'school' },
      { key: 'health', name: 'Southend Health Visiting (demonstration)', kind: 'health' },
      { key: 'police', name: 'Southend Police Schools Team (demonstration)', kind: 'police' },
    ],
    people: {
      practitioner: { organisation: 'school', name: 'Hannah Price' },
      front_door_officer: { organisation: 'front-door', name: 'Imran Ali' },
      duty_manager: { organisation: 'front-door', name: 'Jo Bennett' },
      early_help_advisor: { organisation: 'council', name: 'Kofi Mensah' },
      team_manager: { organisation: 'family-support', name: 'Laura Finch' },
      performance_analyst: { organisation: 'council', name: 'Marek Nowak' },
      administrator: { organisation: 'council', name: 'Nia Roberts' },
    },
    colleagues: [
      { local: 'family-support-worker', organisation: 'family-support', name: 'Sophie Turner', label: 'Early Help Family Support worker' },
      { local: 'health-visitor', organisation: 'health', name: 'Tom Baxter', label: 'Health visitor' },
      { local: 'police-schools-officer', organisation: 'police', name: 'Uma Desai', label: 'Police schools officer' },
    ],
    provider: { organisation: { key: 'provider', name: 'Estuary Family Network (demonstration)', kind: 'voluntary' }, name: 'Wendy Osei' },
  },
]

export interface DemoAccount {
  email: string
  tenantId: string
  role: Role
  label: string
}

/** Every demonstration account, one per role in each authority, for the README, the start-up message and the browser tests. */
export const DEMO_ACCOUNTS: DemoAccount[] = AUTHORITIES.flatMap((authority) =>
  ([...Object.keys(authority.people), 'service_provider'] as Role[]).map((role) => ({
    email: `${role.replaceAll('_', '-')}@${authority.domain}`,
    tenantId: authority.tenantId,
    role,
    label: `${ROLE_LABELS[role]}, ${authority.tenantId === 'essex' ? 'Essex' : 'Southend'}`,
  })),
)

/** Each authority's demonstration service provider: its account and the organisation whose services it edits. */
export const DEMO_PROVIDERS: { tenantId: string; email: string; organisationName: string }[] = AUTHORITIES.map((authority) => ({
  tenantId: authority.tenantId,
  email: `service-provider@${authority.domain}`,
  organisationName: authority.provider.organisation.name,
}))

/** Practitioners beyond the one per role, to make a Team Around the Family with (all practitioners). */
export const DEMO_COLLEAGUES: DemoAccount[] = AUTHORITIES.flatMap((authority) =>
  authority.colleagues.map((c) => ({
    email: `${c.local}@${authority.domain}`,
    tenantId: authority.tenantId,
    role: 'practitioner' as const,
    label: `${c.label}, ${authority.tenantId === 'essex' ? 'Essex' : 'Southend'}`,
  })),
)

/** Loads the demonstration organisations and accounts once; a second start finds them and does nothing. */
export async function loadDemoData(db: Database): Promise<{ loaded: boolean; accounts: DemoAccount[] }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const loaded = await db.system.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seed_runs')
      .values({ name: 'demo-organisations-and-accounts' })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst()
    if (!claimed) return false
    for (const authority of AUTHORITIES) {
      const organisations = await trx
        .insertInto('organisations')
        .values(authority.organisations.map((o) => ({ tenant_id: authority.tenantId, name: o.name, kind: o.kind })))
        .returning(['id', 'name'])
        .execute()
      const idOf = (key: string) => {
        const name = authority.organisations.find((o) => o.key === key)?.name
        const id = organisations.find((o) => o.name === name)?.id
        if (!id) throw new Error(`Demonstration organisation ${key} is missing`)
        return id
      }
      await trx
        .insertInto('accounts')
        .values(
          (Object.entries(authority.people) as [StaffRole, { organisation: string; name: string }][]).map(([role, person]) => ({
            tenant_id: authority.tenantId,
            organisation_id: idOf(person.organisation),
            email: `${role.replaceAll('_', '-')}@${authority.domain}`,
            name: person.name,
            role,
            password_hash: passwordHash,
          })),
        )
        .execute()
    }
    return true
  })
  await loadDemoColleagues(db, passwordHash)
  await loadDemoProviders(db, passwordHash)
  return { loaded, accounts: DEMO_ACCOUNTS }
}

/** The colleagues, once, in their own seed run so a database from before casework gains them too. */
async function loadDemoColleagues(db: Database, passwordHash: string): Promise<void> {
  await db.system.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seed_runs')
      .values({ name: 'demo-casework-colleagues' })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst()
    if (!claimed) return
    for (const authority of AUTHORITIES) {
      const organisations = await trx.selectFrom('organisations').select(['id', 'name']).where('tenant_id', '=', authority.tenantId).execute()
      for (const colleague of authority.colleagues) {
        const name = authority.organisations.find((o) => o.key === colleague.organisation)?.name
        const organisationId = organisations.find((o) => o.name === name)?.id
        if (!organisationId) throw new Error(`Demonstration organisation ${colleague.organisation} is missing`)
        await trx
          .insertInto('accounts')
          .values({ tenant_id: authority.tenantId, organisation_id: organisationId, email: `${colleague.local}@${authority.domain}`, name: colleague.name, role: 'practitioner', password_hash: passwordHash })
          .onConflict((oc) => oc.doNothing())
          .execute()
      }
    }
  })
}

/** The service providers' accounts (and their organisations when missing), once, in their own seed run. */
async function loadDemoProviders(db: Database, passwordHash: string): Promise<void> {
  await db.system.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seed_runs')
      .values({ name: 'demo-directory-providers' })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst()
    if (!claimed) return
    for (const authority of AUTHORITIES) {
      const { organisation, name } = authority.provider
      const existing = await trx
        .selectFrom('organisations')
        .select('id')
        .where('tenant_id', '=', authority.tenantId)
        .where('name', '=', organisation.name)
        .executeTakeFirst()
      const organisationId =
        existing?.id ??
        (await trx.insertInto('organisations').values({ tenant_id: authority.tenantId, name: organisation.name, kind: organisation.kind }).returning('id').executeTakeFirstOrThrow()).id
      await trx
        .insertInto('accounts')
        .values({ tenant_id: authority.tenantId, organisation_id: organisationId, email: `service-provider@${authority.domain}`, name, role: 'service_provider', password_hash: passwordHash })
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
  })
}
