import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { localDateOf } from '../../domain/working-calendar.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text } from '../../test/html.ts'
import { parseTime, readEntry } from './forms.ts'

/** The chronology over HTTP: adding entries, the list newest first with authors, the significant-only filter, access. */

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

const today = () => localDateOf(new Date()).split('-')
const dateFields = (parts = today()) => ({ 'date-day': parts[2]!, 'date-month': parts[1]!, 'date-year': parts[0]! })

/** The rows of the chronology table, as text. */
function rows(html: string): string[] {
  const body = /<tbody[^]*?<\/tbody>/.exec(html)?.[0] ?? ''
  return [...body.matchAll(/<tr class="govuk-table__row">[^]*?<\/tr>/g)].map((m) => text(m[0]))
}

test('times and entries are read as a person types them', () => {
  assert.equal(parseTime('9:30am'), 570)
  assert.equal(parseTime('14:30'), 870)
  assert.equal(parseTime('12pm'), 720)
  assert.equal(parseTime('12am'), 0)
  assert.equal(parseTime('25:00'), undefined)
  assert.equal(parseTime('9'), undefined)
  const now = new Date('2026-11-24T12:00:00Z')
  const ok = readEntry({ kind: 'visit', 'date-day': '24', 'date-month': '11', 'date-year': '2026', time: '9:15am', summary: 'Visit', significant: 'yes' }, '2026-11-24', now)
  assert.ok(ok.ok)
  assert.equal(ok.value.occurredAt.toISOString(), '2026-11-24T09:15:00.000Z')
  const later = readEntry({ kind: 'visit', 'date-day': '24', 'date-month': '11', 'date-year': '2026', time: '3pm', summary: 'Visit', significant: 'yes' }, '2026-11-24', now)
  assert.equal(later.ok, false)
  const bad = readEntry({ kind: 'opened', 'date-day': '25', 'date-month': '11', 'date-year': '2026', summary: '', significant: '' }, '2026-11-24', now)
  assert.ok(!bad.ok)
  assert.deepEqual(Object.keys(bad.errors).sort(), ['date', 'kind', 'significant', 'summary'])
})

for (const tenant of ['southend', 'essex'] as const) {
  test(`${tenant}: entries are added, listed newest first with who wrote them, and filtered to significant events`, async () => {
    const lead = await ctx.newAccount(tenant, 'practitioner')
    await ctx.db.system.updateTable('accounts').set({ name: 'Priya Lead' }).where('id', '=', lead.id).execute()
    const outsider = await ctx.newAccount(tenant, 'practitioner')
    const advisor = await ctx.newAccount(tenant, 'early_help_advisor')
    const { id } = await openTestInvolvement(ctx, lead, { level: 2 })
    const [agent, outsiderAgent, advisorAgent] = await Promise.all([ctx.signIn(lead), ctx.signIn(outsider), ctx.signIn(advisor)])
    const base = `/involvements/${id}/chronology`

    const form = await agent.get(`${base}/new`)
    assert.equal(form.statusCode, 200)
    assert.equal(inputValue(form.body, 'date-year'), today()[0])

    const visit = await agent.post(`${base}/new`, { kind: 'visit', ...dateFields(), time: '00:01', summary: 'Home visit: all seen', detail: 'Dana and both children.', significant: 'yes' })
    assert.equal(visit.statusCode, 303)
    assert.equal(visit.headers.location, `${base}?added=1`)
    const note = await agent.post(`${base}/new`, { kind: 'note', ...dateFields(), summary: 'Phoned school', significant: 'no' })
    assert.equal(note.statusCode, 303)

    // A future date is refused with what was typed kept.
    const future = (() => {
      const d = new Date(Date.now() + 3 * 24 * 3600 * 1000)
      return localDateOf(d).split('-')
    })()
    const refused = await agent.post(`${base}/new`, { kind: 'contact', ...dateFields(future), summary: 'Tomorrow', significant: 'no' })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(errorSummary(refused.body).map((e) => e.text), ['The date must be today or in the past'])
    assert.equal(inputValue(refused.body, 'summary'), 'Tomorrow')

    const list = await agent.get(base)
    assert.equal(list.statusCode, 200)
    const all = rows(list.body)
    assert.equal(all.length, 3) // the opening entry, the visit and the note
    assert.match(all.find((r) => r.includes('Home visit: all seen')) ?? '', /Home visit Significant Home visit: all seen Dana and both children\. Priya Lead/)
    assert.match(all.find((r) => r.includes('Phoned school')) ?? '', /Case note Phoned school Priya Lead/)
    assert.doesNotMatch(all.find((r) => r.includes('Phoned school')) ?? '', / at /) // no time given: the date only
    assert.match(all.find((r) => r.includes('Home visit: all seen')) ?? '', / at 12:01am/)

    const significant = rows((await agent.get(`${base}?significant=yes`)).body)
    assert.ok(significant.every((r) => r.includes('Significant')))
    assert.ok(!significant.some((r) => r.includes('Phoned school')))
    assert.ok(significant.some((r) => r.includes('Home visit: all seen')))

    // Advisors read it but cannot add; a practitioner not on the team is told it does not exist.
    assert.equal((await advisorAgent.get(base)).statusCode, 200)
    assert.equal((await advisorAgent.get(`${base}/new`)).statusCode, 404)
    assert.equal((await outsiderAgent.get(base)).statusCode, 404)
    assert.equal((await outsiderAgent.get(`${base}/new`)).statusCode, 404)
    assert.equal((await outsiderAgent.post(`${base}/new`, { kind: 'note', ...dateFields(), summary: 'x', significant: 'no' })).statusCode, 404)
    const denied = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', id).where('outcome', '=', 'denied').execute()
    assert.ok(denied.length >= 3)
    const events = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', id).where('actor_account_id', '=', lead.id).execute()
    assert.equal(events.filter((e) => e.action === 'chronology-entry-added').length, 2)
    assert.ok(events.some((e) => e.action === 'chronology-viewed'))
  })
}

test('a long chronology is paged, and a closed family’s can be read but not added to', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 2 })
  const start = Date.now() - 100 * 24 * 3600 * 1000
  await ctx.db.system
    .insertInto('chronology_entries')
    .values(Array.from({ length: 60 }, (_, i) => ({ tenant_id: 'southend', involvement_id: id, occurred_at: new Date(start + i * 3600_000), kind: 'note', summary: `Note ${i}`, author_account_id: lead.id })))
    .execute()
  const agent = await ctx.signIn(lead)
  const first = await agent.get(`/involvements/${id}/chronology`)
  assert.match(text(first.body), /Showing 1 to 50 of 61 entries/)
  assert.equal(rows(first.body).length, 50)
  const second = await agent.get(`/involvements/${id}/chronology?page=2`)
  assert.match(text(second.body), /Showing 51 to 61 of 61 entries/)
  assert.match(rows(second.body).at(-1) ?? '', /Note 0/)

  await ctx.db.system.updateTable('involvements').set({ status: 'closed', closed_at: new Date(), closure: JSON.stringify({ reason: 'needs-met' }) }).where('id', '=', id).execute()
  assert.equal((await agent.get(`/involvements/${id}/chronology`)).statusCode, 200)
  assert.doesNotMatch((await agent.get(`/involvements/${id}/chronology`)).body, /Add an entry/)
  assert.equal((await agent.get(`/involvements/${id}/chronology/new`)).statusCode, 409)
  assert.equal((await agent.post(`/involvements/${id}/chronology/new`, { kind: 'note', ...dateFields(), summary: 'x', significant: 'no' })).statusCode, 409)
})
