import { sql, type Kysely } from 'kysely'

/**
 * Consent and lawful basis, and the sharing log (issue 6). Consent is recorded per person in the
 * family, for a purpose and named agencies, and can be withdrawn (dated, attributed, kept). What a
 * withdrawal stops happens, or a consent override records the lawful basis for going on. Every
 * disclosure of the family's information, in the system or outside it, is a row in `disclosures`:
 * appended, never changed. `involvements` carries two columns read on every request without a
 * join: `sharing_stopped_at` (the relationship check) and `consent_withdrawn_on` (the tag on the
 * Families list and the warning on the family's page).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table involvements add column sharing_stopped_at timestamptz, add column consent_withdrawn_on date`.execute(db)

  await sql`
    create table consents (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      for_person_id uuid not null references involvement_people (id),
      given_by_person_id uuid not null references involvement_people (id),
      purpose text not null check (purpose in ('early-help', 'information-sharing')),
      agencies text[] not null default '{}',
      how text not null check (how in ('verbal', 'written', 'digital')),
      given_on date not null,
      recorded_by uuid not null references accounts (id),
      recorded_at timestamptz not null default now(),
      withdrawn_on date,
      withdrawal_recorded_by uuid references accounts (id),
      withdrawal_recorded_at timestamptz,
      withdrawal_note text,
      withdrawal_effect text check (withdrawal_effect in ('stop-sharing', 'close', 'override')),
      version integer not null default 1,
      check (purpose = 'early-help' or cardinality(agencies) > 0),
      check ((withdrawn_on is null) = (withdrawal_recorded_at is null)),
      check ((withdrawn_on is null) = (withdrawal_recorded_by is null)),
      check ((withdrawn_on is null) = (withdrawal_effect is null)),
      check (withdrawn_on is null or withdrawn_on >= given_on)
    )`.execute(db)
  await sql`create index consents_involvement on consents (involvement_id, purpose, given_on desc)`.execute(db)

  await sql`
    create table consent_overrides (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      consent_id uuid not null references consents (id),
      basis text not null check (basis in ('section-47', 'section-17', 'safeguarding-dpa-sch1-para18', 'legal-obligation', 'public-task')),
      reason text not null check (char_length(reason) between 20 and 2000),
      decided_by uuid not null references accounts (id),
      decided_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index consent_overrides_consent on consent_overrides (consent_id)`.execute(db)
  await sql`create index consent_overrides_involvement on consent_overrides (involvement_id, decided_at desc)`.execute(db)

  await sql`
    create table disclosures (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      shared_on date not null,
      what text not null check (char_length(what) between 1 and 2000),
      recipient text not null check (char_length(recipient) between 1 and 500),
      reason text not null check (char_length(reason) between 1 and 2000),
      basis text not null check (basis in ('consent', 'section-47', 'section-17', 'safeguarding-dpa-sch1-para18', 'legal-obligation', 'public-task')),
      source text not null check (source in ('team-member-added', 'plan-downloaded', 'subject-access-export', 'recorded-by-hand')),
      consent_id uuid references consents (id),
      recorded_by uuid not null references accounts (id),
      recorded_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index disclosures_log on disclosures (involvement_id, recorded_at desc, id desc)`.execute(db)

  for (const table of ['consents', 'consent_overrides', 'disclosures']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert on ${sql.table(table)} to eh_app`.execute(db)
  }
  // A consent is never rewritten: only its withdrawal is filled in, once (checked by the service
  // with the version), so what was agreed stays on record. Overrides and disclosures are appended.
  await sql`grant update (withdrawn_on, withdrawal_recorded_by, withdrawal_recorded_at, withdrawal_note, withdrawal_effect, version) on consents to eh_app`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
