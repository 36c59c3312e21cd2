import assert from 'node:assert/strict'
import { test } from 'node:test'
import { frameworkById } from '../../frameworks/index.ts'
import type { RetentionRuleSetting } from '../../frameworks/schema.ts'
import { addDays, addYears, due, periodOf, ruleInWords, ruleShort, ukDate, type RetentionRecord } from './rules.ts'

const rules: RetentionRuleSetting[] = [
  { recordType: 'involvement', rule: 'youngest-child-25', years: 25, action: 'anonymise', source: 'local configuration' },
  { recordType: 'request-not-progressed', rule: 'years-after-decision', years: 6, action: 'delete', source: 'local configuration' },
  { recordType: 'consultation', rule: 'years-after-created', years: 6, action: 'delete', source: 'local configuration' },
  { recordType: 'draft-request', rule: 'years-after-created', years: 1, action: 'delete', source: 'local configuration' },
  { recordType: 'notification', rule: 'days-after-final', days: 90, action: 'delete', source: 'local configuration' },
]

const family = (closedOn: string | null, childBirthDates: (string | null)[]): RetentionRecord => ({ recordType: 'involvement', createdOn: '2020-01-06', closedOn, childBirthDates })

test('addYears keeps the calendar date, and 29 February becomes 1 March in a year without one', () => {
  assert.equal(addYears('2001-06-15', 25), '2026-06-15')
  assert.equal(addYears('2004-02-29', 25), '2029-03-01')
  assert.equal(addYears('2004-02-29', 24), '2028-02-29')
  assert.equal(addYears('2004-02-28', 25), '2029-02-28')
  assert.equal(addYears('2030-03-01', -6), '2024-03-01')
  assert.equal(addDays('2028-02-28', 1), '2028-02-29')
  assert.equal(addDays('2027-02-28', 1), '2027-03-01')
})

test('a closed family is due on the youngest child’s 25th birthday, and not a day before', () => {
  const record = family('2021-07-01', ['2003-05-10', '2006-11-20', '2005-01-01'])
  assert.deepEqual(
    { ...due(record, rules, '2031-11-19'), rule: undefined },
    { due: false, action: 'anonymise', dueOn: '2031-11-20', rule: undefined },
  )
  const on = due(record, rules, '2031-11-20')
  assert.equal(on.due, true)
  assert.equal(on.action, 'anonymise')
  assert.equal(on.dueOn, '2031-11-20')
  assert.equal(on.rule?.rule, 'youngest-child-25')
})

test('a youngest child born on 29 February is 25 on 1 March in a year without one', () => {
  const record = family('2015-04-01', ['2004-02-29', '2001-03-03'])
  assert.equal(due(record, rules, '2029-02-28').due, false)
  assert.equal(due(record, rules, '2029-03-01').due, true)
  assert.equal(due(record, rules, '2029-03-01').dueOn, '2029-03-01')
  // 25 is not a multiple of 4, so a leap-day child's 25th birthday always falls on 1 March.
  assert.equal(due(family('2015-04-01', ['2008-02-29']), rules, '2033-02-28').due, false)
  assert.equal(due(family('2015-04-01', ['2008-02-29']), rules, '2033-03-01').dueOn, '2033-03-01')
  assert.equal(due(family('2010-04-01', ['1999-02-28', '2000-02-29']), rules, '2025-03-01').dueOn, '2025-03-01')
})

test('an open family is never due, whatever the children’s ages', () => {
  const verdict = due(family(null, ['1990-01-01']), rules, '2040-01-01')
  assert.equal(verdict.due, false)
  assert.equal(verdict.dueOn, null)
})

test('with no children known, or a child whose date of birth is not known, the years after closure apply as well', () => {
  // No children at all: 25 years after closure.
  assert.equal(due(family('2020-03-15', []), rules, '2045-03-14').due, false)
  assert.equal(due(family('2020-03-15', []), rules, '2045-03-15').dueOn, '2045-03-15')
  // One child unknown, the known one long grown up: still 25 years after closure.
  assert.equal(due(family('2020-03-15', ['1996-01-01', null]), rules, '2030-01-01').due, false)
  assert.equal(due(family('2020-03-15', ['1996-01-01', null]), rules, '2045-03-15').dueOn, '2045-03-15')
  // Unknown child, but a known child turns 25 after the fallback: the later date wins.
  assert.equal(due(family('2020-03-15', ['2025-06-01', null]), rules, '2049-01-01').dueOn, '2050-06-01')
  // Children list missing altogether counts as none known.
  assert.equal(due({ recordType: 'involvement', createdOn: '2019-01-01', closedOn: '2019-06-01' }, rules, '2044-06-01').due, true)
})

test('requests not progressed go 6 years after the decision; drafts a year after they were started; consultations 6 years after', () => {
  const request: RetentionRecord = { recordType: 'request-not-progressed', createdOn: '2019-12-30', decidedOn: '2020-01-02' }
  assert.equal(due(request, rules, '2026-01-01').due, false)
  assert.deepEqual([due(request, rules, '2026-01-02').due, due(request, rules, '2026-01-02').action], [true, 'delete'])
  const leap: RetentionRecord = { recordType: 'request-not-progressed', createdOn: '2020-02-28', decidedOn: '2020-02-29' }
  assert.equal(due(leap, rules, '2026-02-28').due, false)
  assert.equal(due(leap, rules, '2026-03-01').due, true)
  assert.equal(due({ recordType: 'request-not-progressed', createdOn: '2020-01-01', decidedOn: null }, rules, '2040-01-01').due, false)

  const draft: RetentionRecord = { recordType: 'draft-request', createdOn: '2025-11-24' }
  assert.equal(due(draft, rules, '2026-11-23').due, false)
  assert.equal(due(draft, rules, '2026-11-24').due, true)

  const call: RetentionRecord = { recordType: 'consultation', createdOn: '2020-11-24' }
  assert.equal(due(call, rules, '2026-11-23').due, false)
  assert.equal(due(call, rules, '2026-11-24').dueOn, '2026-11-24')
})

test('a record type with no rule is never due, and other rules count from their own dates', () => {
  assert.equal(due({ recordType: 'consultation', createdOn: '2000-01-01' }, rules.slice(0, 1), '2030-01-01').due, false)
  const afterClosure: RetentionRuleSetting[] = [{ recordType: 'involvement', rule: 'years-after-closure', years: 6, action: 'anonymise', source: 'local configuration' }]
  assert.equal(due(family('2020-02-29', ['2019-01-01']), afterClosure, '2026-03-01').due, true)
  assert.equal(due(family('2020-02-29', ['2019-01-01']), afterClosure, '2026-02-28').due, false)
  const afterCreated: RetentionRuleSetting[] = [{ recordType: 'request-not-progressed', rule: 'years-after-created', years: 2, action: 'delete', source: 'local configuration' }]
  assert.equal(due({ recordType: 'request-not-progressed', createdOn: '2020-05-05', decidedOn: '2021-05-05' }, afterCreated, '2022-05-05').due, true)
})

test('an email sent goes 90 days after it became final; one queued or being sent is never due', () => {
  // Sent on 10 January (or failed, counted from when it was queued): due on 10 April, not a day before.
  const sent: RetentionRecord = { recordType: 'notification', createdOn: '2026-01-09', finalOn: '2026-01-10' }
  assert.deepEqual({ ...due(sent, rules, '2026-04-09'), rule: undefined }, { due: false, action: 'delete', dueOn: '2026-04-10', rule: undefined })
  const on = due(sent, rules, '2026-04-10')
  assert.deepEqual([on.due, on.action, on.dueOn, on.rule?.rule], [true, 'delete', '2026-04-10', 'days-after-final'])
  // Across the end of February in a leap year, and over a year.
  assert.equal(due({ recordType: 'notification', createdOn: '2028-01-01', finalOn: '2028-01-01' }, rules, '2028-03-31').dueOn, '2028-03-31')
  assert.equal(due({ recordType: 'notification', createdOn: '2027-01-01', finalOn: '2027-01-01' }, rules, '2027-04-01').dueOn, '2027-04-01')
  assert.equal(due({ recordType: 'notification', createdOn: '2026-12-01', finalOn: '2026-12-01' }, rules, '2027-03-01').due, true)
  // Queued or sending: no final date, never due however old.
  const queued: RetentionRecord = { recordType: 'notification', createdOn: '2000-01-01', finalOn: null }
  assert.deepEqual({ ...due(queued, rules, '2040-01-01'), rule: undefined }, { due: false, action: null, dueOn: null, rule: undefined })
  assert.equal(due({ recordType: 'notification', createdOn: '2000-01-01' }, rules, '2040-01-01').due, false)
  // The rule in words and in short.
  const rule = rules.find((r) => r.recordType === 'notification')!
  assert.equal(periodOf(rule), 90)
  assert.equal(ruleInWords(rule), 'Kept for 90 days after it was sent, then deleted. One that could not be delivered goes 90 days after it was queued; one still waiting to be sent is kept.')
  assert.equal(ruleShort('days-after-final', 1), '1 day after it was sent or failed')
  assert.equal(ruleShort('days-after-final', 90), '90 days after it was sent or failed')
})

test('the UK date of an instant follows British Summer Time', () => {
  assert.equal(ukDate(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  assert.equal(ukDate(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
})

test('both authorities’ rules read in plain words', () => {
  for (const id of ['essex', 'southend']) {
    const retention = frameworkById(id)!.retention
    assert.equal(retention.graceDays.value, 7)
    const words = retention.rules.map(ruleInWords)
    assert.match(words[0]!, /youngest child’s 25th birthday, then anonymised/)
    assert.match(words.join(' '), /Kept for 6 years after the decision, then deleted/)
    assert.match(words.join(' '), /Kept for 1 year after it was made, then deleted/)
    assert.match(words.join(' '), /Kept for 90 days after it was sent, then deleted/)
  }
})
