import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { extractText, getDocumentProxy } from 'unpdf'
import { addDays } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import type { Actor } from '../../platform/audit/audit.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../../test/html.ts'
import { planSummary, startPlanVersion } from './service.ts'

/**
 * Early Help Plans over HTTP, against the real app and database: a Lead Professional builds a
 * draft section by section and agrees it with the family; the agreed version never changes; the
 * next version carries the open actions forward; versions are compared; the family gets a PDF and
 * a plain-English page; the team can keep actions current; nobody else sees anything.
 */

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent
let member: TestAccount
let memberAgent: Agent
let outsiderAgent: Agent
let essexLead: TestAccount
let essexLeadAgent: Agent

const today = localDateOf(new Date())
const reviewOn = addDays(today, 42)
const parts = (date: string, prefix: string) => {
  const [year, month, day] = date.split('-')
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year ?? '' }
}

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  member = await ctx.newAccount('southend', 'practitioner')
  const outsider = await ctx.newAccount('southend', 'practitioner')
  essexLead = await ctx.newAccount('essex', 'practitioner')
  await ctx.db.system.updateTable('accounts').set({ name: 'Priya Lead' }).where('id', '=', lead.id).execute()
  ;[leadAgent, memberAgent, outsiderAgent, essexLeadAgent] = await Promise.all([ctx.signIn(lead), ctx.signIn(member), ctx.signIn(outsider), ctx.signIn(essexLead)])
})
after(() => ctx.close())

async function addToTeam(involvementId: string, account: TestAccount, name = 'Sam School-Nurse') {
  await ctx.db.system
    .insertInto('team_members')
    .values({ tenant_id: account.tenantId, involvement_id: involvementId, kind: 'practitioner', account_id: account.id, name, organisation: 'Hilltop Primary', role: 'School nurse', contact: '01632 960 123', added_by: lead.id })
    .execute()
}

async function get(agent: Agent, url: string, status = 200) {
  const response = await agent.get(url)
  assert.equal(response.statusCode, status, `GET ${url}`)
  return response.body
}

async function post(agent: Agent, url: string, form: Record<string, string | string[]> = {}, status = 303) {
  const response = await agent.post(url, form)
  assert.equal(response.statusCode, status, `POST ${url}: ${errorSummary(response.body).map((e) => e.text).join('; ')}`)
  return response
}

/** Saves a section as a person would: reads its page (for the version), then posts the form. */
async function saveSection(agent: Agent, base: string, section: string, form: Record<string, string | string[]>, status = 303) {
  const page = await get(agent, `${base}/${section}`)
  return post(agent, `${base}/${section}`, { version: inputValue(page, 'version') ?? '', ...form }, status)
}

async function agree(agent: Agent, base: string) {
  const page = await get(agent, `${base}/agree`)
  return post(agent, `${base}/agree`, {
    version: inputValue(page, 'version') ?? '',
    consent: 'yes',
    assessorName: 'Priya Lead',
    ...parts(today, 'assessorSigned'),
    familySignatoryName: 'Dana Testfamily',
    ...parts(today, 'familySigned'),
  })
}

/** Builds a whole draft through its sections. */
async function buildPlan(agent: Agent, base: string, words: { worries: string; outcome: string; family: string; team: string; actions: string[] }) {
  await saveSection(agent, base, 'meeting-and-family', {
    ...parts(today, 'meetingDate'),
    time: '10am',
    venue: 'Hilltop Primary School',
    virtual: 'no',
    coordinator: 'Priya Lead',
    childName: 'Maisie Testfamily',
    ...parts('2017-03-02', 'childDob'),
    address: '1 Test Road, Southend-on-Sea',
    postcode: 'ss1 1aa',
    communicationNeeds: 'Dana prefers text messages',
    'members-0-personId': '',
    'members-0-name': 'Maisie Testfamily',
    'members-0-relationship': 'Daughter',
    'members-0-attended': 'no',
    'members-0-viewsGained': 'yes',
    'members-0-ethnicity': 'White British',
    'members-1-personId': '',
    'members-1-name': 'Dana Testfamily',
    'members-1-relationship': 'Mother',
    'members-1-attended': 'yes',
    'members-1-viewsGained': 'yes',
    'members-1-ethnicity': '',
  })
  await saveSection(agent, base, 'practitioners', {
    'practitioners-0-row': '1',
    'practitioners-0-name': 'Sam School-Nurse',
    'practitioners-0-role': 'School nurse',
    'practitioners-0-contact': '01632 960 123',
    'practitioners-0-attended': 'yes',
    'practitioners-0-reportProvided': 'yes',
    'practitioners-1-row': '1',
    'practitioners-1-name': 'Jo Youth-Worker',
    'practitioners-1-role': 'Youth worker',
    'practitioners-1-attended': 'no',
  })
  await saveSection(agent, base, 'additional-information', { additionalNeeds: 'Leo has a speech delay', youngCarers: 'Maisie helps care for Leo', otherSupport: 'Grandma Pat' })
  await saveSection(agent, base, 'worries', { worries: words.worries })
  await saveSection(agent, base, 'going-well', { goingWell: 'Dana walks the children to school every day' })
  await saveSection(agent, base, 'needs', { 'needs-0-id': '', 'needs-0-text': 'Maisie goes to school every day', 'needs-0-outcomes': [words.outcome], 'needs-0-headlines': ['good-education', 'not-a-headline'] })
  await saveSection(agent, base, 'how-we-will-know', { howWeWillKnow: 'Attendance above 95 per cent for a term' })
  await saveSection(agent, base, 'scores', { familyScore: words.family, teamScore: words.team })
  await saveSection(agent, base, 'next-steps', { nextStep: 'create-plan', nextStepDetails: '' })
  const actions: Record<string, string> = {}
  words.actions.forEach((what, i) => {
    Object.assign(actions, { [`actions-${i}-id`]: '', [`actions-${i}-what`]: what, [`actions-${i}-who`]: 'Dana', ...parts(addDays(today, 14 + i), `actions-${i}-due`) })
  })
  await saveSection(agent, base, 'actions', actions)
  await saveSection(agent, base, 'review-date', { ...parts(reviewOn, 'reviewOn'), leadProfessionalContact: 'Priya Lead, 01632 960 000' })
}

async function pdfText(agent: Agent, url: string) {
  const response = await agent.get(url)
  assert.equal(response.statusCode, 200)
  const pdf = await getDocumentProxy(new Uint8Array(response.rawPayload))
  const { text: pages } = await extractText(pdf, { mergePages: true })
  return { response, text: String(pages).replace(/\s+/g, ' ') }
}

test('the Lead Professional builds a plan section by section, agrees it, and it never changes again', async () => {
  const { id, reference } = await openTestInvolvement(ctx, lead)
  await addToTeam(id, member)
  const list = await get(leadAgent, `/involvements/${id}/plans`)
  assert.match(text(list), /There is no plan yet/)
  assert.match(text(list), /Start the plan/)

  const started = await post(leadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  assert.equal(started.headers.location, `/involvements/${id}/plans/1`)
  const base = `/involvements/${id}/plans/1`
  const draft = text(await get(leadAgent, base))
  assert.match(draft, /Draft/)
  assert.match(draft, /Maisie Testfamily/, 'family members are prefilled from the involvement')
  assert.match(draft, /Sam School-Nurse/, 'practitioners are prefilled from the team')
  assert.match(draft, /Priya Lead/, 'the Lead Professional’s contact is prefilled')
  const section = await get(leadAgent, `${base}/meeting-and-family`)
  assert.equal(inputValue(section, 'members-0-name'), 'Maisie Testfamily')
  assert.equal(inputValue(section, 'childName'), 'Maisie Testfamily')

  // Errors keep what was typed.
  const version = inputValue(section, 'version') ?? ''
  const invalid = await post(leadAgent, `${base}/meeting-and-family`, { version, 'meetingDate-day': '31', 'meetingDate-month': '2', 'meetingDate-year': '2026', time: 'ten-ish', postcode: 'not a postcode', 'members-0-personId': '', 'members-0-relationship': 'Aunt' }, 400)
  assert.deepEqual(
    errorSummary(invalid.body).map((e) => e.text),
    ['Date of the meeting must be a real date', 'Enter a real postcode, like SS1 1AA', 'Enter the name of family member 1'],
  )
  assert.equal(errorSummary(invalid.body)[0]?.href, '#meetingDate-day')
  assert.equal(inputValue(invalid.body, 'time'), 'ten-ish')
  assert.equal(inputValue(invalid.body, 'members-0-relationship'), 'Aunt')
  const emptyWorries = await saveSection(leadAgent, base, 'worries', { worries: '   ' }, 400)
  assert.deepEqual(errorSummary(emptyWorries.body), [{ href: '#worries', text: 'Enter what you are worried about' }])
  const badScores = await saveSection(leadAgent, base, 'scores', { familyScore: '11' }, 400)
  assert.equal(errorSummary(badScores.body).length, 2)
  const badAction = await saveSection(leadAgent, base, 'actions', { 'actions-0-id': '', 'actions-0-what': 'Ring the school', 'actions-0-due-day': '3' }, 400)
  assert.deepEqual(
    errorSummary(badAction.body).map((e) => e.text),
    ['Enter who will do action 1', 'The date for action 1 must include a month and year'],
  )
  assert.equal(textareaValue(badAction.body, 'actions-0-what'), 'Ring the school')

  await buildPlan(leadAgent, base, { worries: 'Maisie has missed 30 days of school this term', outcome: 'school-ready', family: '3', team: '4', actions: ['Meet the school attendance officer', 'Book a parenting course'] })
  const built = text(await get(leadAgent, base))
  assert.match(built, /Maisie has missed 30 days of school this term/)
  assert.match(built, /Children are 'school ready' and developing well/, 'the need is linked to Southend’s outcome in words')
  assert.match(built, /Supporting Families: Getting a good education/)
  assert.match(built, /SS1 1AA/)
  assert.doesNotMatch(built, /Not started/)

  // Agreeing needs consent and both signatures.
  const agreePage = await get(leadAgent, `${base}/agree`)
  assert.match(text(agreePage), /I can confirm that the family have read and consented/)
  const missing = await post(leadAgent, `${base}/agree`, { version: inputValue(agreePage, 'version') ?? '', assessorName: 'Priya Lead' }, 400)
  assert.deepEqual(
    errorSummary(missing.body).map((e) => e.href),
    ['#consent', '#assessorSigned-day', '#familySignatoryName', '#familySigned-day'],
  )
  assert.equal(inputValue(missing.body, 'assessorName'), 'Priya Lead')
  const agreed = await agree(leadAgent, base)
  assert.equal(agreed.headers.location, `${base}?agreed=1`)

  const page = text(await get(leadAgent, `${base}?agreed=1`))
  assert.match(page, /Version 1 of the plan has been agreed and signed/)
  assert.match(page, /Dana Testfamily, signed on/)
  assert.doesNotMatch(page, /Agree and sign the plan/)

  // Immutable: edits are refused with the read-only page, and the database refuses too.
  const refused = await leadAgent.post(`${base}/worries`, { version: '99', worries: 'Changed' })
  assert.equal(refused.statusCode, 409)
  assert.match(text(refused.body), /This can no longer be changed/)
  assert.equal((await leadAgent.get(`${base}/worries`)).statusCode, 409)
  assert.equal((await leadAgent.post(`${base}/agree`, {})).statusCode, 409)
  assert.equal((await leadAgent.post(`${base}/discard`, {})).statusCode, 409)
  const row = await ctx.db.system.selectFrom('plan_versions').selectAll().where('involvement_id', '=', id).executeTakeFirstOrThrow()
  await assert.rejects(ctx.db.system.updateTable('plan_versions').set({ family_score: 9 }).where('id', '=', row.id).execute(), /never changed/)
  assert.equal(row.family_score, 3)
  assert.equal(row.consent_given, true)

  // Its actions are the family's actions now; the review date follows the plan.
  const actions = await ctx.db.system.selectFrom('plan_actions').selectAll().where('involvement_id', '=', id).orderBy('due_on').execute()
  assert.deepEqual(
    actions.map((a) => [a.what, a.status, a.plan_version_id]),
    [
      ['Meet the school attendance officer', 'open', row.id],
      ['Book a parenting course', 'open', row.id],
    ],
  )
  const involvement = await ctx.db.system.selectFrom('involvements').select(['next_review_on']).where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(involvement.next_review_on, reviewOn)
  const chronology = await ctx.db.system.selectFrom('chronology_entries').select(['kind', 'summary']).where('involvement_id', '=', id).where('kind', '=', 'plan').execute()
  assert.ok(chronology.some((c) => /version 1 \(initial\) agreed/.test(c.summary)))
  const audit = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', id).execute()
  for (const action of ['plan-started', 'plan-saved', 'plan-viewed', 'plan-agreed']) assert.ok(audit.some((a) => a.action === action), action)
  assert.ok(reference)
})

test('the next version carries the open actions forward; the scores go from 3 to 6; the versions compare', async () => {
  const { id, reference } = await openTestInvolvement(ctx, lead)
  await addToTeam(id, member)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  const first = `/involvements/${id}/plans/1`
  await buildPlan(leadAgent, first, { worries: 'Rent arrears are growing', outcome: 'affordable-housing', family: '3', team: '3', actions: ['Refer to debt advice', 'Apply for a housing grant'] })
  await agree(leadAgent, first)
  const actions = await ctx.db.system.selectFrom('plan_actions').select(['id', 'what']).where('involvement_id', '=', id).orderBy('due_on').execute()
  const [debt, grant] = actions
  assert.ok(debt && grant)

  // A team member keeps an action current between meetings, but cannot touch the plan.
  const actionPage = await get(memberAgent, `/involvements/${id}/actions/${debt.id}`)
  assert.match(text(actionPage), /Refer to debt advice/)
  await post(memberAgent, `/involvements/${id}/actions/${debt.id}`, { status: 'done' })
  assert.equal((await memberAgent.post(`/involvements/${id}/actions/${debt.id}`, { status: 'finished' })).statusCode, 400)
  assert.equal((await memberAgent.get(`${first}/worries`)).statusCode, 404)
  assert.equal((await memberAgent.post(`/involvements/${id}/plans`, { kind: 'review' })).statusCode, 404)
  const memberList = text(await get(memberAgent, `/involvements/${id}/plans`))
  assert.doesNotMatch(memberList, /Start a new version/)
  assert.match(memberList, /Refer to debt advice Dana .* Done/)
  const done = await ctx.db.system.selectFrom('chronology_entries').select('summary').where('involvement_id', '=', id).where('summary', 'like', 'Action done%').execute()
  assert.equal(done.length, 1)

  // The review version starts from the agreed one, with only the open action, under the same id.
  const started = await post(leadAgent, `/involvements/${id}/plans`, { kind: 'review' })
  assert.equal(started.headers.location, `/involvements/${id}/plans/2`)
  const second = `/involvements/${id}/plans/2`
  const actionsPage = await get(leadAgent, `${second}/actions`)
  assert.equal(inputValue(actionsPage, 'actions-0-id'), grant.id)
  assert.equal(textareaValue(actionsPage, 'actions-0-what'), 'Apply for a housing grant')
  assert.equal(inputValue(actionsPage, 'actions-1-id'), '', 'then one empty row to add another')
  assert.equal(textareaValue(await get(leadAgent, `${second}/worries`), 'worries'), 'Rent arrears are growing')
  const scores = await get(leadAgent, `${second}/scores`)
  assert.match(scores, /<input class="govuk-radios__input" id="familyScore-4" name="familyScore" type="radio" value="3" checked>/)

  // The review: scores rise, the grant is done, a new action is added, the worries change.
  await saveSection(leadAgent, second, 'scores', { familyScore: '6', teamScore: '5' })
  await saveSection(leadAgent, second, 'worries', { worries: 'The arrears are being paid off' })
  await saveSection(leadAgent, second, 'actions', {
    'actions-0-id': grant.id,
    'actions-0-what': 'Apply for a housing grant',
    'actions-0-who': 'Dana',
    ...parts(addDays(today, 15), 'actions-0-due'),
    'actions-0-status': 'done',
    'actions-1-id': '',
    'actions-1-what': 'Join the food club',
    'actions-1-who': 'Dana and Priya',
    ...parts(addDays(today, 30), 'actions-1-due'),
  })
  await agree(leadAgent, second)
  const after = await ctx.db.system.selectFrom('plan_actions').select(['what', 'status']).where('involvement_id', '=', id).orderBy('due_on').execute()
  assert.deepEqual(after, [
    { what: 'Refer to debt advice', status: 'done' },
    { what: 'Apply for a housing grant', status: 'done' },
    { what: 'Join the food club', status: 'open' },
  ])

  const list = text(await get(leadAgent, `/involvements/${id}/plans`))
  assert.match(list, /Version 1 Initial Agreed .* 3 3 Version 2 Review Agreed .* 6 5/)

  const compare = await get(leadAgent, `/involvements/${id}/plans/compare?from=1&to=2`)
  const changes = text(compare)
  assert.match(changes, /The family’s score 3 6/)
  assert.match(changes, /The team’s score 3 5/)
  assert.match(changes, /What we are worried about Rent arrears are growing The arrears are being paid off/)
  assert.match(changes, /Added in version 2 Join the food club/)
  assert.match(changes, /No longer in version 2 Refer to debt advice/)
  assert.match(changes, /Apply for a housing grant: status was “To do”, now “Done”/)
  const compared = await ctx.db.system.selectFrom('audit_events').select('detail').where('record_id', '=', id).where('action', '=', 'plans-compared').execute()
  assert.equal(compared.length, 1)
  assert.equal((await leadAgent.get(`/involvements/${id}/plans/compare?from=1&to=9`)).statusCode, 404)
  assert.equal((await leadAgent.get(`/involvements/${id}/plans/compare?from=x&to=2`)).statusCode, 404)

  // The PDF is text: the plan's words can be read out of it.
  const { response, text: pdf } = await pdfText(leadAgent, `${second}/plan.pdf`)
  assert.equal(response.headers['content-type'], 'application/pdf')
  assert.equal(response.headers['content-disposition'], `attachment; filename="early-help-plan-${reference}-v2.pdf"`)
  assert.equal(response.headers['cache-control'], 'no-store')
  for (const words of [
    'Early Help Plan',
    'Testfamily',
    reference,
    'Version: 2 (review',
    'The arrears are being paid off',
    'Join the food club',
    'Dana and Priya',
    'Maisie goes to school every day',
    'Children and their families have access to affordable housing',
    'The family’s score: 6 out of 10',
    'Sam School-Nurse',
    'Dana Testfamily',
    'I can confirm that the family have read and consented',
  ]) {
    assert.ok(pdf.includes(words), `the PDF says "${words}"`)
  }
  const downloads = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', id).where('action', '=', 'plan-downloaded').execute()
  assert.equal(downloads.length, 1)

  // The family's page, in plain English.
  const family = text(await get(leadAgent, `${second}/family`))
  for (const heading of ['What we are worried about', 'What is going well', 'What we will do, who will do it and by when', 'How we will know things are better', 'Your next review']) {
    assert.ok(family.includes(heading), heading)
  }
  assert.match(family, /Join the food club Dana and Priya/)
  assert.match(family, /You gave things a score of 6 out of 10/)

  // The overview's summary: two queries' worth.
  const summary = await ctx.db.asTenant('southend', (trx) => planSummary(trx, id))
  assert.deepEqual(
    summary.versions.map((v) => [v.number, v.kind, v.status, v.familyScore, v.teamScore]),
    [
      [1, 'initial', 'agreed', 3, 3],
      [2, 'review', 'agreed', 6, 5],
    ],
  )
  assert.deepEqual(summary.currentAgreed, { number: 2 })
  assert.equal(summary.draft, undefined)
  assert.deepEqual(
    summary.openActions.map((a) => a.what),
    ['Join the food club'],
  )
})

test('a draft from a meeting: started once, prefilled, and a second start returns the same draft', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const actor: Actor = { accountId: lead.id, tenantId: 'southend', role: 'practitioner', ip: null, requestId: null }
  const involvement = await ctx.db.system.selectFrom('involvements').select(['id', 'lead_account_id', 'request_id']).where('id', '=', id).executeTakeFirstOrThrow()
  const first = await ctx.db.asTenant('southend', (trx) =>
    startPlanVersion(trx, actor, involvement, { kind: 'initial', prefill: { meeting: { date: today, time: '2pm', venue: 'Family home', virtual: 'no', coordinator: 'Priya Lead' } } }, new Date()),
  )
  assert.equal(first.number, 1)
  const again = await ctx.db.asTenant('southend', (trx) => startPlanVersion(trx, actor, involvement, { kind: 'initial', prefill: { worries: 'Raised at the meeting' } }, new Date()))
  assert.deepEqual(again, first)
  const page = text(await get(leadAgent, `/involvements/${id}/plans/1`))
  assert.match(page, /Family home/)
  assert.match(page, /Raised at the meeting/)
  const list = text(await get(leadAgent, `/involvements/${id}/plans`))
  assert.match(list, /Version 1 is a draft/)
  assert.doesNotMatch(list, /Start the plan/)

  // Discarding the draft removes it.
  await post(leadAgent, `/involvements/${id}/plans/1/discard`)
  assert.equal((await leadAgent.get(`/involvements/${id}/plans/1`)).statusCode, 404)
  const summary = await ctx.db.asTenant('southend', (trx) => planSummary(trx, id))
  assert.deepEqual(summary.versions, [])
})

test('someone who saved the draft first wins: a stale save is refused and what was typed is kept', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  const base = `/involvements/${id}/plans/1`
  const page = await get(leadAgent, `${base}/worries`)
  const version = inputValue(page, 'version') ?? ''
  await post(leadAgent, `${base}/worries`, { version, worries: 'Saved first' })
  const stale = await post(leadAgent, `${base}/worries`, { version, worries: 'Typed on the stale page' }, 409)
  assert.match(errorSummary(stale.body)[0]?.text ?? '', /^Someone else changed this plan/)
  assert.equal(textareaValue(stale.body, 'worries'), 'Typed on the stale page')
  assert.equal(Number(inputValue(stale.body, 'version')), Number(version) + 1, 'saving again is the person’s choice')
  const row = await ctx.db.system.selectFrom('plan_versions').select('content').where('involvement_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.content.worries, 'Saved first')
  // Agreeing a stale page is refused too.
  const agreeStale = await post(
    leadAgent,
    `${base}/agree`,
    { version, consent: 'yes', assessorName: 'Priya Lead', ...parts(today, 'assessorSigned'), familySignatoryName: 'Dana', ...parts(today, 'familySigned') },
    409,
  )
  assert.match(text(agreeStale.body), /Someone else changed this plan/)
  assert.equal(inputValue(agreeStale.body, 'familySignatoryName'), 'Dana')
})

test('a practitioner not on the team gets 404 on every plan route, and the denial is audited', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  await buildPlan(leadAgent, `/involvements/${id}/plans/1`, { worries: 'Private worries', outcome: 'school-ready', family: '2', team: '2', actions: ['Private action'] })
  await agree(leadAgent, `/involvements/${id}/plans/1`)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'review' })
  const action = await ctx.db.system.selectFrom('plan_actions').select('id').where('involvement_id', '=', id).executeTakeFirstOrThrow()
  const base = `/involvements/${id}/plans`
  for (const url of [base, `${base}/1`, `${base}/2`, `${base}/2/worries`, `${base}/2/agree`, `${base}/compare?from=1&to=2`, `${base}/1/plan.pdf`, `${base}/1/family`, `/involvements/${id}/actions/${action.id}`]) {
    const response = await outsiderAgent.get(url)
    assert.equal(response.statusCode, 404, url)
    assert.doesNotMatch(response.body, /Private/)
  }
  for (const url of [base, `${base}/2/worries`, `${base}/2/agree`, `${base}/2/discard`, `/involvements/${id}/actions/${action.id}`]) {
    assert.equal((await outsiderAgent.post(url, { version: '1', worries: 'x', status: 'done', kind: 'review' })).statusCode, 404, `POST ${url}`)
  }
  // Another authority's practitioner: 404 too.
  assert.equal((await essexLeadAgent.get(`${base}/1`)).statusCode, 404)
  // Mangled addresses are 404s, not errors.
  for (const url of [`/involvements/not-a-uuid/plans`, `${base}/0`, `${base}/one`, `${base}/2/not-a-section`, `/involvements/${id}/actions/nope`]) {
    assert.equal((await leadAgent.get(url)).statusCode, 404, url)
  }
  const denials = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', id).where('action', '=', 'access-denied').execute()
  assert.ok(denials.length >= 9)
})

test('a closed family’s plan can be read but not changed', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  await addToTeam(id, member)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  await buildPlan(leadAgent, `/involvements/${id}/plans/1`, { worries: 'Closed worries', outcome: 'school-ready', family: '5', team: '5', actions: ['Closed action'] })
  await agree(leadAgent, `/involvements/${id}/plans/1`)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'final' })
  const action = await ctx.db.system.selectFrom('plan_actions').select('id').where('involvement_id', '=', id).executeTakeFirstOrThrow()
  await ctx.db.system
    .updateTable('involvements')
    .set({ status: 'closed', closed_at: new Date(), closed_by: lead.id, closure: JSON.stringify({ reason: 'needs-met' }) })
    .where('id', '=', id)
    .execute()
  const list = text(await get(leadAgent, `/involvements/${id}/plans`))
  assert.match(list, /Closed action/)
  assert.doesNotMatch(list, /Change status/)
  assert.match(text(await get(leadAgent, `/involvements/${id}/plans/1`)), /Closed worries/)
  const draft = text(await get(leadAgent, `/involvements/${id}/plans/2`))
  assert.doesNotMatch(draft, /Agree and sign the plan/)
  await pdfText(leadAgent, `/involvements/${id}/plans/1/plan.pdf`)
  for (const [url, agent] of [
    [`/involvements/${id}/plans/2/worries`, leadAgent],
    [`/involvements/${id}/plans/2/agree`, leadAgent],
    [`/involvements/${id}/plans/2/discard`, leadAgent],
    [`/involvements/${id}/plans`, leadAgent],
    [`/involvements/${id}/actions/${action.id}`, memberAgent],
  ] as const) {
    const response = await agent.post(url, { version: '1', worries: 'x', status: 'done', kind: 'review' })
    assert.equal(response.statusCode, 409, url)
    assert.match(text(response.body), /closed/)
  }
  assert.equal((await leadAgent.get(`/involvements/${id}/plans/2/worries`)).statusCode, 409)
})

test('Essex: a need links to Essex’s own outcomes', async () => {
  const { id } = await openTestInvolvement(ctx, essexLead, { level: 2 })
  await post(essexLeadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  const base = `/involvements/${id}/plans/1`
  const needs = await get(essexLeadAgent, `${base}/needs`)
  assert.match(text(needs), /Our System Vision: outcomes/)
  assert.doesNotMatch(text(needs), /PRIDE & JOY/)
  await buildPlan(essexLeadAgent, base, { worries: 'Essex worries', outcome: 'cyp-healthy', family: '4', team: '4', actions: ['See the GP'] })
  // A Southend outcome id is not one of Essex's: it is not kept.
  await saveSection(essexLeadAgent, base, 'needs', { 'needs-0-id': '', 'needs-0-text': 'Another need', 'needs-0-outcomes': ['school-ready'] })
  const row = await ctx.db.system.selectFrom('plan_versions').select('content').where('involvement_id', '=', id).executeTakeFirstOrThrow()
  const saved = row.content.needs as { outcomeIds: string[] }[]
  assert.deepEqual(saved[0]?.outcomeIds, [])
  await saveSection(essexLeadAgent, base, 'needs', { 'needs-0-id': '', 'needs-0-text': 'Healthy', 'needs-0-outcomes': ['cyp-healthy'] })
  await agree(essexLeadAgent, base)
  const page = text(await get(essexLeadAgent, base))
  assert.match(page, /Are physically and emotionally healthy/)
  const { text: pdf } = await pdfText(essexLeadAgent, `${base}/plan.pdf`)
  assert.ok(pdf.includes('Essex County Council'))
  assert.ok(pdf.includes('Are physically and emotionally healthy'))
})

test('an empty draft cannot be agreed: each missing part links to its section', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  await post(leadAgent, `/involvements/${id}/plans`, { kind: 'initial' })
  const base = `/involvements/${id}/plans/1`
  const page = await get(leadAgent, `${base}/agree`)
  const response = await leadAgent.post(`${base}/agree`, {
    version: inputValue(page, 'version') ?? '',
    consent: 'yes',
    assessorName: 'Priya Lead',
    ...parts(today, 'assessorSigned'),
    familySignatoryName: 'Dana Testfamily',
    ...parts(today, 'familySigned'),
  })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(
    errorSummary(response.body).map((e) => e.href),
    ['worries', 'needs', 'actions', 'scores'].map((section) => `${base}/${section}`),
  )
  const row = await ctx.db.system.selectFrom('plan_versions').select('status').where('involvement_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'draft')
})
