import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkCitations, frameworkById, getFrameworks, loadFrameworks, parseFramework } from './index.ts'
import { CLOCK_UNITS, frameworkSchema, type Framework } from './schema.ts'
import { addTimescale, TIMESCALE_UNITS } from '../domain/working-calendar.ts'

const here = new URL('.', import.meta.url)
const seedsDir = new URL('../../../shared/seeds/', import.meta.url)

function raw(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${id}.json`, here), 'utf8')) as Record<string, unknown>
}

function issuesOf(data: unknown): string[] {
  const result = frameworkSchema.safeParse(data)
  assert.equal(result.success, false, 'expected the schema to reject the document')
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'frameworks-'))
  try {
    fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('both authorities load and validate', () => {
  const all = loadFrameworks()
  assert.deepEqual(all.map((f) => f.id).sort(), ['essex', 'southend'])
  for (const f of all) {
    assert.deepEqual(f.levels.map((l) => l.level).sort(), [1, 2, 3, 4])
    assert.deepEqual(
      f.triageOutcomes.map((t) => t.id).sort(),
      ['emerging-needs', 'intensive-support', 'safeguarding', 'universal-signposting'],
    )
    assert.ok(f.localities.length >= 1)
    assert.equal(f.workingCalendar.source, 'local configuration')
  }
  assert.equal(frameworkById('essex')?.frontDoor.name, 'Children & Families Hub')
  assert.equal(frameworkById('southend')?.shortName, 'Southend')
  assert.equal(frameworkById('thurrock'), undefined)
  assert.equal(getFrameworks(), getFrameworks(), 'cached load')
})

test('Southend has 13 Level 2 indicator domains', () => {
  const southend = frameworkById('southend')!
  assert.equal(southend.indicatorDomains.length, 13)
  assert.ok(southend.indicatorDomains.every((d) => d.level === 2 && d.indicators.length > 0))
  assert.deepEqual(southend.presentingIssueRule?.level2, {
    min: 1,
    max: 2,
    text: 'Average of 1-2 presenting issues and additional support required',
    source: '001:292-297',
  })
  assert.equal(southend.presentingIssueRule?.level3.min, 3)
  assert.equal(southend.presentingIssueRule?.level3.max, 8)
  assert.deepEqual(
    { ...southend.timescales.acknowledgeWithin, note: undefined },
    { value: 1, unit: 'working-days', stated: 'within 24 hours', source: '001:358', note: undefined },
  )
  assert.deepEqual(
    { ...southend.timescales.decisionWithin, note: undefined },
    { value: 2, unit: 'working-days', stated: 'within 48 hours', source: '001:370', note: undefined },
  )
  assert.equal(southend.familySolutions, undefined)
})

test('Essex Family Solutions: exactly nine difficulties, threshold of two, up to a year', () => {
  const essex = frameworkById('essex')!
  const fs = essex.familySolutions
  assert.ok(fs)
  assert.equal(fs.difficulties.length, 9)
  assert.equal(fs.minimumDifficulties, 2)
  assert.equal(fs.maximumDurationMonths, 12)
  assert.equal(essex.presentingIssueRule, undefined)
  assert.deepEqual(essex.indicatorDomains, [], 'the Essex indicator booklet is not in the seeds')
  assert.match(essex.notes ?? '', /not among the seeds/)
  assert.deepEqual(
    essex.localities.map((l) => l.name),
    ['North East', 'West', 'Mid', 'South'],
  )
  assert.equal(essex.frontDoor.priorityLine.phone, '0345 6037627')
})

test('every citation points at real, non-empty seed lines', (t) => {
  if (!existsSync(fileURLToPath(seedsDir))) {
    t.skip('seeds folder not present')
    return
  }
  for (const f of loadFrameworks()) {
    assert.deepEqual(checkCitations(f, seedsDir), [], `${f.id} citations`)
  }
})

test('checkCitations reports ranges beyond the file and empty lines', (t) => {
  if (!existsSync(fileURLToPath(seedsDir))) {
    t.skip('seeds folder not present')
    return
  }
  const f = structuredClone(frameworkById('southend')!) as Framework
  f.levels[0]!.source = '004:150-9999'
  f.localities[0]!.source = '003:1-2' // the file opens with two blank lines
  const problems = checkCitations(f, seedsDir)
  assert.equal(problems.length, 2, problems.join('\n'))
  assert.match(problems[0]!, /levels\[0\]\.source "004:150-9999": beyond the end of 004_/)
  assert.match(problems[1]!, /localities\[0\]\.source "003:1-2": cited lines .* are empty/)
})

test('schema rejects a missing level', () => {
  const doc = raw('essex')
  doc.levels = (doc.levels as { level: number }[]).filter((l) => l.level !== 3)
  const issues = issuesOf(doc)
  assert.ok(
    issues.some((i) => i.startsWith('levels: ') && i.includes('missing 3')),
    issues.join('\n'),
  )
})

test('schema rejects a bad citation', () => {
  const doc = raw('southend')
  const domains = doc.indicatorDomains as { indicators: { source: string }[] }[]
  domains[0]!.indicators[1]!.source = '005:12'
  const issues = issuesOf(doc)
  assert.ok(
    issues.some((i) => i.startsWith('indicatorDomains.0.indicators.1.source: ') && i.includes('must cite a seed')),
    issues.join('\n'),
  )

  const doc2 = raw('southend')
  ;(doc2.levels as { source: string }[])[0]!.source = 'local configuration'
  assert.ok(issuesOf(doc2).some((i) => i.startsWith('levels.0.source')), 'rules may not use "local configuration"')

  const doc3 = raw('southend')
  ;(doc3.levels as { source: string }[])[0]!.source = '001:300-250'
  assert.ok(issuesOf(doc3).some((i) => i.startsWith('levels.0.source')), 'reversed range')
})

test('schema rejects duplicate and non-kebab ids', () => {
  const doc = raw('essex')
  const vulns = doc.vulnerabilities as { id: string }[]
  vulns[3]!.id = vulns[0]!.id
  const issues = issuesOf(doc)
  assert.ok(
    issues.some((i) => i.startsWith('vulnerabilities.3.id: ') && i.includes(`duplicate id "${vulns[0]!.id}"`)),
    issues.join('\n'),
  )

  const doc2 = raw('southend')
  ;(doc2.localities as { id: string }[])[0]!.id = 'Southend_City'
  assert.ok(issuesOf(doc2).some((i) => i.startsWith('localities.0.id: ') && i.includes('kebab-case')))
})

test('loadFrameworks throws naming the file and the issue path', () => {
  withTempDir((dir) => {
    const doc = raw('southend')
    doc.id = 'broken'
    ;(doc.frontDoor as { priorityLine: { source: string } }).priorityLine.source = 'somewhere'
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(doc))
    assert.throws(
      () => loadFrameworks(dir),
      (err: Error) => err.message.includes('broken.json') && err.message.includes('frontDoor.priorityLine.source'),
    )
  })
  withTempDir((dir) => {
    writeFileSync(join(dir, 'bad.json'), '{ not json')
    assert.throws(() => loadFrameworks(dir), /bad\.json: not valid JSON/)
  })
  assert.throws(() => parseFramework({ id: 'x' }, 'x.json'), /Invalid framework file x\.json:\n {2}- name: /)
})

test('a third authority is added by dropping in a JSON file', () => {
  withTempDir((dir) => {
    for (const id of ['essex', 'southend']) writeFileSync(join(dir, `${id}.json`), JSON.stringify(raw(id)))
    const third = raw('southend')
    third.id = 'example-council'
    third.name = 'Example Borough Council'
    third.shortName = 'Example'
    third.serviceName = 'Example Early Help'
    writeFileSync(join(dir, 'example-council.json'), JSON.stringify(third, null, 2))
    writeFileSync(join(dir, 'README.txt'), 'not a framework')

    const loaded = loadFrameworks(dir)
    assert.deepEqual(
      loaded.map((f) => f.id),
      ['essex', 'example-council', 'southend'],
    )
    assert.equal(loaded.find((f) => f.id === 'example-council')?.serviceName, 'Example Early Help')

    // The file name must match the id, so the tenant id is obvious from the folder.
    writeFileSync(join(dir, 'mismatch.json'), JSON.stringify({ ...third, id: 'other-council' }))
    assert.throws(() => loadFrameworks(dir), /mismatch\.json[\s\S]*does not match the file name/)
  })
})

test('both authorities have acknowledgement and decision clocks, in explicit units', () => {
  for (const f of loadFrameworks()) {
    const { acknowledgeWithin: ack, decisionWithin: decision } = f.timescales
    assert.ok(ack && decision, `${f.id} has both clocks`)
    assert.equal(ack.unit, 'working-days')
    assert.equal(decision.unit, 'working-days')
    assert.ok(ack.note && decision.note, `${f.id}: the reading of each clock is explained`)
  }
  const essex = frameworkById('essex')!
  assert.equal(essex.timescales.acknowledgeWithin?.source, 'local configuration', 'the Essex seeds give no timescales')
  assert.equal(essex.timescales.decisionWithin?.source, 'local configuration')
})

test('the clocks run on the working calendar: Friday 15:30 before the August bank holiday', () => {
  const friday = new Date('2025-08-22T14:30:00Z') // 15:30 BST
  for (const f of loadFrameworks()) {
    const { acknowledgeWithin: ack, decisionWithin: decision } = f.timescales
    assert.equal(addTimescale(f.workingCalendar, friday, ack!).toISOString(), '2025-08-26T14:30:00.000Z', `${f.id} acknowledge`)
    assert.equal(addTimescale(f.workingCalendar, friday, decision!).toISOString(), '2025-08-27T14:30:00.000Z', `${f.id} decision`)
  }
})

test('schema clock units are the units the working calendar counts', () => {
  assert.deepEqual([...CLOCK_UNITS], [...TIMESCALE_UNITS])
})

test('schema rejects a clock without a unit, or in an unknown unit', () => {
  const doc = raw('southend')
  const timescales = doc.timescales as Record<string, Record<string, unknown>>
  delete timescales.acknowledgeWithin!.unit
  assert.ok(issuesOf(doc).some((i) => i.startsWith('timescales.acknowledgeWithin.unit: ')))

  const doc2 = raw('southend')
  ;(doc2.timescales as Record<string, Record<string, unknown>>).decisionWithin!.unit = 'fortnights'
  assert.ok(issuesOf(doc2).some((i) => i.startsWith('timescales.decisionWithin.unit: ') && i.includes('working-days')))
})

test('each authority states how long every type of record is kept, as local configuration with a note', () => {
  for (const f of loadFrameworks()) {
    const byType = Object.fromEntries(f.retention.rules.map((r) => [r.recordType, r]))
    const period = (type: string) => {
      const rule = byType[type]!
      return rule.rule === 'days-after-final' ? { days: rule.days } : { years: rule.years }
    }
    assert.deepEqual(Object.keys(byType).sort(), ['consultation', 'draft-request', 'involvement', 'notification', 'request-not-progressed'])
    assert.deepEqual([byType.involvement!.rule, byType.involvement!.action], ['youngest-child-25', 'anonymise'])
    assert.deepEqual([byType['request-not-progressed']!.rule, period('request-not-progressed'), byType['request-not-progressed']!.action], ['years-after-decision', { years: 6 }, 'delete'])
    assert.deepEqual([period('consultation'), period('draft-request')], [{ years: 6 }, { years: 1 }])
    // Emails sent: the council's own data-minimisation choice for delivery records.
    assert.deepEqual([byType.notification!.rule, period('notification'), byType.notification!.action], ['days-after-final', { days: 90 }, 'delete'])
    assert.match(byType.notification!.note ?? '', /data-minimisation choice for delivery records/)
    assert.ok(f.retention.rules.every((r) => r.source === 'local configuration' && r.note), `${f.id}: the seeds state no periods, so each says so`)
    assert.equal(f.retention.graceDays.value, 7)
  }
})

test('schema rejects retention rules that are missing, repeated, or that cannot apply to their record type', () => {
  const missing = raw('essex')
  const retention = missing.retention as { rules: Record<string, unknown>[] }
  retention.rules = retention.rules.filter((r) => r.recordType !== 'consultation')
  assert.ok(issuesOf(missing).some((i) => i.startsWith('retention.rules: ') && i.includes('consultation (found 0)')))

  const repeated = raw('essex')
  const rules = (repeated.retention as { rules: Record<string, unknown>[] }).rules
  rules.push({ ...rules[0] })
  assert.ok(issuesOf(repeated).some((i) => i.includes('involvement (found 2)')))

  const wrongRule = raw('essex')
  ;(wrongRule.retention as { rules: Record<string, unknown>[] }).rules.find((r) => r.recordType === 'consultation')!.rule = 'youngest-child-25'
  assert.ok(issuesOf(wrongRule).some((i) => i.includes('cannot apply to consultation')))

  const anonymiseRequest = raw('essex')
  ;(anonymiseRequest.retention as { rules: Record<string, unknown>[] }).rules.find((r) => r.recordType === 'draft-request')!.action = 'anonymise'
  assert.ok(issuesOf(anonymiseRequest).some((i) => i.includes('only an involvement can be anonymised')))

  const noSource = raw('southend')
  delete (noSource.retention as { rules: Record<string, unknown>[] }).rules[0]!.source
  assert.ok(issuesOf(noSource).some((i) => i.startsWith('retention.rules.0.source: ')))

  const noGrace = raw('southend')
  delete (noGrace.retention as Record<string, unknown>).graceDays
  assert.ok(issuesOf(noGrace).some((i) => i.startsWith('retention.graceDays: ')))
})

test('schema: emails sent are kept a number of days after they became final, and only they count in days', () => {
  const notificationRule = (doc: Record<string, unknown>) => (doc.retention as { rules: Record<string, unknown>[] }).rules.find((r) => r.recordType === 'notification')!

  const noRule = raw('essex')
  const retention = noRule.retention as { rules: Record<string, unknown>[] }
  retention.rules = retention.rules.filter((r) => r.recordType !== 'notification')
  assert.ok(issuesOf(noRule).some((i) => i === 'retention.rules: retention must have exactly one rule for notification (found 0)'))

  const inYears = raw('essex')
  delete notificationRule(inYears).days
  notificationRule(inYears).years = 1
  assert.ok(issuesOf(inYears).some((i) => i === 'retention.rules.4: rule "days-after-final" counts in days: give "days", not "years"'))

  for (const days of [0, 3651, 1.5, '90']) {
    const wrong = raw('southend')
    notificationRule(wrong).days = days
    assert.deepEqual(issuesOf(wrong), ['retention.rules.4.days: days must be a whole number from 1 to 3650'], `days ${String(days)}`)
  }

  const yearsRule = raw('essex')
  notificationRule(yearsRule).rule = 'years-after-created'
  assert.ok(issuesOf(yearsRule).some((i) => i === 'retention.rules.4: rule "years-after-created" counts in years: give "years", not "days"'))
  delete notificationRule(yearsRule).days
  notificationRule(yearsRule).years = 1
  assert.ok(issuesOf(yearsRule).some((i) => i.includes('cannot apply to notification: use one of days-after-final')))

  const daysElsewhere = raw('essex')
  const draft = (daysElsewhere.retention as { rules: Record<string, unknown>[] }).rules.find((r) => r.recordType === 'draft-request')!
  draft.days = 30
  assert.ok(issuesOf(daysElsewhere).some((i) => i === 'retention.rules.3: rule "years-after-created" counts in years: give "years", not "days"'))

  const unknownRule = raw('essex')
  notificationRule(unknownRule).rule = 'weeks-after-sent'
  assert.ok(issuesOf(unknownRule).some((i) => i.startsWith('retention.rules.4.rule: rule must be one of ') && i.includes('days-after-final')))

  const anonymised = raw('essex')
  notificationRule(anonymised).action = 'anonymise'
  assert.ok(issuesOf(anonymised).some((i) => i.includes('only an involvement can be anonymised')))
})
