import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { navigates, textOf } from './pages/layout.ts'
import { caseworkJourney } from './support/journey.ts'

/**
 * Protected details and the subject access export, in the browser (issue 6's "done means"): the
 * Carter family's Lead Professional protects the mother's new address from the father; a team
 * manager exports their daughter's subject access record; the readable document holds her plan and
 * marks the protected address for redaction. axe checks every page.
 */

const NEW_ADDRESS = '7 Heron Way, Shoeburyness SS3 9QT'

describe('protected details and the subject access export in the browser', () => {
  const journey = caseworkJourney('subject-access')
  const { check, person } = journey

  test('in southend: the mother’s new address is protected from the father, and the daughter’s export marks it', async () => {
    const db = journey.server().ctx.db.system
    const carter = await db.selectFrom('involvements').select(['id', 'reference', 'lead_account_id']).where('tenant_id', '=', 'southend').where('family_name', '=', 'Carter').executeTakeFirstOrThrow()
    const mia = await db.selectFrom('involvement_people').select('id').where('involvement_id', '=', carter.id).where('given_name', '=', 'Mia').executeTakeFirstOrThrow()
    // The father is in the family's record, and the Lead Professional's note holds the new address.
    await db.insertInto('involvement_people').values({ tenant_id: 'southend', involvement_id: carter.id, kind: 'adult', given_name: 'Lee', family_name: 'Carter', relationship: 'Father', position: 9 }).execute()
    await db
      .insertInto('chronology_entries')
      .values({ tenant_id: 'southend', involvement_id: carter.id, occurred_at: new Date(), kind: 'note', summary: `Kelly and the children have moved to ${NEW_ADDRESS}.`, author_account_id: carter.lead_account_id })
      .execute()
    const familyPath = `/involvements/${carter.id}`

    // The Lead Professional protects Kelly's new address from Lee.
    const lead = await person('family-support-worker@southend.example')
    await lead.goto(familyPath)
    await navigates(lead, () => lead.getByRole('link', { name: 'See or protect someone’s details' }).click())
    assert.equal(await textOf(lead.getByRole('heading', { level: 1 })), 'Protected details')
    await check(lead, 'list-empty')
    await navigates(lead, () => lead.getByRole('link', { name: 'Protect someone’s details' }).click())
    await check(lead, 'new')
    await lead.getByLabel('The details to protect').fill(NEW_ADDRESS)
    await navigates(lead, () => lead.getByRole('button', { name: 'Protect these details' }).click())
    assert.match(await textOf(lead.getByRole('alert')), /Select whose details are protected/)
    assert.equal(await lead.getByLabel('The details to protect').inputValue(), NEW_ADDRESS)
    await check(lead, 'new-errors')
    await lead.getByRole('group', { name: 'Whose details are protected?' }).getByLabel('Kelly Carter').check()
    await lead.getByRole('group', { name: 'What is protected?' }).getByLabel('Address').check()
    await lead.getByRole('group', { name: 'Family members to keep them from' }).getByLabel('Lee Carter').check()
    await lead.getByLabel('Why are these details protected?').fill('Kelly moved after domestic abuse by Lee; he must not find the family.')
    await navigates(lead, () => lead.getByRole('button', { name: 'Protect these details' }).click())
    assert.match(await textOf(lead.getByRole('alert', { name: 'Success' })), /The details are protected/)
    assert.match(await textOf(lead.locator('main')), /Kelly Carter’s address.*7 Heron Way.*Kept from Lee Carter/)
    await check(lead, 'list')

    // A team manager exports Mia's subject access record.
    const manager = await person('team-manager@southend.example')
    assert.equal((await manager.goto(familyPath))?.status(), 200)
    await navigates(manager, () => manager.getByRole('link', { name: /everything held about Mia Carter/ }).click())
    assert.ok(manager.url().endsWith(`${familyPath}/people/${mia.id}/subject-access`), 'the family’s page links to the export')
    assert.equal(await textOf(manager.getByRole('heading', { level: 1 })), 'Subject access export for Mia Carter')
    await check(manager, 'choose')
    await manager.getByLabel('Who made the subject access request?').fill('Kelly Carter, for Mia')
    await navigates(manager, () => manager.getByRole('button', { name: 'Make the readable document' }).click())
    assert.equal(await textOf(manager.getByRole('heading', { level: 1 })), 'Everything held about Mia Carter')
    const main = await textOf(manager.locator('main'))
    assert.match(main, /Early Help Plan Version 1 \(initial, agreed/)
    const mark = manager.locator('mark[data-redact="protected"]').first()
    assert.match(await textOf(mark), /7 Heron Way, Shoeburyness SS3 9QT \[redact: protected address\]/)
    assert.ok((await manager.locator('mark[data-redact="third-party"]').count()) > 0, 'third parties are marked')
    await check(manager, 'document')

    const exported = await db.selectFrom('audit_events').select('id').where('action', '=', 'subject-access-exported').where('record_id', '=', carter.id).execute()
    assert.equal(exported.length, 1)
    const logged = await db.selectFrom('disclosures').select('recipient').where('involvement_id', '=', carter.id).where('source', '=', 'subject-access-export').execute()
    assert.deepEqual(logged.map((d) => d.recipient), ['Kelly Carter, for Mia'])
  })
})
