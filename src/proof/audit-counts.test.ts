import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { after, before, test } from 'node:test'
import { buildApp } from '../app.ts'
import { addDays } from '../domain/casework-timescales.ts'
import { localDateOf } from '../domain/working-calendar.ts'
import { frameworkById } from '../frameworks/index.ts'
import type { AuditAction } from '../platform/audit/audit.ts'
import { routeTable } from '../platform/http/route-table.ts'
import { openTestInvolvement } from '../test/casework.ts'
import { Agent, createTestContext, TEST_PASSWORD, type TestAccount, type TestContext } from '../test/context.ts'
import { errorSummary, inputValue } from '../test/html.ts'

// Exactly one audit event for every view, change, denial, export and break-glass: each request
// below is made once, and the audit events written for it are counted.
//
// Tying events to a request: every event carries the request id (`actorOf` puts Fastify's request
// id on the actor, and denials record it too). The app built here is the real one, except that the
// test names each request's id (a header only this app reads) so the events can be found by it.
// Every event written while the request ran must carry that id: an event written without it, or
// after the response, would show up as a stray.
//
// Adding a casework route means adding one line to CASES: a route under /involvements that no line
// covers fails the coverage test.

const REQUEST_ID_HEADER = 'x-test-request-id'

let ctx: TestContext
let app: FastifyInstance

/** Everything the cases refer to, filled in by `before` and by earlier cases. */
const f: Record<string, string> = {}
const agents: Record<string, Agent> = {}
const accounts: Record<string, TestAccount> = {}

const today = localDateOf(new Date())
const dateParts = (date: string, prefix: string) => {
  const [year, month, day] = date.split('-')
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year ?? '' }
}

async function signIn(account: TestAccount): Promise<Agent> {
  const agent = new Agent(app)
  await agent.get('/sign-in')
  const response = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })
  assert.equal(response.statusCode, 303, `sign-in for ${account.role}`)
  return agent
}

before(async () => {
  ctx = await createTestContext()
  app = await buildApp({ config: ctx.config, db: ctx.db })
  app.setGenReqId((request: IncomingMessage) => {
    const named = request.headers[REQUEST_ID_HEADER]
    return typeof named === 'string' ? named : randomUUID()
  })
  await app.ready()

  const roles = {
    lead: 'practitioner',
    nurse: 'practitioner',
    nextLead: 'practitioner',
    outsider: 'practitioner',
    breaker: 'practitioner',
    manager: 'team_manager',
    duty: 'duty_manager',
    admin: 'administrator',
  } as const
  for (const [name, role] of Object.entries(roles)) accounts[name] = await ctx.newAccount('essex', role)
  for (const name of Object.keys(roles)) agents[name] = await signIn(accounts[name]!)

  // One family for most of the cases; others for what ends or hands over an involvement.
  const main = await openTestInvolvement(ctx, accounts.lead!)
  f.id = main.id
  f.reference = main.reference
  for (const name of ['stepUp', 'stepDown', 'close', 'handOver']) f[name] = (await openTestInvolvement(ctx, accounts.lead!, { level: name === 'stepUp' || name === 'handOver' ? 2 : 3 })).id
  for (const person of await ctx.db.system.selectFrom('involvement_people').select(['id', 'given_name']).where('involvement_id', '=', f.id).execute()) f[person.given_name.toLowerCase()] = person.id
  f.personId = f.maisie!
  const sent = await agents.lead!.post('/requests/priority', { childName: 'Ava Sent', postcode: 'CM1 1AA', address: '1 Example Street', happening: 'A test.', phone: '01632 960000' })
  f.sentRequest = String(sent.headers.location).split('/').at(-2)!
  f.outcome = frameworkById('essex')!.outcomeFramework.themes[0]!.outcomes[0]!.id
  // A service in the directory to signpost the family to.
  const organizationId = randomUUID()
  f.serviceId = randomUUID()
  await ctx.db.asTenant('essex', async (trx) => {
    await trx.insertInto('directory_organizations').values({ id: organizationId, tenant_id: 'essex', name: 'Audit Count Trust', document: JSON.stringify({ id: organizationId, name: 'Audit Count Trust', description: '' }) }).execute()
  })
  const created = await agents.admin!.post('/directory/new', {
    name: `Audit count service ${f.serviceId.slice(0, 6)}`,
    organizationId,
    description: 'A parenting course.',
    status: 'active',
    levels: ['1', '2', '3'],
    categories: ['parenting'],
    referralRoutes: ['professional'],
  })
  assert.equal(created.statusCode, 303, errorSummary(created.body).map((e) => e.text).join('; '))
  f.serviceId = (await ctx.db.system.selectFrom('directory_services').select('id').where('name', '=', `Audit count service ${f.serviceId.slice(0, 6)}`).executeTakeFirstOrThrow()).id
})
after(async () => {
  await app.close()
  await ctx.close()
})

type Form = Record<string, string | string[]>

interface Case {
  /** The route as registered, e.g. `GET /involvements/:id/plans/:number`. */
  route: string
  /** Who makes the request. */
  as: string
  /** What the events must be: one of these, or none for a page that shows no record. */
  action: AuditAction | null
  outcome?: 'success' | 'denied'
  status?: number
  /** The address, if not the route's pattern with the fixtures filled in. */
  url?: string
  /** The form, read when the case runs (a version is read from its page first). */
  form?: () => Form | Promise<Form>
  /** Keeps what the response says for later cases (a new record's id, say). */
  then?: (response: LightMyRequestResponse) => void | Promise<void>
  /** Why this case, when the route alone does not say. */
  note?: string
  /**
   * A change that creates a second record writes one event for each record, never two for one:
   * a decision that opens early help is a decision on the request and the opening of the family's record.
   */
  alsoCreates?: AuditAction
}

/** The route's pattern with the fixtures filled in: `:id` is the main family unless the case says. */
function urlOf(c: Case): string {
  if (c.url) return c.url.replace(/:(\w+)/g, (_, name: string) => f[name] ?? `:${name}`)
  const pattern = c.route.split(' ')[1]!
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = name === 'number' ? f.planNumber : name === 'section' ? 'worries' : f[name]
    if (value === undefined) throw new Error(`no fixture for :${name} in ${c.route}`)
    return value
  })
}

/** The version a page's form carries, read as the person would see it. */
async function versionOn(as: string, url: string): Promise<string> {
  const page = await agents[as]!.get(url.replace(/:(\w+)/g, (_, name: string) => f[name] ?? ''))
  assert.equal(page.statusCode, 200, `GET ${url} for its version`)
  const version = inputValue(page.body, 'version')
  assert.ok(version, `${url} carries a version`)
  return version
}

const meetingIdOf = (response: LightMyRequestResponse) => /meetings\/([0-9a-f-]{36})/.exec(String(response.headers.location))?.[1] ?? ''
/** A meeting held yesterday, everyone on the team invited, as its page offers them. */
async function meeting(kind: string): Promise<Form> {
  const page = await agents.lead!.get(`/involvements/${f.id}/meetings/new`)
  const invitees = [...page.body.matchAll(/name="invitees" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]!)
  assert.ok(invitees.length, 'the team is offered as invitees')
  return { kind, ...dateParts(addDays(today, -1), 'date'), time: '10:00', where: 'venue', venue: 'Hilltop Primary School', coordinator: accounts.lead!.id, invitees }
}

/** The meeting's record as its page asks for it: nobody came, so no views or reports are needed. */
async function meetingRecord(): Promise<Form> {
  const page = await agents.lead!.get(`/involvements/${f.id}/meetings/${f.meetingId}`)
  const form: Form = { version: inputValue(page.body, 'version') ?? '' }
  for (const [, name] of page.body.matchAll(/name="((?:attended|viewsGained|report)-[0-9a-f-]{36})"/g)) form[name!] = 'no'
  return form
}

const BREAK_GLASS_REASON = 'The school has rung: Maisie says she is frightened to go home tonight.'

// prettier-ignore
const CASES: Case[] = [
  // Denials: by role (the guard) and by relationship (the involvement).
  { route: 'GET /involvements/:id', as: 'admin', action: 'access-denied', outcome: 'denied', status: 404, note: 'a role that never sees casework' },
  { route: 'GET /involvements/:id', as: 'outsider', action: 'access-denied', outcome: 'denied', status: 404, note: 'a practitioner with no relationship' },
  { route: 'POST /involvements/:id/chronology/new', as: 'outsider', action: 'access-denied', outcome: 'denied', status: 404, form: () => ({ kind: 'note', ...dateParts(today, 'date'), summary: 'x', significant: 'no' }) },

  // Lists and pages.
  { route: 'GET /involvements', as: 'lead', action: 'involvement-list-viewed' },
  { route: 'GET /involvements/new', as: 'lead', action: null, note: 'an empty form' },
  { route: 'POST /involvements/new', as: 'nurse', action: 'involvement-opened', form: () => ({ familyName: 'Okoro', childGivenName: 'Ada', childFamilyName: 'Okoro', ...dateParts('2018-02-03', 'childDate'), adultGivenName: 'Ngozi', adultFamilyName: 'Okoro', adultRelationship: 'Mother', consent: 'yes' }) },
  { route: 'GET /involvements/:id', as: 'lead', action: 'involvement-viewed' },
  { route: 'GET /involvements/:id/team', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/team', as: 'lead', action: 'team-member-added', form: () => ({ email: accounts.nurse!.email, role: 'School nurse' }) },
  { route: 'POST /involvements/:id/team', as: 'lead', action: 'team-member-added', form: () => ({ name: 'Pat Grey', organisation: 'Food bank', contact: '01632 960 111', role: 'Volunteer' }), then: async () => void (f.memberId = (await ctx.db.system.selectFrom('team_members').select('id').where('involvement_id', '=', f.id!).where('name', '=', 'Pat Grey').executeTakeFirstOrThrow()).id) },
  { route: 'POST /involvements/:id/team/:memberId/remove', as: 'lead', action: 'team-member-removed', form: () => ({ reason: 'The food bank has finished its work.' }) },
  { route: 'GET /involvements/:id/people/new', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/people/new', as: 'lead', action: 'family-member-added', form: () => ({ kind: 'child', givenName: 'Tobi', familyName: 'Testfamily', relationship: 'Son', ...dateParts('2019-01-01', 'date') }) },
  { route: 'GET /involvements/:id/lead-professional', as: 'lead', url: '/involvements/:handOver/lead-professional', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/lead-professional', as: 'lead', url: '/involvements/:handOver/lead-professional', action: 'lead-professional-changed', form: async () => ({ version: await versionOn('lead', '/involvements/:handOver/lead-professional'), email: accounts.nextLead!.email, reason: 'The school knows the family best.' }) },

  // The chronology.
  { route: 'GET /involvements/:id/chronology', as: 'lead', action: 'chronology-viewed' },
  { route: 'GET /involvements/:id/chronology/new', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/chronology/new', as: 'nurse', action: 'chronology-entry-added', form: () => ({ kind: 'note', ...dateParts(today, 'date'), summary: 'Phoned school', significant: 'no' }) },

  // The Family Story.
  { route: 'GET /involvements/:id/assessment', as: 'lead', action: 'assessment-viewed' },
  { route: 'POST /involvements/:id/assessment', as: 'lead', action: 'assessment-saved', form: async () => ({ version: await versionOn('lead', '/involvements/:id/assessment'), action: 'save', strengths: 'Dana is determined.' }) },

  // The plan: started, built section by section, agreed, then its actions, its PDF and a new version discarded.
  { route: 'GET /involvements/:id/plans', as: 'lead', action: 'plan-viewed' },
  { route: 'POST /involvements/:id/plans', as: 'lead', action: 'plan-started', form: () => ({ kind: 'initial' }), then: (r) => void (f.planNumber = String(r.headers.location).split('/').pop() ?? '') },
  { route: 'GET /involvements/:id/plans/:number', as: 'lead', action: 'plan-viewed' },
  { route: 'GET /involvements/:id/plans/:number/:section', as: 'lead', action: 'plan-viewed' },
  { route: 'POST /involvements/:id/plans/:number/:section', as: 'lead', action: 'plan-saved', form: async () => ({ version: await versionOn('lead', '/involvements/:id/plans/1/worries'), worries: 'Maisie is missing school.' }) },
  { route: 'POST /involvements/:id/plans/:number/:section', as: 'lead', url: '/involvements/:id/plans/1/needs', action: 'plan-saved', form: async () => ({ version: await versionOn('lead', '/involvements/:id/plans/1/needs'), 'needs-0-id': '', 'needs-0-text': 'Maisie goes to school every day', 'needs-0-outcomes': [f.outcome!] }) },
  { route: 'POST /involvements/:id/plans/:number/:section', as: 'lead', url: '/involvements/:id/plans/1/scores', action: 'plan-saved', form: async () => ({ version: await versionOn('lead', '/involvements/:id/plans/1/scores'), familyScore: '4', teamScore: '3' }) },
  { route: 'POST /involvements/:id/plans/:number/:section', as: 'lead', url: '/involvements/:id/plans/1/actions', action: 'plan-saved', form: async () => ({ version: await versionOn('lead', '/involvements/:id/plans/1/actions'), 'actions-0-id': '', 'actions-0-what': 'Walk Maisie to school', 'actions-0-who': 'Dana', ...dateParts(addDays(today, 14), 'actions-0-due') }) },
  { route: 'GET /involvements/:id/plans/:number/agree', as: 'lead', action: 'plan-viewed' },
  { route: 'POST /involvements/:id/plans/:number/agree', as: 'lead', action: 'plan-agreed', form: async () => ({ version: await versionOn('lead', '/involvements/:id/plans/1/agree'), consent: 'yes', assessorName: 'Priya Lead', ...dateParts(today, 'assessorSigned'), familySignatoryName: 'Dana Testfamily', ...dateParts(today, 'familySigned') }), then: async () => void (f.actionId = (await ctx.db.system.selectFrom('plan_actions').select('id').where('involvement_id', '=', f.id!).executeTakeFirstOrThrow()).id) },
  { route: 'GET /involvements/:id/plans/:number/family', as: 'lead', action: 'plan-viewed' },
  { route: 'GET /involvements/:id/plans/:number/plan.pdf', as: 'lead', action: 'plan-downloaded', note: 'the plan as a PDF: an export' },
  { route: 'GET /involvements/:id/plans/compare', as: 'lead', url: '/involvements/:id/plans/compare?from=1&to=1', action: 'plans-compared' },
  { route: 'GET /involvements/:id/actions/:actionId', as: 'nurse', action: 'plan-viewed' },
  { route: 'POST /involvements/:id/actions/:actionId', as: 'nurse', action: 'action-updated', form: () => ({ status: 'done' }) },
  { route: 'POST /involvements/:id/plans', as: 'lead', action: 'plan-started', form: () => ({ kind: 'review' }), then: (r) => void (f.planNumber = String(r.headers.location).split('/').pop() ?? '') },
  { route: 'POST /involvements/:id/plans/:number/discard', as: 'lead', action: 'plan-discarded' },

  // Signposting from the family's page.
  { route: 'GET /involvements/:id/signposting', as: 'lead', action: 'signposting-viewed' },
  { route: 'POST /involvements/:id/signposting', as: 'lead', action: 'signposted', form: () => ({ serviceId: f.serviceId! }), then: async () => void (f.signpostId = (await ctx.db.system.selectFrom('signposts').select('id').where('involvement_id', '=', f.id!).executeTakeFirstOrThrow()).id) },
  { route: 'POST /involvements/:id/signposting/:signpostId/remove', as: 'lead', action: 'signpost-removed' },

  // Meetings (held yesterday, so they can be recorded or cancelled) and the review date.
  { route: 'GET /involvements/:id/meetings', as: 'lead', action: 'meeting-viewed' },
  { route: 'GET /involvements/:id/meetings/new', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/meetings/new', as: 'lead', action: 'meeting-scheduled', form: () => meeting('initial'), then: (r) => void (f.meetingId = meetingIdOf(r)) },
  { route: 'GET /involvements/:id/meetings/:meetingId', as: 'lead', action: 'meeting-viewed' },
  { route: 'POST /involvements/:id/meetings/:meetingId', as: 'lead', action: 'meeting-recorded', form: () => meetingRecord() },
  { route: 'POST /involvements/:id/meetings/new', as: 'lead', action: 'meeting-scheduled', form: () => meeting('review'), then: (r) => void (f.meetingId = meetingIdOf(r)) },
  { route: 'POST /involvements/:id/meetings/:meetingId/cancel', as: 'lead', action: 'meeting-cancelled', form: async () => ({ version: await versionOn('lead', '/involvements/:id/meetings/:meetingId'), reason: 'Dana is unwell; to be rearranged' }) },
  { route: 'GET /involvements/:id/review-date', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/review-date', as: 'lead', action: 'review-date-changed', form: async () => ({ version: await versionOn('lead', '/involvements/:id/review-date'), ...dateParts(addDays(today, 30), 'date'), reason: 'Brought forward: school holidays' }) },

  // Consent, the sharing log and protected details (after the plan's PDF, which then asks who a copy is for).
  { route: 'GET /involvements/:id/consent', as: 'lead', action: 'consent-viewed' },
  { route: 'GET /involvements/:id/consent/new', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/consent/new', as: 'lead', action: 'consent-recorded', form: () => ({ forPerson: f.maisie!, givenBy: f.dana!, purpose: 'information-sharing', agencies: 'Riverside Primary School', how: 'written', ...dateParts(today, 'date') }), then: async () => void (f.consentId = (await ctx.db.system.selectFrom('consents').select('id').where('involvement_id', '=', f.id!).executeTakeFirstOrThrow()).id) },
  { route: 'GET /involvements/:id/consent/:consentId/withdraw', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/consent/:consentId/withdraw', as: 'lead', action: 'consent-withdrawn', form: async () => ({ version: await versionOn('lead', '/involvements/:id/consent/:consentId/withdraw'), effect: 'stop-sharing', ...dateParts(today, 'date') }) },
  { route: 'GET /involvements/:id/consent/:consentId/override', as: 'manager', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/consent/:consentId/override', as: 'manager', action: 'consent-override-recorded', form: () => ({ basis: 'section-47', reason: 'A Section 47 enquiry has started and the team must keep working together' }) },
  { route: 'GET /involvements/:id/sharing', as: 'lead', action: 'sharing-log-viewed' },
  { route: 'GET /involvements/:id/sharing/new', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/sharing/new', as: 'lead', action: 'disclosure-recorded', form: () => ({ what: 'The Early Help Plan', recipient: 'Sam Jones, Riverside Primary School', reason: 'The school leads on attendance actions', basis: 'consent', ...dateParts(today, 'date') }) },
  { route: 'GET /involvements/:id/protected-details', as: 'lead', action: 'protected-details-viewed' },
  { route: 'GET /involvements/:id/protected-details/new', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/protected-details/new', as: 'lead', action: 'protected-detail-recorded', form: () => ({ personId: f.dana!, kind: 'address', value: '14 Larch Close, Basildon SS14 3PD', hiddenFromPeople: f.leo!, reason: 'Domestic abuse: a court order is in place' }), then: async () => void (f.protectionId = (await ctx.db.system.selectFrom('protected_details').select('id').where('involvement_id', '=', f.id!).executeTakeFirstOrThrow()).id) },
  { route: 'GET /involvements/:id/protected-details/:protectionId/lift', as: 'lead', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/protected-details/:protectionId/lift', as: 'lead', action: 'protected-detail-lifted', form: () => ({ reason: 'The court order has ended.' }) },

  // A subject access export for a child: the page, the readable document and the JSON.
  { route: 'GET /involvements/:id/people/:personId/subject-access', as: 'manager', action: 'subject-access-viewed' },
  { route: 'POST /involvements/:id/people/:personId/subject-access', as: 'manager', action: 'subject-access-exported', status: 200, form: () => ({ requestedBy: 'Dana Testfamily, for Maisie' }) },
  { route: 'POST /involvements/:id/people/:personId/subject-access.json', as: 'manager', action: 'subject-access-exported', status: 200, form: () => ({ requestedBy: 'Dana Testfamily, for Maisie' }) },

  // Who has seen the family.
  { route: 'GET /involvements/:id/audit', as: 'manager', action: 'family-audit-viewed' },

  // Stepping up, stepping down and closing, each on a family of its own.
  { route: 'GET /involvements/:id/step-up', as: 'lead', url: '/involvements/:stepUp/step-up', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/step-up', as: 'lead', url: '/involvements/:stepUp/step-up', action: 'stepped-up', form: () => ({ toLevel: '3', whyNow: 'Maisie has missed 3 weeks of school.', tried: 'A Team Around the Family since June.' }) },
  { route: 'GET /involvements/:id/step-down', as: 'lead', url: '/involvements/:stepDown/step-down', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/step-down', as: 'lead', url: '/involvements/:stepDown/step-down', action: 'stepped-down', form: async () => ({ version: await versionOn('lead', '/involvements/:stepDown/step-down'), toLevel: '2', reason: 'Attendance is back above 95%.', ...dateParts(today, 'handover'), notes: 'Dana prefers texts.', leadEmail: accounts.nextLead!.email }) },
  { route: 'GET /involvements/:id/close', as: 'lead', url: '/involvements/:close/close', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/close', as: 'lead', url: '/involvements/:close/close', action: 'closure-requested', note: 'at level 3 a manager signs it off', form: async () => ({ version: await versionOn('lead', '/involvements/:close/close'), reason: 'needs-met', familyScore: '8', teamScore: '7', summary: 'Attendance is good and mornings are calm.' }) },
  { route: 'GET /involvements/:id/close/sign-off', as: 'manager', url: '/involvements/:close/close/sign-off', action: 'involvement-viewed' },
  { route: 'POST /involvements/:id/close/sign-off', as: 'manager', url: '/involvements/:close/close/sign-off', action: 'involvement-closed', form: async () => ({ version: await versionOn('manager', '/involvements/:close/close/sign-off'), decision: 'approve' }) },

  // Families arriving from elsewhere: a step down from children's social care, and the front door's decision.
  { route: 'POST /step-downs/new', as: 'duty', action: 'involvement-opened', form: () => ({ familyName: 'Stepdown', childGivenName: 'Ava', childFamilyName: 'Stepdown', ...dateParts('2018-04-09', 'dob'), adultGivenName: 'Sam', adultFamilyName: 'Stepdown', adultRelationship: 'Father', level: '3', leadEmail: accounts.lead!.email, socialCareTeam: 'Assessment and Intervention Team West', notes: 'Child in need plan ended.' }) },
  { route: 'POST /front-door/requests/:id/decision', as: 'duty', url: '/front-door/requests/:sentRequest/decision', action: 'request-decided', note: 'a decision that opens early help', alsoCreates: 'involvement-opened', form: async () => ({ version: await versionOn('duty', '/front-door/requests/:sentRequest'), outcome: 'intensive-support', level: '4', reason: 'Immediate risk reported.', differenceReason: 'x', team: 'Intensive Support Team', leadProfessional: accounts.lead!.email }) },

  // Break-glass: opening a family with a reason, then a view under it.
  { route: 'POST /break-glass', as: 'breaker', action: 'break-glass-opened', form: () => ({ reference: f.reference!, reason: BREAK_GLASS_REASON }) },
  { route: 'GET /involvements/:id', as: 'breaker', action: 'involvement-viewed', note: 'a view under break-glass' },
  { route: 'GET /involvements/:id/chronology', as: 'breaker', action: 'chronology-viewed', note: 'a view under break-glass' },
]

/** Routes under /involvements no case needs to make: none today. */
const NOT_COUNTED: Record<string, string> = {}

interface Counted {
  status: number
  events: { action: string; outcome: string; request_id: string | null }[]
  strays: { action: string; request_id: string | null }[]
  /** The page's error summary, to say why a request was refused. */
  problems: string[]
}

async function run(c: Case): Promise<Counted> {
  const agent = agents[c.as]!
  const [method] = c.route.split(' ')
  const form = c.form ? await c.form() : {}
  const url = urlOf(c)
  const requestId = randomUUID()
  const last = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()
  const response = await agent.request(method as 'GET' | 'POST', url, method === 'POST' ? { _csrf: agent.csrfToken(), ...form } : undefined, { [REQUEST_ID_HEADER]: requestId })
  await c.then?.(response)
  const written = await ctx.db.system
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'request_id'])
    .where('id', '>', String(last.id ?? 0))
    .orderBy('id')
    .execute()
  return {
    status: response.statusCode,
    events: written.filter((e) => e.request_id === requestId),
    strays: written.filter((e) => e.request_id !== requestId),
    problems: errorSummary(response.body).map((e) => e.text),
  }
}

test('every casework view, change, denial, export and break-glass writes exactly one audit event', async () => {
  // Every case runs, so one failure shows them all: what was expected, and what happened.
  const wrong: string[] = []
  for (const c of CASES) {
    const label = `${c.route} as ${c.as}${c.url ? ` (${c.url})` : ''}${c.note ? `: ${c.note}` : ''}`
    let counted: Counted
    try {
      counted = await run(c)
    } catch (error) {
      wrong.push(`${label}\n    could not be made: ${(error as Error).message}`)
      continue
    }
    const { status, events, strays } = counted
    const expected = { status: c.status ?? (c.route.startsWith('GET') ? 200 : 303), events: [...(c.action ? [`${c.action}/${c.outcome ?? 'success'}`] : []), ...(c.alsoCreates ? [`${c.alsoCreates}/success`] : [])], strays: [] }
    const actual = { status, events: events.map((e) => `${e.action}/${e.outcome}`), strays: strays.map((e) => `${e.action} (request ${e.request_id ?? 'none'})`) }
    try {
      assert.deepEqual(actual, expected)
    } catch {
      const message = `${label}\n    expected ${JSON.stringify(expected)}\n    got      ${JSON.stringify(actual)} ${counted.problems.join('; ')}`
      wrong.push(message)
    }
  }
  assert.deepEqual(wrong, [], `\n${wrong.join('\n')}`)
})

test('every casework route has a line in the table', () => {
  const counted = new Set(CASES.map((c) => c.route))
  const missing = routeTable(app)
    .filter((r) => r.url.startsWith('/involvements'))
    .map((r) => `${r.method} ${r.url}`)
    .filter((route) => !counted.has(route) && !(route in NOT_COUNTED))
  assert.deepEqual(missing, [], 'add a line to CASES for each, or say in NOT_COUNTED why it is not counted')
})
