import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { localDateOf } from '../../domain/working-calendar.ts'
import { formatDate } from '../../platform/views/format.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text, textareaValue } from '../../test/html.ts'
import { assessmentName, completionErrors, readAssessment, type AssessmentPerson } from './content.ts'

/** The Family Story / Shared Family Assessment over HTTP, on the real app and database. */

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

async function people(involvementId: string) {
  const rows = await ctx.db.system.selectFrom('involvement_people').select(['id', 'kind', 'given_name']).where('involvement_id', '=', involvementId).orderBy('position').execute()
  const byName = (name: string) => rows.find((r) => r.given_name === name)!.id
  return { maisie: byName('Maisie'), leo: byName('Leo'), dana: byName('Dana') }
}

async function addToTeam(involvementId: string, account: TestAccount) {
  await ctx.db.system
    .insertInto('team_members')
    .values({ tenant_id: account.tenantId, involvement_id: involvementId, kind: 'practitioner', account_id: account.id, name: 'Team member', role: 'School nurse', added_by: account.id })
    .execute()
}

async function audits(action: string, involvementId: string) {
  return ctx.db.system.selectFrom('audit_events').selectAll().where('action', '=', action).where('detail', '@>', JSON.stringify({ involvementId }) as never).execute()
}

test('the name comes from the authority, and completing needs strengths, needs and every child’s voice or why not', () => {
  assert.equal(assessmentName('southend'), 'Family Story Assessment')
  assert.equal(assessmentName('essex'), 'Shared Family Assessment')
  const family: AssessmentPerson[] = [
    { id: 'c1', kind: 'child', given_name: 'Maisie', family_name: 'T', relationship: 'Daughter' },
    { id: 'a1', kind: 'adult', given_name: 'Dana', family_name: 'T', relationship: 'Mother' },
  ]
  const read = readAssessment({ strengths: ' Close family ', 'views-a1': 'Tired', 'views-zz': 'not a family member' }, family)
  assert.ok(read.ok)
  assert.equal(read.content.strengths, 'Close family')
  assert.deepEqual(Object.keys(read.content.views ?? {}), ['c1', 'a1'])
  assert.deepEqual(Object.keys(completionErrors(read.content, family)).sort(), ['needs', 'voice-c1'])
  assert.deepEqual(completionErrors({ ...read.content, needs: 'Routines', voices: { c1: { notGained: 'Aged 1' } } }, family), {})
  assert.equal(readAssessment({ strengths: 'x'.repeat(10_001) }, family).ok, false)
})

test('the due date shows as due, and as overdue once it has passed; Essex calls it the Shared Family Assessment', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const agent = await ctx.signIn(lead)
  const fresh = await openTestInvolvement(ctx, lead, { level: 3 })
  const page = await agent.get(`/involvements/${fresh.id}/assessment`)
  assert.equal(page.statusCode, 200)
  const due = (await ctx.db.system.selectFrom('assessments').select('due_on').where('involvement_id', '=', fresh.id).executeTakeFirstOrThrow()).due_on!
  assert.ok(due > localDateOf(new Date()))
  assert.match(text(page.body), /Family Story Assessment/)
  assert.match(text(page.body), new RegExp(`Due ${formatDate(due)} (Due soon|Not due yet)`))

  const old = await openTestInvolvement(ctx, lead, { level: 3, now: new Date(Date.now() - 40 * 24 * 3600 * 1000) })
  const overdue = await agent.get(`/involvements/${old.id}/assessment`)
  assert.match(text(overdue.body), /Overdue/)
  assert.equal((await audits('assessment-viewed', old.id)).length, 1)

  const essexLead = await ctx.newAccount('essex', 'practitioner')
  const essex = await openTestInvolvement(ctx, essexLead, { level: 2 })
  const essexPage = await (await ctx.signIn(essexLead)).get(`/involvements/${essex.id}/assessment`)
  assert.match(text(essexPage.body), /Shared Family Assessment/)
  assert.doesNotMatch(text(essexPage.body), /Family Story/)
})

test('saving a draft, a stale save, completing with and without every child’s voice', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const member = await ctx.newAccount('southend', 'practitioner')
  const outsider = await ctx.newAccount('southend', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 3 })
  await addToTeam(id, member)
  const { maisie, leo, dana } = await people(id)
  const [leadAgent, memberAgent, outsiderAgent] = await Promise.all([ctx.signIn(lead), ctx.signIn(member), ctx.signIn(outsider)])
  const url = `/involvements/${id}/assessment`

  // Every family member has a labelled box, and each child their own words.
  const blank = await leadAgent.get(url)
  assert.match(text(blank.body), /Views of Dana Testfamily \(Mother\)/)
  assert.match(text(blank.body), /Views of Leo Testfamily \(Son\)/)
  assert.match(text(blank.body), /In Maisie’s own words/)
  assert.match(text(blank.body), /In Leo’s own words/)

  // A member of the team saves a draft.
  const saved = await memberAgent.post(url, { version: '1', action: 'save', strengths: 'Dana is determined.', [`views-${dana}`]: 'I want the mornings to be calmer.' })
  assert.equal(saved.statusCode, 303)
  const draft = await leadAgent.get(url)
  assert.equal(textareaValue(draft.body, 'strengths'), 'Dana is determined.')
  assert.equal(textareaValue(draft.body, `views-${dana}`), 'I want the mornings to be calmer.')
  assert.equal((await audits('assessment-saved', id)).length, 1)

  // A save from a page opened before that one is refused, keeping what was typed.
  const stale = await leadAgent.post(url, { version: '1', action: 'save', strengths: 'Typed on an old page.' })
  assert.equal(stale.statusCode, 409)
  assert.match(errorSummary(stale.body)[0]?.text ?? '', /Someone else saved this assessment/)
  assert.equal(textareaValue(stale.body, 'strengths'), 'Typed on an old page.')

  // A member cannot complete it: only the Lead Professional or a manager.
  assert.equal((await memberAgent.post(url, { version: '2', action: 'complete', strengths: 'x', needs: 'y' })).statusCode, 404)
  // Someone not on the team is told the family does not exist.
  assert.equal((await outsiderAgent.get(url)).statusCode, 404)
  assert.equal((await outsiderAgent.post(url, { version: '2', action: 'save', strengths: 'x' })).statusCode, 404)

  // Completing without Leo's voice or a reason is refused, with everything kept.
  const form = { version: '2', action: 'complete', strengths: 'Dana is determined.', needs: 'Calmer mornings; school attendance.', [`voice-${maisie}`]: 'I like my teacher.', analysis: 'Routines first.' }
  const incomplete = await leadAgent.post(url, form)
  assert.equal(incomplete.statusCode, 400)
  assert.deepEqual(
    errorSummary(incomplete.body).map((e) => e.href),
    [`#voice-${leo}`],
  )
  assert.equal(textareaValue(incomplete.body, `voice-${maisie}`), 'I like my teacher.')
  assert.equal(textareaValue(incomplete.body, 'analysis'), 'Routines first.')

  const completed = await leadAgent.post(url, { ...form, [`notGained-${leo}`]: 'Leo is 6 and was unwell on the day.' })
  assert.equal(completed.statusCode, 303)
  const row = await ctx.db.system.selectFrom('assessments').selectAll().where('involvement_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'completed')
  assert.equal(row.completed_by, lead.id)
  assert.ok(row.completed_at)
  assert.equal((await audits('assessment-completed', id)).length, 1)
  const chronology = await ctx.db.system.selectFrom('chronology_entries').selectAll().where('involvement_id', '=', id).where('kind', '=', 'assessment').execute()
  assert.equal(chronology.length, 1)
  assert.equal(chronology[0]?.significant, true)

  // Completed: read-only, everyone's words shown.
  const done = await leadAgent.get(url)
  assert.match(text(done.body), /Completed/)
  assert.match(text(done.body), /I like my teacher\./)
  assert.match(text(done.body), /could not be gained: Leo is 6/)
  assert.equal(textareaValue(done.body, 'strengths'), undefined)
})

test('a closed family’s assessment can be read but not changed', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 2 })
  await ctx.db.system.updateTable('involvements').set({ status: 'closed', closed_at: new Date(), closure: JSON.stringify({ reason: 'needs-met' }) }).where('id', '=', id).execute()
  const agent = await ctx.signIn(lead)
  const page = await agent.get(`/involvements/${id}/assessment`)
  assert.equal(page.statusCode, 200)
  assert.equal(textareaValue(page.body, 'strengths'), undefined)
  assert.equal((await agent.post(`/involvements/${id}/assessment`, { version: '1', action: 'save', strengths: 'x' })).statusCode, 409)
})
