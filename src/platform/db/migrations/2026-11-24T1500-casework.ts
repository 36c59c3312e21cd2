import { sql, type Kysely } from 'kysely'

/**
 * Casework: an involvement (an episode of early help for a family) with its Lead Professional
 * history, its Team Around the Family, the Family Story assessment, meetings, versioned Early
 * Help Plans and their actions, the chronology, changes of level, and the Children and Family
 * Panel's agenda. Every table is tenant-owned under row-level security.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table involvements (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      reference text not null,
      family_name text not null,
      level smallint not null check (level between 1 and 4),
      status text not null default 'open' check (status in ('open', 'closing', 'closed')),
      route text not null check (route in ('triage', 'panel', 'direct', 'step-down')),
      request_id uuid references requests (id),
      lead_account_id uuid not null references accounts (id),
      allocated_at timestamptz not null,
      assessment_due_on date,
      next_review_on date,
      next_action_on date,
      review_cadence_id text,
      opened_by uuid not null references accounts (id),
      opened_at timestamptz not null default now(),
      closure jsonb,
      closed_at timestamptz,
      closed_by uuid references accounts (id),
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      unique (tenant_id, reference),
      check (status <> 'closed' or (closed_at is not null and closure is not null))
    )`.execute(db)
  await sql`create unique index involvements_request on involvements (request_id) where request_id is not null`.execute(db)
  await sql`create index involvements_lead on involvements (tenant_id, lead_account_id, status)`.execute(db)
  // What is due next (a review or the earliest open action) orders every caseload list, and a date
  // before today is what "overdue" means, so one expression index serves both.
  await sql`create index involvements_due on involvements (tenant_id, (least(next_review_on, next_action_on)), id) where status <> 'closed'`.execute(db)
  await sql`create index involvements_opened on involvements (tenant_id, opened_at desc, id desc)`.execute(db)
  await sql`create index involvements_name_trgm on involvements using gin (family_name gin_trgm_ops)`.execute(db)

  await sql`
    create table involvement_people (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      kind text not null check (kind in ('child', 'adult')),
      given_name text not null,
      family_name text not null,
      date_of_birth date,
      relationship text,
      ethnicity text,
      details jsonb not null default '{}'::jsonb,
      request_person_id uuid references request_people (id),
      position integer not null default 0,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index involvement_people_involvement on involvement_people (involvement_id, position)`.execute(db)
  await sql`create index involvement_people_request_person on involvement_people (request_person_id) where request_person_id is not null`.execute(db)
  await sql`create index involvement_people_birth on involvement_people (tenant_id, date_of_birth)`.execute(db)
  await sql`create index involvement_people_name_trgm on involvement_people using gin ((given_name || ' ' || family_name) gin_trgm_ops)`.execute(db)

  // Who has been Lead Professional, from when to when and why it changed hands.
  await sql`
    create table lead_professionals (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      account_id uuid not null references accounts (id),
      started_at timestamptz not null,
      ended_at timestamptz,
      reason text not null,
      recorded_by uuid not null references accounts (id)
    )`.execute(db)
  await sql`create index lead_professionals_involvement on lead_professionals (involvement_id, started_at)`.execute(db)
  await sql`create unique index lead_professionals_current on lead_professionals (involvement_id) where ended_at is null`.execute(db)

  // The Team Around the Family. A member with an account gets access to the family while active.
  await sql`
    create table team_members (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      kind text not null check (kind in ('practitioner', 'family')),
      account_id uuid references accounts (id),
      involvement_person_id uuid references involvement_people (id),
      name text not null,
      organisation text,
      role text not null,
      contact text,
      joined_at timestamptz not null default now(),
      added_by uuid not null references accounts (id),
      left_at timestamptz,
      removed_by uuid references accounts (id),
      left_reason text,
      check (kind <> 'family' or involvement_person_id is not null)
    )`.execute(db)
  await sql`create index team_members_involvement on team_members (involvement_id, joined_at)`.execute(db)
  await sql`create unique index team_members_active_account on team_members (involvement_id, account_id) where left_at is null and account_id is not null`.execute(db)
  await sql`create index team_members_account on team_members (tenant_id, account_id) where left_at is null`.execute(db)

  // The Family Story / Shared Family Assessment: one per involvement.
  await sql`
    create table assessments (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null unique references involvements (id),
      due_on date,
      status text not null default 'in-progress' check (status in ('in-progress', 'completed')),
      content jsonb not null default '{}'::jsonb,
      completed_at timestamptz,
      completed_by uuid references accounts (id),
      updated_at timestamptz not null default now(),
      updated_by uuid references accounts (id),
      version integer not null default 1
    )`.execute(db)

  await sql`
    create table meetings (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      kind text not null check (kind in ('initial', 'review', 'final')),
      scheduled_at timestamptz not null,
      venue text,
      is_virtual boolean not null default false,
      coordinator_account_id uuid references accounts (id),
      invitees jsonb not null default '[]'::jsonb,
      status text not null default 'scheduled' check (status in ('scheduled', 'held', 'cancelled')),
      attendance jsonb,
      held_at timestamptz,
      recorded_by uuid references accounts (id),
      created_by uuid not null references accounts (id),
      created_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db)
  await sql`create index meetings_involvement on meetings (involvement_id, scheduled_at)`.execute(db)
  await sql`create index meetings_upcoming on meetings (tenant_id, scheduled_at) where status = 'scheduled'`.execute(db)

  // Plan versions: one per meeting. A draft is edited; once agreed it never changes (trigger below).
  await sql`
    create table plan_versions (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      number integer not null,
      kind text not null check (kind in ('initial', 'review', 'final')),
      meeting_id uuid references meetings (id),
      status text not null default 'draft' check (status in ('draft', 'agreed')),
      content jsonb not null default '{}'::jsonb,
      family_score smallint check (family_score between 0 and 10),
      team_score smallint check (team_score between 0 and 10),
      review_on date,
      consent_given boolean,
      assessor_name text,
      assessor_signed_on date,
      family_signatory_name text,
      family_signed_on date,
      created_by uuid not null references accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      agreed_at timestamptz,
      agreed_by uuid references accounts (id),
      version integer not null default 1,
      unique (involvement_id, number),
      check (status <> 'agreed' or (agreed_at is not null and consent_given is not null))
    )`.execute(db)
  await sql`create unique index plan_versions_one_draft on plan_versions (involvement_id) where status = 'draft'`.execute(db)
  await sql`
    create function plan_versions_agreed_are_final() returns trigger language plpgsql as $$
    begin
      if old.status = 'agreed' then
        raise exception 'An agreed plan version is never changed: start a new version instead' using errcode = 'P0001';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
  await sql`
    create trigger plan_versions_agreed_are_final before update or delete on plan_versions
      for each row execute function plan_versions_agreed_are_final()`.execute(db)

  // Actions from agreed plans, kept current between meetings (status changes without a new version).
  await sql`
    create table plan_actions (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      plan_version_id uuid not null references plan_versions (id),
      need_id text,
      what text not null,
      who text not null,
      due_on date not null,
      status text not null default 'open' check (status in ('open', 'done', 'dropped')),
      status_changed_at timestamptz,
      status_changed_by uuid references accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index plan_actions_involvement on plan_actions (involvement_id, due_on)`.execute(db)
  await sql`create index plan_actions_open on plan_actions (involvement_id, due_on) where status = 'open'`.execute(db)
  // involvements.next_action_on is the earliest open action, kept by the database whoever writes.
  await sql`
    create function plan_actions_next_action() returns trigger language plpgsql as $$
    begin
      update involvements set next_action_on = (
        select min(due_on) from plan_actions where involvement_id = new.involvement_id and status = 'open'
      ) where id = new.involvement_id;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger plan_actions_next_action after insert or update on plan_actions
      for each row execute function plan_actions_next_action()`.execute(db)

  // The chronology: dated, attributed entries, written by people (notes) and by the system (events).
  await sql`
    create table chronology_entries (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      occurred_at timestamptz not null,
      kind text not null,
      summary text not null,
      detail text,
      significant boolean not null default false,
      author_account_id uuid not null references accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index chronology_involvement on chronology_entries (involvement_id, occurred_at desc, id desc)`.execute(db)

  await sql`
    create table level_changes (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      involvement_id uuid not null references involvements (id),
      from_level smallint not null,
      to_level smallint not null,
      direction text not null check (direction in ('up', 'down')),
      reason text not null,
      request_id uuid references requests (id),
      decided_by uuid not null references accounts (id),
      decided_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index level_changes_involvement on level_changes (involvement_id, decided_at)`.execute(db)

  // The Children and Family Panel's agenda: families sent from triage, decided at a weekly panel.
  await sql`
    create table panel_items (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenants (id),
      request_id uuid not null unique references requests (id),
      panel_on date not null,
      status text not null default 'waiting' check (status in ('waiting', 'decided')),
      decision text,
      involvement_id uuid references involvements (id),
      decided_by uuid references accounts (id),
      decided_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index panel_items_date on panel_items (tenant_id, panel_on, status)`.execute(db)

  // A request for support can be a step up from an involvement, prefilled from its plan.
  await sql`alter table requests add column stepped_up_from uuid references involvements (id)`.execute(db)

  const tables = [
    'involvements',
    'involvement_people',
    'lead_professionals',
    'team_members',
    'assessments',
    'meetings',
    'plan_versions',
    'plan_actions',
    'chronology_entries',
    'level_changes',
    'panel_items',
  ]
  for (const table of tables) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert, update on ${sql.table(table)} to eh_app`.execute(db)
  }
  // A draft plan version may be discarded; nothing else in casework is ever deleted.
  await sql`grant delete on plan_versions to eh_app`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
