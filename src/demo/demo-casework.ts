import { randomUUID } from 'node:crypto'
import { addDays } from '../domain/casework-timescales.ts'
import { localDateOf } from '../domain/working-calendar.ts'
import { frameworkById } from '../frameworks/index.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { Database } from '../platform/db/database.ts'
import { openInvolvement } from '../features/involvements/open.ts'
import { agreePlan, startPlanVersion } from '../features/plans/service.ts'
import { parseContent } from '../features/plans/content.ts'

/**
 * One fictional family in early help in each authority, worked through the same services a person
 * uses: opened at level 3 eight weeks ago with the authority's intensive worker as Lead
 * Professional and a health visitor in the team, an initial plan agreed with scores of 3, and one
 * action now overdue, so the caseload, the manager's overdue list and the family's page have
 * something in them. Loaded once, like the requests.
 */
export async function loadDemoCasework(db: Database, now: Date): Promise<boolean> {
  const claimed = await db.system
    .insertInto('seed_runs')
    .values({ name: 'demo-casework' })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst()
  if (!claimed) return false
  const opened = new Date(now.getTime() - 56 * 86_400_000)
  const openedOn = localDateOf(opened)
  for (const tenantId of ['essex', 'southend']) {
    const framework = frameworkById(tenantId)
    const worker = tenantId === 'essex' ? 'family-solutions-worker' : 'family-support-worker'
    const accounts = await db.system
      .selectFrom('accounts')
      .select(['id', 'email', 'name'])
      .where('email', 'in', [`${worker}@${tenantId}.example`, `duty-manager@${tenantId}.example`, `health-visitor@${tenantId}.example`])
      .execute()
    const account = (local: string) => accounts.find((a) => a.email === `${local}@${tenantId}.example`)
    const lead = account(worker)
    const manager = account('duty-manager')
    const visitor = account('health-visitor')
    if (!framework || !lead || !manager || !visitor) continue
    const managerActor: Actor = { accountId: manager.id, tenantId, role: 'duty_manager', ip: null, requestId: null }
    const leadActor: Actor = { accountId: lead.id, tenantId, role: 'practitioner', ip: null, requestId: null }
    const { id } = await db.asTenant(tenantId, async (trx) => {
      const involvement = await openInvolvement(
        trx,
        managerActor,
        {
          familyName: 'Carter',
          level: 3,
          route: 'triage',
          leadAccountId: lead.id,
          summary: 'Decided at the front door: intensive support, level 3',
          people: [
            { kind: 'child', givenName: 'Mia', familyName: 'Carter', dateOfBirth: '2016-04-11', relationship: 'Daughter' },
            { kind: 'child', givenName: 'Jack', familyName: 'Carter', dateOfBirth: '2019-10-02', relationship: 'Son' },
            { kind: 'adult', givenName: 'Kelly', familyName: 'Carter', dateOfBirth: '1991-06-23', relationship: 'Mother' },
          ],
        },
        opened,
      )
      await trx
        .insertInto('team_members')
        .values({ tenant_id: tenantId, involvement_id: involvement.id, kind: 'practitioner', account_id: visitor.id, name: visitor.name, role: 'Health visitor', contact: visitor.email, added_by: lead.id, joined_at: opened })
        .execute()
      const row = await trx.selectFrom('involvements').selectAll().where('id', '=', involvement.id).executeTakeFirstOrThrow()
      const plan = await startPlanVersion(trx, leadActor, row, { kind: 'initial' }, opened)
      const outcome = framework.outcomeFramework.themes[0]?.outcomes[0]?.id
      const needId = randomUUID()
      const content = parseContent({
        meeting: { date: openedOn, time: '10:00', venue: 'Family hub', virtual: 'no', coordinator: lead.name },
        child: { name: 'Mia Carter', dateOfBirth: '2016-04-11', address: '1 Demonstration Road' },
        familyMembers: [
          { name: 'Kelly Carter', relationship: 'Mother', attended: 'yes', viewsGained: 'yes', ethnicity: '' },
          { name: 'Mia Carter', relationship: 'Daughter', attended: 'yes', viewsGained: 'yes', ethnicity: '' },
        ],
        practitioners: [
          { name: lead.name, role: 'Lead Professional', contact: lead.email, attended: 'yes', reportProvided: 'no' },
          { name: visitor.name, role: 'Health visitor', contact: visitor.email, attended: 'yes', reportProvided: 'yes' },
        ],
        worries: 'Mia has missed school most Mondays this term. Kelly says mornings are hard since she started night shifts.',
        goingWell: 'Kelly’s sister helps after school. Jack is settled at nursery. Mia says she likes art club.',
        needs: [{ id: needId, text: 'Mia gets to school every day, on time.', outcomeIds: outcome ? [outcome] : [], headlineIds: ['good-education'] }],
        howWeWillKnow: 'Mia’s attendance is above 95% for half a term, and Kelly says mornings feel calmer.',
        nextStep: 'create-plan',
        actions: [
          { id: randomUUID(), needId, what: 'Set up a morning routine chart with Mia', who: 'Kelly', dueOn: addDays(openedOn, 14), status: 'open' },
          { id: randomUUID(), needId, what: 'Refer Kelly to the parenting course', who: lead.name, dueOn: addDays(openedOn, 100), status: 'open' },
        ],
      })
      await trx
        .updateTable('plan_versions')
        .set({ content: JSON.stringify(content), family_score: 3, team_score: 3, review_on: addDays(openedOn, 42) })
        .where('id', '=', plan.id)
        .execute()
      return { id: involvement.id, plan: plan.number }
    })
    const draft = await db.system.selectFrom('plan_versions').select(['number', 'version']).where('involvement_id', '=', id).executeTakeFirstOrThrow()
    await agreePlan(
      db,
      leadActor,
      id,
      draft.number,
      draft.version,
      { consentGiven: true, assessorName: lead.name, assessorSignedOn: openedOn, familySignatoryName: 'Kelly Carter', familySignedOn: openedOn },
      opened,
    )
  }
  return true
}
