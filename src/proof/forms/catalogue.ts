import { randomUUID } from 'node:crypto'
import type { Agent } from '../../test/context.ts'
import type { As, Fixtures } from './fixtures.ts'
import { newNhsNumber } from './fixtures.ts'

/**
 * Every POST route of the app, with how the property tests reach its form and where what it saves
 * is shown again. The fields themselves are read from the rendered form (src/proof/forms/page.ts):
 * free text (inputs and textareas), choices (radios, checkboxes, selects), dates as day/month/year
 * and hidden fields, so a field added to a form is tested without being listed here.
 * src/proof/forms/completeness.test.ts fails when a POST route has no entry.
 */

/** Where one case posts: the form's action, the page holding the form (default: the action). */
export interface Target {
  post: string
  form?: string
  /** The form's action, when the post goes elsewhere (a button's formaction). */
  action?: string
  /** Anything the entry needs later (ids). */
  ids?: Record<string, string>
  /** Valid values known only once the target exists (a family's reference). */
  valid?: Record<string, string>
}

export interface FormEntry {
  route: string
  /** One of several forms on the same route (a section): the route's cases are shared between them. */
  variant?: string
  /** Who signs in (a fresh Essex account of that role), or a visitor. */
  as: As
  /** Makes (or finds) what the form works on. Called again after a save when `consumes`. */
  target(fixtures: Fixtures, agent: Agent): Promise<Target>
  /** A save changes what the form works on (a decision, a closure): each save gets a fresh target. */
  consumes?: boolean
  /** Values that pass validation for text fields with a format (email, phone, postcode, time). */
  valid?: Record<string, string>
  /** Fields always sent as given. */
  fixed?: Record<string, string | string[]>
  /** Day/month/year choices for a date field, when the defaults (today, past, future) do not fit. */
  dates?: Record<string, [string, string, string][]>
  /** The page showing what was saved, from the target and the redirect; default the redirect. Undefined: not shown. */
  shows?: (target: Target, location: string) => string | undefined
  /** Text fields that are saved and shown (default: every text field less `notShown`). */
  saved?: string[]
  /** The reply is a JSON download, not a page. */
  json?: boolean
  /** Who reads the page that shows it, when not the one who saved it (the referrer reads the decision). */
  showsAs?: As
  /** Text fields, by name pattern, that are saved only with some answers (so not checked), and why: see `notShown`. */
  notShownMatching?: RegExp
  /** Fields never sent (a row's "remove" box, which would drop what the row holds). */
  omit?: RegExp
  /** Text fields not shown back after a save, and why. */
  notShown?: Record<string, string>
  /** How saved text is normalised before it is shown (default: NUL removed, trimmed). */
  normalise?: (typed: string) => string
  /** Text fields a re-shown form leaves empty on purpose (besides passwords), and why. */
  notEchoed?: Record<string, string>
  /** The re-shown form holds the typed text trimmed. */
  trimsOnError?: boolean
}

export interface NoTypedInput {
  route: string
  noTypedInput: string
}

/** A form the property tests do not reach yet, and why. */
export interface NotCovered {
  route: string
  notCovered: string
}

export type CatalogueEntry = FormEntry | NoTypedInput | NotCovered

export const isForm = (entry: CatalogueEntry): entry is FormEntry => 'target' in entry

const CALLER = { familyNamed: 'yes', requestAdvised: 'no' }

/** The family whose meetings POST /involvements/:id/meetings/:meetingId records (one per test file's app). */
let recordedFamily: Promise<string> | undefined

export const CATALOGUE: CatalogueEntry[] = [
  // Signing in and out.
  {
    route: 'POST /sign-in',
    as: 'visitor',
    target: async () => ({ post: '/sign-in' }),
    shows: () => undefined,
    notShown: { email: 'a sign-in is not saved', password: 'never shown' },
  },
  {
    route: 'POST /sign-in/code',
    as: 'half_signed_in',
    // A right code signs in, so the next case signs in again with the password of someone new.
    consumes: true,
    target: async (f, agent) => ({ post: '/sign-in/code', valid: { code: await f.halfSignedIn(agent) } }),
    shows: () => undefined,
    notShown: { code: 'a sign-in is not saved' },
    notEchoed: { code: 'a one-time code is typed afresh' },
  },
  {
    route: 'POST /sign-in/set-up-mfa',
    as: 'setting_up_mfa',
    consumes: true,
    target: async (f, agent) => ({ post: '/sign-in/set-up-mfa', valid: { code: await f.settingUpMfa(agent) } }),
    shows: () => undefined,
    notShown: { code: 'a one-time code is not saved' },
    notEchoed: { code: 'a one-time code is typed afresh' },
  },
  { route: 'POST /sign-in/cancel', noTypedInput: 'a button: abandons a half-finished sign-in' },
  { route: 'POST /sign-out', noTypedInput: 'a button: signs out' },
  {
    route: 'POST /account/security-codes',
    as: 'practitioner',
    target: async () => ({ post: '/account/security-codes' }),
    shows: () => undefined,
    notEchoed: { code: 'a one-time code is typed afresh' },
  },
  { route: 'POST /account/sessions/end-others', noTypedInput: 'a button: signs out everywhere else' },
  {
    route: 'POST /account/password',
    as: 'account_holder',
    target: async () => ({ post: '/account/password' }),
    shows: () => undefined,
  },
  { route: 'POST /admin/accounts/:id/reset-mfa', noTypedInput: 'a button: resets an account’s two-step sign-in' },

  // Administration.
  {
    route: 'POST /admin/accounts/new',
    as: 'administrator',
    // An email address is taken once: each save gets a new one.
    consumes: true,
    target: async () => ({ post: '/admin/accounts/new', valid: { email: `someone-${randomUUID().slice(0, 8)}@essex.example` } }),
    valid: { password: 'a long enough password', phone: '01632 960 001' },
    notShown: { email: 'an email address is unique: after the first save the same one is refused' },
  },
  { route: 'POST /admin/accounts/:id/:change', noTypedInput: 'a button: deactivates or reactivates an account' },
  {
    route: 'POST /admin/organisations/new',
    as: 'administrator',
    target: async () => ({ post: '/admin/organisations/new' }),
    // The list of organisations is by name over many pages; the new account form offers every active one by name.
    shows: () => '/admin/accounts/new',
  },
  { route: 'POST /admin/organisations/:id/:change', noTypedInput: 'a button: deactivates or reactivates an organisation' },

  // Requests for support.
  {
    route: 'POST /requests/new',
    as: 'practitioner',
    target: async () => ({ post: '/requests/new' }),
    shows: () => undefined,
  },
  {
    route: 'POST /requests/priority',
    as: 'practitioner',
    target: async () => ({ post: '/requests/priority' }),
    valid: { phone: '01632 960 001', postcode: 'SS1 2AA' },
    shows: (_t, location) => location.replace(/\/sent$/, ''),
    // The referrer's page of a sent priority request names the child; what is happening is for the front door.
    saved: ['childName'],
  },
  ...(['referrer', 'address', 'worries', 'support', 'strengths', 'consent'] as const).map(
    (section): FormEntry => ({
      route: 'POST /requests/:id/section/:section',
      variant: section,
      as: 'practitioner',
      target: async (f) => ({ post: `/requests/${await f.draftRequest()}/section/${section}` }),
      valid: { phone: '01632 960 001', postcode: 'SS1 2AA' },
      // The section's page shows what was saved in its fields.
      shows: (t) => t.post,
      trimsOnError: false,
    }),
  ),
  {
    route: 'POST /requests/:id/people/:kind/:personId',
    as: 'practitioner',
    target: async (f) => {
      const id = await f.draftRequest()
      return { post: `/requests/${id}/people/child/new`, ids: { id } }
    },
    variant: 'child',
    valid: { nhsNumber: newNhsNumber(), upn: '', givenName: 'Maya' },
    // The check page names each person; the rest of what was typed is on the person's own page.
    saved: ['givenName', 'familyName'],
    shows: (t) => `/requests/${t.ids?.id}/check`,
  },
  {
    route: 'POST /requests/:id/people/:kind/:personId',
    variant: 'adult',
    as: 'practitioner',
    target: async (f) => {
      const id = await f.draftRequest()
      return { post: `/requests/${id}/people/adult/new`, ids: { id } }
    },
    shows: (t) => `/requests/${t.ids?.id}/check`,
    saved: ['givenName', 'familyName'],
  },
  { route: 'POST /requests/:id/people/:kind/:personId/remove', noTypedInput: 'a button: removes a person from a draft' },
  { route: 'POST /requests/:id/submit', noTypedInput: 'a button: sends a complete draft' },
  { route: 'POST /requests/:id/discard', noTypedInput: 'a button: discards a draft' },

  // The front door.
  { route: 'POST /front-door/requests/:id/acknowledge', noTypedInput: 'a button: acknowledges a request' },
  { route: 'POST /front-door/requests/:id/matches/:personId/:matchedId', noTypedInput: 'two buttons: confirm or reject a possible earlier record' },
  {
    route: 'POST /front-door/requests/:id/decision',
    as: 'duty_manager',
    consumes: true,
    target: async (f) => {
      const id = await f.submittedRequest()
      return { post: `/front-door/requests/${id}/decision`, form: `/front-door/requests/${id}`, ids: { id }, valid: { leadProfessional: (await f.account('practitioner')).email } }
    },
    // The reasons are for the referrer: their page of the request shows them.
    shows: (t) => `/requests/${t.ids?.id}`,
    showsAs: 'practitioner',
    saved: ['reason'],
  },
  {
    route: 'POST /help/:authority',
    as: 'visitor',
    target: async () => ({ post: '/help/essex' }),
    valid: { email: 'family@example.org', phone: '07700 900 982', postcode: 'CM2 0JQ' },
    // One child, as most families asking have; the other five rows are left empty.
    // (A date field given as one empty value sends none of its day, month and year.)
    fixed: Object.fromEntries([2, 3, 4, 5, 6].flatMap((n) => ['givenName', 'familyName', 'dob'].map((f) => [`child${n}-${f}`, '']))),
    shows: () => undefined,
  },
  {
    route: 'POST /front-door/consultations/new',
    as: 'front_door_officer',
    target: async () => ({ post: '/front-door/consultations/new' }),
    fixed: CALLER,
  },

  // Casework.
  {
    route: 'POST /involvements/new',
    as: 'practitioner',
    target: async () => ({ post: '/involvements/new' }),
  },
  // Someone with an account, found by their email address (what else was typed is not used), or someone added by name.
  ...(['an account', 'by name'] as const).map(
    (variant): FormEntry => ({
      route: 'POST /involvements/:id/team',
      variant,
      as: 'practitioner',
      // A person joins a team once: each save gets a fresh family.
      consumes: true,
      target: async (f) => ({ post: `/involvements/${await f.involvement()}/team`, valid: { email: variant === 'by name' ? '' : (await f.colleague()).email } }),
      ...(variant === 'an account' ? { saved: ['role'] } : {}),
    }),
  ),
  { route: 'POST /involvements/:id/team/:memberId/remove', noTypedInput: 'a button: removes a member of the Team Around the Family' },
  {
    route: 'POST /involvements/:id/lead-professional',
    as: 'practitioner',
    consumes: true,
    target: async (f) => ({ post: `/involvements/${await f.involvement()}/lead-professional`, valid: { email: (await f.newcomer('practitioner')).email } }),
  },
  {
    route: 'POST /involvements/:id/people/new',
    as: 'practitioner',
    // A fresh family each save keeps the family's page small.
    consumes: true,
    target: async (f) => ({ post: `/involvements/${await f.involvement()}/people/new` }),
    notShown: { ethnicity: 'held, but not shown on the family’s page' },
  },
  {
    route: 'POST /involvements/:id/chronology/new',
    as: 'practitioner',
    // A fresh family each save: the chronology is in date order, so an entry dated long ago would be on a later page.
    consumes: true,
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/chronology/new` }
    },
    valid: { time: '10:30' },
    normalise: (typed) => typed.toWellFormed().replaceAll('\0', '').replace(/\r\n/g, '\n').trim(),
    notShown: { time: 'shown as a time of day (10:30am), however it was typed (10.30, 1030)' },
  },
  {
    route: 'POST /involvements/:id/review-date',
    as: 'practitioner',
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/review-date`, ids: { id } }
    },
    shows: (t) => `/involvements/${t.ids?.id}/chronology`,
  },
  {
    route: 'POST /involvements/:id/meetings/new',
    as: 'practitioner',
    target: async (f) => ({ post: `/involvements/${await f.involvement()}/meetings/new` }),
    valid: { time: '10:30' },
    notShown: { time: 'shown as a time of day (10:30am), however it was typed (10.30, 1030)' },
  },
  {
    route: 'POST /involvements/:id/assessment',
    as: 'practitioner',
    consumes: true,
    // Saved by someone else meanwhile (a stale version): the form comes back with the answers as read, trimmed.
    trimsOnError: true,
    // A person's views are kept with how they were gained (their voice, or why not): which answers keep which is the assessment's own rule.
    notShownMatching: /^(voice|notGained|views)-/,
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/assessment` }
    },
    shows: (t) => t.post,
  },
  {
    route: 'POST /involvements/:id/step-up',
    as: 'practitioner',
    consumes: true,
    target: async (f) => ({ post: `/involvements/${await f.involvement()}/step-up` }),
    shows: (_t, location) => `${location}/check`,
  },
  {
    route: 'POST /involvements/:id/step-down',
    as: 'practitioner',
    consumes: true,
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/step-down`, ids: { id }, valid: { leadEmail: (await f.colleague()).email } }
    },
    shows: (t) => `/involvements/${t.ids?.id}/chronology`,
    notShown: { leadEmail: 'the new lead is shown by name' },
  },
  {
    route: 'POST /involvements/:id/close',
    as: 'practitioner',
    consumes: true,
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/close`, ids: { id } }
    },
    shows: (t) => `/involvements/${t.ids?.id}/chronology`,
    saved: ['summary'],
  },
  {
    route: 'POST /step-downs/new',
    as: 'duty_manager',
    target: async (f) => ({ post: '/step-downs/new', valid: { leadEmail: (await f.account('practitioner')).email } }),
    // The handover notes are in the new family's chronology.
    shows: (_t, location) => `${location}/chronology`,
    saved: ['notes'],
  },
  {
    route: 'POST /involvements/:id/plans',
    as: 'practitioner',
    target: async (f) => ({ post: `/involvements/${await f.involvement()}/plans` }),
    shows: () => undefined,
  },
  ...(['meeting-and-family', 'practitioners', 'additional-information', 'worries', 'going-well', 'needs', 'how-we-will-know', 'next-steps', 'actions'] as const).map(
    (section): FormEntry => ({
      route: 'POST /involvements/:id/plans/:number/:section',
      variant: section,
      as: 'practitioner',
      target: async (f) => {
        const { involvement, number } = await f.draftPlan()
        return { post: `/involvements/${involvement}/plans/${number}/${section}` }
      },
      valid: { postcode: 'SS1 2AA', time: '10:30' },
      // The section's page shows what was saved in its fields.
      shows: (t) => t.post,
      omit: /-remove$/,
    }),
  ),
  {
    route: 'POST /involvements/:id/plans/:number/agree',
    as: 'practitioner',
    target: async (f) => {
      const { involvement, number } = await f.draftPlan()
      return { post: `/involvements/${involvement}/plans/${number}/agree` }
    },
    // An empty draft cannot be agreed: every case is the form again, which is what is checked here.
    shows: () => undefined,
  },
  { route: 'POST /involvements/:id/plans/:number/discard', noTypedInput: 'a button: discards a draft plan' },
  {
    route: 'POST /involvements/:id/actions/:actionId',
    as: 'practitioner',
    target: async (f) => {
      const { involvement, actions } = await f.agreedPlan()
      return { post: `/involvements/${involvement}/actions/${actions[0]}` }
    },
    // A status is a choice: nothing typed is saved, so the property is the safety of the reply.
    shows: () => undefined,
  },
  {
    route: 'POST /involvements/:id/meetings/:meetingId',
    as: 'practitioner',
    consumes: true,
    // A meeting is recorded once: each save gets a new meeting, with the same family, whose people name the form's fields.
    target: async (f) => {
      recordedFamily ??= f.involvement()
      const { involvement, meeting } = await f.meeting(await recordedFamily)
      return { post: `/involvements/${involvement}/meetings/${meeting}` }
    },
    // The meeting's page shows each person's views, once recorded.
    shows: (t) => t.post,
  },
  {
    route: 'POST /involvements/:id/meetings/:meetingId/cancel',
    as: 'practitioner',
    consumes: true,
    target: async (f) => {
      const { involvement, meeting } = await f.meeting()
      return { post: `/involvements/${involvement}/meetings/${meeting}/cancel`, form: `/involvements/${involvement}/meetings/${meeting}`, ids: { involvement, meeting } }
    },
    shows: (t) => `/involvements/${t.ids?.involvement}/meetings/${t.ids?.meeting}`,
  },
  {
    route: 'POST /panels/:date/items/:itemId',
    as: 'duty_manager',
    // The panel decides once for each family.
    consumes: true,
    target: async (f) => {
      const { date, item } = await f.panelItem()
      return { post: `/panels/${date}/items/${item}`, form: `/panels/${date}`, ids: { date }, valid: { leadEmail: (await f.account('practitioner')).email } }
    },
    // The decision and its reason are on the agenda, under the family.
    shows: (t) => `/panels/${t.ids?.date}`,
    notShown: { leadEmail: 'the Lead Professional is shown by name' },
  },
  ...(['approve', 'return'] as const).map(
    (decision): FormEntry => ({
      route: 'POST /involvements/:id/close/sign-off',
      variant: decision,
      as: 'team_manager',
      consumes: true,
      target: async (f) => {
        const id = await f.involvement()
        await f.submitForm('practitioner', `/involvements/${id}/close`, `/involvements/${id}/close`, { reason: 'needs-met', familyScore: '7', teamScore: '7', summary: 'Needs met.' }, ['1', '1', '2026'])
        return { post: `/involvements/${id}/close/sign-off`, ids: { id } }
      },
      fixed: { decision },
      // A returned closure's reason is in the chronology; an approval has nothing typed to keep.
      shows: (t) => `/involvements/${t.ids?.id}/chronology`,
      showsAs: 'practitioner',
      saved: decision === 'return' ? ['returnReason'] : [],
    }),
  ),
  {
    route: 'POST /front-door/requests/:id/signposting',
    as: 'front_door_officer',
    target: async (f) => {
      await f.withDirectory()
      const id = await f.submittedRequest()
      return { post: `/front-door/requests/${id}/signposting`, form: `/front-door/requests/${id}/signposting?q=family` }
    },
    shows: (t) => t.post,
  },
  { route: 'POST /front-door/requests/:id/signposting/:signpostId/remove', noTypedInput: 'a button: removes a signpost' },
  {
    route: 'POST /front-door/requests/:id/signposting/calls',
    as: 'front_door_officer',
    target: async (f) => {
      const id = await f.decidedRequest()
      return { post: `/front-door/requests/${id}/signposting/calls`, form: `/front-door/requests/${id}/signposting` }
    },
    valid: { months: '3' },
    notShown: { months: 'the calls it sets up are shown, one a month, not the number of months' },
  },
  {
    route: 'POST /front-door/calls/:callId',
    as: 'front_door_officer',
    // A call is recorded once.
    consumes: true,
    target: async (f) => {
      const call = await f.dueCall()
      return { post: `/front-door/calls/${call}` }
    },
    // The call's page shows what was recorded.
    shows: (t) => t.post,
  },
  {
    route: 'POST /involvements/:id/signposting/:signpostId/remove',
    noTypedInput: 'a button: removes a signpost',
  },
  {
    route: 'POST /privacy/break-glass/:id',
    as: 'administrator',
    consumes: true,
    target: async (f) => {
      const id = await f.breakGlassGrant()
      return { post: `/privacy/break-glass/${id}` }
    },
  },
  {
    route: 'POST /directory/services/:id',
    as: 'administrator',
    target: async (f) => {
      await f.withDirectory()
      const service = await f.ctx.db.system.selectFrom('directory_services').select('id').where('tenant_id', '=', 'essex').orderBy('id').executeTakeFirstOrThrow()
      return { post: `/directory/services/${service.id}` }
    },
    valid: { email: 'service@example.org', website: 'https://example.org', phone: '01632 960 001', postcode: 'CM2 0JQ', minimumAge: '0', maximumAge: '18' },
    shows: (t) => t.post,
    notShown: { newOrganisationName: 'used only with “a new organisation” chosen' },
  },
  { route: 'POST /directory/services/:id/checked', noTypedInput: 'a button: marks a service as checked' },
  {
    route: 'POST /involvements/:id/signposting',
    as: 'practitioner',
    target: async (f) => {
      await f.withDirectory()
      const id = await f.involvement()
      return { post: `/involvements/${id}/signposting`, form: `/involvements/${id}/signposting?q=family` }
    },
    shows: (t) => t.post,
  },
  {
    route: 'POST /break-glass',
    as: 'outsider',
    target: async (f) => {
      const reference = await f.involvementReference()
      return { post: '/break-glass', valid: { reference } }
    },
    shows: () => undefined,
    notShown: { reference: 'checked against the family’s reference', reason: 'shown to the privacy officer, not to the person opening the record' },
  },
  {
    route: 'POST /directory/new',
    as: 'administrator',
    target: async () => ({ post: '/directory/new' }),
    // The list is by name over many pages; what a service holds is read back on its own page by POST /directory/services/:id.
    saved: [],
    valid: { email: 'service@example.org', website: 'https://example.org', phone: '01632 960 001', postcode: 'CM2 0JQ', minimumAge: '0', maximumAge: '18' },
  },

  // Information governance.
  {
    route: 'POST /involvements/:id/consent/new',
    as: 'practitioner',
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/consent/new`, ids: { id } }
    },
    shows: (t) => `/involvements/${t.ids?.id}/consent`,
    // Read back on the family's pages once their owner settles them; the safety properties are checked now.
    saved: [],
  },
  {
    route: 'POST /involvements/:id/consent/:consentId/withdraw',
    as: 'practitioner',
    consumes: true,
    target: async (f) => {
      const { involvement, consent } = await f.consent()
      return { post: `/involvements/${involvement}/consent/${consent}/withdraw`, ids: { involvement } }
    },
    shows: (t) => `/involvements/${t.ids?.involvement}/consent`,
    saved: [],
  },
  {
    route: 'POST /involvements/:id/consent/:consentId/override',
    as: 'practitioner',
    // Offered once consent to share is withdrawn and sharing stopped; an override restarts sharing.
    consumes: true,
    target: async (f) => {
      const { involvement, consent } = await f.withdrawnSharingConsent()
      return { post: `/involvements/${involvement}/consent/${consent}/override`, ids: { involvement } }
    },
    // The reason is the decision's detail in the family's chronology.
    shows: (t) => `/involvements/${t.ids?.involvement}/chronology`,
  },
  {
    route: 'POST /involvements/:id/sharing/new',
    as: 'practitioner',
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/sharing/new`, ids: { id } }
    },
    shows: (t) => `/involvements/${t.ids?.id}/sharing`,
    // Read back on the family's pages once their owner settles them; the safety properties are checked now.
    saved: [],
  },
  {
    route: 'POST /involvements/:id/protected-details/new',
    as: 'practitioner',
    target: async (f) => {
      const id = await f.involvement()
      return { post: `/involvements/${id}/protected-details/new`, ids: { id } }
    },
    shows: (t) => `/involvements/${t.ids?.id}/protected-details`,
    // Shown only to those it is not kept from, and a case may keep it from the recorder's own agency
    // ("Withheld"); src/features/protected-details/protected-details.test.ts reads it back.
    saved: [],
  },
  {
    route: 'POST /involvements/:id/protected-details/:protectionId/lift',
    as: 'practitioner',
    // A protection is lifted once.
    consumes: true,
    target: async (f) => {
      const { involvement, protection } = await f.protection()
      return { post: `/involvements/${involvement}/protected-details/${protection}/lift` }
    },
  },
  ...(['', '.json'] as const).map(
    (suffix): FormEntry => ({
      route: `POST /involvements/:id/people/:personId/subject-access${suffix}`,
      as: 'team_manager',
      target: async (f) => {
        const id = await f.involvement()
        const person = await f.person(id)
        const path = `/involvements/${id}/people/${person}/subject-access`
        return { post: `${path}${suffix}`, form: path, action: path }
      },
      // The export is produced, not saved: a JSON download or a document, checked by the subject access tests.
      shows: () => undefined,
      ...(suffix === '.json' ? { json: true } : {}),
    }),
  ),
  { route: 'POST /privacy/retention/report', noTypedInput: 'a button: runs the retention report now' },
  {
    route: 'POST /privacy/legal-holds',
    as: 'administrator',
    // A record is held once at a time: before each save, the hold placed by the last one is lifted.
    consumes: true,
    target: async (f) => ({ post: '/privacy/legal-holds', valid: { reference: await f.referenceToHold() } }),
    notShown: { reference: 'upper-cased, and a reference that matches nothing is refused' },
  },
  {
    route: 'POST /privacy/legal-holds/:id',
    as: 'administrator',
    consumes: true,
    target: async (f) => {
      const reference = await f.involvementReference()
      await f.post('administrator', '/privacy/legal-holds', { reference, reason: 'A court case about this family.' })
      const hold = await f.ctx.db.system.selectFrom('legal_holds').select('id').orderBy('placed_at', 'desc').executeTakeFirstOrThrow()
      return { post: `/privacy/legal-holds/${hold.id}` }
    },
  },
]
