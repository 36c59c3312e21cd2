import type { Role } from '../../platform/db/schema.ts'

/**
 * The authorisation matrix: for every route the app registers (`METHOD /pattern`), who may use it,
 * written down from the policy (ADR 0009 and issue 6) rather than imported from the code, so a
 * change to the code that breaks the policy fails `matrix.test.ts`, and so does a route with no
 * entry here.
 *
 * Scopes:
 * - `public`: anyone, signed in or not; no one is refused.
 * - `signed-in`: any signed-in person; a visitor is sent to sign in.
 * - `tenant`: the listed roles, within their own authority. `record: true` when the address names a
 *   record of the authority, so an id from the other authority is tried too (and must be 404).
 * - `request`: a practitioner's own request for support (the referrer); anyone else 404.
 * - `involvement`: a family's early help, through the relationship (ADR 0009): the roles that pass
 *   the route's role gate, and the `need` the service asks of the relationship.
 */
export type Need = 'view' | 'contribute' | 'manage' | 'sign-off' | 'oversee'

export type Access =
  | { scope: 'public' }
  | { scope: 'signed-in' }
  | { scope: 'tenant'; roles: readonly Role[]; record?: boolean }
  | { scope: 'request' }
  | { scope: 'involvement'; roles: readonly Role[]; need: Need; leadOnly?: true }

/** One involvement with something of each kind on it, for addresses that name them. */
export interface CaseFixture {
  id: string
  reference: string
  planNumber: number
  /** The draft plan's optimistic-concurrency version, for forms that carry it. */
  planVersion: number
  actionId: string
  meetingId: string
  memberId: string
  signpostId: string
  /** The first child, among the family's people. */
  personId: string
  /** An information-sharing consent given for the child. */
  consentId: string
  /** The child's address, protected from named people. */
  protectionId: string
}

/** The records one authority's addresses are built from (the scenario picks the involvement). */
export interface Fixtures {
  tenant: string
  case: CaseFixture
  /** A practitioner's draft request for support, with one child on it. */
  draft: { id: string; personId: string }
  /** A request waiting at the front door, with a child who matches an earlier request's child. */
  submitted: { id: string; personId: string; matchedId: string; signpostId: string }
  /** A request decided as universal help and signposting, with a keep-in-touch call. */
  universal: { id: string; callId: string }
  accountId: string
  organisationId: string
  serviceId: string
  grantId: string
  legalHoldId: string
  panel: { date: string; itemId: string }
}

export interface Entry {
  access: Access
  /** The address to request; defaults to the pattern when it has no parameters. */
  url?: (f: Fixtures) => string
  /** A POST's form: what passes the form-token check without changing anything. Empty by default. */
  body?: (f: Fixtures) => Record<string, string>
  /** Statuses an allowed request may answer; default GET 200, POST 2xx, 3xx or 400. */
  ok?: readonly number[]
  /**
   * The request changes something even with this body, so each allowed check gets fresh targets:
   * the test runs such routes one check at a time, after all the others, preparing each.
   */
  acts?: 'sign-out' | 'discard-plan' | 'remove-signpost' | 'remove-request-signpost' | 'repeatable'
  /** Why the entry is as it is, where that is not obvious. */
  note?: string
}

const CASEWORK: readonly Role[] = ['practitioner', 'team_manager', 'early_help_advisor', 'duty_manager', 'front_door_officer']
const FRONT_DOOR: readonly Role[] = ['front_door_officer', 'duty_manager']
const ADMIN: readonly Role[] = ['administrator']
/** Who reads a family's audit trail and answers subject access requests: its managers. */
const OVERSEERS: readonly Role[] = ['team_manager', 'duty_manager']

const pub = (extra: Omit<Entry, 'access'> = {}): Entry => ({ access: { scope: 'public' }, ...extra })
const signedIn = (extra: Omit<Entry, 'access'> = {}): Entry => ({ access: { scope: 'signed-in' }, ...extra })
const tenant = (roles: readonly Role[], extra: Omit<Entry, 'access'> & { record?: boolean } = {}): Entry => {
  const { record, ...rest } = extra
  return { access: { scope: 'tenant', roles, ...(record ? { record } : {}) }, ...rest }
}
const own = (url: Entry['url'], extra: Omit<Entry, 'access' | 'url'> = {}): Entry => ({ access: { scope: 'request' }, url, ...extra })
const casework = (need: Need, url: Entry['url'], extra: Omit<Entry, 'access' | 'url'> & { roles?: readonly Role[]; leadOnly?: true } = {}): Entry => {
  const { roles, leadOnly, ...rest } = extra
  return { access: { scope: 'involvement', roles: roles ?? CASEWORK, need, ...(leadOnly ? { leadOnly } : {}) }, url, ...rest }
}

const inv = (f: Fixtures) => `/involvements/${f.case.id}`
const plan = (f: Fixtures) => `${inv(f)}/plans/${f.case.planNumber}`
const req = (f: Fixtures) => `/requests/${f.draft.id}`
const fd = (f: Fixtures) => `/front-door/requests/${f.submitted.id}`
const withVersion = (f: Fixtures) => ({ version: String(f.case.planVersion) })
/** A real service with a note too long to save: the form is refused, so nothing is signposted. */
const tooLongNote = (f: Fixtures) => ({ serviceId: f.serviceId, note: 'x'.repeat(1001) })

export const MATRIX: Record<string, Entry> = {
  // Public pages, assets, health.
  'GET /assets/*': pub({ url: () => '/assets/images/favicon.svg' }),
  'GET /': pub({ ok: [200, 303] }),
  'GET /cookies': pub(),
  'GET /accessibility': pub(),
  'GET /health': pub(),
  'GET /favicon.ico': pub({ ok: [301] }),

  // Signing in: open to everyone; each step without its pending sign-in goes back to the start.
  'GET /sign-in': pub({ ok: [200, 303], note: 'a signed-in person is sent on' }),
  'POST /sign-in': pub({ ok: [400] }),
  'GET /sign-in/code': pub({ ok: [303] }),
  'POST /sign-in/code': pub({ ok: [303] }),
  'GET /sign-in/set-up-mfa': pub({ ok: [303] }),
  'POST /sign-in/set-up-mfa': pub({ ok: [303] }),
  'POST /sign-in/cancel': pub({ ok: [303] }),
  'POST /sign-out': pub({ ok: [303], acts: 'sign-out' }),
  // Only registered when single sign-on is configured: the provider here cannot be reached.
  'GET /sign-in/oidc': pub({ ok: [503] }),
  'GET /sign-in/oidc/callback': pub({ ok: [400] }),

  // Anyone signed in.
  'GET /home': signedIn(),
  'GET /account/security-codes': signedIn(),
  'POST /account/security-codes': signedIn({ ok: [400] }),

  // Administration.
  'POST /admin/accounts/:id/reset-mfa': tenant(ADMIN, { record: true, url: (f) => `/admin/accounts/${f.accountId}/reset-mfa`, ok: [303], acts: 'repeatable' }),
  'GET /admin/accounts': tenant(ADMIN),
  'GET /admin/accounts/new': tenant(ADMIN),
  'POST /admin/accounts/new': tenant(ADMIN, { ok: [400] }),
  'GET /admin/accounts/:id': tenant(ADMIN, { record: true, url: (f) => `/admin/accounts/${f.accountId}` }),
  'POST /admin/accounts/:id/:change': tenant(ADMIN, { record: true, url: (f) => `/admin/accounts/${f.accountId}/deactivate`, ok: [303], acts: 'repeatable' }),
  'GET /admin/organisations': tenant(ADMIN),
  'GET /admin/organisations/new': tenant(ADMIN),
  'POST /admin/organisations/new': tenant(ADMIN, { ok: [400] }),
  'POST /admin/organisations/:id/:change': tenant(ADMIN, { record: true, url: (f) => `/admin/organisations/${f.organisationId}/deactivate`, ok: [303], acts: 'repeatable' }),
  'GET /admin/audit': tenant(ADMIN),
  'GET /admin/notifications': tenant(ADMIN),

  // Asking for support: practitioners, and each request only by the practitioner who made it.
  'GET /requests': tenant(['practitioner']),
  'GET /requests/new': tenant(['practitioner']),
  'POST /requests/new': tenant(['practitioner'], { ok: [400] }),
  'GET /requests/priority': tenant(['practitioner']),
  'POST /requests/priority': tenant(['practitioner'], { ok: [400] }),
  'GET /requests/:id': own(req),
  'GET /requests/:id/section/:section': own((f) => `${req(f)}/section/worries`),
  'POST /requests/:id/section/:section': own((f) => `${req(f)}/section/worries`, { ok: [303, 400] }),
  'GET /requests/:id/people/:kind/new': own((f) => `${req(f)}/people/child/new`),
  'GET /requests/:id/people/:kind/:personId': own((f) => `${req(f)}/people/child/${f.draft.personId}`),
  'POST /requests/:id/people/:kind/:personId': own((f) => `${req(f)}/people/child/${f.draft.personId}`, { ok: [400] }),
  'POST /requests/:id/people/:kind/:personId/remove': own((f) => `${req(f)}/people/child/${f.draft.personId}/remove`, {
    ok: [303],
    acts: 'repeatable',
    note: 'removes the child: run after the other routes of the draft',
  }),
  'GET /requests/:id/check': own((f) => `${req(f)}/check`),
  'POST /requests/:id/submit': own((f) => `${req(f)}/submit`, { ok: [400] }),
  'GET /requests/:id/sent': own((f) => `${req(f)}/sent`, { ok: [200, 303] }),
  'POST /requests/:id/discard': own((f) => `${req(f)}/discard`, { ok: [303], acts: 'repeatable' }),

  // The front door.
  'GET /front-door': tenant(FRONT_DOOR),
  'GET /front-door/requests/:id': tenant(FRONT_DOOR, { record: true, url: fd }),
  'POST /front-door/requests/:id/acknowledge': tenant(FRONT_DOOR, { record: true, url: (f) => `${fd(f)}/acknowledge`, ok: [303], acts: 'repeatable' }),
  'POST /front-door/requests/:id/matches/:personId/:matchedId': tenant(['duty_manager'], {
    record: true,
    url: (f) => `${fd(f)}/matches/${f.submitted.personId}/${f.submitted.matchedId}`,
    body: () => ({ decision: 'rejected' }),
    ok: [303],
    acts: 'repeatable',
  }),
  'POST /front-door/requests/:id/decision': tenant(['duty_manager'], { record: true, url: (f) => `${fd(f)}/decision`, ok: [400] }),
  'GET /front-door/consultations': tenant(FRONT_DOOR),
  'GET /front-door/consultations/new': tenant(FRONT_DOOR),
  'POST /front-door/consultations/new': tenant(FRONT_DOOR, { ok: [400] }),
  'GET /front-door/requests/:id/signposting': tenant(FRONT_DOOR, { record: true, url: (f) => `${fd(f)}/signposting` }),
  'POST /front-door/requests/:id/signposting': tenant(FRONT_DOOR, { record: true, url: (f) => `${fd(f)}/signposting`, body: tooLongNote, ok: [400] }),
  'POST /front-door/requests/:id/signposting/:signpostId/remove': tenant(FRONT_DOOR, {
    record: true,
    url: (f) => `${fd(f)}/signposting/${f.submitted.signpostId}/remove`,
    ok: [303],
    acts: 'remove-request-signpost',
  }),
  'POST /front-door/requests/:id/signposting/calls': tenant(FRONT_DOOR, { record: true, url: (f) => `/front-door/requests/${f.universal.id}/signposting/calls`, ok: [400] }),
  'GET /front-door/calls': tenant(FRONT_DOOR),
  'GET /front-door/calls/:callId': tenant(FRONT_DOOR, { record: true, url: (f) => `/front-door/calls/${f.universal.callId}` }),
  'POST /front-door/calls/:callId': tenant(FRONT_DOOR, { record: true, url: (f) => `/front-door/calls/${f.universal.callId}`, ok: [400] }),

  // Families asking for themselves.
  'GET /help': pub(),
  'GET /help/:authority': pub({ url: (f) => `/help/${f.tenant}` }),
  'POST /help/:authority': pub({ url: (f) => `/help/${f.tenant}`, ok: [400] }),
  'GET /help/:authority/sent': pub({ url: (f) => `/help/${f.tenant}/sent`, ok: [200, 303] }),

  // Casework.
  'GET /involvements': tenant(CASEWORK),
  'GET /involvements/new': tenant(['practitioner']),
  'POST /involvements/new': tenant(['practitioner'], { ok: [400] }),
  'GET /involvements/:id': casework('view', inv),
  'GET /involvements/:id/team': casework('manage', (f) => `${inv(f)}/team`),
  'POST /involvements/:id/team': casework('manage', (f) => `${inv(f)}/team`, { ok: [400] }),
  'POST /involvements/:id/team/:memberId/remove': casework('manage', (f) => `${inv(f)}/team/${f.case.memberId}/remove`, { ok: [400] }),
  'GET /involvements/:id/lead-professional': casework('manage', (f) => `${inv(f)}/lead-professional`),
  'POST /involvements/:id/lead-professional': casework('manage', (f) => `${inv(f)}/lead-professional`, { ok: [400] }),
  'GET /involvements/:id/people/new': casework('manage', (f) => `${inv(f)}/people/new`),
  'POST /involvements/:id/people/new': casework('manage', (f) => `${inv(f)}/people/new`, { ok: [400] }),
  'GET /involvements/:id/audit': casework('oversee', (f) => `${inv(f)}/audit`, { roles: OVERSEERS }),

  'GET /involvements/:id/plans': casework('view', (f) => `${inv(f)}/plans`),
  'POST /involvements/:id/plans': casework('manage', (f) => `${inv(f)}/plans`, { ok: [303], acts: 'repeatable', note: 'opens the existing draft' }),
  'GET /involvements/:id/plans/compare': casework('view', (f) => `${inv(f)}/plans/compare?from=1&to=${f.case.planNumber}`),
  'GET /involvements/:id/plans/:number': casework('view', plan),
  'GET /involvements/:id/plans/:number/family': casework('view', (f) => `${plan(f)}/family`),
  'GET /involvements/:id/plans/:number/plan.pdf': casework('view', (f) => `${plan(f)}/plan.pdf`),
  'GET /involvements/:id/plans/:number/agree': casework('manage', (f) => `${plan(f)}/agree`),
  'POST /involvements/:id/plans/:number/agree': casework('manage', (f) => `${plan(f)}/agree`, { body: withVersion, ok: [400] }),
  'POST /involvements/:id/plans/:number/discard': casework('manage', (f) => `${plan(f)}/discard`, { ok: [303], acts: 'discard-plan' }),
  'GET /involvements/:id/plans/:number/:section': casework('manage', (f) => `${plan(f)}/worries`),
  'POST /involvements/:id/plans/:number/:section': casework('manage', (f) => `${plan(f)}/scores`, { body: (f) => ({ ...withVersion(f), familyScore: 'x' }), ok: [400] }),
  'GET /involvements/:id/actions/:actionId': casework('contribute', (f) => `${inv(f)}/actions/${f.case.actionId}`),
  'POST /involvements/:id/actions/:actionId': casework('contribute', (f) => `${inv(f)}/actions/${f.case.actionId}`, { ok: [400] }),

  'GET /involvements/:id/meetings': casework('view', (f) => `${inv(f)}/meetings`),
  'GET /involvements/:id/meetings/new': casework('manage', (f) => `${inv(f)}/meetings/new`),
  'POST /involvements/:id/meetings/new': casework('manage', (f) => `${inv(f)}/meetings/new`, { ok: [400] }),
  'GET /involvements/:id/meetings/:meetingId': casework('view', (f) => `${inv(f)}/meetings/${f.case.meetingId}`),
  'POST /involvements/:id/meetings/:meetingId': casework('manage', (f) => `${inv(f)}/meetings/${f.case.meetingId}`, { ok: [400, 409] }),
  'POST /involvements/:id/meetings/:meetingId/cancel': casework('manage', (f) => `${inv(f)}/meetings/${f.case.meetingId}/cancel`, { ok: [400] }),
  'GET /involvements/:id/review-date': casework('manage', (f) => `${inv(f)}/review-date`),
  'POST /involvements/:id/review-date': casework('manage', (f) => `${inv(f)}/review-date`, { ok: [400] }),

  'GET /panels': tenant(['duty_manager', 'team_manager']),
  'GET /panels/:date': tenant(['duty_manager', 'team_manager'], { url: (f) => `/panels/${f.panel.date}` }),
  'POST /panels/:date/items/:itemId': tenant(['duty_manager', 'team_manager'], { record: true, url: (f) => `/panels/${f.panel.date}/items/${f.panel.itemId}`, ok: [400] }),

  'GET /involvements/:id/assessment': casework('view', (f) => `${inv(f)}/assessment`),
  'POST /involvements/:id/assessment': casework('contribute', (f) => `${inv(f)}/assessment`, { body: () => ({ version: '-1' }), ok: [409], note: 'a version that never existed: refused as stale, so nothing is saved' }),

  'GET /involvements/:id/step-up': casework('manage', (f) => `${inv(f)}/step-up`),
  'POST /involvements/:id/step-up': casework('manage', (f) => `${inv(f)}/step-up`, { ok: [400], leadOnly: true, note: 'only the Lead Professional sends a request for support' }),
  'GET /involvements/:id/step-down': casework('manage', (f) => `${inv(f)}/step-down`),
  'POST /involvements/:id/step-down': casework('manage', (f) => `${inv(f)}/step-down`, { ok: [400] }),
  'GET /step-downs/new': tenant(['duty_manager', 'team_manager']),
  'POST /step-downs/new': tenant(['duty_manager', 'team_manager'], { ok: [400] }),
  'GET /involvements/:id/close': casework('manage', (f) => `${inv(f)}/close`),
  'POST /involvements/:id/close': casework('manage', (f) => `${inv(f)}/close`, { ok: [400] }),
  'GET /involvements/:id/close/sign-off': casework('sign-off', (f) => `${inv(f)}/close/sign-off`),
  'POST /involvements/:id/close/sign-off': casework('sign-off', (f) => `${inv(f)}/close/sign-off`, { ok: [400] }),

  'GET /involvements/:id/chronology': casework('view', (f) => `${inv(f)}/chronology`),
  'GET /involvements/:id/chronology/new': casework('contribute', (f) => `${inv(f)}/chronology/new`),
  'POST /involvements/:id/chronology/new': casework('contribute', (f) => `${inv(f)}/chronology/new`, { ok: [400] }),

  'GET /involvements/:id/signposting': casework('view', (f) => `${inv(f)}/signposting`),
  'POST /involvements/:id/signposting': casework('contribute', (f) => `${inv(f)}/signposting`, { body: tooLongNote, ok: [400] }),
  'POST /involvements/:id/signposting/:signpostId/remove': casework('contribute', (f) => `${inv(f)}/signposting/${f.case.signpostId}/remove`, {
    ok: [303],
    acts: 'remove-signpost',
  }),

  // Break-glass: practitioners open a family with a reason; administrators review.
  'GET /break-glass': tenant(['practitioner']),
  'POST /break-glass': tenant(['practitioner'], { ok: [400] }),
  'GET /privacy/break-glass': tenant(ADMIN),
  'GET /privacy/break-glass/:id': tenant(ADMIN, { record: true, url: (f) => `/privacy/break-glass/${f.grantId}` }),
  'POST /privacy/break-glass/:id': tenant(ADMIN, { record: true, url: (f) => `/privacy/break-glass/${f.grantId}`, ok: [400] }),

  // The Effective Support Directory: open to all to read; administrators and providers edit.
  'OPTIONS /api/open-referral/*': pub({ url: () => '/api/open-referral/services', ok: [204] }),
  'GET /api/open-referral': pub(),
  'GET /api/open-referral/services': pub(),
  'GET /api/open-referral/services/:id': pub({ url: (f) => `/api/open-referral/services/${f.serviceId}` }),
  'GET /api/open-referral/service_at_locations': pub(),
  'GET /api/open-referral/service_at_locations/:id': pub({ url: () => '/api/open-referral/service_at_locations/00000000-0000-4000-8000-000000000000', ok: [404], note: 'an unknown id: the route is public either way' }),
  'GET /api/open-referral/taxonomies': pub(),
  'GET /api/open-referral/taxonomies/:id': pub({ url: () => '/api/open-referral/taxonomies/00000000-0000-4000-8000-000000000000', ok: [404], note: 'an unknown id: the route is public either way' }),
  'GET /api/open-referral/taxonomy_terms': pub(),
  'GET /api/open-referral/taxonomy_terms/:id': pub({ url: () => '/api/open-referral/taxonomy_terms/00000000-0000-4000-8000-000000000000', ok: [404], note: 'an unknown id: the route is public either way' }),
  'GET /find-support': pub(),
  'GET /find-support/:authority': pub({ url: (f) => `/find-support/${f.tenant}` }),
  'GET /find-support/:authority/services/:id': pub({ url: (f) => `/find-support/${f.tenant}/services/${f.serviceId}` }),
  'GET /directory': tenant(['administrator', 'service_provider']),
  'GET /directory/new': tenant(['administrator', 'service_provider']),
  'POST /directory/new': tenant(['administrator', 'service_provider'], { ok: [400] }),
  // Consent, sharing, protected details and subject access (issue 6).
  'GET /involvements/:id/consent': casework('view', (f) => `${inv(f)}/consent`),
  'GET /involvements/:id/consent/new': casework('contribute', (f) => `${inv(f)}/consent/new`),
  'POST /involvements/:id/consent/new': casework('contribute', (f) => `${inv(f)}/consent/new`, { ok: [400] }),
  'GET /involvements/:id/consent/:consentId/withdraw': casework('manage', (f) => `${inv(f)}/consent/${f.case.consentId}/withdraw`),
  'POST /involvements/:id/consent/:consentId/withdraw': casework('manage', (f) => `${inv(f)}/consent/${f.case.consentId}/withdraw`, { ok: [400] }),
  // Overriding needs a withdrawal that stopped sharing; the fixture's consent is not withdrawn, so
  // those allowed are told on a 409 page that there is nothing to override.
  'GET /involvements/:id/consent/:consentId/override': casework('manage', (f) => `${inv(f)}/consent/${f.case.consentId}/override`, { ok: [409] }),
  'POST /involvements/:id/consent/:consentId/override': casework('manage', (f) => `${inv(f)}/consent/${f.case.consentId}/override`, { ok: [400, 409] }),
  'GET /involvements/:id/sharing': casework('view', (f) => `${inv(f)}/sharing`),
  'GET /involvements/:id/sharing/new': casework('contribute', (f) => `${inv(f)}/sharing/new`),
  'POST /involvements/:id/sharing/new': casework('contribute', (f) => `${inv(f)}/sharing/new`, { ok: [400] }),
  'GET /involvements/:id/protected-details': casework('view', (f) => `${inv(f)}/protected-details`),
  'GET /involvements/:id/protected-details/new': casework('manage', (f) => `${inv(f)}/protected-details/new`),
  'POST /involvements/:id/protected-details/new': casework('manage', (f) => `${inv(f)}/protected-details/new`, { ok: [400] }),
  'GET /involvements/:id/protected-details/:protectionId/lift': casework('manage', (f) => `${inv(f)}/protected-details/${f.case.protectionId}/lift`),
  'POST /involvements/:id/protected-details/:protectionId/lift': casework('manage', (f) => `${inv(f)}/protected-details/${f.case.protectionId}/lift`, { ok: [400] }),
  'GET /involvements/:id/people/:personId/subject-access': casework('oversee', (f) => `${inv(f)}/people/${f.case.personId}/subject-access`, { roles: OVERSEERS }),
  'POST /involvements/:id/people/:personId/subject-access': casework('oversee', (f) => `${inv(f)}/people/${f.case.personId}/subject-access`, { roles: OVERSEERS, ok: [400] }),
  'POST /involvements/:id/people/:personId/subject-access.json': casework('oversee', (f) => `${inv(f)}/people/${f.case.personId}/subject-access.json`, { roles: OVERSEERS, ok: [400] }),

  // Retention and legal holds: administrators.
  'GET /privacy/retention': tenant(ADMIN),
  'POST /privacy/retention/report': tenant(ADMIN, { ok: [303], acts: 'repeatable', note: 'reports what the sweep would do; deletes nothing' }),
  'GET /privacy/legal-holds': tenant(ADMIN),
  'POST /privacy/legal-holds': tenant(ADMIN, { ok: [400] }),
  'GET /privacy/legal-holds/:id': tenant(ADMIN, { record: true, url: (f) => `/privacy/legal-holds/${f.legalHoldId}` }),
  'POST /privacy/legal-holds/:id': tenant(ADMIN, { record: true, url: (f) => `/privacy/legal-holds/${f.legalHoldId}`, ok: [400] }),

  // One's own account.
  'GET /account': signedIn(),
  'POST /account/sessions/end-others': signedIn({ ok: [303], acts: 'repeatable', note: 'each person has one session here' }),
  'GET /account/password': signedIn(),
  'POST /account/password': signedIn({ ok: [400] }),

  'GET /directory/services/:id': tenant(['administrator'], { record: true, url: (f) => `/directory/services/${f.serviceId}`, note: 'a provider edits only its own organisation’s services' }),
  'POST /directory/services/:id': tenant(['administrator'], { record: true, url: (f) => `/directory/services/${f.serviceId}`, ok: [400, 409] }),
  'POST /directory/services/:id/checked': tenant(['administrator'], { record: true, url: (f) => `/directory/services/${f.serviceId}/checked`, ok: [303], acts: 'repeatable' }),
}

/**
 * Where the code does not (yet) do what the issue and ADR 0009 ask. Each is a real finding: the
 * test reports them as to-do items, and fails once one no longer happens, so this list is kept
 * true. Match: the route, the scenario and, optionally, the role; `kind` is what differs.
 */
export interface Finding {
  route: string
  scenario: string
  role?: string
  kind: 'status' | 'audit'
  what: string
}

export const FINDINGS: readonly Finding[] = []

/** Whether `finding` covers this route: `*` in its route stands for anything. */
export function findingCovers(finding: Finding, route: string): boolean {
  if (finding.route === route) return true
  if (!finding.route.includes('*')) return false
  const pattern = finding.route.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${pattern}$`).test(route)
}
