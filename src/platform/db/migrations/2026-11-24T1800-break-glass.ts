import { sql, type Kysely } from 'kysely'

/**
 * Break-glass access (issue 6): a practitioner with no relationship to a family opens it by giving
 * a reason, for one hour. Each grant is a row the relationship check reads (one indexed query,
 * only when no other relationship applies) and an item on the review list, where an administrator
 * records a finding. The grant itself never changes: `eh_app` may only fill in the review columns,
 * once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table break_glass_grants (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      account_id uuid not null references accounts (id),
      involvement_id uuid not null references involvements (id),
      reason text not null check (char_length(reason) between 20 and 2000),
      granted_at timestamptz not null default now(),
      expires_at timestamptz not null,
      finding text check (finding in ('appropriate', 'not-appropriate', 'follow-up')),
      finding_note text,
      reviewed_by uuid references accounts (id),
      reviewed_at timestamptz,
      check (expires_at > granted_at),
      check ((finding is null) = (reviewed_at is null) and (reviewed_at is null) = (reviewed_by is null))
    )`.execute(db)
  // The relationship check: does this person hold an unexpired grant on this family?
  await sql`create index break_glass_grants_access on break_glass_grants (involvement_id, account_id, expires_at desc)`.execute(db)
  // The review list, newest first, per authority.
  await sql`create index break_glass_grants_review on break_glass_grants (tenant_id, granted_at desc, id desc)`.execute(db)

  await sql`alter table break_glass_grants enable row level security`.execute(db)
  await sql`
    create policy tenant_isolation on break_glass_grants
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
  await sql`grant select, insert on break_glass_grants to eh_app`.execute(db)
  await sql`grant update (finding, finding_note, reviewed_by, reviewed_at) on break_glass_grants to eh_app`.execute(db)
  // A finding, once recorded, stands: a second review would rewrite the record of the first.
  await sql`
    create function break_glass_review_once() returns trigger language plpgsql as $$
    begin
      if old.reviewed_at is not null then
        raise exception 'break-glass grant % has already been reviewed', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)
  await sql`
    create trigger break_glass_review_once before update on break_glass_grants
      for each row execute function break_glass_review_once()`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
