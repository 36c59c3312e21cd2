import { sql, type Kysely } from 'kysely'

/**
 * Protected details (issue 6; the 2024 information-sharing advice: protect the identities and
 * whereabouts of people who could be harmed). A person's address, contact details or whereabouts
 * are recorded here with the named family members and agencies they must not reach; pages, PDFs
 * and exports redact them for those audiences. A protection is lifted (dated, by whom), never
 * deleted: `eh_app` may insert and fill in the lifting columns, once, and nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table protected_details (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      person_id uuid not null references involvement_people (id),
      kind text not null check (kind in ('address', 'contact', 'whereabouts')),
      value text not null check (char_length(btrim(value)) between 1 and 2000),
      hidden_from_people uuid[] not null default '{}',
      hidden_from_organisations uuid[] not null default '{}',
      reason text not null check (char_length(reason) between 1 and 2000),
      recorded_by uuid not null references accounts (id),
      recorded_at timestamptz not null default now(),
      ended_at timestamptz,
      ended_by uuid references accounts (id),
      ended_reason text check (char_length(ended_reason) <= 2000),
      check ((ended_at is null) = (ended_by is null)),
      check (cardinality(hidden_from_people) + cardinality(hidden_from_organisations) > 0)
    )`.execute(db)
  // Every page, PDF and export of a family reads its protections: one indexed query per involvement.
  await sql`create index protected_details_involvement on protected_details (involvement_id, recorded_at)`.execute(db)
  await sql`create index protected_details_tenant on protected_details (tenant_id, recorded_at desc)`.execute(db)

  await sql`alter table protected_details enable row level security`.execute(db)
  await sql`
    create policy tenant_isolation on protected_details
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
  await sql`grant select, insert on protected_details to eh_app`.execute(db)
  await sql`grant update (ended_at, ended_by, ended_reason) on protected_details to eh_app`.execute(db)
  // Lifting happens once: a lifted protection's record is never rewritten.
  await sql`
    create function protected_details_lift_once() returns trigger language plpgsql as $$
    begin
      if old.ended_at is not null then
        raise exception 'protected detail % has already been lifted', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)
  await sql`
    create trigger protected_details_lift_once before update on protected_details
      for each row execute function protected_details_lift_once()`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
