import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { navigates, textOf } from './pages/layout.ts'
import { caseworkJourney } from './support/journey.ts'

/**
 * Consent in the browser (issue 6): the Lead Professional of the demonstration Carter family
 * records the mother's consent to share with named agencies, then records that she withdrew it
 * and that sharing stops; the health visitor on the team gets 404 on her next click; the family's
 * page warns of the withdrawal and the sharing log shows who was given access. axe checks every page.
 */
const TENANT = 'southend'
const email = (local: string) => `${local}@${TENANT}.example`

describe('consent and the sharing log in the browser', () => {
  const journey = caseworkJourney('consent')
  const { check } = journey
  const person = (local: string) => journey.person(email(local))

  test('record consent, withdraw it and stop sharing: the health visitor gets 404, the family page warns, the log shows it', async () => {
    const carter = await journey.server().ctx.db.system.selectFrom('involvements').select(['id', 'reference']).where('tenant_id', '=', TENANT).where('family_name', '=', 'Carter').executeTakeFirstOrThrow()
    const mother = await journey.server().ctx.db.system.selectFrom('involvement_people').select(['given_name', 'family_name']).where('involvement_id', '=', carter.id).where('kind', '=', 'adult').orderBy('position').executeTakeFirstOrThrow()
    const motherName = `${mother.given_name} ${mother.family_name}`
    const familyPath = `/involvements/${carter.id}`

    const visitor = await person('health-visitor')
    assert.equal((await visitor.goto(familyPath))?.status(), 200)

    const lead = await person('family-support-worker')
    await lead.goto(familyPath)
    await navigates(lead, () => lead.getByRole('link', { name: 'Consent', exact: true }).click())
    await check(lead, 'page')
    await navigates(lead, () => lead.getByRole('button', { name: 'Record consent' }).click())
    await check(lead, 'new')
    await navigates(lead, () => lead.getByRole('button', { name: 'Record consent' }).click())
    assert.match(await textOf(lead.getByRole('alert')), /Select whose consent this is/)
    await check(lead, 'new-errors')
    await lead.getByRole('group', { name: 'Whose consent is it?' }).getByLabel(motherName).check()
    await lead.getByRole('group', { name: 'Who gave it?' }).getByLabel(motherName).check()
    await lead.getByLabel('Sharing information with the agencies named').check()
    await lead.getByLabel('Agencies they agreed to share information with').fill('Southend Health Visiting\nChalkwell Primary School')
    await lead.getByLabel('In writing').check()
    await lead.getByLabel('Day').fill('2')
    await lead.getByLabel('Month').fill('11')
    await lead.getByLabel('Year').fill('2026')
    await navigates(lead, () => lead.getByRole('button', { name: 'Record consent' }).click())
    assert.match(await textOf(lead.getByRole('alert')), /Consent has been recorded/)

    await navigates(lead, () => lead.getByRole('link', { name: /Withdraw/ }).first().click())
    await check(lead, 'withdraw')
    await lead.getByLabel('Day').fill('3')
    await lead.getByLabel('Month').fill('11')
    await lead.getByLabel('Year').fill('2026')
    await lead.getByLabel(/Stop sharing/).check()
    await navigates(lead, () => lead.getByRole('button', { name: 'Record the withdrawal' }).click())
    assert.match(await textOf(lead.getByRole('alert')), /withdrawal has been recorded/)
    assert.match(await textOf(lead.locator('main')), /Sharing stopped/)

    const refused = await visitor.reload()
    assert.equal(refused?.status(), 404)
    await check(visitor, 'visitor-404')

    await lead.goto(familyPath)
    assert.match(await textOf(lead.locator('main')), /Consent withdrawn on 3 November 2026/)
    await check(lead, 'family-warning')
    await navigates(lead, () => lead.getByRole('link', { name: 'Sharing log' }).first().click())
    assert.equal(new URL(lead.url()).pathname, `${familyPath}/sharing`)
    await check(lead, 'sharing-log')
  })
})
