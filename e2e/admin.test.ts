import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { horizontalOverflow, REFLOW_VIEWPORT } from './support/reflow.ts'
import { DEMO_PASSWORD, startServer, type E2EServer } from './support/server.ts'
import { AccountPage } from './pages/AccountPage.ts'
import { AccountsPage } from './pages/AccountsPage.ts'
import { AuditLogPage } from './pages/AuditLogPage.ts'
import { HomePage } from './pages/HomePage.ts'
import { NewAccountPage } from './pages/NewAccountPage.ts'
import { NewOrganisationPage } from './pages/NewOrganisationPage.ts'
import { OrganisationsPage } from './pages/OrganisationsPage.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { Layout, textOf } from './pages/layout.ts'

const ORGANISATION = 'Riverside Family Centre (browser test)'
const PERSON = { name: 'Olu Adeyemi', email: 'olu.adeyemi@riverside.example', phone: '01632 960 001', password: 'riverside-first-password-1' }

/** Whether the element a locator names is the one with focus. */
const hasFocus = (locator: Locator) => locator.evaluate((el) => el === document.activeElement)

async function signedIn(
  browser: Browser,
  server: E2EServer,
  email: string,
  password = DEMO_PASSWORD,
  options: Parameters<typeof newContext>[2] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, server.baseURL, options)
  const page = await context.newPage()
  const signIn = await new SignInPage(page).goto()
  await expectNoAxeViolations(page)
  await signIn.submitWith(email, password)
  assert.equal(new URL(page.url()).pathname, '/home', `${email} is signed in`)
  return { context, page }
}

/** Checks a page as the person sees it: no axe violations, no GOV.UK branding, and a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page)
  assert.deepEqual(await new Layout(page).govukBranding(), [], `no GOV.UK branding on ${name}`)
  await screenshot(page, name)
}

describe('an administrator manages organisations and accounts, and the audit log shows it', () => {
  let server: E2EServer
  let browser: Browser
  let admin: { context: BrowserContext; page: Page }
  let newcomer: { context: BrowserContext; page: Page } | undefined
  let accountId = ''

  before(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
    admin = await signedIn(browser, server, 'administrator@essex.example')
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('adds an organisation, after the empty form shows what is missing', async () => {
    const { page } = admin
    const home = new HomePage(page)
    await check(page, 'admin-home')
    await home.navigateTo('Organisations')
    const organisations = new OrganisationsPage(page)
    assert.equal(await textOf(organisations.heading), 'Organisations')
    assert.ok((await organisations.names()).includes('Essex County Council Early Help'))
    await check(page, 'admin-organisations')

    await organisations.addOrganisation()
    const form = new NewOrganisationPage(page)
    assert.equal(await textOf(form.heading), 'Add an organisation')
    await check(page, 'admin-organisation-new')

    await form.submit()
    assert.match(await page.title(), /^Error: /, 'the title says there is an error')
    assert.equal(await form.errorSummary.count(), 1, 'the error summary is shown')
    assert.deepEqual(await form.errorMessages(), ['Enter the name of the organisation', 'Select what kind of organisation it is'])
    assert.ok(await form.errorSummaryHasFocus(), 'the error summary takes focus')
    assert.equal(await page.getByText('Error: Enter the name of the organisation').count(), 1, 'the field shows its own error')
    await check(page, 'admin-organisation-new-errors')

    await form.followError('Enter the name of the organisation')
    assert.ok(await hasFocus(form.name), 'the summary link moves focus to the name field')
    await form.followError('Select what kind of organisation it is')
    assert.ok(await hasFocus(form.kind('School or college')), 'the summary link moves focus to the first kind')

    await form.fill({ name: ORGANISATION, kind: 'Voluntary or community group' })
    await form.submit()
    assert.equal(new URL(page.url()).pathname, '/admin/organisations')
    assert.match(await textOf(organisations.successBanner), /Organisation added/)
    const row = organisations.row(ORGANISATION)
    assert.equal(await row.count(), 1, 'the new organisation is listed')
    assert.match(await textOf(row), /Voluntary or community group 0 Active/)
    await check(page, 'admin-organisations-added')
  })

  test('adds an account for it, keeping what was typed when the form is incomplete', async () => {
    const { page } = admin
    await new Layout(page).navigateTo('Accounts')
    const accounts = new AccountsPage(page)
    assert.equal(await textOf(accounts.heading), 'Accounts')
    assert.equal(await accounts.row('Grace Whitfield').count(), 1)
    await check(page, 'admin-accounts')

    await accounts.addAccount()
    const form = new NewAccountPage(page)
    assert.ok((await form.organisationChoices()).includes(ORGANISATION), 'the new organisation can be chosen')
    await check(page, 'admin-account-new')

    await form.fill({ name: PERSON.name, email: PERSON.email, phone: '12345' })
    await form.submit()
    assert.equal(await form.errorSummary.count(), 1)
    assert.deepEqual(await form.errorMessages(), [
      'Enter a telephone number, like 01632 960 001 or 07700 900 982',
      'Select their role',
      'Select their organisation',
      'Enter a first password',
    ])
    assert.ok(await form.errorSummaryHasFocus(), 'the error summary takes focus')
    assert.equal(await form.name.inputValue(), PERSON.name, 'the name typed is kept')
    assert.equal(await form.email.inputValue(), PERSON.email, 'the email typed is kept')
    assert.equal(await form.phone.inputValue(), '12345', 'the telephone number typed is kept, to be corrected')
    assert.equal(await form.password.inputValue(), '', 'the password is never sent back')
    await check(page, 'admin-account-new-errors')

    await form.followError('Select their role')
    assert.ok(await hasFocus(form.roles.getByRole('radio').first()), 'the summary link moves focus to the first role')
    await form.followError('Select their organisation')
    assert.ok(await hasFocus(form.organisation), 'the summary link moves focus to the organisation')

    await form.fill({ phone: PERSON.phone, role: 'Practitioner', organisation: ORGANISATION, password: PERSON.password })
    await form.submit()
    const account = new AccountPage(page)
    accountId = account.id
    assert.equal(await textOf(account.heading), PERSON.name)
    assert.match(await textOf(account.successBanner), /Account added/)
    assert.equal(await textOf(account.detail('Email address')), PERSON.email)
    assert.equal(await textOf(account.detail('Organisation')), ORGANISATION)
    assert.equal(await textOf(account.detail('Role')), 'Practitioner')
    assert.equal(await textOf(account.detail('Last signed in')), 'Never')
    await check(page, 'admin-account-created')
  })

  test('the new person signs in in their own browser', async () => {
    assert.ok(accountId, 'the account was added')
    newcomer = await signedIn(browser, server, PERSON.email, PERSON.password)
    const home = new HomePage(newcomer.page)
    assert.equal(await textOf(home.heading), PERSON.name)
    assert.equal(await home.authorityLink('Essex County Council').count(), 1)
    assert.deepEqual(await home.navigationLinks(), ['Home', 'Requests for support', 'Families'])
    assert.ok((await textOf(home.page.getByRole('main'))).includes(`Practitioner, ${ORGANISATION}`))
    await check(newcomer.page, 'home-new-account')
  })

  test('deactivating the account ends their session at once', async () => {
    assert.ok(newcomer, 'the new person is signed in')
    const { page } = admin
    await new Layout(page).navigateTo('Accounts')
    const accounts = new AccountsPage(page)
    await accounts.find(PERSON.name)
    assert.equal(await accounts.row(PERSON.name).count(), 1)
    assert.equal(await accounts.table.getByRole('row').count(), 2, 'one account found, under the header row')
    await expectNoAxeViolations(page)
    await accounts.open(PERSON.name)
    const account = new AccountPage(page)
    assert.notEqual(await textOf(account.detail('Last signed in')), 'Never', 'their sign-in shows')
    await expectNoAxeViolations(page)
    await account.deactivate()
    assert.match(await textOf(account.successBanner), /Account deactivated. They have been signed out and cannot sign in/)
    assert.match(await textOf(account.detail('Status')), /^Deactivated/)
    assert.equal(await account.reactivateButton.count(), 1)
    await check(page, 'admin-account-deactivated')

    // The new person's next page load finds no session and goes to sign in.
    await newcomer.page.reload()
    const url = new URL(newcomer.page.url())
    assert.equal(url.pathname, '/sign-in')
    assert.equal(url.searchParams.get('returnTo'), '/home')
    const signIn = new SignInPage(newcomer.page)
    assert.equal(await signIn.signOutButton.count(), 0)
    await check(newcomer.page, 'sign-in-after-deactivation')

    // And they cannot sign in again.
    await signIn.submitWith(PERSON.email, PERSON.password)
    assert.equal(new URL(newcomer.page.url()).pathname, '/sign-in')
    assert.deepEqual(await signIn.errorMessages(), ['Enter a correct email address and password'])
    await expectNoAxeViolations(newcomer.page)
    await newcomer.context.close()
  })

  test('the audit log shows the events for what was just done', async () => {
    const { page } = admin
    const account = new AccountPage(page)
    await account.openAuditLog()
    const audit = new AuditLogPage(page)
    assert.equal(await textOf(audit.heading), 'Audit log')
    assert.equal(await page.getByLabel('Record reference').inputValue(), accountId)
    const events = await audit.rows()
    const has = (what: string, who: string) => events.some((e) => e.what.startsWith(what) && e.who.startsWith(who) && e.record.includes(accountId))
    assert.ok(has('Created an account', 'Grace Whitfield'), 'account created by the administrator')
    assert.ok(has('Signed in', PERSON.name), 'the new person signed in')
    assert.ok(has('Deactivated an account', 'Grace Whitfield'), 'account deactivated by the administrator')
    assert.ok(has('Failed sign-in', PERSON.name), 'the refused sign-in after deactivation')
    assert.ok(has('Viewed an account', 'Grace Whitfield'), 'viewing the account is itself recorded')
    const failed = events.find((e) => e.what.startsWith('Failed sign-in'))
    assert.match(failed?.what ?? '', /account deactivated/)
    assert.ok(events.findIndex((e) => e.what.startsWith('Deactivated')) < events.findIndex((e) => e.what.startsWith('Created an account')), 'newest first')
    await check(page, 'admin-audit-log-account')

    await audit.navigateTo('Audit log')
    await audit.filter({ action: 'Created an organisation' })
    const created = await audit.rows()
    assert.equal(created.length, 1, 'one organisation was created')
    assert.match(created[0]?.who ?? '', /^Grace Whitfield Administrator/)
    await expectNoAxeViolations(page)
    await audit.filter({ action: 'Any action' })
    const everything = await audit.rows()
    assert.ok(everything.some((e) => e.what.startsWith('Viewed the list of accounts')))
    assert.ok(everything.some((e) => e.what.startsWith('Signed in') && e.who.startsWith('Grace Whitfield')))
    await check(page, 'admin-audit-log')
  })

  test("Southend's administrator does not see Essex's organisation or account", async () => {
    const southend = await signedIn(browser, server, 'administrator@southend.example')
    try {
      const { page } = southend
      await expectNoAxeViolations(page)
      await new Layout(page).navigateTo('Organisations')
      const organisations = new OrganisationsPage(page)
      await organisations.show('All')
      const names = await organisations.names()
      assert.ok(names.includes('Early Help Front Door'), 'sees its own organisations')
      assert.ok(!names.includes(ORGANISATION), "does not see Essex's new organisation")
      assert.ok(!names.some((n) => /Greenfield|Chelmer|Essex/.test(n)), 'sees no Essex organisation')
      await check(page, 'southend-organisations')

      const form = await new NewAccountPage(page).goto()
      assert.ok(!(await form.organisationChoices()).includes(ORGANISATION), 'cannot give anyone an account in it')
      await expectNoAxeViolations(page)

      const response = await page.goto(`/admin/accounts/${accountId}`)
      assert.equal(response?.status(), 404, "Essex's account does not exist for Southend")
      assert.equal(await textOf(new Layout(page).heading), 'Page not found')

      const audit = await new AuditLogPage(page).goto(`?recordId=${accountId}`)
      assert.deepEqual(await audit.rows(), [], "none of Essex's audit events")
      await expectNoAxeViolations(page)
    } finally {
      await southend.context.close()
    }
  })

  describe('at 320 CSS pixels wide (WCAG 1.4.10 Reflow), with the navigation behind a Menu button', () => {
    let narrow: { context: BrowserContext; page: Page }

    before(async () => {
      narrow = await signedIn(browser, server, 'administrator@essex.example', DEMO_PASSWORD, { viewport: REFLOW_VIEWPORT })
    })

    after(async () => {
      await narrow?.context.close()
    })

    test('the Menu button opens the navigation', async () => {
      const { page } = narrow
      const home = new HomePage(page)
      const accounts = home.navigation.getByRole('link', { name: 'Accounts' })
      assert.equal(await accounts.isVisible(), false, 'the navigation starts closed')
      await home.menuButton.click()
      assert.equal(await home.menuButton.getAttribute('aria-expanded'), 'true')
      assert.equal(await accounts.isVisible(), true, 'the Menu button shows the navigation')
      await expectNoAxeViolations(page)
      await screenshot(page, 'narrow-home-menu-open')
    })

    const pages: { path: string; name: string }[] = [
      { path: '/home', name: 'narrow-home' },
      { path: '/admin/accounts', name: 'narrow-accounts' },
      { path: '/admin/accounts/new', name: 'narrow-account-new' },
      { path: '/admin/organisations', name: 'narrow-organisations' },
      { path: '/admin/organisations/new', name: 'narrow-organisation-new' },
      { path: '/admin/audit', name: 'narrow-audit-log' },
    ]
    for (const { path, name } of pages) {
      test(`${path} does not scroll sideways`, async () => {
        const { page } = narrow
        await page.goto(path)
        await screenshot(page, name)
        assert.equal(await horizontalOverflow(page), undefined)
      })
    }
  })
})
