import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { nhsCheckDigit } from '../../domain/nhs-number.ts'
import type { Role } from '../../platform/db/schema.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import type { Agent, TestAccount, TestContext } from '../../test/context.ts'
import { loadDemoDirectory } from '../../demo/demo-directory.ts'
import { errorSummary } from '../../test/html.ts'
import { fieldsOf, formHtml } from './page.ts'

/** Who signs in: a role (one Essex account each), a visitor, or an outsider (a practitioner with no relationship to any family), or an account holder (a practitioner of their own, for the forms about one's own account). */
export type As = Role | 'visitor' | 'outsider' | 'account_holder'

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

  agentFor(as: As): Promise<Agent> {
    let agent = this.agents.get(as)
    if (!agent) {
      agent =
        as === 'visitor'
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

  /** A family's early help with the practitioner as Lead Professional. */
  async involvement(): Promise<string> {
    const { id } = await openTestInvolvement(this.ctx, await this.account('practitioner'), { familyName: `Testfamily${randomUUID().slice(0, 8)}` })
    return id
  }

  /** The reference of a family's early help, for break-glass. */
  async involvementReference(): Promise<string> {
    const { reference } = await openTestInvolvement(this.ctx, await this.account('practitioner'), { familyName: `Testfamily${randomUUID().slice(0, 8)}` })
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

  /** A draft with every section and a child and an adult, ready to send. */
  async completeDraft(): Promise<string> {
    const id = await this.draftRequest()
    for (const [section, form] of Object.entries(SECTIONS)) await this.post('practitioner', `/requests/${id}/section/${section}`, form)
    await this.post('practitioner', `/requests/${id}/people/child/new`, child())
    const page = await (await this.agentFor('practitioner')).get(`/requests/${id}/people/adult/new`)
    const relationships = Object.fromEntries([...page.body.matchAll(/name="(relationship-[0-9a-f-]{36})"/g)].map((m) => [m[1] ?? '', 'Mother']))
    await this.post('practitioner', `/requests/${id}/people/adult/new`, { givenName: 'Sarah', familyName: familyName(), livesWithFamily: 'yes', ...relationships })
    return id
  }

  async submittedRequest(): Promise<string> {
    const id = await this.completeDraft()
    await this.post('practitioner', `/requests/${id}/submit`)
    return id
  }

  /** The demonstration directory, loaded once, for the signposting forms. */
  withDirectory(): Promise<void> {
    this.directory ??= loadDemoDirectory(this.ctx.db).then(() => undefined)
    return this.directory
  }

  /** A submitted request decided as outcome 1 (universal services and signposting). */
  async decidedRequest(): Promise<string> {
    const id = await this.submittedRequest()
    const agent = await this.agentFor('duty_manager')
    const page = await agent.get(`/front-door/requests/${id}`)
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1'
    await this.post('duty_manager', `/front-door/requests/${id}/decision`, { version, outcome: 'universal-signposting', level: '1', reason: 'Universal services will meet the need.' })
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

  /** A meeting scheduled in a fortnight on a new involvement. */
  async meeting(): Promise<{ involvement: string; meeting: string }> {
    const involvement = await this.involvement()
    const soon = new Date(Date.now() + 14 * 86_400_000)
    const location = await this.submitForm(
      'practitioner',
      `/involvements/${involvement}/meetings/new`,
      `/involvements/${involvement}/meetings/new`,
      { time: '10:30', where: 'virtual' },
      [String(soon.getUTCDate()), String(soon.getUTCMonth() + 1), String(soon.getUTCFullYear())],
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

  /** Consent recorded through its form on a new involvement. */
  async consent(): Promise<{ involvement: string; consent: string }> {
    const involvement = await this.involvement()
    const today = new Date()
    await this.submitForm('practitioner', `/involvements/${involvement}/consent/new`, `/involvements/${involvement}/consent/new`, {}, [String(today.getUTCDate()), String(today.getUTCMonth() + 1), String(today.getUTCFullYear())])
    const row = await this.ctx.db.system.selectFrom('consents').select('id').where('involvement_id', '=', involvement).executeTakeFirstOrThrow()
    return { involvement, consent: row.id }
  }

  /** A draft plan version on a new involvement. */
  async draftPlan(): Promise<{ involvement: string; number: string }> {
    const involvement = await this.involvement()
    const location = await this.post('practitioner', `/involvements/${involvement}/plans`, { kind: 'initial' })
    return { involvement, number: location.split('/')[4] ?? '' }
  }
}

/** A valid NHS number, spaced as people type it. */
export function newNhsNumber(): string {
  for (;;) {
    const nine = String(randomInt(100_000_000, 999_999_999))
    const check = nhsCheckDigit(nine)
    if (check !== undefined) return `${nine.slice(0, 3)} ${nine.slice(3, 6)} ${nine.slice(6)}${check}`
  }
}

const familyName = () => `Testfamily${randomUUID().slice(0, 8)}`

const child = () => ({
  givenName: 'Maya',
  familyName: familyName(),
  born: 'yes',
  'date-day': '4',
  'date-month': '3',
  'date-year': '2016',
  sex: 'female',
  ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British',
  school: 'Seaview Academy',
  nhsNumber: '',
  upn: '',
  send: 'none',
  youngCarer: 'no',
})

const SECTIONS: Record<string, Record<string, string | string[]>> = {
  referrer: { phone: '01632 960 001' },
  address: { line1: '12 Marine Parade', line2: '', town: 'Southend-on-Sea', postcode: 'ss1 2aa', communication: '', interpreter: 'no', language: '' },
  worries: { familyWords: 'We are not coping since Dad left.', referrerWords: 'Maya is often hungry and withdrawn at school.' },
  needs: { indicators: ['health-inadequate-diet', 'emotional-family-relationships', 'behaviour-impact-on-others'] },
  support: { levelAskedFor: '3', triedAlready: 'An Early Help Plan since September: attendance improved, then fell again.' },
  strengths: { strengths: 'Mum is warm and keen to get help.', childViews: 'Maya says she misses her dad.', parentViews: 'Mum wants help with routines.' },
  consent: { significantHarm: 'no', consentGiven: 'yes' },
}
