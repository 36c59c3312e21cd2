import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { addDays, addMonths } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../../test/html.ts'
import { closureNeedsSignOff, readClosure, stepDownTargets, stepUpTargets, triedText } from './rules.ts'

/** Step up, step down (within an involvement and from social care) and closure, over HTTP on the real app. */

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

const todayParts = () => localDateOf(new Date()).split('-')
const dateFields = (prefix: string, parts = todayParts()) => ({ [`${prefix}-day`]: parts[2]!, [`${prefix}-month`]: parts[1]!, [`${prefix}-year`]: parts[0]! })

async function involvement(id: string) {
  return ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function auditCount(action: string, recordId: string) {
  return (await ctx.db.system.selectFrom('audit_events').select('id').where('action', '=', action).where('record_id', '=', recordId).execute()).length
}

/** An agreed plan with two actions, one done, straight into the tables. */
async function agreedPlan(tenantId: string, involvementId: string, author: TestAccount) {
  const plan = await ctx.db.system
    .insertInto('plan_versions')
    .values({
      tenant_id: tenantId,
      involvement_id: involvementId,
      number: 1,
      kind: 'initial',
      status: 'agreed',
      agreed_at: new Date(),
      consent_given: true,
      created_by: author.id,
      content: JSON.stringify({ worries: 'Mornings are chaotic and Maisie is missing school.', goingWell: 'Dana is determined.', needs: [{ id: 'n1', text: 'Maisie at school every day' }] }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db.system
    .insertInto('plan_actions')
    .values([
      { id: randomUUID(), tenant_id: tenantId, involvement_id: involvementId, plan_version_id: plan.id, what: 'Morning routine chart', who: 'Dana', due_on: '2026-10-01', status: 'done' },
      { id: randomUUID(), tenant_id: tenantId, involvement_id: involvementId, plan_version_id: plan.id, what: 'Attendance meeting with school', who: 'School', due_on: '2026-10-15', status: 'open' },
    ])
    .execute()
}

/** The task list's rows: title → status. */
function tasks(html: string): Record<string, string> {
  const items = html.split('<li class="govuk-task-list__item').slice(1)
  return Object.fromEntries(
    items.map((item) => {
      const title = text(/govuk-task-list__name-and-hint">([^]*?)<\/div>/.exec(item)?.[1] ?? '')
      const status = text(/govuk-task-list__status[^>]*>([^]*?)<\/div>/.exec(item)?.[1] ?? '')
      return [title, status]
    }),
  )
}

test('the rules: which levels up and down, which closures need sign-off, the evidence in words, the closure form', () => {
  assert.deepEqual(stepUpTargets(2), [3, 4])
  assert.deepEqual(stepUpTargets(3), [4])
  assert.deepEqual(stepDownTargets(2), [])
  assert.deepEqual(stepDownTargets(3), [1, 2])
  assert.deepEqual(stepDownTargets(4), [1, 2, 3])
  assert.equal(closureNeedsSignOff(2), false)
  assert.equal(closureNeedsSignOff(3), true)
  const words = triedText(
    { number: 2, agreedAt: null, needs: ['Calmer mornings'], actions: [{ what: 'Routine chart', who: 'Dana', dueOn: '2026-10-01', status: 'done' }] },
    (d) => d.slice(0, 10),
  )
  assert.match(words, /Routine chart \(Dana, by 2026-10-01\): Done/)
  assert.match(words, /What needs to change:\n- Calmer mornings/)
  const framework = frameworkById('southend')!
  const outcome = framework.outcomeFramework.themes[0]!.outcomes[0]!.id
  const read = readClosure({ reason: 'other', outcomes: [outcome, 'made-up'], familyScore: 'unknown', teamScore: '7', summary: 'Done' }, framework)
  assert.ok(!read.ok)
  assert.deepEqual(Object.keys(read.errors), ['details'])
  const ok = readClosure({ reason: 'needs-met', outcomes: [outcome, 'made-up'], familyScore: '8', teamScore: '10', summary: 'Done' }, framework)
  assert.ok(ok.ok)
  assert.deepEqual(ok.value.outcomesAchieved, [outcome])
  assert.deepEqual(ok.value.finalScores, { family: 8, team: 10 })
})

for (const tenant of ['southend', 'essex'] as const) {
  test(`${tenant}: stepping up starts a draft request prefilled from the plan, with the children and adults complete`, async () => {
    const lead = await ctx.newAccount(tenant, 'practitioner')
    const manager = await ctx.newAccount(tenant, 'team_manager')
    const { id } = await openTestInvolvement(ctx, lead, { level: 2 })
    await agreedPlan(tenant, id, lead)
    const [agent, managerAgent] = await Promise.all([ctx.signIn(lead), ctx.signIn(manager)])

    const page = await agent.get(`/involvements/${id}/step-up`)
    assert.equal(page.statusCode, 200)
    const tried = textareaValue(page.body, 'tried') ?? ''
    assert.match(tried, /Morning routine chart \(Dana, by 1 October 2026\): Done/)
    assert.match(tried, /Attendance meeting with school \(School, by 15 October 2026\): To do/)
    assert.match(tried, /Maisie at school every day/)

    // A manager is guided to the Lead Professional: only a practitioner sends a request for support.
    const guidance = await managerAgent.get(`/involvements/${id}/step-up`)
    assert.equal(guidance.statusCode, 200)
    assert.match(text(guidance.body), /Only the Lead Professional can ask/)
    assert.equal((await managerAgent.post(`/involvements/${id}/step-up`, { toLevel: '3', whyNow: 'x', tried: 'y' })).statusCode, 404)

    const missing = await agent.post(`/involvements/${id}/step-up`, { whyNow: '', tried })
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(errorSummary(missing.body).map((e) => e.href), ['#toLevel', '#whyNow'])

    const stepped = await agent.post(`/involvements/${id}/step-up`, { toLevel: '3', whyNow: 'Maisie has missed 3 weeks of school.', tried })
    assert.equal(stepped.statusCode, 303)
    const requestId = /^\/requests\/([0-9a-f-]{36})$/.exec(String(stepped.headers.location))?.[1]
    assert.ok(requestId)
    const request = await ctx.db.system.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow()
    assert.equal(request.status, 'draft')
    assert.equal(request.stepped_up_from, id)
    assert.equal(request.referrer_account_id, lead.id)
    const answers = request.answers as Record<string, Record<string, string>>
    assert.equal(answers.support?.levelAskedFor, '3')
    assert.match(answers.support?.triedAlready ?? '', /Morning routine chart/)
    assert.equal(answers.worries?.referrerWords, 'Maisie has missed 3 weeks of school.')
    assert.equal(answers.worries?.familyWords, 'Mornings are chaotic and Maisie is missing school.')
    assert.equal(answers.strengths?.strengths, 'Dana is determined.')

    const taskList = await agent.get(`/requests/${requestId}`)
    assert.equal(taskList.statusCode, 200)
    const statuses = tasks(taskList.body)
    assert.equal(statuses.Children, 'Completed')
    assert.equal(statuses['Parents, carers and other adults'], 'Completed')
    assert.equal(statuses['Worries'], 'Completed')
    assert.equal(statuses['Support asked for and what has been tried'], 'Completed')
    assert.equal(statuses['Consent'], 'Incomplete')
    assert.match(text(taskList.body), /Maisie Testfamily/)
    assert.match(text(taskList.body), /Dana Testfamily/)

    assert.equal(await auditCount('stepped-up', id), 1)
    const chronology = await ctx.db.system.selectFrom('chronology_entries').select('summary').where('involvement_id', '=', id).where('kind', '=', 'level-change').execute()
    assert.deepEqual(chronology.map((c) => c.summary), ['Asked the front door to step up to level 3: request started'])
    // The level changes only when the front door decides.
    assert.equal((await involvement(id)).level, 2)
  })
}

test('a step up from intensive support to children’s social care asks the front door for level 4', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 3 })
  const agent = await ctx.signIn(lead)
  const stepped = await agent.post(`/involvements/${id}/step-up`, { toLevel: '4', whyNow: 'Maisie has told school she is frightened at home.', tried: 'Intensive support since June.' })
  assert.equal(stepped.statusCode, 303)
  const requestId = /^\/requests\/([0-9a-f-]{36})$/.exec(String(stepped.headers.location))?.[1] ?? ''
  const request = await ctx.db.system.selectFrom('requests').select('answers').where('id', '=', requestId).executeTakeFirstOrThrow()
  assert.equal((request.answers as Record<string, Record<string, string>>).support?.levelAskedFor, '4')
  const section = await agent.get(`/requests/${requestId}/section/support`)
  assert.match(section.body, /value="4" checked/, 'the request journey shows level 4 asked for')
})

test('southend: stepping down changes the level, hands over the Lead Professional and follows the new cadence', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const next = await ctx.newAccount('southend', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 3 })
  const agent = await ctx.signIn(lead)
  const page = await agent.get(`/involvements/${id}/step-down`)
  assert.equal(page.statusCode, 200)
  const version = inputValue(page.body, 'version')!
  const form = { version, toLevel: '2', reason: 'Attendance is back above 95%.', ...dateFields('handover'), notes: 'Dana prefers texts.' }

  const unknown = await agent.post(`/involvements/${id}/step-down`, { ...form, leadEmail: 'nobody@southend.test' })
  assert.equal(unknown.statusCode, 400)
  assert.match(errorSummary(unknown.body)[0]?.text ?? '', /no active practitioner/)
  assert.equal(textareaValue(unknown.body, 'notes'), 'Dana prefers texts.')

  const done = await agent.post(`/involvements/${id}/step-down`, { ...form, leadEmail: next.email })
  assert.equal(done.statusCode, 303)
  const row = await involvement(id)
  assert.equal(row.level, 2)
  assert.equal(row.lead_account_id, next.id)
  assert.equal(row.review_cadence_id, 'tacaf-review')
  assert.equal(row.next_review_on, addDays(localDateOf(new Date()), 42))
  const leads = await ctx.db.system.selectFrom('lead_professionals').selectAll().where('involvement_id', '=', id).orderBy('started_at').execute()
  assert.equal(leads.length, 2)
  assert.ok(leads.find((l) => l.account_id === lead.id)?.ended_at)
  assert.equal(leads.find((l) => l.account_id === next.id)?.ended_at, null)
  const team = await ctx.db.system.selectFrom('team_members').select(['account_id', 'role']).where('involvement_id', '=', id).where('kind', '=', 'practitioner').where('left_at', 'is', null).execute()
  assert.equal(team.find((m) => m.account_id === next.id)?.role, 'Lead Professional')
  assert.equal(team.find((m) => m.account_id === lead.id)?.role, 'Practitioner')
  const changes = await ctx.db.system.selectFrom('level_changes').selectAll().where('involvement_id', '=', id).execute()
  assert.deepEqual(changes.map((c) => [c.from_level, c.to_level, c.direction]), [[3, 2, 'down']])
  assert.equal(await auditCount('stepped-down', id), 1)

  // The old page's version is stale now; and from level 2 there is nowhere lower to step down to here.
  const again = await ctx.signIn(next)
  const stale = await again.post(`/involvements/${id}/step-down`, { ...form })
  assert.equal(stale.statusCode, 400)
  assert.match(text((await again.get(`/involvements/${id}/step-down`)).body), /Only a family at level 3 or 4 can be stepped down/)
})

test('essex: stepping down keeps the Lead Professional when none is named, on Essex’s level 2 cadence', async () => {
  const lead = await ctx.newAccount('essex', 'practitioner')
  const manager = await ctx.newAccount('essex', 'team_manager')
  const { id } = await openTestInvolvement(ctx, lead, { level: 3 })
  const agent = await ctx.signIn(manager)
  const version = inputValue((await agent.get(`/involvements/${id}/step-down`)).body, 'version')!
  const done = await agent.post(`/involvements/${id}/step-down`, { version, toLevel: '2', reason: 'Progress made.', ...dateFields('handover'), notes: 'Carry on.' })
  assert.equal(done.statusCode, 303)
  const row = await involvement(id)
  assert.equal(row.level, 2)
  assert.equal(row.lead_account_id, lead.id)
  assert.equal(row.review_cadence_id, 'early-help-plan-review')
  assert.equal(row.next_review_on, addMonths(localDateOf(new Date()), 3))

  // From level 4, a change made from a page someone else has since changed is refused as stale.
  const social = await openTestInvolvement(ctx, lead, { level: 4 })
  const old = inputValue((await agent.get(`/involvements/${social.id}/step-down`)).body, 'version')!
  const form = { version: old, reason: 'Progress made.', ...dateFields('handover'), notes: 'Carry on.' }
  assert.equal((await agent.post(`/involvements/${social.id}/step-down`, { ...form, toLevel: '3' })).statusCode, 303)
  const stale = await agent.post(`/involvements/${social.id}/step-down`, { ...form, toLevel: '2' })
  assert.equal(stale.statusCode, 409)
  assert.match(errorSummary(stale.body)[0]?.text ?? '', /Someone else changed this family’s early help/)
  assert.equal((await involvement(social.id)).level, 3)
})

for (const tenant of ['southend', 'essex'] as const) {
  test(`${tenant}: a family stepped down from children’s social care starts early help`, async () => {
    const dutyManager = await ctx.newAccount(tenant, 'duty_manager')
    const lead = await ctx.newAccount(tenant, 'practitioner')
    const practitioner = await ctx.signIn(lead)
    assert.equal((await practitioner.get('/step-downs/new')).statusCode, 404)
    const agent = await ctx.signIn(dutyManager)
    assert.equal((await agent.get('/step-downs/new')).statusCode, 200)
    const form = {
      familyName: 'Stepdown',
      childGivenName: 'Ava',
      childFamilyName: 'Stepdown',
      ...dateFields('dob', ['2018', '04', '09']),
      adultGivenName: 'Sam',
      adultFamilyName: 'Stepdown',
      adultRelationship: 'Father',
      level: '3',
      leadEmail: lead.email,
      socialCareTeam: 'Assessment and Intervention Team West',
      notes: 'Child in need plan ended; support with routines.',
    }
    const missing = await agent.post('/step-downs/new', { ...form, adultRelationship: '', level: '' })
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(errorSummary(missing.body).map((e) => e.href), ['#adultRelationship', '#level'])
    assert.equal(inputValue(missing.body, 'childGivenName'), 'Ava')

    const opened = await agent.post('/step-downs/new', form)
    assert.equal(opened.statusCode, 303)
    const id = /^\/involvements\/([0-9a-f-]{36})$/.exec(String(opened.headers.location))?.[1]
    assert.ok(id)
    const row = await involvement(id)
    assert.equal(row.route, 'step-down')
    assert.equal(row.level, 3)
    assert.equal(row.lead_account_id, lead.id)
    const people = await ctx.db.system.selectFrom('involvement_people').select(['given_name', 'kind', 'relationship', 'date_of_birth']).where('involvement_id', '=', id).orderBy('position').execute()
    assert.deepEqual(people, [
      { given_name: 'Ava', kind: 'child', relationship: 'Child', date_of_birth: '2018-04-09' },
      { given_name: 'Sam', kind: 'adult', relationship: 'Father', date_of_birth: null },
    ])
    const changes = await ctx.db.system.selectFrom('level_changes').selectAll().where('involvement_id', '=', id).execute()
    assert.deepEqual(changes.map((c) => [c.from_level, c.to_level, c.direction]), [[4, 3, 'down']])
    const chronology = await ctx.db.system.selectFrom('chronology_entries').select(['kind', 'summary', 'detail']).where('involvement_id', '=', id).execute()
    assert.ok(chronology.some((c) => c.kind === 'opened' && c.summary.startsWith('Stepped down from children’s social care: Assessment and Intervention Team West')))
    assert.ok(chronology.some((c) => c.kind === 'level-change' && c.detail === form.notes))
  })
}

async function closeForm(agent: Agent, id: string, extra: Record<string, string | string[]> = {}) {
  const page = await agent.get(`/involvements/${id}/close`)
  assert.equal(page.statusCode, 200)
  return { version: inputValue(page.body, 'version')!, reason: 'needs-met', familyScore: '8', teamScore: '7', summary: 'Attendance is good and mornings are calm.', ...extra }
}

test('southend: a level 3 closure waits for a team manager, who can return it or sign it off; then the family is read-only', async () => {
  const framework = frameworkById('southend')!
  const [first, second] = framework.outcomeFramework.themes.flatMap((t) => t.outcomes)
  const lead = await ctx.newAccount('southend', 'practitioner')
  const manager = await ctx.newAccount('southend', 'team_manager')
  const { id } = await openTestInvolvement(ctx, lead, { level: 3 })
  const [agent, managerAgent] = await Promise.all([ctx.signIn(lead), ctx.signIn(manager)])

  // The outcomes come from the authority's framework, grouped by theme.
  const page = await agent.get(`/involvements/${id}/close`)
  assert.match(text(page.body), new RegExp(framework.outcomeFramework.themes[0]!.name))
  assert.match(page.body, new RegExp(`value="${first!.id}"`))

  const invalid = await agent.post(`/involvements/${id}/close`, { ...(await closeForm(agent, id)), reason: 'other', outcomes: [first!.id] })
  assert.equal(invalid.statusCode, 400)
  assert.deepEqual(errorSummary(invalid.body).map((e) => e.href), ['#details'])
  assert.match(invalid.body, new RegExp(`value="${first!.id}" checked`))

  const asked = await agent.post(`/involvements/${id}/close`, await closeForm(agent, id, { outcomes: [first!.id, second!.id] }))
  assert.equal(asked.statusCode, 303)
  let row = await involvement(id)
  assert.equal(row.status, 'closing')
  const closure = row.closure as Record<string, unknown>
  assert.equal(closure.reason, 'needs-met')
  assert.deepEqual(closure.outcomesAchieved, [first!.id, second!.id])
  assert.deepEqual(closure.finalScores, { family: 8, team: 7 })
  assert.equal(closure.requestedBy, lead.id)
  assert.equal(await auditCount('closure-requested', id), 1)

  // A second request is refused; the practitioner cannot sign it off.
  assert.equal((await agent.post(`/involvements/${id}/close`, { version: String(row.version), reason: 'needs-met', familyScore: '8', teamScore: '7', summary: 'x' })).statusCode, 409)
  assert.equal((await agent.get(`/involvements/${id}/close/sign-off`)).statusCode, 404)
  assert.equal((await agent.post(`/involvements/${id}/close/sign-off`, { version: String(row.version), decision: 'approve' })).statusCode, 404)

  // The manager returns it with a reason: open again.
  const signOff = await managerAgent.get(`/involvements/${id}/close/sign-off`)
  assert.equal(signOff.statusCode, 200)
  assert.match(text(signOff.body), /Attendance is good and mornings are calm\./)
  const noReason = await managerAgent.post(`/involvements/${id}/close/sign-off`, { version: inputValue(signOff.body, 'version')!, decision: 'return' })
  assert.equal(noReason.statusCode, 400)
  const returned = await managerAgent.post(`/involvements/${id}/close/sign-off`, { version: inputValue(signOff.body, 'version')!, decision: 'return', returnReason: 'Hold the final review first.' })
  assert.equal(returned.statusCode, 303)
  row = await involvement(id)
  assert.equal(row.status, 'open')
  assert.equal(row.closure, null)
  assert.equal(await auditCount('closure-returned', id), 1)

  // Asked again and signed off.
  assert.equal((await agent.post(`/involvements/${id}/close`, await closeForm(agent, id))).statusCode, 303)
  const version = inputValue((await managerAgent.get(`/involvements/${id}/close/sign-off`)).body, 'version')!
  assert.equal((await managerAgent.post(`/involvements/${id}/close/sign-off`, { version, decision: 'approve' })).statusCode, 303)
  row = await involvement(id)
  assert.equal(row.status, 'closed')
  assert.equal(row.closed_by, manager.id)
  assert.ok(row.closed_at)
  assert.equal((row.closure as Record<string, unknown>).signedOffBy, manager.id)
  assert.equal(await auditCount('involvement-closed', id), 1)
  const closures = await ctx.db.system.selectFrom('chronology_entries').select('summary').where('involvement_id', '=', id).where('kind', '=', 'closure').execute()
  assert.equal(closures.length, 4)

  // Closed: every changing route answers 409 with the read-only page; the pages that read still show.
  const changes: [string, Record<string, string>][] = [
    [`/involvements/${id}/close`, { version: '1', reason: 'needs-met' }],
    [`/involvements/${id}/close/sign-off`, { version: '1', decision: 'approve' }],
    [`/involvements/${id}/step-down`, { version: '1', toLevel: '2' }],
    [`/involvements/${id}/step-up`, { toLevel: '4', whyNow: 'x', tried: 'y' }],
    [`/involvements/${id}/chronology/new`, { kind: 'note', summary: 'x', significant: 'no' }],
    [`/involvements/${id}/assessment`, { version: '1', action: 'save', strengths: 'x' }],
  ]
  for (const [url, form] of changes) {
    const response = await (url.endsWith('sign-off') ? managerAgent : agent).post(url, form)
    assert.equal(response.statusCode, 409, url)
    assert.match(text(response.body), /This can no longer be changed/)
  }
  assert.equal((await agent.get(`/involvements/${id}/close`)).statusCode, 409)
  assert.equal((await agent.get(`/involvements/${id}/chronology`)).statusCode, 200)
  assert.equal((await agent.get(`/involvements/${id}/assessment`)).statusCode, 200)
})

test('essex: a level 2 closure takes effect at once', async () => {
  const lead = await ctx.newAccount('essex', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 2 })
  const agent = await ctx.signIn(lead)
  const page = await agent.get(`/involvements/${id}/close`)
  assert.match(text(page.body), /closes as soon as you confirm/)
  assert.match(text(page.body), new RegExp(frameworkById('essex')!.outcomeFramework.themes[0]!.name))
  const closed = await agent.post(`/involvements/${id}/close`, await closeForm(agent, id, { reason: 'moved', familyScore: 'unknown' }))
  assert.equal(closed.statusCode, 303)
  const row = await involvement(id)
  assert.equal(row.status, 'closed')
  assert.equal(row.closed_by, lead.id)
  assert.deepEqual((row.closure as Record<string, unknown>).finalScores, { family: null, team: 7 })
  assert.equal(await auditCount('involvement-closed', id), 1)
  assert.equal(await auditCount('closure-requested', id), 0)
  assert.equal((await agent.post(`/involvements/${id}/close`, { version: String(row.version) })).statusCode, 409)
})
