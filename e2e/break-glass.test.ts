import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { navigates, textOf } from './pages/layout.ts'
import { caseworkJourney } from './support/journey.ts'

/**
 * Access that follows the relationship, in the browser (issue 6): the demonstration Carter family's
 * health visitor is removed from the Team Around the Family and loses the family at once (404);
 * she opens it again by break-glass with a reason; the access shows on the administrator's review
 * list, which records a finding; the team manager sees the break-glass views on "who has seen this
 * family". axe checks every page.
 */

// One authority keeps the journey under a minute; the integration tests cover both authorities
// and that neither sees the other's grants. Add { tenantId: 'essex', lead: 'family-solutions-worker' } to run Essex too.
const AUTHORITIES = [{ tenantId: 'southend', lead: 'family-support-worker' }] as const
const REASON = 'Mia Carter came to the baby clinic with her brother today and I need to know who leads the family’s plan.'

describe('relationship access and break-glass in the browser', () => {
  const journey = caseworkJourney('break-glass')

  for (const authority of AUTHORITIES) {
    const email = (local: string) => `${local}@${authority.tenantId}.example`
    const check = (page: Page, name: string) => journey.check(page, `${authority.tenantId}-${name}`)
    const person = (local: string) => journey.person(email(local))

    test(`in ${authority.tenantId}: removed from the team, the health visitor loses the family at once, opens it by break-glass, and the access is reviewed`, async () => {
      const carter = await journey.server().ctx.db.system.selectFrom('involvements').select(['id', 'reference']).where('tenant_id', '=', authority.tenantId).where('family_name', '=', 'Carter').executeTakeFirstOrThrow()
      const visitorName = await journey.server().nameOf(email('health-visitor'))
      const familyPath = `/involvements/${carter.id}`

      // The health visitor is on the team and sees the family.
      const visitor = await person('health-visitor')
      assert.equal((await visitor.goto(familyPath))?.status(), 200)
      assert.equal(await textOf(visitor.getByRole('heading', { level: 1 })), 'The Carter family')
      await check(visitor, 'visitor-family')

      // The Lead Professional removes her from the team.
      const lead = await person(authority.lead)
      await lead.goto(familyPath)
      await navigates(lead, () => lead.getByRole('link', { name: 'Add or remove people in the team' }).click())
      await check(lead, 'team')
      await lead.getByLabel(`Why is ${visitorName} leaving the team?`).fill('Mia has started school; the school nurse takes over.')
      await navigates(lead, () => lead.getByRole('button', { name: `Remove ${visitorName} from the team` }).click())
      assert.match(await textOf(lead.getByRole('alert', { name: 'Success' })), /They can no longer see this family/)
      await check(lead, 'removed')

      // Her next click is a 404.
      const refused = await visitor.reload()
      assert.equal(refused?.status(), 404)
      assert.equal(await textOf(visitor.getByRole('heading', { level: 1 })), 'Page not found')
      await check(visitor, 'visitor-404')

      // She opens the record by break-glass: a reason is required.
      await visitor.goto('/break-glass')
      await check(visitor, 'break-glass-form')
      await visitor.getByLabel('Early help reference').fill(carter.reference)
      await visitor.getByLabel('Why you need to see this family’s record').fill('Need to check')
      await navigates(visitor, () => visitor.getByRole('button', { name: 'Open the record' }).click())
      assert.match(await textOf(visitor.getByRole('alert')), /at least 20 characters/)
      assert.equal(await visitor.getByLabel('Early help reference').inputValue(), carter.reference)
      await check(visitor, 'break-glass-error')
      await visitor.getByLabel('Why you need to see this family’s record').fill(REASON)
      await navigates(visitor, () => visitor.getByRole('button', { name: 'Open the record' }).click())
      assert.equal(new URL(visitor.url()).pathname, familyPath)
      assert.equal(await textOf(visitor.getByRole('heading', { level: 1 })), 'The Carter family')
      await check(visitor, 'break-glass-family')

      // The team manager sees who has seen the family, the break-glass views marked.
      const manager = await person('team-manager')
      assert.equal((await manager.goto(`${familyPath}/audit`))?.status(), 200)
      const trail = manager.locator('table tbody tr', { hasText: visitorName })
      assert.match(await textOf(trail.filter({ hasText: 'Break-glass' }).first()), /Viewed a family’s early help/)
      assert.match(await textOf(manager.locator('table tbody tr', { hasText: 'Removed someone from a Team Around the Family' }).first()), /.+/)
      await check(manager, 'who-has-seen')

      // The administrator reviews it.
      const admin = await person('administrator')
      await admin.goto('/privacy/break-glass')
      await check(admin, 'review-list')
      const row = admin.locator('table tbody tr', { hasText: carter.reference })
      assert.match(await textOf(row), new RegExp(`${visitorName}.*${carter.reference}.*baby clinic.*Not reviewed`))
      await navigates(admin, () => row.getByRole('link', { name: /Review/ }).click())
      assert.match(await textOf(admin.locator('main')), /Viewed a family’s early help/)
      await check(admin, 'review')
      await navigates(admin, () => admin.getByRole('button', { name: 'Record the finding' }).click())
      assert.match(await textOf(admin.getByRole('alert')), /Select whether the access was appropriate/)
      await check(admin, 'review-error')
      await admin.getByRole('radio', { name: 'Appropriate', exact: true }).check()
      await admin.getByLabel('Note').fill('Confirmed with the clinic.')
      await navigates(admin, () => admin.getByRole('button', { name: 'Record the finding' }).click())
      assert.match(await textOf(admin.getByRole('alert', { name: 'Success' })), /Your finding has been recorded/)
      assert.match(await textOf(admin.locator('main')), /Confirmed with the clinic/)
      await check(admin, 'reviewed')
      await admin.goto('/privacy/break-glass')
      assert.match(await textOf(admin.locator('table tbody tr', { hasText: carter.reference })), /Appropriate/)
    })
  }
})
