import { sql, type Kysely } from 'kysely'

/**
 * The foundation: authorities (tenants), organisations, accounts, sessions, sign-in throttling and
 * the append-only audit log. Tenant-owned tables get row-level security keyed on the transaction's
 * `app.tenant_id`; requests run as the `eh_app` role so the policies apply even on PGlite, where
 * every connection is a superuser (ADR 0003).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'eh_app') then
        create role eh_app nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end
    $$`.execute(db)
  // The connecting user must be able to SET ROLE eh_app; a superuser already can.
  await sql`
    do $$
    begin
      if not (select rolsuper from pg_roles where rolname = current_user)
         and not pg_has_role(current_user, 'eh_app', 'member') then
        execute format('grant eh_app to %I', current_user);
      end if;
    end
    $$`.execute(db)
  await sql`grant usage on schema public to eh_app`.execute(db)

  await sql`
    create table tenants (
      id text primary key,
      name text not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`grant select on tenants to eh_app`.execute(db)

  await sql`
    create table organisations (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      name text not null,
      kind text not null check (kind in ('school', 'early_years', 'health', 'police', 'housing', 'voluntary', 'council', 'other')),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      deactivated_at timestamptz,
      unique (id, tenant_id)
    )`.execute(db)
  await sql`create unique index organisations_tenant_name on organisations (tenant_id, lower(name))`.execute(db)
  await sql`create index organisations_tenant_active_name on organisations (tenant_id, active, name)`.execute(db)

  await sql`
    create table accounts (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      organisation_id uuid not null,
      email text not null,
      name text not null,
      role text not null check (role in ('practitioner', 'front_door_officer', 'duty_manager', 'early_help_advisor', 'team_manager', 'performance_analyst', 'administrator')),
      phone text,
      password_hash text not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      deactivated_at timestamptz,
      last_signed_in_at timestamptz,
      foreign key (organisation_id, tenant_id) references organisations (id, tenant_id)
    )`.execute(db)
  await sql`create unique index accounts_email on accounts (lower(email))`.execute(db)
  await sql`create index accounts_tenant_name on accounts (tenant_id, name, id)`.execute(db)
  await sql`create index accounts_tenant_role on accounts (tenant_id, role, active)`.execute(db)
  await sql`create index accounts_organisation on accounts (organisation_id)`.execute(db)

  for (const table of ['organisations', 'accounts']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert, update on ${sql.table(table)} to eh_app`.execute(db)
  }

  // Sessions and throttling are read before anyone's tenant is known, through the owner's connection.
  await sql`
    create table sessions (
      id_hash text primary key,
      account_id uuid not null references accounts (id),
      tenant_id text not null references tenants (id),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    )`.execute(db)
  await sql`create index sessions_account on sessions (account_id)`.execute(db)
  // An administrator ends a deactivated person's sessions from inside their authority's transaction.
  await sql`alter table sessions enable row level security`.execute(db)
  await sql`create policy tenant_isolation on sessions using (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
  await sql`grant select, delete on sessions to eh_app`.execute(db)
  await sql`create index sessions_last_seen on sessions (last_seen_at)`.execute(db)

  await sql`
    create table sign_in_throttle (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null,
      locked_until timestamptz
    )`.execute(db)

  await sql`
    create table audit_events (
      id bigint generated always as identity primary key,
      at timestamptz not null default clock_timestamp(),
      tenant_id text references tenants (id),
      actor_account_id uuid,
      actor_role text,
      action text not null,
      record_type text,
      record_id text,
      outcome text not null default 'success' check (outcome in ('success', 'denied', 'failure')),
      ip text,
      request_id text,
      detail jsonb not null default '{}'::jsonb
    )`.execute(db)
  await sql`create index audit_events_tenant_at on audit_events (tenant_id, at desc, id desc)`.execute(db)
  await sql`create index audit_events_tenant_actor on audit_events (tenant_id, actor_account_id, at desc, id desc)`.execute(db)
  await sql`create index audit_events_tenant_record on audit_events (tenant_id, record_type, record_id, at desc, id desc)`.execute(db)
  await sql`create index audit_events_tenant_action on audit_events (tenant_id, action, at desc, id desc)`.execute(db)
  await sql`
    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`
    create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function audit_events_refuse_change()`.execute(db)
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_refuse_change()`.execute(db)
  await sql`alter table audit_events enable row level security`.execute(db)
  await sql`
    create policy tenant_isolation on audit_events
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
  await sql`grant select, insert on audit_events to eh_app`.execute(db)

  await sql`
    create table seed_runs (
      name text primary key,
      ran_at timestamptz not null default now()
    )`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration is not reversible: restore from backup instead.')
}
