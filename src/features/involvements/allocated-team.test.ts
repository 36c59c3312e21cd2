import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { localDateOf } from '../../domain/working-calendar.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { text } from '../../test/html.ts'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

const todayFields = () => {
  const [year, month, day] = localDateOf(new Date()).split('-')
  return { 'date-day': day!, 'date-month': month!, 'date-year': year! }
}

test('a colleague in the council team the family is allocated to covers: reads and adds to the record, but cannot manage it', async () => {
  const team = await ctx.newOrganisation('essex', { name: 'Family Solutions (test quadrant)', kind: 'council' })
  const lead = await ctx.newAccount('essex', 'practitioner', { organisationId: team })
  const colleague = await ctx.newAccount('essex', 'practitioner', { organisationId: team })
  const outsider = await ctx.newAccount('essex', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { familyName: 'Allocated' })
  const row = await ctx.db.system.selectFrom('involvements').select('allocated_team_id').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.allocated_team_id, team, 'a Lead Professional in a council team brings the family to it')

  const agent = await ctx.signIn(colleague)
  const page = await agent.get(`/involvements/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /Allocated team Family Solutions \(test quadrant\)/)
  const note = await agent.post(`/involvements/${id}/chronology/new`, { kind: 'note', ...todayFields(), summary: 'Covered a home visit while the Lead Professional was away', significant: 'no' })
  assert.equal(note.statusCode, 303, 'a colleague can add to the chronology')
  assert.equal((await agent.get(`/involvements/${id}/team`)).statusCode, 404, 'but not change the team')
  assert.equal((await agent.get(`/involvements/${id}/lead-professional`)).statusCode, 404, 'or hand over the Lead Professional role')

  const mine = await agent.get('/involvements')
  assert.ok(!mine.body.includes(id), 'their own list holds only the families they lead or are on the team of')
  const teams = await agent.get('/involvements?team=yes')
  assert.equal(teams.statusCode, 200)
  assert.match(text(teams.body), /Your team’s families/)
  assert.ok(teams.body.includes(`/involvements/${id}`), 'the team list holds the family')

  const stranger = await ctx.signIn(outsider)
  assert.equal((await stranger.get(`/involvements/${id}`)).statusCode, 404, 'a practitioner in another organisation is told it does not exist')
  assert.ok(!(await stranger.get('/involvements?team=yes')).body.includes(id))
})

test('a Lead Professional from a school brings no team; handing over to a council team worker allocates the family to that team', async () => {
  const school = await ctx.newAccount('southend', 'practitioner')
  const { id } = await openTestInvolvement(ctx, school, { familyName: 'Schoolled' })
  const before = await ctx.db.system.selectFrom('involvements').select(['allocated_team_id', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(before.allocated_team_id, null)
  const page = await (await ctx.signIn(school)).get(`/involvements/${id}`)
  assert.match(text(page.body), /Allocated team None/)

  const team = await ctx.newOrganisation('southend', { name: 'Early Help Family Support (test)', kind: 'council' })
  const worker = await ctx.newAccount('southend', 'practitioner', { organisationId: team })
  const handed = await (await ctx.signIn(school)).post(`/involvements/${id}/lead-professional`, { version: String(before.version), email: worker.email, reason: 'Needs more intensive family support' })
  assert.equal(handed.statusCode, 303)
  const after = await ctx.db.system.selectFrom('involvements').select('allocated_team_id').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(after.allocated_team_id, team)
})
