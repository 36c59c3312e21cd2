import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { nhsCheckDigit } from '../../domain/nhs-number.ts'
import type { Role } from '../../platform/db/schema.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import type { Agent, TestAccount, TestContext } from '../../test/context.ts'
import { loadDemoDirectory } from '../../demo/demo-directory.ts'
import { errorSummary, inputValue } from '../../test/html.ts'
import { generate } from 'otplib'
import { addDays } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { createPending, PENDING_COOKIE } from '../../platform/auth/pending.ts'
import { CSRF_COOKIE, SESSION_COOKIE } from '../../platform/http/cookies.ts'
import { fieldsOf, formHtml } from './page.ts'
import type { Actor } from '../../platform/audit/audit.ts'
import { SECTIONS, type SectionId } from '../../features/requests/answers.ts'
import { savePerson, saveSection, startRequest, submitRequest } from '../../features/requests/service.ts'

/**
 * Who signs in: a role (one Essex account each), a visitor, or an outsider (a practitioner with no
 * relationship to any family), or an account holder (a practitioner of their own, for the forms
 * about one's own account), or someone half signed in (a visitor of their own, whose target signs
 * them in with their password up to the code page, or the set-up page of two-step sign-in).
 */
export type As = Role | 'visitor' | 'outsider' | 'account_holder' | 'half_signed_in' | 'setting_up_mfa'

/** The records the forms work on, made through the real pages (or the casework service), cached per test file. */
export class Fixtures {
  readonly ctx: TestContext
  private readonly accounts = new Map<string, Promise<TestAccount>>()
  private readonly agents = new Map<string, Promise<Agent>>()

  private directory: Promise<void> | undefined

  constructor(ctx: TestContext) {
    this.ctx = ctx
  }

  account(role: Role): Promise<TestAccount> {
    let account = this.accounts.get(role)
    if (!account) {
      account = this.ctx.newAccount('essex', role)
      this.accounts.set(role, account)
    }
    return account
  }

  private colleagueAccount: Promise<TestAccount> | undefined

  /** A second Essex practitioner, for the forms that name someone with an account (a team member). */
  colleague(): Promise<TestAccount> {
    this.colleagueAccount ??= this.ctx.newAccount('essex', 'practitioner')
    return this.colleagueAccount
  }

  private newcomers: Promise<string> | undefined

  /** A fresh account for a target of its own (a sign-in, a new Lead Professional), all in one organisation so that lists of agencies stay short. */
  async newcomer(role: Role): Promise<TestAccount> {
    this.newcomers ??= this.ctx.newOrganisation('essex', { name: 'Newcomers' })
    return this.ctx.newAccount('essex', role, { organisationId: await this.newcomers })
  }

  agentFor(as: As): Promise<Agent> {
    let agent = this.agents.get(as)
    if (!agent) {
      agent =
        as === 'visitor' || as === 'half_signed_in' || as === 'setting_up_mfa'
          ? (async () => {
              const visitor = this.ctx.visitor()
              await visitor.get('/sign-in')
              return visitor
            })()
          : as === 'outsider' || as === 'account_holder'
            ? this.ctx.newAccount('essex', 'practitioner').then((a) => this.ctx.signIn(a))
            : this.account(as).then((a) => this.ctx.signIn(a))
      this.agents.set(as, agent)
    }
    return agent
  }

  /** Opened by the one duty manager: a new one for each family would add an agency to every list of agencies. */
  private async openInvolvement(): Promise<{ id: string; reference: string }> {
    return openTestInvolvement(this.ctx, await this.account('practitioner'), { familyName: familyName(), manager: await this.account('duty_manager') })
  }

  /** A family's early help with the practitioner as Lead Professional. */
  async involvement(): Promise<string> {
    const { id } = await this.openInvolvement()
    return id
  }

  /** The reference of a family's early help, for break-glass. */
  async involvementReference(): Promise<string> {
    const { reference } = await this.openInvolvement()
    return reference
  }

  private holdReference: Promise<string> | undefined

  /**
   * One family's reference for placing legal holds on, again and again: any hold on it now is first
   * lifted through its form, so the same reference can be held again.
   */
  async referenceToHold(): Promise<string> {
    this.holdReference ??= this.involvementReference()
    const reference = await this.holdReference
    const held = await this.ctx.db.system.selectFrom('legal_holds').select('id').where('reference', '=', reference).where('lifted_at', 'is', null).execute()
    for (const hold of held) await this.post('administrator', `/privacy/legal-holds/${hold.id}`, { liftReason: 'The court case has ended.' })
    return reference
  }

  async post(as: As, url: string, form: Record<string, string | string[]> = {}): Promise<string> {
    const response = await (await this.agentFor(as)).post(url, form)
    assert.equal(response.statusCode, 303, `${url}: ${errorSummary(response.body).map((e) => e.text).join('; ') || response.statusCode}`)
    return String(response.headers.location)
  }

  async draftRequest(): Promise<string> {
    const location = await this.post('practitioner', '/requests/new', { immediateRisk: 'no' })
    return location.split('/')[2] ?? ''
  }

  /** The practitioner who asks for support, as the requests service knows them. */
  private async referrer(): Promise<Actor> {
    const account = await this.account('practitioner')
    return { accountId: account.id, tenantId: account.tenantId, role: account.role, ip: null, requestId: null }
  }

  /**
   * A request with every section, a child and an adult, sent by the practitioner. Made through the
   * requests service, with the answers read by the sections' own schemas: the forms that start from
   * a sent request (a decision, signposting, a panel's item, a call) need one for nearly every save,
   * and the pages that make one are proven by their own tests.
   */
  async submittedRequest(): Promise<string> {
    const db = this.ctx.db
    const actor = await this.referrer()
    const id = await startRequest(db, actor, '01632 960 001')
    for (const section of ['address', 'worries', 'needs', 'support', 'strengths', 'consent'] as const) {
      const saved = await saveSection(db, actor, id, section, SECTIONS[section].parse(SECTION_ANSWERS[section]) as never)
      assert.ok(saved.ok, `the request's ${section} is saved`)
    }
    // Names and a date of birth of its own, so that requests are not each other's possible earlier records.
    const born = addDays('2010-01-01', randomInt(0, 3650))
    const child = await savePerson(db, actor, id, null, { kind: 'child', givenName: givenName(), familyName: familyName(), dateOfBirth: born, dueDate: null, nhsNumber: null, details: CHILD_DETAILS })
    assert.ok(child.ok, 'the child is saved')
    const childId = await db.system.selectFrom('request_people').select('id').where('request_id', '=', id).executeTakeFirstOrThrow()
    const adult = await savePerson(db, actor, id, null, {
      kind: 'adult',
      givenName: givenName(),
      familyName: familyName(),
      dateOfBirth: null,
      dueDate: null,
      nhsNumber: null,
      details: { livesWithFamily: 'yes', relationships: { [childId.id]: 'Mother' } },
    })
    assert.ok(adult.ok, 'the adult is saved')
    const sent = await submitRequest(db, actor, id, new Date())
    assert.ok(sent.ok, `the request is sent: ${JSON.stringify(sent)}`)
    return id
  }

  /** A request's version, as its decision form holds it. */
  private async requestVersion(id: string): Promise<string> {
    const row = await this.ctx.db.system.selectFrom('requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()
    return String(row.version)
  }

  /** The demonstration directory, loaded once, for the signposting forms. */
  withDirectory(): Promise<void> {
    this.directory ??= loadDemoDirectory(this.ctx.db).then(() => undefined)
    return this.directory
  }

  /** A submitted request decided as outcome 1 (universal services and signposting). */
  async decidedRequest(): Promise<string> {
    const id = await this.submittedRequest()
    await this.post('duty_manager', `/front-door/requests/${id}/decision`, { version: await this.requestVersion(id), outcome: 'universal-signposting', level: '1', reason: 'Universal services will meet the need.' })
    return id
  }

  /**
   * Fills a form on a page with valid answers: the first choice of each group, the given text,
   * `date` for dates, and posts it as `as`. For fixtures made through the real forms.
   */
  async submitForm(as: As, page: string, action: string, text: Record<string, string>, date: [string, string, string]): Promise<string> {
    const agent = await this.agentFor(as)
    const html = formHtml((await agent.get(page)).body, action)
    assert.ok(html !== undefined, `no form for ${action} on ${page}`)
    const form: Record<string, string | string[]> = {}
    for (const field of fieldsOf(html)) {
      if (field.kind === 'hidden') form[field.name] = field.value
      else if (field.kind === 'text') form[field.name] = text[field.name] ?? 'Some words'
      else if (field.kind === 'choice') form[field.name] = text[field.name] ?? field.options.find((o) => o !== '') ?? ''
      else {
        form[`${field.name}-day`] = date[0]
        form[`${field.name}-month`] = date[1]
        form[`${field.name}-year`] = date[2]
      }
    }
    return this.post(as, action, form)
  }

  /** A meeting scheduled in a fortnight, on a new involvement or on the one given. */
  async meeting(on?: string): Promise<{ involvement: string; meeting: string }> {
    const involvement = on ?? (await this.involvement())
    const location = await this.submitForm(
      'practitioner',
      `/involvements/${involvement}/meetings/new`,
      `/involvements/${involvement}/meetings/new`,
      { time: '10:30', where: 'virtual' },
      typedDate(addDays(localDateOf(new Date()), 14)),
    )
    return { involvement, meeting: location.split('/')[4] ?? '' }
  }

  /** A break-glass access by an outsider, waiting for the privacy officer's finding. */
  async breakGlassGrant(): Promise<string> {
    const reference = await this.involvementReference()
    await this.post('outsider', '/break-glass', { reference, reason: 'A safeguarding call out of hours about this family.' })
    const grant = await this.ctx.db.system.selectFrom('break_glass_grants').select('id').orderBy('granted_at', 'desc').executeTakeFirstOrThrow()
    return grant.id
  }

  /** The first person of an involvement's family. */
  async person(involvement: string): Promise<string> {
    const row = await this.ctx.db.system.selectFrom('involvement_people').select('id').where('involvement_id', '=', involvement).orderBy('id').executeTakeFirstOrThrow()
    return row.id
  }

  /** Consent recorded through its form on a new involvement, today: the first choice of each question unless `answers` says otherwise. */
  async consent(answers: Record<string, string> = {}): Promise<{ involvement: string; consent: string }> {
    const involvement = await this.involvement()
    await this.submitForm('practitioner', `/involvements/${involvement}/consent/new`, `/involvements/${involvement}/consent/new`, answers, typedDate())
    const row = await this.ctx.db.system.selectFrom('consents').select('id').where('involvement_id', '=', involvement).executeTakeFirstOrThrow()
    return { involvement, consent: row.id }
  }

  /** A draft plan version on a new involvement. */
  async draftPlan(): Promise<{ involvement: string; number: string }> {
    const involvement = await this.involvement()
    const location = await this.post('practitioner', `/involvements/${involvement}/plans`, { kind: 'initial' })
    return { involvement, number: location.split('/')[4] ?? '' }
  }

  /** Saves a section of a draft plan as a person would: reads its page for the version, then posts. */
  private async planSection(base: string, section: string, form: Record<string, string | string[]>): Promise<void> {
    const page = await (await this.agentFor('practitioner')).get(`${base}/${section}`)
    await this.post('practitioner', `${base}/${section}`, { version: inputValue(page.body, 'version') ?? '', ...form })
  }

  /** A plan built section by section through its pages and agreed, with two actions: the involvement and its actions' ids. */
  async agreedPlan(): Promise<{ involvement: string; actions: string[] }> {
    const { involvement, number } = await this.draftPlan()
    const base = `/involvements/${involvement}/plans/${number}`
    const today = localDateOf(new Date())
    await this.planSection(base, 'meeting-and-family', {
      ...dateInputs('meetingDate', today),
      time: '10am',
      venue: 'Hilltop Primary School',
      virtual: 'no',
      coordinator: 'Priya Lead',
      childName: 'Maisie Testfamily',
      ...dateInputs('childDob', '2017-03-02'),
      address: '1 Test Road, Chelmsford',
      postcode: 'cm1 1aa',
      communicationNeeds: '',
      'members-0-personId': '',
      'members-0-name': 'Dana Testfamily',
      'members-0-relationship': 'Mother',
      'members-0-attended': 'yes',
      'members-0-viewsGained': 'yes',
      'members-0-ethnicity': '',
    })
    await this.planSection(base, 'worries', { worries: 'Maisie has missed 30 days of school this term' })
    await this.planSection(base, 'going-well', { goingWell: 'Dana walks the children to school every day' })
    await this.planSection(base, 'needs', { 'needs-0-id': '', 'needs-0-text': 'Maisie goes to school every day', 'needs-0-outcomes': ['school-ready'], 'needs-0-headlines': ['good-education'] })
    await this.planSection(base, 'how-we-will-know', { howWeWillKnow: 'Attendance above 95 per cent for a term' })
    await this.planSection(base, 'scores', { familyScore: '3', teamScore: '4' })
    await this.planSection(base, 'next-steps', { nextStep: 'create-plan', nextStepDetails: '' })
    await this.planSection(base, 'actions', {
      'actions-0-id': '',
      'actions-0-what': 'Meet the school attendance officer',
      'actions-0-who': 'Dana',
      ...dateInputs('actions-0-due', addDays(today, 14)),
      'actions-1-id': '',
      'actions-1-what': 'Book a parenting course',
      'actions-1-who': 'Dana',
      ...dateInputs('actions-1-due', addDays(today, 21)),
    })
    await this.planSection(base, 'review-date', { ...dateInputs('reviewOn', addDays(today, 42)), leadProfessionalContact: 'Priya Lead, 01632 960 000' })
    await this.planSection(base, 'agree', {
      consent: 'yes',
      assessorName: 'Priya Lead',
      ...dateInputs('assessorSigned', today),
      familySignatoryName: 'Dana Testfamily',
      ...dateInputs('familySigned', today),
    })
    const actions = await this.ctx.db.system.selectFrom('plan_actions').select('id').where('involvement_id', '=', involvement).orderBy('due_on').execute()
    assert.equal(actions.length, 2, 'the agreed plan has its two actions')
    return { involvement, actions: actions.map((a) => a.id) }
  }

  private panelDays = 0

  /**
   * A request decided at the front door for the Children and Family Panel, through the decision
   * form: its date (a panel of its own, a week or more ahead, so the agenda stays one page) and its item.
   */
  async panelItem(): Promise<{ date: string; item: string }> {
    const id = await this.submittedRequest()
    const date = addDays(localDateOf(new Date()), 7 + this.panelDays++)
    await this.post('duty_manager', `/front-door/requests/${id}/decision`, {
      version: await this.requestVersion(id),
      outcome: 'emerging-needs',
      emergingRoute: 'panel',
      level: '2',
      reason: 'Emerging needs; several agencies involved, so to the Children and Family Panel.',
      differenceReason: 'The family’s needs are emerging rather than complex.',
      ...dateInputs('panelDate', date),
    })
    const item = await this.ctx.db.system.selectFrom('panel_items').select('id').where('request_id', '=', id).executeTakeFirstOrThrow()
    return { date, item: item.id }
  }

  /** A keep-in-touch call due today: a request signposted at the front door, with monthly calls from today set up through its form. */
  async dueCall(): Promise<string> {
    const id = await this.decidedRequest()
    await this.post('front_door_officer', `/front-door/requests/${id}/signposting/calls`, { months: '1', ...dateInputs('start') })
    const call = await this.ctx.db.system.selectFrom('keep_in_touch_calls').select(['id', 'due_on']).where('request_id', '=', id).orderBy('due_on').executeTakeFirstOrThrow()
    // Local midnight and UTC can differ by a day: the call is made due by moving its date, nothing else.
    await this.ctx.db.system.updateTable('keep_in_touch_calls').set({ due_on: localDateOf(new Date()) }).where('id', '=', call.id).execute()
    return call.id
  }

  /** A protection of a person's address, recorded through its form on a new involvement. */
  async protection(): Promise<{ involvement: string; protection: string }> {
    const involvement = await this.involvement()
    const people = await this.ctx.db.system.selectFrom('involvement_people').select('id').where('involvement_id', '=', involvement).orderBy('position').execute()
    const [child, other] = people.map((p) => p.id)
    await this.submitForm(
      'practitioner',
      `/involvements/${involvement}/protected-details/new`,
      `/involvements/${involvement}/protected-details/new`,
      { personId: child ?? '', hiddenFromPeople: other ?? '', kind: 'address', value: '14 Larch Close, Basildon SS14 3PD', reason: 'A parent moved after domestic abuse.' },
      ['1', '1', '2026'],
    )
    const row = await this.ctx.db.system.selectFrom('protected_details').select('id').where('involvement_id', '=', involvement).executeTakeFirstOrThrow()
    return { involvement, protection: row.id }
  }

  /**
   * Consent to share recorded and then withdrawn with sharing stopped, through their forms: the
   * state in which continuing under a lawful basis (the override) is offered.
   */
  async withdrawnSharingConsent(): Promise<{ involvement: string; consent: string }> {
    const recorded = await this.consent({ purpose: 'information-sharing', agencies: 'Hilltop Primary School' })
    const withdraw = `/involvements/${recorded.involvement}/consent/${recorded.consent}/withdraw`
    await this.submitForm('practitioner', withdraw, withdraw, { effect: 'stop-sharing', note: 'Dana asked us to stop sharing.', reason: '' }, typedDate())
    return recorded
  }

  /**
   * Signs `agent` in with the password of a fresh practitioner who has set up two-step sign-in
   * (through the security codes page), up to the code page: a valid code for now.
   */
  async halfSignedIn(agent: Agent): Promise<string> {
    const account = await this.newcomer('practitioner')
    const own = await this.ctx.signIn(account)
    const page = await own.get('/account/security-codes')
    const secret = secretOn(page.body)
    const epoch = Math.floor(Date.now() / 1000)
    const done = await own.post('/account/security-codes', { code: await generate({ secret, epoch: epoch - 30 }) })
    assert.equal(done.statusCode, 200, 'two-step sign-in is set up')
    await own.post('/sign-out')
    if (!agent.cookies.size) await agent.get('/sign-in')
    const response = await agent.post('/sign-in', { email: account.email, password: account.password })
    assert.equal(response.headers.location, '/sign-in/code')
    return generate({ secret, epoch })
  }

  /**
   * Puts `agent` half signed in as a fresh administrator who must set two-step sign-in up (what the
   * password leads to when it is required: started through the pending sign-in service, as the
   * tests run with it optional); a valid code for the secret the set-up page shows.
   */
  async settingUpMfa(agent: Agent): Promise<string> {
    const account = await this.newcomer('administrator')
    const token = await this.ctx.db.system.transaction().execute((trx) =>
      createPending(trx, { accountId: account.id, tenantId: account.tenantId, stage: 'mfa-set-up', method: 'password', returnTo: '/home', ip: null, userAgent: null, now: new Date() }),
    )
    agent.cookies.delete(SESSION_COOKIE)
    agent.cookies.set(PENDING_COOKIE, token)
    if (!agent.cookies.has(CSRF_COOKIE)) await agent.get('/sign-in')
    const page = await agent.get('/sign-in/set-up-mfa')
    const secret = secretOn(page.body)
    return generate({ secret })
  }
}

/** A calendar date ('YYYY-MM-DD', today in the UK unless given) as a person types it: day, month, year. */
function typedDate(date = localDateOf(new Date())): [string, string, string] {
  const [year, month, day] = date.split('-')
  return [String(Number(day)), String(Number(month)), year ?? '']
}

/** The same date as a GOV.UK date input's three fields. */
function dateInputs(prefix: string, date?: string): Record<string, string> {
  const [day, month, year] = typedDate(date)
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year }
}

/** The two-step sign-in secret a set-up page shows, without its spaces. */
function secretOn(html: string): string {
  const secret = (/id="secret">([A-Z2-7 ]+)</.exec(html)?.[1] ?? '').replaceAll(' ', '')
  assert.ok(secret, 'the page shows the two-step sign-in secret')
  return secret
}

/** A valid NHS number, spaced as people type it. */
export function newNhsNumber(): string {
  for (;;) {
    const nine = String(randomInt(100_000_000, 999_999_999))
    const check = nhsCheckDigit(nine)
    if (check !== undefined) return `${nine.slice(0, 3)} ${nine.slice(3, 6)} ${nine.slice(6)}${check}`
  }
}

/**
 * Names of random letters: names alike (Maya Testfamily1, Maya Testfamily2) would make every request
 * a possible earlier record of every other, and the front door's page of each request slower.
 */
const randomName = (length: number) => `${String.fromCharCode(65 + randomInt(0, 26))}${Array.from({ length: length - 1 }, () => String.fromCharCode(97 + randomInt(0, 26))).join('')}`
const familyName = () => randomName(10)
const givenName = () => randomName(6)

const CHILD_DETAILS = { sex: 'female', ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', school: 'Seaview Academy', send: 'none', youngCarer: 'no' }

/** A request's sections as a practitioner fills them in (the referrer's telephone is given when the request starts). */
const SECTION_ANSWERS: Record<Exclude<SectionId, 'referrer'>, Record<string, string | string[]>> = {
  address: { line1: '12 Marine Parade', line2: '', town: 'Southend-on-Sea', postcode: 'SS1 2AA', communication: '', interpreter: 'no', language: '' },
  worries: { familyWords: 'We are not coping since Dad left.', referrerWords: 'Maya is often hungry and withdrawn at school.' },
  needs: { indicators: ['health-inadequate-diet', 'emotional-family-relationships', 'behaviour-impact-on-others'] },
  support: { levelAskedFor: '3', triedAlready: 'An Early Help Plan since September: attendance improved, then fell again.' },
  strengths: { strengths: 'Mum is warm and keen to get help.', childViews: 'Maya says she misses her dad.', parentViews: 'Mum wants help with routines.' },
  consent: { significantHarm: 'no', consentGiven: 'yes' },
}
