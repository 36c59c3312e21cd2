/**
 * Suggests a level of need (1-4) for a request from what the referrer selected, by the rule the
 * authority's framework configures, and explains the suggestion in sentences a duty manager can
 * check against the seeds. The rule is chosen by the data, never by the authority's name:
 *
 * - `presentingIssueRule` (Southend, 001:247-321): count the distinct presenting issues, as
 *   distinct indicator domains, against the framework's bands;
 * - `familySolutions` (Essex, 004:128-138): two or more of the listed difficulties suggest
 *   Level 3 (Family Solutions); one, or any other need, Level 2;
 * - neither: any need suggests Level 2, none Level 1.
 *
 * Significant harm always suggests Level 4. Where a framework has both rules, the higher
 * suggestion wins. Indicators are a guide, not a pre-determined response (003:285-287): the
 * suggestion never decides; a person does, and records why when they differ.
 */
import type { Framework } from '../frameworks/schema.ts'

export type Level = 1 | 2 | 3 | 4

/** The parts of a framework the rule reads. */
export type LevelFramework = Pick<
  Framework,
  'shortName' | 'levels' | 'indicatorDomains' | 'vulnerabilities' | 'familySolutions' | 'presentingIssueRule' | 'triageOutcomes'
>

export interface LevelInput {
  /** Indicator ids from `framework.indicatorDomains[].indicators`. */
  indicators?: readonly string[]
  /** Vulnerability ids from `framework.vulnerabilities`. */
  vulnerabilities?: readonly string[]
  /** Family Solutions difficulty ids from `framework.familySolutions.difficulties`. */
  difficulties?: readonly string[]
  /** The child has suffered, or is likely to suffer, significant harm. */
  significantHarm: boolean
}

export const LEVEL_RULES = ['significant-harm', 'presenting-issues', 'family-solutions', 'no-local-rule'] as const
export type LevelRule = (typeof LEVEL_RULES)[number]

export interface FamilySolutionsEligibility {
  eligible: boolean
  /** How many of the listed difficulties are present. */
  count: number
  /** How many are needed (the framework's minimum). */
  needed: number
  /** The text of each difficulty present. */
  difficulties: string[]
}

export interface LevelSuggestion {
  level: Level
  levelName: string
  /** The rule that gave the level. */
  rule: LevelRule
  /** Sentences a duty manager can check, each citing its seed lines. */
  reasons: string[]
  /** Presenting issues counted (presenting-issue frameworks only). */
  presentingIssues?: { count: number; domains: { id: string; name: string }[] }
  eligibility?: { familySolutions: FamilySolutionsEligibility }
  /** Selected ids this framework does not know (a changed framework, say): not counted. */
  ignored: string[]
}

interface RuleResult {
  level: Level
  rule: LevelRule
  reasons: string[]
}

const toLevel = (n: number): Level => Math.min(4, Math.max(1, Math.round(n))) as Level
const quote = (text: string) => `“${text.trim()}”`
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function levelOf(framework: LevelFramework, level: Level) {
  const found = framework.levels.find((l) => l.level === level)
  if (found === undefined) throw new Error(`Framework ${framework.shortName} has no level ${level}`)
  return found
}

/** "Level 3 – Complex/Intensive". */
function levelTitle(framework: LevelFramework, level: Level): string {
  return `Level ${level} – ${levelOf(framework, level).name}`
}

/** A sentence quoting the framework's description of a level, with its citation. */
function levelDescription(framework: LevelFramework, level: Level): string {
  const l = levelOf(framework, level)
  return `${levelTitle(framework, level)}: ${quote(l.description)} (${l.source}).`
}

// ---------------------------------------------------------------------------------------------

interface Selection {
  domains: { id: string; name: string; level: number; source: string; indicators: string[] }[]
  indicatorCount: number
  vulnerabilities: { text: string; source: string }[]
  difficulties: { text: string; source: string }[]
  ignored: string[]
}

function select(framework: LevelFramework, input: LevelInput): Selection {
  const ignored: string[] = []
  const wanted = new Set(input.indicators ?? [])
  const domains: Selection['domains'] = []
  const known = new Set<string>()
  for (const d of framework.indicatorDomains) {
    const picked = d.indicators.filter((i) => wanted.has(i.id))
    picked.forEach((i) => known.add(i.id))
    if (picked.length > 0) domains.push({ id: d.id, name: d.name, level: d.level, source: d.source, indicators: picked.map((i) => i.text) })
  }
  for (const id of wanted) if (!known.has(id)) ignored.push(id)

  const pick = <T extends { id: string }>(ids: readonly string[] | undefined, from: readonly T[]): T[] => {
    const out: T[] = []
    for (const id of new Set(ids ?? [])) {
      const found = from.find((x) => x.id === id)
      if (found === undefined) ignored.push(id)
      else out.push(found)
    }
    return out
  }
  const vulnerabilities = pick(input.vulnerabilities, framework.vulnerabilities)
  const difficulties = pick(input.difficulties, framework.familySolutions?.difficulties ?? [])
  return { domains, indicatorCount: known.size, vulnerabilities, difficulties, ignored }
}

function indicatorSentence(sel: Selection): string {
  const parts = sel.domains.map((d) => `${d.name} (${d.indicators.join('; ')}) (${d.source})`)
  return `Indicators selected in ${plural(sel.domains.length, 'domain')}: ${parts.join('; ')}.`
}

function vulnerabilitySentence(sel: Selection, counted: boolean): string {
  const items = sel.vulnerabilities.map((v) => `${v.text} (${v.source})`).join('; ')
  return counted
    ? `Vulnerabilities selected: ${items}.`
    : `Vulnerabilities selected, which say whom to be alert to and are not counted as presenting issues: ${items}.`
}

/** A need from indicators raises the level at least to the level of the indicator's domain. */
function domainFloor(sel: Selection): Level | undefined {
  if (sel.domains.length === 0) return undefined
  return toLevel(Math.max(...sel.domains.map((d) => d.level)))
}

// ---------------------------------------------------------------------------------------------
// The rules.

function presentingIssues(framework: LevelFramework, sel: Selection): RuleResult | undefined {
  const rule = framework.presentingIssueRule
  if (rule === undefined) return undefined
  const count = sel.domains.length
  const reasons: string[] = []
  if (count > 0) {
    reasons.push(indicatorSentence(sel))
    reasons.push(
      `Each indicator domain counts as one presenting issue, so several indicators in the same domain count once: ${plural(sel.indicatorCount, 'indicator')} in ${plural(count, 'domain')} make ${plural(count, 'presenting issue')}.`,
    )
  } else {
    reasons.push('No indicators of need are selected: 0 presenting issues.')
  }
  if (sel.vulnerabilities.length > 0) reasons.push(vulnerabilitySentence(sel, false))

  const band = (b: typeof rule.level2) => (b.min === b.max ? `${b.min}` : `${b.min}-${b.max}`)
  const bandText = (b: typeof rule.level2, fallback: string) => (b.text ? `${quote(b.text)} (${b.source ?? rule.source})` : `${fallback} (${b.source ?? rule.source})`)
  let level: Level
  if (count === 0) {
    level = 1
    reasons.push(levelDescription(framework, 1))
  } else if (count >= rule.level3.min) {
    level = 3
    reasons.push(
      `${plural(count, 'presenting issue')} ${count <= rule.level3.max ? 'is in the range' : 'is more than the range'} for ${levelTitle(framework, 3)}: ${bandText(rule.level3, `${band(rule.level3)} presenting issues`)}.`,
    )
    if (count > rule.level3.max) {
      reasons.push(
        `More than ${rule.level3.max} presenting issues still suggests Level 3: only significant harm suggests ${levelTitle(framework, 4)}, so check whether any of the worries amount to significant harm.`,
      )
    }
  } else {
    level = 2
    const inBand = count >= rule.level2.min && count <= rule.level2.max
    reasons.push(
      inBand
        ? `${plural(count, 'presenting issue')} is in the range for ${levelTitle(framework, 2)}: ${bandText(rule.level2, `${band(rule.level2)} presenting issues`)}.`
        : `${plural(count, 'presenting issue')} is outside the ${band(rule.level2)} range for ${levelTitle(framework, 2)} and below the ${band(rule.level3)} range for Level 3, so the lower level is suggested (${rule.source}).`,
    )
  }
  const floor = domainFloor(sel)
  if (floor !== undefined && floor > level) {
    reasons.push(`An indicator is from a domain at Level ${floor}, so ${levelTitle(framework, floor)} is suggested.`)
    level = floor
  }
  reasons.push(
    rule.isAverage
      ? `The counts of presenting issues are averages, a guide and not a threshold${rule.guidance ? `: ${quote(rule.guidance.text)} (${rule.guidance.source})` : ` (${rule.source})`}.`
      : `The counts of presenting issues are a guide${rule.guidance ? `: ${quote(rule.guidance.text)} (${rule.guidance.source})` : ` (${rule.source})`}.`,
  )
  return { level, rule: 'presenting-issues', reasons }
}

function familySolutionsEligibility(framework: LevelFramework, sel: Selection): FamilySolutionsEligibility | undefined {
  const fs = framework.familySolutions
  if (fs === undefined) return undefined
  const count = sel.difficulties.length
  return { eligible: count >= fs.minimumDifficulties, count, needed: fs.minimumDifficulties, difficulties: sel.difficulties.map((d) => d.text) }
}

function familySolutions(framework: LevelFramework, sel: Selection): RuleResult | undefined {
  const fs = framework.familySolutions
  const eligibility = familySolutionsEligibility(framework, sel)
  if (fs === undefined || eligibility === undefined) return undefined
  const reasons: string[] = []
  const total = fs.difficulties.length
  const criterion = `${fs.name} works with families who have ${fs.minimumDifficulties} or more of the ${total} difficulties, for up to ${plural(fs.maximumDurationMonths, 'month')} (${fs.source})`
  if (eligibility.count > 0) {
    reasons.push(
      `${eligibility.count} of the ${total} ${fs.name} difficulties ${eligibility.count === 1 ? 'is' : 'are'} present: ${sel.difficulties.map((d) => `${d.text} (${d.source})`).join('; ')}.`,
    )
  }
  reasons.push(
    eligibility.eligible
      ? `${criterion}: the family meets the criteria.`
      : `${criterion}: with ${eligibility.count} the family does not meet the criteria.`,
  )
  if (sel.domains.length > 0) reasons.push(indicatorSentence(sel))
  if (sel.vulnerabilities.length > 0) reasons.push(vulnerabilitySentence(sel, true))

  let level: Level
  if (eligibility.eligible) level = 3
  else if (eligibility.count > 0 || sel.domains.length > 0 || sel.vulnerabilities.length > 0) {
    level = 2
    reasons.push(`A need short of the ${fs.name} criteria (one difficulty, or any indicator or vulnerability) suggests ${levelTitle(framework, 2)}.`)
  } else {
    level = 1
    reasons.push('No indicators, vulnerabilities or difficulties are selected.')
  }
  const floor = domainFloor(sel)
  if (floor !== undefined && floor > level) {
    reasons.push(`An indicator is from a domain at Level ${floor}.`)
    level = floor
  }
  reasons.push(levelDescription(framework, level))
  return { level, rule: 'family-solutions', reasons }
}

function noLocalRule(framework: LevelFramework, sel: Selection): RuleResult {
  const reasons = [
    `No local rule for suggesting a level is configured for ${framework.shortName} (neither counts of presenting issues nor Family Solutions criteria), so any need suggests Level 2 and none Level 1.`,
  ]
  if (sel.domains.length > 0) reasons.push(indicatorSentence(sel))
  if (sel.vulnerabilities.length > 0) reasons.push(vulnerabilitySentence(sel, true))
  let level: Level = sel.domains.length > 0 || sel.vulnerabilities.length > 0 || sel.difficulties.length > 0 ? 2 : 1
  const floor = domainFloor(sel)
  if (floor !== undefined && floor > level) {
    reasons.push(`An indicator is from a domain at Level ${floor}.`)
    level = floor
  }
  reasons.push(levelDescription(framework, level))
  return { level, rule: 'no-local-rule', reasons }
}

// ---------------------------------------------------------------------------------------------

/**
 * The level the framework's rule suggests for what was selected, with the reasons. A duty
 * manager decides; see `decisionNeedsReason`.
 */
export function suggestLevel(framework: LevelFramework, input: LevelInput): LevelSuggestion {
  const sel = select(framework, input)
  const results = [presentingIssues(framework, sel), familySolutions(framework, sel)].filter((r): r is RuleResult => r !== undefined)
  if (results.length === 0) results.push(noLocalRule(framework, sel))
  // The highest suggestion wins; on a tie, the first configured rule.
  const best = results.reduce((a, b) => (b.level > a.level ? b : a))

  let level = best.level
  let rule = best.rule
  const reasons: string[] = []
  if (input.significantHarm) {
    level = 4
    rule = 'significant-harm'
    reasons.push(`The child has suffered or is likely to suffer significant harm, which always suggests ${levelTitle(framework, 4)}.`)
    reasons.push(levelDescription(framework, 4))
    const safeguarding = framework.triageOutcomes.find((t) => t.level === 4)
    if (safeguarding !== undefined) reasons.push(`Triage outcome ${quote(safeguarding.name)}: ${quote(safeguarding.description)} (${safeguarding.source}).`)
    reasons.push(`Without the significant harm, the ${best.rule === 'no-local-rule' ? 'default' : 'local'} rule would suggest ${levelTitle(framework, best.level)}, for the reasons that follow.`)
  }
  for (const r of results) reasons.push(...r.reasons)
  if (sel.ignored.length > 0) {
    reasons.push(`Not counted, as ${framework.shortName}'s framework does not list them: ${sel.ignored.join(', ')}.`)
  }
  reasons.push('This is a suggestion to check, not a decision: the duty manager decides the level and records why when it differs.')

  const fsEligibility = familySolutionsEligibility(framework, sel)
  const suggestion: LevelSuggestion = { level, levelName: levelOf(framework, level).name, rule, reasons, ignored: sel.ignored }
  if (framework.presentingIssueRule !== undefined) {
    suggestion.presentingIssues = { count: sel.domains.length, domains: sel.domains.map(({ id, name }) => ({ id, name })) }
  }
  if (fsEligibility !== undefined) suggestion.eligibility = { familySolutions: fsEligibility }
  return suggestion
}

/**
 * True when the decided level differs from the suggestion, so the decision must give a reason.
 * Levels may be plain numbers, as stored.
 */
export function decisionNeedsReason(suggested: LevelSuggestion | number, decided: number): boolean {
  return (typeof suggested === 'number' ? suggested : suggested.level) !== decided
}
