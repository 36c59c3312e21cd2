import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { startNewVersion } from '../../features/plans/service.ts'
import type { Role } from '../../platform/db/schema.ts'
import { routeTable } from '../../platform/http/route-table.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { ACCOUNT_ROLES, actorOf, addSignpost, buildFixtures, type Person } from './fixtures.ts'
import { FINDINGS, findingCovers, MATRIX, type Entry, type Fixtures, type Need } from './matrix.ts'

/**
 * The authorisation matrix, generated from the route table: every route the app registers, for a
 * visitor and every role, in every scenario its scope has (the relationship, none, another
 * authority, a closed involvement, break-glass), answers as `matrix.ts` declares, and every refusal
 * writes exactly one `access-denied` event (allowed requests none).
 */

type Scenario = 'any' | 'relationship' | 'member' | 'allocated-team' | 'none' | 'break-glass' | 'closed' | 'other-authority'
type Who = Role | 'visitor'
type Expect = 'allowed' | 'refused' | 'sign-in' | 'read-only'

interface Check {
  route: string
  entry: Entry
  who: Who
  scenario: Scenario
  person: Person | null
  fixtures: Fixtures
  expect: Expect
}

interface Outcome {
  check: Check
  url: string
  status: number
  location?: string
  denials: number
  problems: { kind: 'status' | 'audit'; text: string }[]
}

/** The policy restated (ADR 0009): what each relationship, or each overseeing role, may do. */
const MAY: Record<string, readonly Need[]> = {
  lead: ['view', 'contribute', 'manage'],
  member: ['view', 'contribute'],
  'allocated-team': ['view', 'contribute'],
  'break-glass': ['view'],
  team_manager: ['view', 'contribute', 'manage', 'sign-off', 'oversee'],
  early_help_advisor: ['view'],
  duty_manager: ['view', 'oversee'],
  front_door_officer: ['view'],
}

const PRACTITIONER_TIES: Partial<Record<Scenario, string>> = { relationship: 'lead', member: 'member', 'allocated-team': 'allocated-team', 'break-glass': 'break-glass', closed: 'lead' }

let ctx: TestContext
let visitor: Agent
/** Essex's people: one account per role and scenario. */
const people = {} as Record<Role, Partial<Record<Scenario | 'owner', Person>>>
let essex: { open: Fixtures; closed: Fixtures }
let southend: { open: Fixtures; closed: Fixtures }
const leads = new Map<string, TestAccount>()

before(async () => {
  ctx = await createTestContext({
    config: {
      // Single sign-on adds its routes; the provider is unreachable, which the entries expect.
      oidc: { issuer: 'http://127.0.0.1:9/', clientId: 'matrix', clientSecret: 'matrix-secret', redirectUri: 'http://localhost/sign-in/oidc/callback', tenantId: 'essex', label: 'Matrix' },
    },
  })
  const newPerson = async (role: Role): Promise<Person> => {
    const account = await ctx.newAccount('essex', role)
    return { account, agent: await ctx.signIn(account) }
  }
  const practitioner = (people.practitioner = {} as Record<Scenario | 'owner', Person>)
  const signIns: Promise<void>[] = []
  for (const scenario of ['relationship', 'member', 'allocated-team', 'none', 'break-glass', 'closed', 'other-authority', 'owner'] as const) {
    signIns.push(newPerson('practitioner').then((person) => void (practitioner[scenario] = person)))
  }
  for (const role of ACCOUNT_ROLES.filter((r) => r !== 'practitioner')) {
    const mine: Partial<Record<Scenario, Person>> = (people[role] = {})
    for (const scenario of ['relationship', 'closed', 'other-authority'] as const) signIns.push(newPerson(role).then((person) => void (mine[scenario] = person)))
  }
  await Promise.all(signIns)
  const p = (s: Scenario | 'owner') => (practitioner[s] as Person).account
  essex = await buildFixtures(ctx, 'essex', {
    lead: p('relationship'),
    closedLead: p('closed'),
    member: p('member'),
    breakGlass: p('break-glass'),
    referrer: p('owner'),
    manager: (people.team_manager.relationship as Person).account,
  })
  const southendPeople = {
    lead: await ctx.newAccount('southend', 'practitioner'),
    closedLead: await ctx.newAccount('southend', 'practitioner'),
    member: await ctx.newAccount('southend', 'practitioner'),
    breakGlass: await ctx.newAccount('southend', 'practitioner'),
    referrer: await ctx.newAccount('southend', 'practitioner'),
    manager: await ctx.newAccount('southend', 'team_manager'),
  }
  southend = await buildFixtures(ctx, 'southend', southendPeople)
  // The open family is allocated to the council team one practitioner works in: a colleague covering.
  const colleague = await ctx.db.system.selectFrom('accounts').select('organisation_id').where('id', '=', p('allocated-team').id).executeTakeFirstOrThrow()
  await ctx.db.system.updateTable('involvements').set({ allocated_team_id: colleague.organisation_id }).where('id', '=', essex.open.case.id).execute()
  leads.set(essex.open.case.id, p('relationship'))
  leads.set(essex.closed.case.id, p('closed'))
  leads.set(southend.open.case.id, southendPeople.lead)
  visitor = ctx.visitor()
  await visitor.get('/sign-in') // so the visitor's forms carry a token, as a browser's would
})
after(() => ctx?.close())

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`
const entryOf = (route: string): Entry => {
  const entry = MATRIX[route]
  if (!entry) throw new Error(`${route} has no entry`)
  return entry
}

/** Every check the matrix implies for one route. */
function checksFor(route: string, entry: Entry): Check[] {
  const checks: Check[] = []
  const add = (who: Who, scenario: Scenario, fixtures: Fixtures, expect: Expect, person = who === 'visitor' ? null : (people[who][scenario === 'any' ? 'relationship' : scenario] ?? null)) => {
    checks.push({ route, entry, who, scenario, person, fixtures, expect })
  }
  const access = entry.access
  if (access.scope === 'public') {
    add('visitor', 'any', essex.open, 'allowed')
    for (const role of ACCOUNT_ROLES) add(role, 'any', essex.open, 'allowed')
    return checks
  }
  add('visitor', 'any', essex.open, 'sign-in')
  if (access.scope === 'signed-in') {
    for (const role of ACCOUNT_ROLES) add(role, 'any', essex.open, 'allowed')
    return checks
  }
  if (access.scope === 'tenant') {
    for (const role of ACCOUNT_ROLES) {
      add(role, 'relationship', essex.open, access.roles.includes(role) ? 'allowed' : 'refused')
      if (access.record) add(role, 'other-authority', southend.open, 'refused')
    }
    return checks
  }
  if (access.scope === 'request') {
    for (const role of ACCOUNT_ROLES.filter((r) => r !== 'practitioner')) add(role, 'relationship', essex.open, 'refused')
    add('practitioner', 'relationship', essex.open, 'allowed', people.practitioner.owner)
    add('practitioner', 'none', essex.open, 'refused')
    add('practitioner', 'other-authority', southend.open, 'refused')
    return checks
  }
  // An involvement: the role gate, then the relationship.
  const { roles, need } = access
  for (const role of ACCOUNT_ROLES) {
    if (!roles.includes(role)) {
      add(role, 'relationship', essex.open, 'refused')
      continue
    }
    const scenarios: Scenario[] = role === 'practitioner' ? ['relationship', 'member', 'allocated-team', 'none', 'break-glass', 'closed', 'other-authority'] : ['relationship', 'closed', 'other-authority']
    for (const scenario of scenarios) {
      if (scenario === 'other-authority') {
        add(role, scenario, southend.open, 'refused')
        continue
      }
      const tie = role === 'practitioner' ? PRACTITIONER_TIES[scenario] : role
      // A lead-only change: on an open family only the Lead Professional; a closed one is read-only first.
      const may = tie !== undefined && (MAY[tie] ?? []).includes(need) && !(access.leadOnly && tie !== 'lead' && scenario !== 'closed')
      const fixtures = scenario === 'closed' ? essex.closed : essex.open
      add(role, scenario, fixtures, !may ? 'refused' : scenario === 'closed' && need !== 'view' && need !== 'oversee' ? 'read-only' : 'allowed')
    }
  }
  return checks
}

function urlOf(route: string, entry: Entry, fixtures: Fixtures): string {
  if (entry.url) return entry.url(fixtures)
  const pattern = route.slice(route.indexOf(' ') + 1)
  if (/[:*]/.test(pattern)) throw new Error(`${route}: the entry needs a url()`)
  return pattern
}

async function denialsOf(accountIds: string[]): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map()
  const rows = await ctx.db.system
    .selectFrom('audit_events')
    .select(['actor_account_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('action', '=', 'access-denied')
    .where('actor_account_id', 'in', accountIds)
    .groupBy('actor_account_id')
    .execute()
  return new Map(rows.map((r) => [r.actor_account_id as string, Number(r.n)]))
}

function judge(check: Check, url: string, response: LightMyRequestResponse, denials: number): Outcome {
  const { entry, expect } = check
  const status = response.statusCode
  const location = typeof response.headers.location === 'string' ? response.headers.location : undefined
  const problems: Outcome['problems'] = []
  const method = check.route.split(' ')[0]
  if (expect === 'allowed') {
    const ok = entry.ok ? entry.ok.includes(status) : method === 'GET' ? status === 200 : (status >= 200 && status < 400) || status === 400
    if (!ok) problems.push({ kind: 'status', text: `${status}, expected ${entry.ok?.join('/') ?? (method === 'GET' ? '200' : '2xx/3xx/400')}` })
  } else if (expect === 'refused') {
    if (status !== 404) problems.push({ kind: 'status', text: `${status}, expected 404` })
  } else if (expect === 'read-only') {
    if (status !== 409) problems.push({ kind: 'status', text: `${status}, expected 409 (closed)` })
  } else if (status !== 303 || location !== `/sign-in?returnTo=${encodeURIComponent(url)}`) {
    problems.push({ kind: 'status', text: `${status} ${location ?? ''}, expected 303 to sign in` })
  }
  if (status >= 500 && !entry.ok?.includes(status)) problems.push({ kind: 'status', text: `server error: ${response.body.slice(0, 200)}` })
  if (check.person) {
    const wanted = expect === 'refused' ? 1 : 0
    if (denials !== wanted) problems.push({ kind: 'audit', text: `${denials} access-denied events, expected ${wanted}` })
  }
  return { check, url, status, ...(location ? { location } : {}), denials, problems }
}

/** Fresh targets for a route that changes something even with the matrix's body. */
async function prepare(check: Check): Promise<Fixtures> {
  const f = check.fixtures
  switch (check.entry.acts) {
    case 'discard-plan': {
      const draft = await ctx.db.system.selectFrom('plan_versions').select('number').where('involvement_id', '=', f.case.id).where('status', '=', 'draft').executeTakeFirst()
      if (draft) return { ...f, case: { ...f.case, planNumber: draft.number } }
      const lead = leads.get(f.case.id) as TestAccount
      const { number } = await startNewVersion(ctx.db, actorOf(lead), f.case.id, 'review', new Date())
      return { ...f, case: { ...f.case, planNumber: number } }
    }
    case 'remove-signpost':
      return { ...f, case: { ...f.case, signpostId: await addSignpost(ctx, f.tenant, { involvementId: f.case.id, serviceId: f.serviceId, by: f.accountId }) } }
    case 'remove-request-signpost':
      return { ...f, submitted: { ...f.submitted, signpostId: await addSignpost(ctx, f.tenant, { requestId: f.submitted.id, serviceId: f.serviceId, by: f.accountId }) } }
    default:
      return f
  }
}

async function run(checks: Check[], sequential: boolean): Promise<Outcome[]> {
  const accountIds = checks.flatMap((c) => (c.person ? [c.person.account.id] : []))
  if (sequential) {
    const outcomes: Outcome[] = []
    for (const check of checks) {
      const fixtures = await prepare(check)
      const before = await denialsOf(check.person ? [check.person.account.id] : [])
      const outcome = await send({ ...check, fixtures })
      const afterwards = await denialsOf(check.person ? [check.person.account.id] : [])
      const id = check.person?.account.id ?? ''
      outcomes.push(judge(check, outcome.url, outcome.response, (afterwards.get(id) ?? 0) - (before.get(id) ?? 0)))
    }
    return outcomes
  }
  const before = await denialsOf(accountIds)
  const sent = await Promise.all(checks.map(send))
  const afterwards = await denialsOf(accountIds)
  return sent.map(({ check, url, response }) => {
    const id = check.person?.account.id ?? ''
    return judge(check, url, response, (afterwards.get(id) ?? 0) - (before.get(id) ?? 0))
  })
}

async function send(check: Check) {
  const agent = check.person?.agent ?? visitor
  const url = urlOf(check.route, check.entry, check.fixtures)
  const method = check.route.split(' ')[0]
  let response: LightMyRequestResponse
  if (method === 'GET') response = await agent.get(url)
  else if (method === 'POST') response = await agent.post(url, check.entry.body?.(check.fixtures) ?? {})
  else response = await agent.request(method as 'GET', url, undefined, { origin: 'http://example.test', 'access-control-request-method': 'GET' })
  return { check, url, response }
}

const label = (c: Check) => `${c.who}${c.scenario === 'any' || c.scenario === 'relationship' ? '' : `/${c.scenario}`}`

function isKnown(o: Outcome, kind: 'status' | 'audit') {
  return FINDINGS.some((f) => findingCovers(f, o.check.route) && f.scenario === o.check.scenario && (f.role === undefined || f.role === o.check.who) && f.kind === kind)
}

/** Route × who: `·` as declared, `F` a known finding, `X` a failure; then one line per failure. */
function summary(outcomes: Outcome[]): string {
  const whos: Who[] = ['visitor', ...ACCOUNT_ROLES]
  const short: Record<string, string> = {
    visitor: 'vis',
    practitioner: 'prac',
    front_door_officer: 'fdo',
    duty_manager: 'dm',
    early_help_advisor: 'eha',
    team_manager: 'tm',
    performance_analyst: 'pa',
    administrator: 'adm',
    service_provider: 'sp',
  }
  const byRoute = new Map<string, Outcome[]>()
  for (const o of outcomes) byRoute.set(o.check.route, [...(byRoute.get(o.check.route) ?? []), o])
  const failing = [...byRoute].filter(([, os]) => os.some((o) => o.problems.some((p) => !isKnown(o, p.kind))))
  const width = Math.max(...failing.map(([r]) => r.length), 10)
  const lines = [`${'route'.padEnd(width)}  ${whos.map((w) => (short[w] ?? w).padEnd(5)).join('')}`]
  for (const [route, os] of failing) {
    const cells = whos.map((w) => {
      const mine = os.filter((o) => o.check.who === w)
      if (mine.length === 0) return '-'
      return mine.map((o) => (o.problems.length === 0 ? '·' : o.problems.every((p) => isKnown(o, p.kind)) ? 'F' : 'X')).join('')
    })
    lines.push(`${route.padEnd(width)}  ${cells.map((c) => c.padEnd(5)).join('')}`)
  }
  lines.push('')
  for (const [, os] of failing) {
    for (const o of os) {
      for (const p of o.problems.filter((p) => !isKnown(o, p.kind))) lines.push(`${o.check.route} as ${label(o.check)} (${o.check.expect}) ${o.url}: ${p.text}`)
    }
  }
  return lines.join('\n')
}

test('every registered route has an entry in the matrix, and every entry is a registered route', () => {
  const registered = routeTable(ctx.app).map(routeKey)
  const missing = registered.filter((r) => !(r in MATRIX))
  const stale = Object.keys(MATRIX).filter((r) => !registered.includes(r))
  assert.deepEqual(missing, [], `Routes with no entry in src/proof/authorisation/matrix.ts (add one for each):\n${missing.join('\n')}`)
  assert.deepEqual(stale, [], `Entries for routes that are not registered (remove or correct them):\n${stale.join('\n')}`)
})

const outcomes: Outcome[] = []

test('every route × every role × every scenario answers as the matrix says, and every refusal is audited once', async (t) => {
  const started = Date.now()
  const routes = routeTable(ctx.app)
    .map(routeKey)
    .filter((r) => r in MATRIX)
  const quiet = routes.filter((r) => !entryOf(r).acts)
  const acting = routes.filter((r) => entryOf(r).acts && entryOf(r).acts !== 'sign-out')
  const last = routes.filter((r) => entryOf(r).acts === 'sign-out')
  // Routes that change nothing run with all their checks at once (each on its own account).
  for (const route of quiet) outcomes.push(...(await run(checksFor(route, entryOf(route)), false)))
  for (const route of [...acting, ...last]) outcomes.push(...(await run(checksFor(route, entryOf(route)), true)))
  t.diagnostic(`${outcomes.length} checks over ${routes.length} routes in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const failures = outcomes.filter((o) => o.problems.some((p) => !isKnown(o, p.kind)))
  assert.equal(failures.length, 0, `${failures.length} checks differ from the matrix:\n${summary(outcomes)}`)
})

test('the known findings still happen (remove one from FINDINGS once the code is fixed)', (t) => {
  const seen = FINDINGS.filter((f) =>
    outcomes.some((o) => findingCovers(f, o.check.route) && o.check.scenario === f.scenario && (f.role === undefined || f.role === o.check.who) && o.problems.some((p) => p.kind === f.kind)),
  )
  for (const f of FINDINGS) t.diagnostic(`finding: ${f.route} (${f.scenario}${f.role ? `, ${f.role}` : ''}): ${f.what}`)
  const gone = FINDINGS.filter((f) => !seen.includes(f))
  assert.deepEqual(gone.map((f) => `${f.route} ${f.scenario} ${f.kind}`), [], 'these findings no longer happen: take them out of FINDINGS')
})
