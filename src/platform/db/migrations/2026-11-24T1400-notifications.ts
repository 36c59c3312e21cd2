import { sql, type Kysely } from 'kysely'

/**
 * The notification outbox: each message an event causes, written in the event's own transaction
 * and sent afterwards by the job worker (src/platform/notify/outbox.ts). Tenant-owned under
 * row-level security like every other table; the worker reads and updates it on the owner's
 * connection, across authorities.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notifications (
      id uuid primary key,
      tenant_id text not null references tenants (id),
      event_key text not null,
      channel text not null default 'email' check (channel in ('email')),
      template text not null,
      recipient text not null,
      personalisation jsonb not null default '{}'::jsonb,
      reference text not null,
      status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'sent-demonstration', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      last_error text,
      next_attempt_at timestamptz,
      sent_at timestamptz,
      provider_id text,
      created_at timestamptz not null default now(),
      unique (tenant_id, event_key),
      -- Notify keeps the reference and shows it in its own dashboards: it is our id and nothing else.
      check (reference = id::text),
      check ((status in ('queued', 'sending')) = (next_attempt_at is not null)),
      check (status not in ('sent', 'sent-demonstration') or sent_at is not null)
    )`.execute(db)
  // The worker's claim: what is due, oldest first.
  await sql`
    create index notifications_due on notifications (status, next_attempt_at)
      where status in ('queued', 'sending')`.execute(db)
  // The administrators' outbox: newest first, a keyset page at a time.
  await sql`create index notifications_tenant_created on notifications (tenant_id, created_at desc, id desc)`.execute(db)

  await sql`alter table notifications enable row level security`.execute(db)
  await sql`
    create policy tenant_isolation on notifications
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
  // Services queue messages and administrators read them; only the worker (the owner) changes them.
  await sql`grant select, insert on notifications to eh_app`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
