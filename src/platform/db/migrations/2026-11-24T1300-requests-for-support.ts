import { sql, type Kysely } from 'kysely'

/**
 * The front door: requests for support (drafts to decisions), the people in them, the duty
 * manager's confirmed or rejected matches between people, and the Consultation Line log.
 * Every table is tenant-owned under row-level security, like the foundation's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)

  // Per-authority counters for human references (SOU-2026-00042): a row lock hands out each number once.
  await sql`
    create table reference_counters (
      tenant_id text not null references tenants (id),
      name text not null,
      value bigint not null default 0,
      primary key (tenant_id, name)
    )`.execute(db)

  await sql`
    create table requests (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      reference text,
      status text not null default 'draft' check (status in ('draft', 'submitted', 'decided')),
      route text not null check (route in ('practitioner', 'self')),
      priority boolean not null default false,
      significant_harm boolean not null default false,
      referrer_account_id uuid references accounts (id),
      referrer_phone text,
      postcode text,
      answers jsonb not null default '{}'::jsonb,
      suggested_level smallint,
      suggestion jsonb,
      submitted_at timestamptz,
      acknowledge_due_at timestamptz,
      decision_due_at timestamptz,
      acknowledged_at timestamptz,
      acknowledged_by uuid references accounts (id),
      decided_at timestamptz,
      decided_by uuid references accounts (id),
      outcome text check (outcome in ('universal-signposting', 'emerging-needs', 'intensive-support', 'safeguarding')),
      decided_level smallint check (decided_level between 1 and 4),
      decision_reason text,
      outcome_details jsonb,
      looked_at_by uuid references accounts (id),
      looked_at_since timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, reference),
      check (status = 'draft' or (reference is not null and submitted_at is not null)),
      check (status <> 'decided' or (outcome is not null and decided_level is not null and decided_at is not null))
    )`.execute(db)
  // The queue: undecided requests, priority first, then by the decision clock.
  await sql`create index requests_queue on requests (tenant_id, priority desc, decision_due_at) where status = 'submitted'`.execute(db)
  await sql`create index requests_referrer on requests (tenant_id, referrer_account_id, created_at desc)`.execute(db)
  await sql`create index requests_tenant_submitted on requests (tenant_id, submitted_at desc)`.execute(db)

  await sql`
    create table request_people (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      request_id uuid not null references requests (id) on delete cascade,
      kind text not null check (kind in ('child', 'adult')),
      given_name text not null,
      family_name text not null,
      date_of_birth date,
      due_date date,
      details jsonb not null default '{}'::jsonb,
      nhs_number text,
      position integer not null default 0,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index request_people_request on request_people (request_id, position)`.execute(db)
  await sql`create index request_people_nhs on request_people (tenant_id, nhs_number) where nhs_number is not null`.execute(db)
  await sql`create index request_people_birth on request_people (tenant_id, date_of_birth)`.execute(db)
  await sql`create index request_people_name_trgm on request_people using gin ((given_name || ' ' || family_name) gin_trgm_ops)`.execute(db)

  await sql`
    create table person_matches (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      request_person_id uuid not null references request_people (id) on delete cascade,
      matched_person_id uuid not null references request_people (id) on delete cascade,
      decision text not null check (decision in ('confirmed', 'rejected')),
      decided_by uuid not null references accounts (id),
      decided_at timestamptz not null default now(),
      unique (request_person_id, matched_person_id)
    )`.execute(db)

  await sql`
    create table consultations (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      recorded_by uuid not null references accounts (id),
      caller_name text not null,
      caller_organisation text,
      family_named boolean not null,
      family_description text,
      concern text not null,
      advice text not null,
      request_advised boolean not null,
      recorded_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index consultations_tenant_recorded on consultations (tenant_id, recorded_at desc, id desc)`.execute(db)

  for (const table of ['reference_counters', 'requests', 'request_people', 'person_matches', 'consultations']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert, update on ${sql.table(table)} to eh_app`.execute(db)
  }
  // A practitioner may discard a draft (and its people with it); nothing submitted is ever deleted.
  await sql`grant delete on requests, request_people to eh_app`.execute(db)
  await sql`create policy drafts_only on requests as restrictive for delete using (status = 'draft')`.execute(db)
  await sql`
    create policy drafts_only on request_people as restrictive for delete
      using (exists (select 1 from requests r where r.id = request_id and r.status = 'draft'))`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
