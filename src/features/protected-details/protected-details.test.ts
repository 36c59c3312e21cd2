import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { extractText, getDocumentProxy } from 'unpdf'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text } from '../../test/html.ts'
import { NEW_ADDRESS, protectedFamily } from './test-support.ts'

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent
let member: TestAccount
let memberAgent: Agent
let memberOrganisation: string

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  leadAgent = await ctx.signIn(lead)
  memberOrganisation = await ctx.newOrganisation('southend', { name: 'Larchfield Primary School' })
  member = await ctx.newAccount('southend', 'practitioner', { organisationId: memberOrganisation })
  memberAgent = await ctx.signIn(member)
})
after(() => ctx.close())

async function addToTeam(involvementId: string, email: string) {
  const response = await leadAgent.post(`/involvements/${involvementId}/team`, { email, role: 'School nurse' })
  assert.equal(response.statusCode, 303, response.body.slice(0, 300))
}

async function pdfText(agent: Agent, url: string) {
  const response = await agent.get(url)
  assert.equal(response.statusCode, 200, response.body.slice(0, 500))
  assert.equal(response.headers['content-type'], 'application/pdf')
  const pdf = await getDocumentProxy(new Uint8Array(response.rawPayload))
  const { text: pages } = await extractText(pdf, { mergePages: true })
  return pages.replace(/\s+/g, ' ')
}

const auditCount = async (action: string, recordId: string) =>
  Number((await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', action).where('record_id', '=', recordId).executeTakeFirstOrThrow()).n)

test('a protection is recorded, shown, withheld from the named agency, and lifted (never deleted)', async () => {
  const family = await protectedFamily(ctx, lead)
  const base = `/involvements/${family.id}/protected-details`
  await addToTeam(family.id, member.email)

  // Validation keeps what was typed.
  const bad = await leadAgent.post(`${base}/new`, { personId: family.dana, kind: 'address', value: NEW_ADDRESS, reason: '' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    errorSummary(bad.body).map((e) => e.text),
    ['Select at least one family member or agency the details must be kept from', 'Enter why these details are protected'],
  )
  assert.match(bad.body, /14 Larch Close, Basildon SS14 3PD<\/textarea>/)
  const self = await leadAgent.post(`${base}/new`, { personId: family.dana, kind: 'address', value: NEW_ADDRESS, hiddenFromPeople: family.dana, reason: 'Domestic abuse' })
  assert.equal(self.statusCode, 400)
  assert.match(text(self.body), /cannot be kept from themselves/)

  const recorded = await leadAgent.post(`${base}/new`, {
    personId: family.dana,
    kind: 'address',
    value: NEW_ADDRESS,
    hiddenFromPeople: family.rob,
    hiddenFromOrganisations: memberOrganisation,
    reason: 'Dana moved after domestic abuse; Rob must not find her.',
  })
  assert.equal(recorded.statusCode, 303)
  assert.equal(recorded.headers.location, `${base}?done=recorded`)
  assert.equal(await auditCount('protected-detail-recorded', family.id), 1)
  const event = await ctx.db.system.selectFrom('audit_events').select('detail').where('action', '=', 'protected-detail-recorded').where('record_id', '=', family.id).executeTakeFirstOrThrow()
  assert.doesNotMatch(JSON.stringify(event.detail), /Larch/, 'the value never goes in the audit log')

  // The Lead Professional sees the value on the list and the family page.
  const list = text((await leadAgent.get(base)).body)
  assert.match(list, /Dana Larchfield’s address/)
  assert.match(list, /14 Larch Close, Basildon SS14 3PD/)
  assert.match(list, /Kept from Rob Larchfield, Larchfield Primary School/)
  assert.match(list, /Why Dana moved after domestic abuse; Rob must not find her\./)
  const page = text((await leadAgent.get(`/involvements/${family.id}`)).body)
  assert.match(page, /Dana Larchfield’s address: 14 Larch Close/)

  // A team member from the agency it is kept from reads "Withheld" and cannot record or lift.
  const theirs = text((await memberAgent.get(`/involvements/${family.id}`)).body)
  assert.match(theirs, /Dana Larchfield’s address: Withheld: protected address/)
  assert.doesNotMatch(theirs, /Larch Close/)
  assert.doesNotMatch(text((await memberAgent.get(base)).body), /Larch Close/)
  assert.equal((await memberAgent.get(`${base}/new`)).statusCode, 404)
  assert.equal((await memberAgent.post(`${base}/new`, { personId: family.dana, kind: 'address', value: 'x', hiddenFromPeople: family.rob, reason: 'x' })).statusCode, 404)

  // Lifting needs a reason and happens once; the record stays.
  const protection = await ctx.db.system.selectFrom('protected_details').select('id').where('involvement_id', '=', family.id).executeTakeFirstOrThrow()
  assert.equal((await memberAgent.get(`${base}/${protection.id}/lift`)).statusCode, 404)
  const noReason = await leadAgent.post(`${base}/${protection.id}/lift`, { reason: ' ' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(errorSummary(noReason.body), [{ href: '#reason', text: 'Enter why the protection is no longer needed' }])
  assert.equal((await leadAgent.post(`${base}/${protection.id}/lift`, { reason: 'Rob has moved abroad; court order ended.' })).headers.location, `${base}?done=lifted`)
  assert.equal((await leadAgent.post(`${base}/${protection.id}/lift`, { reason: 'Again' })).headers.location, `${base}?done=already-lifted`)
  assert.equal(await auditCount('protected-detail-lifted', family.id), 1)
  const lifted = text((await leadAgent.get(base)).body)
  assert.match(lifted, /Nothing is protected/)
  assert.match(lifted, /lifted .* because Rob has moved abroad/)
  assert.match(text((await memberAgent.get(`/involvements/${family.id}`)).body), /Protected details None\./, "a lifted protection is no longer listed on the family page")
  // The database refuses to rewrite or delete it, whoever asks through the app's role.
  await assert.rejects(ctx.db.asTenant('southend', (trx) => trx.updateTable('protected_details').set({ ended_reason: 'rewritten' }).where('id', '=', protection.id).execute()))
  await assert.rejects(ctx.db.asTenant('southend', (trx) => trx.deleteFrom('protected_details').where('id', '=', protection.id).execute()))
})

test('the plan PDF and family page ask who the copy is for, and the copy for the hidden-from father has no address', async () => {
  const family = await protectedFamily(ctx, lead)
  const plans = `/involvements/${family.id}/plans/1`
  // Before anything is protected, the PDF downloads at once with the address.
  assert.match(await pdfText(leadAgent, `${plans}/plan.pdf`), /14 Larch Close/)
  const recorded = await leadAgent.post(`/involvements/${family.id}/protected-details/new`, {
    personId: family.dana,
    kind: 'address',
    value: NEW_ADDRESS,
    hiddenFromPeople: family.rob,
    reason: 'Domestic abuse',
  })
  assert.equal(recorded.statusCode, 303)

  const ask = await leadAgent.get(`${plans}/plan.pdf`)
  assert.equal(ask.statusCode, 200)
  assert.match(ask.headers['content-type'] as string, /text\/html/)
  assert.match(text(ask.body), /Who is this copy for\? .*The team’s own use.*Rob Larchfield.*Father/)
  const invalid = await leadAgent.get(`${plans}/plan.pdf?for=person:00000000-0000-4000-8000-000000000000`)
  assert.equal(invalid.statusCode, 400)
  assert.deepEqual(errorSummary(invalid.body), [{ href: '#for', text: 'Select who the copy is for' }])

  const forRob = await pdfText(leadAgent, `${plans}/plan.pdf?for=person:${family.rob}`)
  assert.doesNotMatch(forRob, /Larch Close|SS14 3PD/i)
  assert.match(forRob, /\[withheld: protected address\]/)
  assert.match(forRob, /Rob says he misses Maisie/, 'the rest of the plan is there')
  const forDana = await pdfText(leadAgent, `${plans}/plan.pdf?for=person:${family.dana}`)
  assert.match(forDana, /14 Larch Close/)
  assert.match(await pdfText(leadAgent, `${plans}/plan.pdf?for=team`), /14 Larch Close/)

  const familyPage = await leadAgent.get(`${plans}/family?for=person:${family.rob}`)
  assert.equal(familyPage.statusCode, 200)
  assert.doesNotMatch(text(familyPage.body), /Larch Close|SS14 3PD/i)
  assert.match(text(familyPage.body), /moved to \[withheld: protected address\] after Rob/)
  assert.match(text((await leadAgent.get(`${plans}/family`)).body), /Who is this copy for\?/)
})

test('access: off the team, another authority and a bad id are all 404', async () => {
  const family = await protectedFamily(ctx, lead)
  const stranger = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  const essexManager = await ctx.signIn(await ctx.newAccount('essex', 'team_manager'))
  const analyst = await ctx.signIn(await ctx.newAccount('southend', 'performance_analyst'))
  const base = `/involvements/${family.id}/protected-details`
  for (const agent of [stranger, essexManager, analyst]) {
    assert.equal((await agent.get(base)).statusCode, 404)
    assert.equal((await agent.get(`${base}/new`)).statusCode, 404)
    assert.equal((await agent.post(`${base}/new`, { personId: family.dana, kind: 'address', value: 'x', hiddenFromPeople: family.rob, reason: 'x' })).statusCode, 404)
  }
  assert.equal((await leadAgent.get('/involvements/not-a-uuid/protected-details')).statusCode, 404)
  // A manager of the authority may record one.
  const manager = await ctx.signIn(await ctx.newAccount('southend', 'team_manager'))
  assert.equal((await manager.post(`${base}/new`, { personId: family.dana, kind: 'contact', value: '07700 900123', hiddenFromPeople: family.rob, reason: 'Domestic abuse' })).statusCode, 303)
  assert.equal(await auditCount('protected-details-viewed', family.id), 0)
  assert.equal((await manager.get(base)).statusCode, 200)
  assert.equal(await auditCount('protected-details-viewed', family.id), 1)
})
