import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../domain/casework-timescales.ts'
import { datePartsOf } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../../test/html.ts'

/**
 * Team Around the Family meetings and the next review date over HTTP: arranging a meeting,
 * recording it (which produces the next plan version and sets the next review from the
 * authority's cadence), cancelling, changing the review date with a reason, and who may do what.
 */

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent
let colleague: TestAccount
let colleagueAgent: Agent
let outsiderAgent: Agent
let managerAgent: Agent
let essexLead: TestAccount
let essexLeadAgent: Agent

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  colleague = await ctx.newAccount('southend', 'practitioner')
  const outsider = await ctx.newAccount('southend', 'practitioner')
  const manager = await ctx.newAccount('southend', 'team_manager')
  essexLead = await ctx.newAccount('essex', 'practitioner')
  await ctx.db.system.updateTable('accounts').set({ name: 'Priya Lead' }).where('id', '=', lead.id).execute()
  await ctx.db.system.updateTable('accounts').set({ name: 'Sam Colleague' }).where('id', '=', colleague.id).execute()
  ;[leadAgent, colleagueAgent, outsiderAgent, managerAgent, essexLeadAgent] = await Promise.all([
    ctx.signIn(lead),
    ctx.signIn(colleague),
    ctx.signIn(outsider),
    ctx.signIn(manager),
    ctx.signIn(essexLead),
  ])
})
after(() => ctx.close())

/** A family at level 2 from the front door, with `colleague` on the team as a partner practitioner. */
async function family(options: { level?: number; route?: 'triage' | 'direct' } = {}) {
  const involvement = await openTestInvolvement(ctx, lead, { level: options.level ?? 2, route: options.route ?? 'triage' })
  await ctx.db.system
    .insertInto('team_members')
    .values({
      tenant_id: 'southend',
      involvement_id: involvement.id,
      kind: 'practitioner',
      account_id: colleague.id,
      name: 'Sam Colleague',
      organisation: 'Seaview Primary School',
      role: 'Designated safeguarding lead',
      contact: 'sam@example.test',
      added_by: lead.id,
    })
    .execute()
  const team = await ctx.db.system.selectFrom('team_members').selectAll().where('involvement_id', '=', involvement.id).orderBy('joined_at').execute()
  const member = (name: string) => team.find((m) => m.name === name)!.id
  return { ...involvement, team, member }
}

function dateFields(date: string, prefix = 'date') {
  const parts = datePartsOf(date)
  return { [`${prefix}-day`]: parts.day, [`${prefix}-month`]: parts.month, [`${prefix}-year`]: parts.year }
}

async function schedule(agent: Agent, involvementId: string, form: Record<string, string | string[]>) {
  const response = await agent.post(`/involvements/${involvementId}/meetings/new`, form)
  assert.equal(response.statusCode, 303, text(response.body).slice(0, 800))
  const id = /meetings\/([0-9a-f-]{36})$/.exec(response.headers.location as string)?.[1]
  assert.ok(id)
  return id
}

const yesterday = () => addDays(localDateOf(new Date()), -1)

async function audits(action: string, recordId: string) {
  return ctx.db.system.selectFrom('audit_events').selectAll().where('action', '=', action).where('record_id', '=', recordId).execute()
}

test('arranging a meeting: errors keep what was typed, and the first meeting is the initial one', async () => {
  const f = await family()
  const page = await leadAgent.get(`/involvements/${f.id}/meetings/new`)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /This will be the initial meeting/)
  assert.match(text(page.body), /Priya Lead/)

  const bad = await leadAgent.post(`/involvements/${f.id}/meetings/new`, {
    kind: 'initial',
    'date-day': '31',
    'date-month': '2',
    'date-year': '2027',
    time: '25:00',
    where: 'venue',
    venue: '',
    coordinator: '',
    invitees: [f.member('Maisie Testfamily')],
  })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    errorSummary(bad.body).map((e) => e.text),
    [
      'Date of the meeting must be a real date',
      'Time must be a real time, for example 14:30 or 2:30pm',
      'Enter where the meeting will be held',
      'Select who will coordinate the meeting',
    ],
  )
  assert.equal(errorSummary(bad.body)[0]?.href, '#date-day')
  assert.equal(inputValue(bad.body, 'date-day'), '31')
  assert.equal(inputValue(bad.body, 'time'), '25:00')
  assert.match(bad.body, new RegExp(`value="${f.member('Maisie Testfamily')}" checked`))
  assert.doesNotMatch(bad.body, new RegExp(`value="${f.member('Leo Testfamily')}" checked`))

  // A review cannot come first, and the coordinator must be a practitioner on the team.
  const wrong = await leadAgent.post(`/involvements/${f.id}/meetings/new`, {
    kind: 'review',
    ...dateFields('2027-03-04'),
    time: '2pm',
    where: 'virtual',
    coordinator: f.team.find((m) => m.kind === 'family')!.id,
    invitees: [f.member('Dana Testfamily')],
  })
  assert.equal(wrong.statusCode, 400)
  assert.deepEqual(
    errorSummary(wrong.body).map((e) => e.text),
    ['The first meeting held is the initial meeting', 'Select who will coordinate the meeting'],
  )
  assert.equal(inputValue(wrong.body, 'time'), '2pm')

  const meetingId = await schedule(leadAgent, f.id, {
    kind: 'initial',
    ...dateFields('2027-03-04'),
    time: '2:30pm',
    where: 'venue',
    venue: 'Seaview Primary School, meeting room 2',
    coordinator: lead.id,
    invitees: f.team.map((m) => m.id),
  })
  const meeting = await ctx.db.system.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow()
  assert.equal(meeting.kind, 'initial')
  assert.equal(meeting.status, 'scheduled')
  assert.equal(meeting.scheduled_at.toISOString(), '2027-03-04T14:30:00.000Z')
  assert.equal((meeting.invitees as unknown[]).length, 5)
  assert.equal((await audits('meeting-scheduled', meetingId)).length, 1)
  const chronology = await ctx.db.system.selectFrom('chronology_entries').selectAll().where('involvement_id', '=', f.id).where('kind', '=', 'meeting').execute()
  assert.match(chronology[0]!.summary, /Initial Team Around the Family meeting arranged for 4 March 2027 at 2:30pm, at Seaview Primary School/)

  const list = await leadAgent.get(`/involvements/${f.id}/meetings`)
  assert.equal(list.statusCode, 200)
  assert.match(text(list.body), /Coming up.*Initial meeting.*4 March 2027 at 2:30pm.*Seaview Primary School, meeting room 2.*Priya Lead.*Scheduled/)
})

test('recording a meeting: attendance and views, the next review from the cadence, and the next plan version', async () => {
  const f = await family()
  const meetingId = await schedule(leadAgent, f.id, {
    kind: 'initial',
    ...dateFields(yesterday()),
    time: '10:00',
    where: 'virtual',
    venue: 'Teams',
    coordinator: lead.id,
    invitees: [f.member('Dana Testfamily'), f.member('Maisie Testfamily'), f.member('Priya Lead'), f.member('Sam Colleague')],
  })
  const url = `/involvements/${f.id}/meetings/${meetingId}`
  const page = await leadAgent.get(url)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /Leo Testfamily \(Son\), not invited/)
  const version = inputValue(page.body, 'version')!

  const dana = f.member('Dana Testfamily')
  const sam = f.member('Sam Colleague')
  const answers: Record<string, string> = { version }
  for (const m of f.team) {
    answers[`attended-${m.id}`] = m.name === 'Leo Testfamily' ? 'no' : 'yes'
    if (m.kind === 'family') answers[`viewsGained-${m.id}`] = m.name === 'Leo Testfamily' ? 'no' : 'yes'
    else answers[`report-${m.id}`] = m.id === sam ? 'yes' : 'no'
  }
  answers[`views-${f.member('Maisie Testfamily')}`] = 'I want to go to school club'

  // Dana's views were gained but not written down; the rest is kept.
  const missing = await leadAgent.post(url, answers)
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(errorSummary(missing.body), [{ href: `#views-${dana}`, text: 'Enter Dana Testfamily’s views' }])
  assert.equal(textareaValue(missing.body, `views-${f.member('Maisie Testfamily')}`), 'I want to go to school club')
  assert.match(missing.body, new RegExp(`name="report-${sam}" type="radio" value="yes" checked`))

  answers[`views-${dana}`] = 'Mornings are the hardest part'
  // Someone else saved the meeting first: a clear error, and the input is kept.
  const stale = await leadAgent.post(url, { ...answers, version: String(Number(version) + 5) })
  assert.equal(stale.statusCode, 409)
  assert.match(text(stale.body), /Someone else changed this meeting while you were recording it/)
  assert.equal(textareaValue(stale.body, `views-${dana}`), 'Mornings are the hardest part')

  const saved = await leadAgent.post(url, answers)
  assert.equal(saved.statusCode, 303, text(saved.body).slice(0, 1500))
  assert.equal(saved.headers.location, `/involvements/${f.id}/plans/1`)

  const meeting = await ctx.db.system.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow()
  assert.equal(meeting.status, 'held')
  assert.equal(meeting.recorded_by, lead.id)
  const people = (meeting.attendance as { people: { name: string; attended: string; views?: string }[] }).people
  assert.equal(people.length, 5)
  assert.equal(people.find((p) => p.name === 'Dana Testfamily')?.views, 'Mornings are the hardest part')
  assert.equal((await audits('meeting-recorded', meetingId)).length, 1)

  // Southend reviews a TACAF from the front door six-weekly, counted from the meeting.
  const involvement = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', f.id).executeTakeFirstOrThrow()
  assert.equal(involvement.next_review_on, addDays(yesterday(), 42))

  const plan = await ctx.db.system.selectFrom('plan_versions').selectAll().where('involvement_id', '=', f.id).executeTakeFirstOrThrow()
  assert.equal(plan.number, 1)
  assert.equal(plan.kind, 'initial')
  assert.equal(plan.meeting_id, meetingId)
  const content = plan.content as { meeting: { date: string; time: string; virtual: string; coordinator: string }; familyMembers: { name: string; attended: string }[]; practitioners: { name: string; reportProvided: string }[]; worries: string }
  assert.deepEqual({ ...content.meeting }, { date: yesterday(), time: '10:00', venue: 'Teams', virtual: 'yes', coordinator: 'Priya Lead' })
  assert.equal(content.familyMembers.find((m) => m.name === 'Leo Testfamily')?.attended, 'no')
  assert.equal(content.practitioners.find((p) => p.name === 'Sam Colleague')?.reportProvided, 'yes')
  assert.match(content.worries, /Dana Testfamily \(Mother\): Mornings are the hardest part/)

  // A held meeting is read-only.
  const held = await leadAgent.get(url)
  assert.equal(held.statusCode, 200)
  assert.doesNotMatch(held.body, /name="attended-/)
  assert.match(text(held.body), /Early Help Plan version 1 ?, produced from this meeting/)
  assert.equal((await leadAgent.post(url, answers)).statusCode, 409)
  assert.equal((await leadAgent.post(`${url}/cancel`, { version: String(meeting.version), reason: 'x' })).statusCode, 409)

  // After the initial meeting, the next is a review or the final meeting.
  const next = await leadAgent.get(`/involvements/${f.id}/meetings/new`)
  assert.match(text(next.body), /A review meeting.*The final meeting/)
})

test('cancelling a meeting needs a reason', async () => {
  const f = await family()
  const meetingId = await schedule(managerAgent, f.id, {
    kind: 'initial',
    ...dateFields(addDays(localDateOf(new Date()), 10)),
    time: '09:15',
    where: 'venue',
    venue: 'Civic Centre',
    coordinator: colleague.id,
    invitees: [f.member('Dana Testfamily')],
  })
  const url = `/involvements/${f.id}/meetings/${meetingId}`
  const version = inputValue((await leadAgent.get(url)).body, 'version')!
  const empty = await leadAgent.post(`${url}/cancel`, { version, reason: ' ' })
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(errorSummary(empty.body), [{ href: '#reason', text: 'Enter the reason for cancelling the meeting' }])
  const stale = await leadAgent.post(`${url}/cancel`, { version: String(Number(version) + 1), reason: 'Dana is unwell' })
  assert.equal(stale.statusCode, 409)
  assert.equal(textareaValue(stale.body, 'reason'), 'Dana is unwell')
  const done = await leadAgent.post(`${url}/cancel`, { version, reason: 'Dana is unwell; to be rearranged' })
  assert.equal(done.statusCode, 303)
  assert.equal(done.headers.location, `/involvements/${f.id}/meetings?cancelled=1`)
  const meeting = await ctx.db.system.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow()
  assert.equal(meeting.status, 'cancelled')
  assert.equal((await audits('meeting-cancelled', meetingId)).length, 1)
  assert.match(text((await leadAgent.get(url)).body), /Why it was cancelled Dana is unwell; to be rearranged/)
  assert.match(text((await leadAgent.get(done.headers.location as string)).body), /The meeting has been cancelled.*Earlier meetings.*Cancelled/)
})

test('the next review date: the cadence in words, a new date with a required reason, audited and in the chronology', async () => {
  const f = await family({ route: 'direct' })
  const url = `/involvements/${f.id}/review-date`
  const page = await leadAgent.get(url)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /At level 2, Southend-on-Sea City Council reviews plans every 3 months/)
  const opened = localDateOf(new Date())
  const before = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', f.id).executeTakeFirstOrThrow()
  assert.ok(before.next_review_on)
  assert.equal(inputValue(page.body, 'date-day'), datePartsOf(before.next_review_on).day)
  assert.match(text(page.body), /counted from when early help started/)
  void opened

  const target = addDays(localDateOf(new Date()), 20)
  const noReason = await leadAgent.post(url, { version: String(before.version), ...dateFields(target), reason: '' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(errorSummary(noReason.body), [{ href: '#reason', text: 'Enter the reason for changing the review date' }])
  assert.equal(inputValue(noReason.body, 'date-day'), datePartsOf(target).day)

  const past = await leadAgent.post(url, { version: String(before.version), ...dateFields(yesterday()), reason: 'x' })
  assert.deepEqual(errorSummary(past.body), [{ href: '#date-day', text: 'Next review date must be today or in the future' }])

  const stale = await leadAgent.post(url, { version: String(before.version + 1), ...dateFields(target), reason: 'School holidays' })
  assert.equal(stale.statusCode, 409)
  assert.match(text(stale.body), /Someone else changed this family’s early help/)
  assert.equal(textareaValue(stale.body, 'reason'), 'School holidays')

  const saved = await leadAgent.post(url, { version: String(before.version), ...dateFields(target), reason: 'Brought forward: school holidays' })
  assert.equal(saved.statusCode, 303)
  const after = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', f.id).executeTakeFirstOrThrow()
  assert.equal(after.next_review_on, target)
  assert.equal(after.version, before.version + 1)
  const audit = await audits('review-date-changed', f.id)
  assert.equal(audit.length, 1)
  assert.deepEqual(audit[0]!.detail, { from: before.next_review_on, to: target })
  const entry = await ctx.db.system.selectFrom('chronology_entries').selectAll().where('involvement_id', '=', f.id).where('kind', '=', 'review').executeTakeFirstOrThrow()
  assert.equal(entry.detail, 'Brought forward: school holidays')
  assert.equal(entry.author_account_id, lead.id)
})

test('Essex: the review date page gives its own cadence', async () => {
  const involvement = await openTestInvolvement(ctx, essexLead, { level: 3 })
  const page = await essexLeadAgent.get(`/involvements/${involvement.id}/review-date`)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /At level 3, Essex County Council reviews plans every 6 to 8 weeks/)
  // Southend's people cannot reach it.
  assert.equal((await leadAgent.get(`/involvements/${involvement.id}/meetings`)).statusCode, 404)
})

test('a practitioner not on the team gets 404 on every meetings route; a team member may look but not arrange', async () => {
  const f = await family()
  const meetingId = await schedule(leadAgent, f.id, {
    kind: 'initial',
    ...dateFields(yesterday()),
    time: '10:00',
    where: 'venue',
    venue: 'Home visit',
    coordinator: lead.id,
    invitees: [f.member('Dana Testfamily')],
  })
  const base = `/involvements/${f.id}`
  const gets = [`${base}/meetings`, `${base}/meetings/new`, `${base}/meetings/${meetingId}`, `${base}/review-date`]
  const posts = [`${base}/meetings/new`, `${base}/meetings/${meetingId}`, `${base}/meetings/${meetingId}/cancel`, `${base}/review-date`]
  for (const url of gets) assert.equal((await outsiderAgent.get(url)).statusCode, 404, url)
  for (const url of posts) assert.equal((await outsiderAgent.post(url, { version: '1', reason: 'x' })).statusCode, 404, url)
  const denied = await ctx.db.system.selectFrom('audit_events').selectAll().where('action', '=', 'access-denied').where('record_id', '=', f.id).execute()
  assert.equal(denied.length, gets.length + posts.length)

  assert.equal((await colleagueAgent.get(`${base}/meetings`)).statusCode, 200)
  const seen = await colleagueAgent.get(`${base}/meetings/${meetingId}`)
  assert.equal(seen.statusCode, 200)
  assert.doesNotMatch(seen.body, /name="attended-/)
  assert.equal((await colleagueAgent.get(`${base}/meetings/new`)).statusCode, 404)
  assert.equal((await colleagueAgent.post(`${base}/meetings/${meetingId}/cancel`, { version: '1', reason: 'x' })).statusCode, 404)
  assert.equal((await colleagueAgent.get(`${base}/review-date`)).statusCode, 404)

  assert.equal((await leadAgent.get(`${base}/meetings/not-a-uuid`)).statusCode, 404)
  assert.equal((await leadAgent.get(`/involvements/${crypto.randomUUID()}/meetings`)).statusCode, 404)
})

test('a closed family’s meetings are read-only', async () => {
  const f = await family()
  const meetingId = await schedule(leadAgent, f.id, {
    kind: 'initial',
    ...dateFields(yesterday()),
    time: '10:00',
    where: 'venue',
    venue: 'Home',
    coordinator: lead.id,
    invitees: [f.member('Dana Testfamily')],
  })
  await ctx.db.system
    .updateTable('involvements')
    .set({ status: 'closed', closed_at: new Date(), closed_by: lead.id, closure: JSON.stringify({ reason: 'needs-met' }) })
    .where('id', '=', f.id)
    .execute()
  const base = `/involvements/${f.id}`
  const list = await leadAgent.get(`${base}/meetings`)
  assert.equal(list.statusCode, 200)
  assert.doesNotMatch(text(list.body), /Arrange a meeting/)
  const meeting = await leadAgent.get(`${base}/meetings/${meetingId}`)
  assert.equal(meeting.statusCode, 200)
  assert.doesNotMatch(meeting.body, /name="attended-|Cancel the meeting/)
  assert.equal((await leadAgent.get(`${base}/meetings/new`)).statusCode, 409)
  assert.equal((await leadAgent.post(`${base}/meetings/new`, { kind: 'initial' })).statusCode, 409)
  assert.equal((await leadAgent.post(`${base}/meetings/${meetingId}`, { version: '1' })).statusCode, 409)
  assert.equal((await leadAgent.post(`${base}/meetings/${meetingId}/cancel`, { version: '1', reason: 'x' })).statusCode, 409)
  assert.equal((await leadAgent.get(`${base}/review-date`)).statusCode, 409)
  assert.equal((await leadAgent.post(`${base}/review-date`, { version: '1', reason: 'x' })).statusCode, 409)
})
