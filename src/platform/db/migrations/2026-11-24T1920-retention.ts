import { sql, type Kysely } from 'kysely'

/**
 * Retention (issue 6): legal holds, the sweep's runs and the items each run listed, and the
 * database's own guarantees around them.
 *
 * - A legal hold on an involvement or a request stops the sweep removing it: the sweep's SQL skips
 *   held records, and triggers refuse to delete a held involvement or request, or to anonymise a
 *   held involvement, whoever asks.
 * - The sweep is the only thing that may get past the triggers that keep records final (an agreed
 *   plan version, a reviewed break-glass grant): it runs on the owner's connection with the
 *   transaction-local setting `app.retention_sweep = 'on'`, which `retention_sweep_active()` checks.
 *   The application role can never pass, even if it sets the setting.
 * - Audit events stay append-only: the sweep adds one for each record it removes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table involvements add column anonymised_at timestamptz`.execute(db)

  await sql`
    create table legal_holds (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      record_type text not null check (record_type in ('involvement', 'request')),
      record_id uuid not null,
      reference text not null,
      reason text not null check (char_length(reason) between 1 and 2000),
      placed_by uuid not null references accounts (id),
      placed_at timestamptz not null default now(),
      lifted_by uuid references accounts (id),
      lifted_at timestamptz,
      lift_reason text check (char_length(lift_reason) <= 2000),
      check ((lifted_at is null) = (lifted_by is null)),
      check ((lifted_at is null) = (lift_reason is null))
    )`.execute(db)
  // One active hold per record; the sweep and the triggers look holds up by the record's id.
  await sql`create unique index legal_holds_active on legal_holds (record_id) where lifted_at is null`.execute(db)
  await sql`create index legal_holds_tenant on legal_holds (tenant_id, placed_at desc, id desc)`.execute(db)

  await sql`
    create table retention_runs (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      mode text not null check (mode in ('report', 'apply')),
      trigger text not null check (trigger in ('schedule', 'manual')),
      requested_by uuid references accounts (id),
      today date not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      counts jsonb not null default '{}'::jsonb
    )`.execute(db)
  await sql`create index retention_runs_tenant on retention_runs (tenant_id, started_at desc, id desc)`.execute(db)

  await sql`
    create table retention_run_items (
      run_id uuid not null references retention_runs (id),
      tenant_id text not null references tenants (id),
      record_type text not null check (record_type in ('involvement', 'request-not-progressed', 'consultation', 'draft-request')),
      record_id uuid not null,
      reference text,
      action text not null check (action in ('delete', 'anonymise')),
      rule text not null,
      due_on date not null,
      held boolean not null,
      primary key (run_id, record_type, record_id)
    )`.execute(db)
  // The report's pages, in the order they are read.
  await sql`create index retention_run_items_page on retention_run_items (run_id, due_on, record_type, record_id)`.execute(db)
  // The grace period: was this record listed in an earlier report?
  await sql`create index retention_run_items_record on retention_run_items (record_id, run_id)`.execute(db)

  for (const table of ['legal_holds', 'retention_runs', 'retention_run_items']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert on ${sql.table(table)} to eh_app`.execute(db)
  }
  await sql`grant update (lifted_by, lifted_at, lift_reason) on legal_holds to eh_app`.execute(db)
  await sql`grant update (finished_at, counts) on retention_runs to eh_app`.execute(db)

  // A lifted hold stays on record as it was lifted.
  await sql`
    create function legal_holds_lift_once() returns trigger language plpgsql as $$
    begin
      if old.lifted_at is not null then
        raise exception 'legal hold % has already been lifted', old.id using errcode = 'insufficient_privilege';
      end if;
      if new.record_id <> old.record_id or new.record_type <> old.record_type or new.reason <> old.reason
         or new.placed_by <> old.placed_by or new.placed_at <> old.placed_at then
        raise exception 'legal hold % can only be lifted, not changed', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)
  await sql`create trigger legal_holds_lift_once before update on legal_holds for each row execute function legal_holds_lift_once()`.execute(db)
  await sql`
    create function legal_holds_refuse_delete() returns trigger language plpgsql as $$
    begin
      raise exception 'legal holds are never deleted: lift the hold instead' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`create trigger legal_holds_no_delete before delete on legal_holds for each row execute function legal_holds_refuse_delete()`.execute(db)

  // True only inside the retention sweep: the owner's connection with the setting made for its transaction.
  await sql`
    create function retention_sweep_active() returns boolean language sql stable as $$
      select coalesce(current_setting('app.retention_sweep', true), '') = 'on' and current_user <> 'eh_app'
    $$`.execute(db)

  // Whether a record is under an active legal hold. Security definer: the triggers must see every
  // hold whatever role or tenant setting the statement runs with.
  await sql`
    create function legal_hold_active(record uuid) returns boolean language sql stable security definer
      set search_path = public as $$
      select exists (select 1 from legal_holds where record_id = record and lifted_at is null)
    $$`.execute(db)
  await sql`
    create function legal_hold_refuse_delete() returns trigger language plpgsql as $$
    begin
      if legal_hold_active(old.id) then
        raise exception '% % is under a legal hold and cannot be deleted', tg_argv[0], old.id using errcode = 'insufficient_privilege';
      end if;
      return old;
    end
    $$`.execute(db)
  await sql`create trigger requests_legal_hold before delete on requests for each row execute function legal_hold_refuse_delete('request')`.execute(db)
  await sql`create trigger involvements_legal_hold before delete on involvements for each row execute function legal_hold_refuse_delete('involvement')`.execute(db)
  // Anonymising an involvement is as final as deleting it: refused under a hold on the family's
  // early help or on the request it came from.
  await sql`
    create function legal_hold_refuse_anonymise() returns trigger language plpgsql as $$
    begin
      if legal_hold_active(old.id) or (old.request_id is not null and legal_hold_active(old.request_id)) then
        raise exception 'involvement % is under a legal hold and cannot be anonymised', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)
  await sql`
    create trigger involvements_legal_hold_anonymise before update of anonymised_at on involvements
      for each row when (new.anonymised_at is not null and old.anonymised_at is null)
      execute function legal_hold_refuse_anonymise()`.execute(db)

  // An agreed plan version is never changed, except by the retention sweep anonymising it.
  await sql`
    create or replace function plan_versions_agreed_are_final() returns trigger language plpgsql as $$
    begin
      if old.status = 'agreed' and not retention_sweep_active() then
        raise exception 'An agreed plan version is never changed: start a new version instead' using errcode = 'P0001';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
  // Likewise a reviewed break-glass grant: the sweep replaces its free-text reason when the family is anonymised.
  await sql`
    create or replace function break_glass_review_once() returns trigger language plpgsql as $$
    begin
      if old.reviewed_at is not null and not retention_sweep_active() then
        raise exception 'break-glass grant % has already been reviewed', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)

  // What the sweep reads: decided requests and drafts by date, closed families not yet anonymised.
  await sql`create index requests_retention_decided on requests (tenant_id, decided_at) where status = 'decided'`.execute(db)
  await sql`create index requests_retention_draft on requests (tenant_id, created_at) where status = 'draft'`.execute(db)
  await sql`create index involvements_retention on involvements (tenant_id, closed_at) where status = 'closed' and anonymised_at is null`.execute(db)
  await sql`create index requests_stepped_up_from on requests (stepped_up_from) where stepped_up_from is not null`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
