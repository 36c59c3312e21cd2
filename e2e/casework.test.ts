import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { extractText, getDocumentProxy } from 'unpdf'
import { saveSection, savePerson, startRequest, submitRequest } from '../src/features/requests/service.ts'
import { frameworkById } from '../src/frameworks/index.ts'
import type { Actor } from '../src/platform/audit/audit.ts'
import { FamilyPage, MeetingPages, PlanPages, TeamPage, typedDate } from './pages/CaseworkPages.ts'
import { TriageRequestPage } from './pages/FrontDoorPages.ts'
import { navigates, textOf } from './pages/layout.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { DEMO_PASSWORD, startServer, type E2EServer } from './support/server.ts'

/**
 * Casework in the browser, as issue 4 says a new user would do it, in each authority: a level 3
 * request decided at the front door becomes the family's early help; the Lead Professional builds
 * the initial plan with the family and two partner practitioners, holds a review that raises the
 * scaling score from 3 to 6; an action goes overdue and shows on the manager's page; the family is
 * stepped down to level 2 and later closed with outcomes; the PDF holds the plan's words; a
 * practitioner not on the team gets 404. axe checks every page.
 */

const DAY = 86_400_000
const AUTHORITIES = [
  { tenantId: 'southend', lead: 'family-support-worker', partner: 'health-visitor', stranger: 'police-schools-officer', postcode: 'SS2 5PP', family: 'Lindqvist' },
  { tenantId: 'essex', lead: 'family-solutions-worker', partner: 'health-visitor', stranger: 'family-support-worker', postcode: 'CM2 9AB', family: 'Abernethy' },
] as const

for (const authority of AUTHORITIES) {
  const framework = frameworkById(authority.tenantId)!
  const email = (local: string) => `${local}@${authority.tenantId}.example`
  const outcomeName = (id: string) => framework.triageOutcomes.find((o) => o.id === id)?.name ?? id
  const levelLabel = (level: number) => `Level ${level}: ${framework.levels.find((l) => l.level === level)?.name}`

  describe(`casework in ${framework.shortName}, from the front door’s decision to closure`, () => {
    let server: E2EServer
    let browser: Browser
    const contexts: BrowserContext[] = []
    let requestId = ''
    let panelRequestId = ''

    /** The referrer's request, sent through the service as the front door journey's own test does in the browser. */
    async function sendRequest(child: string, familyName: string): Promise<string> {
      const account = await server.ctx.db.system.selectFrom('accounts').select(['id', 'tenant_id']).where('email', '=', email('practitioner')).executeTakeFirstOrThrow()
      const actor: Actor = { accountId: account.id, tenantId: account.tenant_id, role: 'practitioner', ip: null, requestId: null }
      const db = server.ctx.db
      const id = await startRequest(db, actor, '01632 960 001')
      const indicators = framework.indicatorDomains.slice(0, 3).map((d) => d.indicators[0]?.id ?? '')
      const difficulties = framework.familySolutions?.difficulties.slice(0, 2).map((d) => d.id) ?? []
      await saveSection(db, actor, id, 'address', { line1: '9 Harbour Row', line2: undefined, town: 'Town', postcode: authority.postcode, communication: undefined, interpreter: 'no', language: undefined })
      await saveSection(db, actor, id, 'worries', { familyWords: 'Everything is on top of us.', referrerWords: `${child} is missing school and is withdrawn.` })
      await saveSection(db, actor, id, 'needs', { indicators: indicators.filter(Boolean), vulnerabilities: [], difficulties })
      await saveSection(db, actor, id, 'support', { levelAskedFor: '3', triedAlready: 'School support plan since September.' })
      await saveSection(db, actor, id, 'strengths', { strengths: 'A close family.', childViews: 'Wants things calmer.', parentViews: 'Want help.' })
      await saveSection(db, actor, id, 'consent', { significantHarm: 'no', consentGiven: 'yes', consentRiskDetail: undefined })
      await savePerson(db, actor, id, null, { kind: 'child', givenName: child, familyName, dateOfBirth: '2015-08-19', dueDate: null, nhsNumber: null, details: { sex: 'female' } })
      const first = await db.system.selectFrom('request_people').select('id').where('request_id', '=', id).executeTakeFirstOrThrow()
      await savePerson(db, actor, id, null, { kind: 'adult', givenName: 'Nina', familyName, dateOfBirth: null, dueDate: null, nhsNumber: null, details: { relationships: { [first.id]: 'Mother' } } })
      const sent = await submitRequest(db, actor, id, new Date())
      assert.ok(sent.ok)
      return id
    }

    async function check(page: Page, name: string): Promise<void> {
      await expectNoAxeViolations(page)
      await screenshot(page, `casework-${authority.tenantId}-${name}`)
    }

    async function person(local: string): Promise<Page> {
      const context = await newContext(browser, server.baseURL)
      contexts.push(context)
      const page = await context.newPage()
      const signIn = await new SignInPage(page).goto()
      await signIn.submitWith(email(local), DEMO_PASSWORD)
      assert.equal(new URL(page.url()).pathname, '/home', `${local} is signed in`)
      return page
    }

    before(async () => {
      server = await startServer()
      browser = await launchBrowser()
      requestId = await sendRequest('Freya', authority.family)
      panelRequestId = await sendRequest('Oscar', `${authority.family}-Hale`)
    })

    after(async () => {
      for (const context of contexts) await context.close().catch(() => undefined)
      await browser?.close()
      await server?.close()
    })

    test('the family is helped, reviewed, stepped down and closed, and only their team sees them', async () => {
      const now = Date.now()
      const leadName = await server.nameOf(email(authority.lead))
      const partnerName = await server.nameOf(email(authority.partner))
      const referrerName = await server.nameOf(email('practitioner'))

      // The duty manager decides intensive support, naming the Lead Professional.
      const manager = await person('duty-manager')
      await manager.goto(`/front-door/requests/${requestId}`)
      const request = new TriageRequestPage(manager)
      await request.decide({ outcome: outcomeName('intensive-support'), team: 'Intensive family support', leadProfessional: email(authority.lead), level: levelLabel(3), reason: 'Three areas of need; school support has not been enough.' })
      assert.match(await textOf(request.successBanner), /Early help [A-Z]{3}-EH-\d{4}-\d{5} has started/)
      await check(manager, 'decided')
      await navigates(manager, () => manager.getByRole('link', { name: 'Go to the family’s early help' }).click())
      const involvementId = /\/involvements\/([0-9a-f-]{36})$/.exec(manager.url())?.[1] ?? ''
      assert.ok(involvementId, manager.url())
      await check(manager, 'family-as-front-door')

      // The Lead Professional finds the family on their home page.
      const lead = await person(authority.lead)
      assert.match(await textOf(lead.locator('#caseload + *')), new RegExp(`The ${authority.family} family`))
      await check(lead, 'lead-home')
      await navigates(lead, () => lead.getByRole('link', { name: `The ${authority.family} family` }).click())
      const family = new FamilyPage(lead)
      assert.equal(await textOf(family.heading), `The ${authority.family} family`)
      assert.match(await textOf(family.summaryValue('Level of need')), /^Level 3: /)
      assert.ok((await textOf(family.summaryValue('Lead Professional'))).startsWith(leadName))
      await check(lead, 'family')

      // Two partner practitioners join the Team Around the Family.
      await navigates(lead, () => lead.getByRole('link', { name: 'Add or remove people in the team' }).click())
      await check(lead, 'team')
      const team = new TeamPage(lead)
      await team.add(email(authority.partner), 'Health visitor')
      await navigates(lead, () => lead.getByRole('link', { name: 'Add or remove people in the team' }).click())
      await team.add(email('practitioner'), 'School designated safeguarding lead')
      assert.match(await textOf(family.main), new RegExp(`${partnerName}.*Health visitor`))
      assert.match(await textOf(family.main), new RegExp(`${referrerName}.*School designated safeguarding lead`))

      // The initial Team Around the Family meeting, eight weeks ago, produces the first plan.
      const meetings = new MeetingPages(lead)
      await family.open('Team Around the Family meetings')
      await check(lead, 'meetings')
      await navigates(lead, () => lead.getByRole('link', { name: /Arrange a meeting/ }).or(lead.getByRole('button', { name: /Arrange a meeting/ })).first().click())
      await check(lead, 'meeting-new')
      await meetings.arrange({ date: typedDate(new Date(now - 56 * DAY)), time: '10:00', venue: 'Family centre', coordinator: leadName })
      await check(lead, 'meeting-arranged')
      await meetings.record({ [`Freya ${authority.family}`]: 'I want mornings to be less shouty.', [`Nina ${authority.family}`]: 'I need help with routines.' })
      const plan = new PlanPages(lead)
      assert.match(await textOf(plan.main), /Early Help Plan: version 1/)
      await check(lead, 'plan-1-draft')
      await plan.section('What are we worried about?', () => plan.append('What are you worried about?', 'Freya has missed a third of school this term and the family is overwhelmed.'))
      await plan.section('What is going well?', () => plan.text('What is going well for this family, and what resources or services are already in place?', 'Nina’s sister helps after school. Freya loves drama club.'))
      await plan.section('What needs to change?', async () => {
        await plan.need('Freya goes to school every day.', framework.outcomeFramework.themes[0]?.outcomes[0]?.text ?? '')
        await check(lead, 'plan-needs')
      })
      await plan.section('How will we know the plan has worked?', () => plan.text('How will we know the plan has worked and can be ended?', 'Attendance above 95% for half a term.'))
      await plan.section('Scaling scores', async () => {
        await plan.scores(3, 3)
        await check(lead, 'plan-scores')
      })
      await plan.section('Family plan: actions', async () => {
        await plan.action('Set up a morning routine chart with Freya', `Nina ${authority.family}`, typedDate(new Date(now - 28 * DAY)))
        await plan.addAnotherAction()
        await plan.action('Refer Nina to the parenting course', leadName, typedDate(new Date(now + 60 * DAY)))
        await check(lead, 'plan-actions')
      })
      await check(lead, 'plan-1-complete')
      await plan.agree(leadName, `Nina ${authority.family}`, typedDate(new Date(now - 56 * DAY)))
      assert.match(await textOf(plan.main), /Agreed/)
      await check(lead, 'plan-1-agreed')

      // The review meeting, two weeks ago, raises the scaling score from 3 to 6.
      await lead.goto(`/involvements/${involvementId}/meetings/new`)
      await meetings.arrange({ kind: 'A review meeting', date: typedDate(new Date(now - 14 * DAY)), time: '14:00', venue: 'Family centre', coordinator: leadName })
      await meetings.record({ [`Freya ${authority.family}`]: 'Mornings are better.', [`Nina ${authority.family}`]: 'The chart is helping.' })
      assert.match(await textOf(plan.main), /Early Help Plan: version 2/)
      await plan.section('Scaling scores', () => plan.scores(6, 6))
      await plan.agree(leadName, `Nina ${authority.family}`, typedDate(new Date(now - 14 * DAY)))

      await lead.goto(`/involvements/${involvementId}`)
      assert.deepEqual(await family.scores(), [
        ['Version 1', '3', '3'],
        ['Version 2', '6', '6'],
      ])
      assert.equal(await family.chart.count(), 1, 'the scores are drawn as a chart beside the table')
      assert.match(await textOf(lead.locator('#actions ~ .app-table-wrapper').first()), /Set up a morning routine chart with Freya .* Overdue/)
      await check(lead, 'family-reviewed')

      // The changes between the versions, and the plan as a PDF.
      await lead.goto(`/involvements/${involvementId}/plans/compare?from=1&to=2`)
      assert.match(await textOf(lead.locator('main')), /3.*6/)
      await check(lead, 'plan-compare')
      const pdf = await lead.request.get(`/involvements/${involvementId}/plans/2/plan.pdf`)
      assert.equal(pdf.status(), 200)
      assert.equal(pdf.headers()['content-type'], 'application/pdf')
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.body())), { mergePages: true })
      for (const words of ['Freya has missed a third of school this term', 'Set up a morning routine chart with Freya', `Nina ${authority.family}`]) {
        assert.ok(text.replace(/\s+/g, ' ').includes(words), `the PDF says "${words}"`)
      }
      await lead.goto(`/involvements/${involvementId}/plans/2/family`)
      await check(lead, 'plan-for-the-family')

      // The overdue action is on the manager's page.
      const teamManager = await person('team-manager')
      const overdue = await textOf(teamManager.locator('main'))
      assert.match(overdue, new RegExp(`Overdue reviews and actions.*The ${authority.family} family.*1 action overdue`))
      await check(teamManager, 'manager-home')

      // A practitioner not on the team is told the family does not exist; the health visitor in the team sees it.
      const stranger = await person(authority.stranger)
      const refused = await stranger.goto(`/involvements/${involvementId}`)
      assert.equal(refused?.status(), 404)
      assert.equal(await textOf(stranger.getByRole('heading', { level: 1 })), 'Page not found')
      await check(stranger, 'stranger-404')
      const partner = await person(authority.partner)
      assert.equal((await partner.goto(`/involvements/${involvementId}`))?.status(), 200)

      // Step down to level 2, handing over to the school.
      await lead.goto(`/involvements/${involvementId}`)
      await family.open('Step the family down')
      await check(lead, 'step-down')
      await lead.getByRole('radio', { name: /^Level 2 \(/ }).check()
      await lead.getByLabel('Why is the family stepping down?').fill('Attendance is up and mornings are calmer; the school can lead from here.')
      await lead.getByLabel('New Lead Professional’s email address (optional)').fill(email('practitioner'))
      const handover = lead.getByRole('group', { name: 'Handover date' })
      const today = typedDate(new Date(now))
      await handover.getByLabel('Day').fill(today[0])
      await handover.getByLabel('Month').fill(today[1])
      await handover.getByLabel('Year').fill(today[2])
      await lead.getByLabel('Handover notes').fill('Freya is settled in drama club; Nina will keep the routine chart going.')
      await navigates(lead, () => lead.getByRole('button', { name: 'Step the family down' }).click())
      assert.match(await textOf(family.summaryValue('Level of need')), /^Level 2: /)
      assert.ok((await textOf(family.summaryValue('Lead Professional'))).startsWith(referrerName))
      await check(lead, 'stepped-down')

      // Later the school closes it with outcomes; at level 2 no sign-off is needed.
      const school = await person('practitioner')
      await school.goto(`/involvements/${involvementId}`)
      await new FamilyPage(school).open('Close the family’s early help')
      await check(school, 'close')
      await school.getByRole('radio', { name: 'The family’s needs have been met' }).check()
      await school.getByRole('checkbox', { name: framework.outcomeFramework.themes[0]?.outcomes[0]?.text ?? '' }).first().check()
      await school.getByRole('group', { name: 'The family’s score', exact: true }).getByRole('radio', { name: '8', exact: true }).check()
      await school.getByRole('group', { name: 'The team’s score', exact: true }).getByRole('radio', { name: '8', exact: true }).check()
      await school.getByLabel('Closing summary').fill('Freya’s attendance is 96% this half term and the family feel confident.')
      await navigates(school, () => school.getByRole('button', { name: 'Close the family’s early help' }).click())
      const closed = new FamilyPage(school)
      assert.match(await textOf(closed.main), /Closed on/)
      assert.match(await textOf(closed.main), /Why early help is ending The family’s needs have been met/)
      assert.match(await textOf(closed.main), /Family’s final score 8 out of 10/)
      assert.equal(await school.getByRole('link', { name: 'Close the family’s early help' }).count(), 0, 'a closed family is read-only')
      await check(school, 'closed')
    })

    test('the Children and Family Panel appoints a Lead Professional; every other casework page passes axe', async () => {
      const now = Date.now()
      const nextWeek = typedDate(new Date(now + 7 * DAY))
      const manager = await person('duty-manager')
      await manager.goto(`/front-door/requests/${panelRequestId}`)
      await manager.getByRole('group', { name: 'Outcome' }).getByRole('radio', { name: outcomeName('emerging-needs'), exact: true }).check()
      await manager.getByRole('radio', { name: 'The next Children and Family Panel' }).check()
      const date = manager.getByRole('group', { name: 'Panel date (for the panel)' })
      await date.getByLabel('Day').fill(nextWeek[0])
      await date.getByLabel('Month').fill(nextWeek[1])
      await date.getByLabel('Year').fill(nextWeek[2])
      await manager.getByRole('group', { name: 'Level of need' }).getByRole('radio', { name: levelLabel(2), exact: true }).check()
      await manager.getByLabel('Reasons for the decision').fill('Emerging needs: the panel will find the right Lead Professional.')
      await manager.getByLabel('If the level differs from the suggestion, why').fill('The family asked for help early; their own network is strong.')
      await navigates(manager, () => manager.getByRole('button', { name: 'Record the decision and tell the referrer' }).click())
      await navigates(manager, () => manager.getByRole('link', { name: 'Go to the panel' }).click())
      assert.match(await textOf(manager.locator('main')), new RegExp(`Oscar ${authority.family}-Hale`))
      await check(manager, 'panel-agenda')
      await manager.getByRole('radio', { name: 'Appoint a Lead Professional' }).check()
      await manager.getByLabel('Lead Professional’s email address').fill(email(authority.partner))
      await navigates(manager, () => manager.getByRole('button', { name: 'Record the decision' }).click())
      await check(manager, 'panel-decided')
      await navigates(manager, () => manager.getByRole('link', { name: /^Early help for the family/ }).click())
      const family = new FamilyPage(manager)
      assert.equal(await textOf(family.heading), `The ${authority.family}-Hale family`)
      assert.match(await textOf(family.summaryValue('Level of need')), /^Level 2: /)
      const panelFamily = manager.url()
      await manager.goto('/panels')
      await check(manager, 'panels')
      await manager.goto('/step-downs/new')
      await check(manager, 'step-down-from-social-care')

      // The new Lead Professional's pages for the family.
      const lead = await person(authority.partner)
      const base = new URL(panelFamily).pathname
      for (const [path, name] of [
        ['', 'panel-family'],
        ['/assessment', 'assessment'],
        ['/chronology', 'chronology'],
        ['/chronology/new', 'chronology-new'],
        ['/plans', 'plans'],
        ['/meetings', 'meetings-empty'],
        ['/review-date', 'review-date'],
        ['/lead-professional', 'lead-professional'],
        ['/people/new', 'person-new'],
        ['/step-up', 'step-up'],
        ['/close', 'close-form'],
        ['/signposting', 'family-signposting'],
      ] as const) {
        const response = await lead.goto(base + path)
        assert.equal(response?.status(), 200, path)
        await check(lead, name)
      }
      // A note in the chronology, as the Lead Professional records a home visit.
      await lead.goto(`${base}/chronology/new`)
      await lead.getByRole('radio', { name: 'Home visit' }).check()
      const today = typedDate(new Date(now))
      const when = lead.getByRole('group', { name: 'When did it happen?' })
      await when.getByLabel('Day').fill(today[0])
      await when.getByLabel('Month').fill(today[1])
      await when.getByLabel('Year').fill(today[2])
      await lead.getByLabel('Summary').fill('Visited Oscar and Nina at home: the new bedtime routine is working.')
      await lead.getByRole('radio', { name: 'No', exact: true }).check()
      await navigates(lead, () => lead.getByRole('button', { name: 'Add the entry' }).click())
      assert.match(await textOf(lead.locator('main')), /the new bedtime routine is working/)
      await check(lead, 'chronology-added')
    })
  })
}