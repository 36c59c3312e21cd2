// Caseload at county scale for the benchmark: Essex gets BENCH_FAMILIES involvements (default
// 20,000), each with three family members, a Lead Professional period and team membership, an
// agreed plan and three actions; about one family in six has an overdue review or action. They
// are written straight into the embedded database between the benchmark's two starts, with
// set-based SQL.
import { sql } from 'kysely'
import { openDatabase } from '../src/platform/db/database.ts'

export async function loadCaseload(dataDir: string, families: number): Promise<void> {
  const db = await openDatabase({ dataDir })
  try {
    const lead = await db.system.selectFrom('accounts').select('id').where('email', '=', 'family-solutions-worker@essex.example').executeTakeFirstOrThrow()
    const manager = await db.system.selectFrom('accounts').select('id').where('email', '=', 'duty-manager@essex.example').executeTakeFirstOrThrow()
    await db.system.transaction().execute(async (trx) => {
      await sql`
        insert into involvements (tenant_id, reference, family_name, level, route, lead_account_id, allocated_at, next_review_on, assessment_due_on, opened_by, opened_at)
        select 'essex', 'ESS-EH-BENCH-' || lpad(n::text, 6, '0'), 'Bench' || n, 2 + (n % 2), 'triage',
               -- one family in fifty is led by the demonstration worker, the rest by nobody who signs in
               ${lead.id}::uuid, now() - (n % 300) * interval '1 day',
               current_date + ((n % 120) - 10), current_date + ((n % 40) - 4), ${manager.id}::uuid, now() - (n % 300) * interval '1 day'
        from generate_series(1, ${families}) as n`.execute(trx)
      await sql`
        insert into involvement_people (tenant_id, involvement_id, kind, given_name, family_name, date_of_birth, relationship, position)
        select 'essex', i.id, p.kind, p.given, i.family_name, date '2015-01-01' + (p.pos * 400), p.rel, p.pos
        from involvements i
        cross join (values ('child', 'Alex', 'Child', 0), ('child', 'Sam', 'Child', 1), ('adult', 'Jo', 'Parent', 2)) as p(kind, given, rel, pos)
        where i.reference like 'ESS-EH-BENCH-%'`.execute(trx)
      await sql`
        insert into lead_professionals (tenant_id, involvement_id, account_id, started_at, reason, recorded_by)
        select 'essex', id, lead_account_id, opened_at, 'Benchmark', opened_by from involvements where reference like 'ESS-EH-BENCH-%'`.execute(trx)
      await sql`
        insert into team_members (tenant_id, involvement_id, kind, account_id, name, role, added_by)
        select 'essex', id, 'practitioner', lead_account_id, 'Lead', 'Lead Professional', opened_by from involvements where reference like 'ESS-EH-BENCH-%'`.execute(trx)
      await sql`
        insert into plan_versions (tenant_id, involvement_id, number, kind, status, family_score, team_score, consent_given, agreed_at, created_by)
        select 'essex', id, 1, 'initial', 'agreed', 3, 4, true, opened_at, opened_by from involvements where reference like 'ESS-EH-BENCH-%'`.execute(trx)
      await sql`
        insert into plan_actions (id, tenant_id, involvement_id, plan_version_id, what, who, due_on)
        select gen_random_uuid(), 'essex', v.involvement_id, v.id, 'Action ' || a, 'Family', current_date + (abs(hashtext(v.involvement_id::text)) % 100) - 8 + a * 20
        from plan_versions v cross join generate_series(1, 3) as a
        where v.tenant_id = 'essex' and v.involvement_id in (select id from involvements where reference like 'ESS-EH-BENCH-%')`.execute(trx)
      await sql`analyze`.execute(trx)
    })
  } finally {
    await db.close()
  }
}

/**
 * A county-sized directory: BENCH_SERVICES Essex services (default 5,000), copied from the
 * demonstration services with new ids and numbered names, so search, filters and the Open
 * Referral API are measured on a realistic number of rows.
 */
export async function loadDirectory(dataDir: string, services: number): Promise<void> {
  const db = await openDatabase({ dataDir })
  try {
    await db.system.transaction().execute(async (trx) => {
      await sql`
        with template as (
          select row_number() over (order by id) as k, count(*) over () as size, * from directory_services where tenant_id = 'essex'
        ), copies as (
          select gen_random_uuid() as new_id, n, t.* from generate_series(1, ${services}) as n join template t on t.k = 1 + (n % t.size)
        )
        insert into directory_services (id, tenant_id, organization_id, name, description, status, minimum_age, maximum_age, document,
          levels, localities, categories, referral_routes, how_to_refer, capacity, last_checked_on, term_ids, postcode_districts)
        select new_id, tenant_id, organization_id, name || ' (copy ' || n || ')', description, status, minimum_age, maximum_age,
          jsonb_set(jsonb_set(document, '{id}', to_jsonb(new_id::text)), '{name}', to_jsonb(name || ' (copy ' || n || ')')),
          levels, localities, categories, referral_routes, how_to_refer, capacity, last_checked_on, term_ids, postcode_districts
        from copies`.execute(trx)
      await sql`analyze`.execute(trx)
    })
  } finally {
    await db.close()
  }
}
