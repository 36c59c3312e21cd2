import { sql, type Kysely } from 'kysely'

/**
 * The allocated team (issue 6): the council team a family's early help is allocated to, whose
 * practitioners cover for each other and so may see and add to the family's record. It follows
 * the Lead Professional when they work in a council team; a Lead Professional from a school or a
 * health service leaves the family allocated to no team.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table involvements add column allocated_team_id uuid references organisations (id)`.execute(db)
  // "Your team's families": one indexed range per team.
  await sql`create index involvements_allocated_team on involvements (allocated_team_id, status) where allocated_team_id is not null`.execute(db)
  await sql`
    update involvements i set allocated_team_id = a.organisation_id
      from accounts a join organisations o on o.id = a.organisation_id
     where a.id = i.lead_account_id and o.kind = 'council'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table involvements drop column allocated_team_id`.execute(db)
}
