import { sql, type Kysely } from 'kysely'

/**
 * Retention of the notification outbox (issue 6): every email the service sent keeps the address
 * it went to and what it said, so the retention sweep deletes messages a number of days after they
 * became final (sent, or given up as failed), like any other record type, and never one about a
 * record under a legal hold.
 *
 * - The sweep's run items may now be notifications.
 * - A message's event key names the record it is about (`request:<id>:…`, `involvement:<id>:…`);
 *   `notification_subject` reads that id, and `legal_hold_subjects` lists every record a hold
 *   covers: the held record, the request a held family came from, the family a held request
 *   became, and a request stepped up from a held family (as the sweep keeps them together).
 * - A trigger refuses, for any role, a delete that would remove a message about a held record. It
 *   runs once per statement over the deleted rows, so the sweep's one delete is checked in one go.
 * - The sweep finds final messages by authority and date through a partial index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table retention_run_items drop constraint retention_run_items_record_type_check`.execute(db)
  await sql`
    alter table retention_run_items add constraint retention_run_items_record_type_check
      check (record_type in ('involvement', 'request-not-progressed', 'consultation', 'draft-request', 'notification'))`.execute(db)

  // The record a message is about, from its event key; null for anything else (an account's messages).
  await sql`
    create function notification_subject(event_key text) returns uuid language sql immutable as $$
      select case
        when event_key ~* '^(request|involvement):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:'
        then split_part(event_key, ':', 2)::uuid
      end
    $$`.execute(db)

  // Every record an active legal hold covers. Security definer, like legal_hold_active: the trigger
  // must see every hold whatever role or tenant setting the statement runs with.
  await sql`
    create function legal_hold_subjects() returns setof uuid language sql stable security definer
      set search_path = public as $$
      select h.record_id from legal_holds h where h.lifted_at is null
      union
      select i.request_id from legal_holds h join involvements i on i.id = h.record_id
       where h.lifted_at is null and i.request_id is not null
      union
      select i.id from legal_holds h join involvements i on i.request_id = h.record_id
       where h.lifted_at is null
      union
      select r.id from legal_holds h join requests r on r.stepped_up_from = h.record_id
       where h.lifted_at is null
    $$`.execute(db)

  await sql`
    create function notifications_refuse_held_delete() returns trigger language plpgsql as $$
    declare
      held_id uuid;
    begin
      select gone.id into held_id from gone
       where notification_subject(gone.event_key) = any(array(select legal_hold_subjects()))
       limit 1;
      if held_id is not null then
        raise exception 'notification % is about a record under a legal hold and cannot be deleted', held_id using errcode = 'insufficient_privilege';
      end if;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger notifications_legal_hold after delete on notifications
      referencing old table as gone
      for each statement execute function notifications_refuse_held_delete()`.execute(db)

  // What the sweep reads: an authority's final messages by the date they became final.
  await sql`
    create index notifications_retention on notifications (tenant_id, (coalesce(sent_at, created_at)))
      where status in ('sent', 'sent-demonstration', 'failed')`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from backup instead.')
}
