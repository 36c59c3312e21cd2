import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { frameworkById } from '../frameworks/index.ts'
import type { Framework } from '../frameworks/schema.ts'
import { decisionNeedsReason, suggestLevel, type Level, type LevelInput } from './level-suggestion.ts'

const southend = frameworkById('southend')!
const essex = frameworkById('essex')!
/** An authority with neither local rule configured. */
const plain: Framework = { ...structuredClone(southend), id: 'plain', shortName: 'Plain', presentingIssueRule: undefined }
/** An authority with both rules: Southend's counts and Essex's Family Solutions. */
const both: Framework = { ...structuredClone(southend), id: 'both', shortName: 'Both', familySolutions: essex.familySolutions }

const domain = (id: string) => southend.indicatorDomains.find((d) => d.id === id)!
const firstIndicator = (id: string) => domain(id).indicators[0]!.id
const cited = /\(\d{3}:\d+(-\d+)?\)/

describe('Southend: distinct presenting issues', () => {
  test('indicators in three distinct domains suggest level 3, naming the domains and 3 presenting issues', () => {
    const s = suggestLevel(southend, {
      indicators: [firstIndicator('health'), domain('health').indicators[3]!.id, firstIndicator('learning'), firstIndicator('housing-work-and-income')],
      significantHarm: false,
    })
    assert.equal(s.level, 3)
    assert.equal(s.levelName, 'Complex/Intensive')
    assert.equal(s.rule, 'presenting-issues')
    assert.deepEqual(s.presentingIssues, {
      count: 3,
      domains: [
        { id: 'health', name: 'Health' },
        { id: 'learning', name: 'Learning' },
        { id: 'housing-work-and-income', name: 'Housing, work and income' },
      ],
    })
    const all = s.reasons.join('\n')
    for (const name of ['Health', 'Learning', 'Housing, work and income']) assert.ok(all.includes(name), name)
    assert.match(all, /3 presenting issues/)
    assert.match(all, /Each indicator domain counts as one presenting issue/)
    assert.match(all, /001:314-321/, 'cites the level 3 count')
    assert.match(all, /averages/, 'the seed counts are averages')
    assert.match(all, /not a decision/)
  })

  test('two indicators in one domain count once', () => {
    const health = domain('health').indicators
    const s = suggestLevel(southend, { indicators: [health[0]!.id, health[1]!.id], significantHarm: false })
    assert.equal(s.level, 2)
    assert.equal(s.presentingIssues?.count, 1)
    assert.match(s.reasons.join('\n'), /2 indicators in 1 domain make 1 presenting issue/)
    assert.match(s.reasons.join('\n'), /001:292-297/)
  })

  test('no indicators suggest level 1; one or two domains level 2', () => {
    assert.equal(suggestLevel(southend, { significantHarm: false }).level, 1)
    assert.equal(suggestLevel(southend, { indicators: [firstIndicator('health')], significantHarm: false }).level, 2)
    assert.equal(suggestLevel(southend, { indicators: [firstIndicator('health'), firstIndicator('learning')], significantHarm: false }).level, 2)
  })

  test('vulnerabilities are whom to be alert to, not presenting issues', () => {
    const s = suggestLevel(southend, { vulnerabilities: [southend.vulnerabilities[0]!.id], significantHarm: false })
    assert.equal(s.level, 1)
    assert.match(s.reasons.join('\n'), /not counted as presenting issues/)
  })

  test('more than eight presenting issues stays at level 3, with a note', () => {
    const s = suggestLevel(southend, { indicators: southend.indicatorDomains.map((d) => d.indicators[0]!.id), significantHarm: false })
    assert.equal(s.level, 3)
    assert.equal(s.presentingIssues?.count, 13)
    assert.match(s.reasons.join('\n'), /More than 8 presenting issues still suggests Level 3/)
  })

  test('significant harm is level 4 whatever the count, and says what the count alone would give', () => {
    const s = suggestLevel(southend, { indicators: [firstIndicator('health')], significantHarm: true })
    assert.equal(s.level, 4)
    assert.equal(s.levelName, 'Statutory')
    assert.equal(s.rule, 'significant-harm')
    assert.match(s.reasons.join('\n'), /001:331-353/)
    assert.match(s.reasons.join('\n'), /would suggest Level 2/)
  })

  test('ids the framework does not list are reported, not counted', () => {
    const s = suggestLevel(southend, { indicators: ['no-such-indicator', firstIndicator('health')], difficulties: ['domestic-abuse'], significantHarm: false })
    assert.equal(s.level, 2)
    assert.deepEqual(s.ignored, ['no-such-indicator', 'domestic-abuse'])
    assert.equal(s.eligibility, undefined, 'Southend has no Family Solutions')
  })
})

describe('Essex: Family Solutions and the windscreen', () => {
  test('two difficulties suggest level 3 and are eligible', () => {
    const s = suggestLevel(essex, { difficulties: ['domestic-abuse', 'no-member-in-work'], significantHarm: false })
    assert.equal(s.level, 3)
    assert.equal(s.levelName, 'Intensive')
    assert.equal(s.rule, 'family-solutions')
    assert.deepEqual(s.eligibility?.familySolutions, {
      eligible: true,
      count: 2,
      needed: 2,
      difficulties: ['Families affected by domestic abuse', 'Families with no member in work'],
    })
    const all = s.reasons.join('\n')
    assert.match(all, /004:128-138/)
    assert.match(all, /Team Around the Family/, 'quotes the windscreen level 3 description')
    assert.match(all, /004:52-58/)
  })

  test('one difficulty suggests level 2 and is not eligible', () => {
    const s = suggestLevel(essex, { difficulties: ['domestic-abuse'], significantHarm: false })
    assert.equal(s.level, 2)
    assert.equal(s.levelName, 'Additional')
    assert.deepEqual(s.eligibility?.familySolutions, { eligible: false, count: 1, needed: 2, difficulties: ['Families affected by domestic abuse'] })
    assert.match(s.reasons.join('\n'), /does not meet the criteria/)
    assert.match(s.reasons.join('\n'), /004:44-50/)
  })

  test('a vulnerability alone suggests level 2; nothing suggests level 1', () => {
    assert.equal(suggestLevel(essex, { vulnerabilities: [essex.vulnerabilities[0]!.id], significantHarm: false }).level, 2)
    const none = suggestLevel(essex, { significantHarm: false })
    assert.equal(none.level, 1)
    assert.match(none.reasons.join('\n'), /004:40-42/)
    assert.deepEqual(none.eligibility?.familySolutions, { eligible: false, count: 0, needed: 2, difficulties: [] })
  })

  test('significant harm suggests level 4, quoting the windscreen, with eligibility still shown', () => {
    const s = suggestLevel(essex, { difficulties: ['domestic-abuse', 'drug-and-alcohol-misuse'], significantHarm: true })
    assert.equal(s.level, 4)
    assert.equal(s.levelName, 'Specialist')
    assert.match(s.reasons.join('\n'), /004:60-68/)
    assert.equal(s.eligibility?.familySolutions.eligible, true)
  })

  test('a repeated difficulty counts once', () => {
    assert.equal(suggestLevel(essex, { difficulties: ['domestic-abuse', 'domestic-abuse'], significantHarm: false }).level, 2)
  })
})

describe('no local rule', () => {
  test('falls back to: harm 4, any need 2, else 1, and says no rule is configured', () => {
    const none = suggestLevel(plain, { significantHarm: false })
    assert.equal(none.level, 1)
    assert.equal(none.rule, 'no-local-rule')
    assert.match(none.reasons[0]!, /No local rule for suggesting a level is configured for Plain/)
    const many = suggestLevel(plain, { indicators: plain.indicatorDomains.map((d) => d.indicators[0]!.id), significantHarm: false })
    assert.equal(many.level, 2)
    assert.equal(suggestLevel(plain, { significantHarm: true }).level, 4)
  })

  test('with both rules, the higher suggestion wins', () => {
    const s = suggestLevel(both, { indicators: [firstIndicator('health')], difficulties: ['domestic-abuse', 'no-member-in-work'], significantHarm: false })
    assert.equal(s.level, 3)
    assert.equal(s.rule, 'family-solutions')
    assert.equal(s.presentingIssues?.count, 1)
  })
})

test('decisionNeedsReason: a decision that differs from the suggestion needs a reason', () => {
  const s = suggestLevel(essex, { difficulties: ['domestic-abuse'], significantHarm: false })
  assert.equal(decisionNeedsReason(s, 2), false)
  assert.equal(decisionNeedsReason(s, 3), true)
  assert.equal(decisionNeedsReason(1, 1), false)
  assert.equal(decisionNeedsReason(4, 1), true)
})

// ---------------------------------------------------------------------------------------------
// Properties, over every kind of framework.

const frameworks = [southend, essex, plain, both]
const ids = (f: Framework) => ({
  indicators: f.indicatorDomains.flatMap((d) => d.indicators.map((i) => i.id)),
  vulnerabilities: f.vulnerabilities.map((v) => v.id),
  difficulties: (f.familySolutions?.difficulties ?? []).map((d) => d.id),
})
const someOf = (list: string[]) => (list.length ? fc.subarray(list) : fc.constant<string[]>([]))
const caseFor = (f: Framework) => {
  const all = ids(f)
  return fc.record({
    framework: fc.constant(f),
    input: fc.record({
      indicators: someOf(all.indicators),
      vulnerabilities: someOf(all.vulnerabilities),
      difficulties: someOf(all.difficulties),
      significantHarm: fc.boolean(),
    }),
    extra: fc.constantFrom(
      ...(['indicators', 'vulnerabilities', 'difficulties'] as const).flatMap((kind) => all[kind].map((id) => [kind, id] as const)),
    ),
  })
}
const anyCase = fc.oneof(...frameworks.map(caseFor))

describe('suggestLevel: properties', () => {
  test('adding an indicator, vulnerability or difficulty never lowers the suggested level', () => {
    fc.assert(
      fc.property(anyCase, ({ framework, input, extra: [kind, id] }) => {
        const before = suggestLevel(framework, input).level
        const after = suggestLevel(framework, { ...input, [kind]: [...input[kind], id] }).level
        assert.ok(after >= before, `${framework.id}: adding ${kind} ${id} went from ${before} to ${after}`)
      }),
    )
  })

  test('significant harm is always level 4', () => {
    fc.assert(
      fc.property(anyCase, ({ framework, input }) => {
        const s = suggestLevel(framework, { ...input, significantHarm: true })
        assert.equal(s.level, 4)
        assert.equal(s.rule, 'significant-harm')
      }),
    )
  })

  test('the level and its name come from the framework, and every suggestion cites a seed', () => {
    fc.assert(
      fc.property(anyCase, ({ framework, input }) => {
        const s = suggestLevel(framework, input)
        assert.ok([1, 2, 3, 4].includes(s.level))
        assert.equal(s.levelName, framework.levels.find((l) => l.level === s.level)!.name)
        assert.ok(s.reasons.length > 0 && s.reasons.every((r) => r.trim().length > 0))
        assert.ok(s.reasons.some((r) => cited.test(r)))
        assert.deepEqual(s.ignored, [])
      }),
    )
  })

  test('Southend: the level follows the count of distinct domains', () => {
    fc.assert(
      fc.property(caseFor(southend), ({ input }) => {
        const s = suggestLevel(southend, { ...input, significantHarm: false })
        const domains = new Set(input.indicators.map((id) => southend.indicatorDomains.find((d) => d.indicators.some((i) => i.id === id))!.id))
        const expected: Level = domains.size === 0 ? 1 : domains.size <= 2 ? 2 : 3
        assert.equal(s.level, expected)
        assert.equal(s.presentingIssues?.count, domains.size)
      }),
    )
  })

  test('Essex: level 3 exactly when eligible for Family Solutions, which is two or more difficulties', () => {
    fc.assert(
      fc.property(caseFor(essex), ({ input }) => {
        const s = suggestLevel(essex, { ...input, significantHarm: false })
        const fs = s.eligibility!.familySolutions
        assert.equal(fs.count, input.difficulties.length)
        assert.equal(fs.eligible, input.difficulties.length >= 2)
        assert.equal(s.level === 3, fs.eligible)
        const anyNeed = input.difficulties.length + input.vulnerabilities.length > 0
        assert.equal(s.level === 1, !anyNeed)
      }),
    )
  })

  test('unknown and repeated ids change nothing but the ignored list', () => {
    fc.assert(
      fc.property(anyCase, fc.array(fc.string({ minLength: 1 }).map((x) => `unknown-${x}`), { maxLength: 3 }), ({ framework, input }, junk) => {
        const plainInput: LevelInput = input
        const noisy = { ...input, indicators: [...input.indicators, ...input.indicators, ...junk] }
        const a = suggestLevel(framework, plainInput)
        const b = suggestLevel(framework, noisy)
        assert.equal(b.level, a.level)
        assert.deepEqual(b.ignored, [...new Set(junk)])
      }),
    )
  })

  test('decisionNeedsReason is true exactly when the levels differ', () => {
    fc.assert(
      fc.property(anyCase, fc.constantFrom<Level>(1, 2, 3, 4), ({ framework, input }, decided) => {
        const s = suggestLevel(framework, input)
        assert.equal(decisionNeedsReason(s, decided), s.level !== decided)
      }),
    )
  })
})
