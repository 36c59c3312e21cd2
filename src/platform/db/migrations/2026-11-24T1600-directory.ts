import { sql, type Kysely } from 'kysely'

/**
 * The Effective Support Directory, one per authority, on the Open Referral UK 3.0 entities. The
 * entities the read API addresses by id (organization, service, location, service_at_location,
 * taxonomy, taxonomy_term) are tables; their nested parts (contacts, phones, schedules, cost
 * options, service areas, languages, funding, addresses, accessibility, identifiers) are kept as
 * the ORUK JSON arrays on their parent, so a record round-trips exactly. What our users need and
 * the standard lacks (levels of need, localities, categories, ages for search, how to refer,
 * capacity, when it was last checked) are columns beside it. Signposting and keep-in-touch calls
 * record what families were pointed to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A service provider's own account edits its organisation's services in the directory.
  await sql`alter table accounts drop constraint accounts_role_check`.execute(db)
  await sql`
    alter table accounts add constraint accounts_role_check check (role in (
      'practitioner', 'front_door_officer', 'duty_manager', 'early_help_advisor', 'team_manager',
      'performance_analyst', 'administrator', 'service_provider'))`.execute(db)

  await sql`
    create table directory_organizations (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      name text not null,
      -- Our organisation whose service_provider accounts may edit this organisation's services.
      organisation_id uuid references organisations (id),
      -- The ORUK organization record without its services: description, email, website, logo,
      -- uri, parent_organization_id, organization_identifiers, attributes.
      document jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index directory_organizations_name on directory_organizations (tenant_id, lower(name))`.execute(db)

  await sql`
    create table directory_taxonomies (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      name text not null,
      document jsonb not null
    )`.execute(db)

  await sql`
    create table directory_taxonomy_terms (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      taxonomy_id uuid references directory_taxonomies (id),
      parent_id uuid references directory_taxonomy_terms (id),
      code text,
      name text not null,
      document jsonb not null
    )`.execute(db)
  await sql`create index directory_taxonomy_terms_taxonomy on directory_taxonomy_terms (tenant_id, taxonomy_id, name)`.execute(db)

  await sql`
    create table directory_services (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      organization_id uuid references directory_organizations (id),
      name text not null,
      description text,
      status text not null check (status in ('active', 'inactive', 'defunct', 'temporarily closed')),
      minimum_age smallint,
      maximum_age smallint,
      -- The ORUK service record without its organization and service_at_locations.
      document jsonb not null,
      -- What the standard lacks.
      levels smallint[] not null default '{}',
      localities text[] not null default '{}',
      categories text[] not null default '{}',
      referral_routes text[] not null default '{}' check (referral_routes <@ array['self', 'professional', 'request-for-support']::text[]),
      how_to_refer text,
      capacity text,
      last_checked_on date,
      -- Ids of the taxonomy terms its attributes name, for the taxonomy_term_id filter.
      term_ids uuid[] not null default '{}',
      -- Postcode districts (outward codes) of its locations, for the postcode filter.
      postcode_districts text[] not null default '{}',
      search tsvector generated always as (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')
      ) stored,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      updated_by uuid references accounts (id)
    )`.execute(db)
  await sql`create index directory_services_search on directory_services using gin (search)`.execute(db)
  await sql`create index directory_services_name on directory_services (tenant_id, lower(name), id)`.execute(db)
  await sql`create index directory_services_terms on directory_services using gin (term_ids)`.execute(db)
  await sql`create index directory_services_districts on directory_services using gin (postcode_districts)`.execute(db)
  await sql`create index directory_services_levels on directory_services using gin (levels)`.execute(db)
  await sql`create index directory_services_localities on directory_services using gin (localities)`.execute(db)
  await sql`create index directory_services_categories on directory_services using gin (categories)`.execute(db)
  await sql`create index directory_services_checked on directory_services (tenant_id, last_checked_on)`.execute(db)
  await sql`create index directory_services_organization on directory_services (organization_id)`.execute(db)

  await sql`
    create table directory_locations (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      name text,
      postcode text,
      latitude double precision,
      longitude double precision,
      -- The ORUK location record: location_type, description, addresses, accessibility, identifiers, attributes.
      document jsonb not null
    )`.execute(db)
  await sql`create index directory_locations_postcode on directory_locations (tenant_id, postcode)`.execute(db)

  await sql`
    create table directory_service_at_locations (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      service_id uuid not null references directory_services (id) on delete cascade,
      location_id uuid not null references directory_locations (id),
      -- The ORUK service_at_location record's own parts (description, schedules, contacts, phones, attributes).
      document jsonb not null default '{}'::jsonb
    )`.execute(db)
  await sql`create index directory_service_at_locations_service on directory_service_at_locations (service_id)`.execute(db)
  await sql`create index directory_service_at_locations_location on directory_service_at_locations (location_id)`.execute(db)

  // A family pointed to services: from a triage outcome 1 (a request) or from a plan (an involvement).
  await sql`
    create table signposts (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      request_id uuid references requests (id),
      involvement_id uuid references involvements (id),
      service_id uuid not null references directory_services (id),
      note text,
      signposted_by uuid not null references accounts (id),
      signposted_at timestamptz not null default now(),
      check (request_id is not null or involvement_id is not null)
    )`.execute(db)
  await sql`create index signposts_request on signposts (request_id) where request_id is not null`.execute(db)
  await sql`create index signposts_involvement on signposts (involvement_id) where involvement_id is not null`.execute(db)

  // Keep-in-touch calls after outcome 1: monthly, for an agreed period (001:385-400); each becomes a task when due.
  await sql`
    create table keep_in_touch_calls (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      request_id uuid not null references requests (id),
      due_on date not null,
      status text not null default 'due' check (status in ('due', 'done', 'cancelled')),
      need_met text check (need_met in ('yes', 'partly', 'no', 'not-reached')),
      note text,
      recorded_by uuid references accounts (id),
      recorded_at timestamptz,
      created_by uuid not null references accounts (id),
      created_at timestamptz not null default now(),
      version integer not null default 1,
      unique (request_id, due_on)
    )`.execute(db)
  await sql`create index keep_in_touch_due on keep_in_touch_calls (tenant_id, due_on) where status = 'due'`.execute(db)

  const tables = [
    'directory_organizations',
    'directory_taxonomies',
    'directory_taxonomy_terms',
    'directory_services',
    'directory_locations',
    'directory_service_at_locations',
    'signposts',
    'keep_in_touch_calls',
  ]
  for (const table of tables) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert, update on ${sql.table(table)} to eh_app`.execute(db)
  }
  // An editor may remove a location from a service; nothing else in the directory is deleted (a service is made inactive).
  await sql`grant delete on directory_service_at_locations to eh_app`.execute(db)
  // A signpost made by mistake is removed; its audit event keeps who removed which service, and when.
  await sql`grant delete on signposts to eh_app`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
