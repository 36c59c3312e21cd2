/**
 * Schema for a local authority's threshold framework, held as data.
 *
 * One JSON file per authority lives next to this file. Every rule cites the seed
 * document and lines it comes from (`source`, e.g. "003:285-402"); only settings
 * the seeds do not state (working hours, say) may use "local configuration".
 */
import { z } from 'zod'

export const SEED_CITATION = /^00[0-4]:\d+(-\d+)?$/
export const LOCAL_CONFIGURATION = 'local configuration'
export const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** A citation of seed lines: "NNN:start" or "NNN:start-end", start >= 1 and end >= start. */
export const seedCitation = z
  .string()
  .regex(SEED_CITATION, {
    message: 'source must cite a seed file and lines, like "003:285-402" or "001:358"',
  })
  .refine(
    (s) => {
      const [start, end] = parseCitation(s).range
      return start >= 1 && end >= start
    },
    { message: 'source line range must start at 1 or later and not end before it starts' },
  )

/** For settings: a seed citation, or "local configuration" where the seeds say nothing. */
export const settingSource = z.union([seedCitation, z.literal(LOCAL_CONFIGURATION)], {
  message: `source must cite a seed (like "001:358") or be "${LOCAL_CONFIGURATION}"`,
})

export interface ParsedCitation {
  /** 3-digit seed prefix, e.g. "003". */
  file: string
  /** Inclusive 1-based line range. */
  range: [number, number]
}

export function parseCitation(citation: string): ParsedCitation {
  const [file = '', lines = ''] = citation.split(':')
  const [a = '0', b] = lines.split('-')
  const start = Number(a)
  return { file, range: [start, b === undefined ? start : Number(b)] }
}

const id = z.string().regex(KEBAB_CASE, { message: 'id must be kebab-case (a-z, 0-9, single hyphens)' })
const text = z.string().trim().min(1)
const levelNumber = z.number().int().min(1).max(4)
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'time must be HH:MM (24-hour)' })

/** Adds an issue for every id that appears more than once in a list. */
function uniqueIds<T>(items: readonly T[], key: (item: T) => string, ctx: z.RefinementCtx, path: (string | number)[]): void {
  const seen = new Map<string, number>()
  items.forEach((item, i) => {
    const k = key(item)
    const first = seen.get(k)
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `duplicate id "${k}" (also at index ${first})`,
        path: [...path, i, 'id'],
      })
    } else {
      seen.set(k, i)
    }
  })
}

/** A list of items with ids that must be unique within the list. */
function idList<T extends z.ZodType<{ id: string }>>(item: T, min = 0) {
  return z
    .array(item)
    .min(min)
    .superRefine((items, ctx) => uniqueIds(items, (x) => x.id, ctx, []))
}

const citedText = z.strictObject({ text, source: seedCitation })
const citedItem = z.strictObject({ id, text, source: seedCitation })

const line = z.strictObject({
  /** Label shown to users where the line has a name other than the default (e.g. "First Contact"). */
  name: text.optional(),
  /** Only as the number appears in the seeds; absent where the seeds give none. */
  phone: text.optional(),
  email: z.email().optional(),
  instructions: text,
  source: seedCitation,
})

const contact = z.strictObject({
  id,
  name: text,
  purpose: text,
  phone: text.optional(),
  email: z.email().optional(),
  url: z.url().optional(),
  source: seedCitation,
})

const frontDoor = z.strictObject({
  name: text,
  description: text.optional(),
  source: seedCitation.optional(),
  /** The form a request for support arrives on (e.g. RFS, EHFSA). */
  requestForm: z.strictObject({ name: text, source: seedCitation }).optional(),
  priorityLine: line,
  consultationLine: line.optional(),
})

const level = z.strictObject({
  level: levelNumber,
  name: text,
  summary: text,
  description: text,
  source: seedCitation,
  /** Needs column of a continuum table (Southend 001:246-353). Covered by `source`. */
  needs: text.optional(),
  /** How support at this level is reached. Covered by `source`. */
  accessRoutes: z.array(text).min(1).optional(),
  /** Expected outcomes at this level. Covered by `source`. */
  expectedOutcomes: z.array(text).min(1).optional(),
  /** Examples of services delivered at this level, with their own citation. */
  exampleServices: z.strictObject({ items: z.array(text).min(1), source: seedCitation }).optional(),
})

const indicatorDomain = z.strictObject({
  id,
  name: text,
  level: levelNumber,
  source: seedCitation,
  indicators: idList(citedItem, 1),
})

const vulnerabilityGroup = z.strictObject({
  id,
  name: text,
  /** The sentence the list hangs off, e.g. "...be alert to ... a child who:". */
  stem: text,
  source: seedCitation,
})

const vulnerability = z.strictObject({
  id,
  text,
  source: seedCitation,
  group: id.optional(),
  definition: citedText.optional(),
})

const familySolutions = z
  .strictObject({
    name: text,
    minimumDifficulties: z.number().int().min(1),
    maximumDurationMonths: z.number().int().min(1),
    source: seedCitation,
    difficulties: idList(citedItem),
    access: citedText.optional(),
    team: citedText.optional(),
  })
  .superRefine((fs, ctx) => {
    if (fs.difficulties.length < fs.minimumDifficulties) {
      ctx.addIssue({
        code: 'custom',
        message: `minimumDifficulties (${fs.minimumDifficulties}) exceeds the number of difficulties listed (${fs.difficulties.length})`,
        path: ['minimumDifficulties'],
      })
    }
  })

const countBand = z
  .strictObject({
    min: z.number().int().min(0),
    max: z.number().int().min(0),
    text: text.optional(),
    source: seedCitation.optional(),
  })
  .refine((b) => b.min <= b.max, { message: 'min must not exceed max', path: ['min'] })

const presentingIssueRule = z.strictObject({
  level2: countBand,
  level3: countBand,
  /** True where the seed gives these as averages (a guide), not hard limits. */
  isAverage: z.boolean(),
  guidance: citedText.optional(),
  source: seedCitation,
})

export const TRIAGE_OUTCOME_IDS = ['universal-signposting', 'emerging-needs', 'intensive-support', 'safeguarding'] as const

const triageOutcome = z.strictObject({
  id: z.enum(TRIAGE_OUTCOME_IDS),
  name: text,
  description: text,
  /** The level of need the outcome corresponds to. */
  level: levelNumber,
  source: seedCitation,
  /** What happens next for the family, where a seed says. */
  followUp: citedText.optional(),
})

const hoursOrCount = z.strictObject({ value: z.number().positive(), source: settingSource, note: text.optional() })
const range = z
  .strictObject({ min: z.number().positive(), max: z.number().positive(), source: settingSource, note: text.optional() })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })

/**
 * How a service-level clock counts (the working calendar is `workingCalendar`):
 * - `working-days`: N working days, each as long as the working day, so 1 working day from
 *   15:30 on a Friday is 15:30 on the next working day;
 * - `working-hours`: N hours counted only inside working hours;
 * - `hours`: N elapsed hours, around the clock.
 * Must match TIMESCALE_UNITS in src/domain/working-calendar.ts (checked by a test).
 */
export const CLOCK_UNITS = ['working-days', 'working-hours', 'hours'] as const

/**
 * A service-level clock: `{ value: 1, unit: 'working-days', stated: 'within 24 hours', source }`.
 * `value` is in `unit`, never implicitly in hours.
 */
const serviceClock = z.strictObject({
  value: z.number().positive(),
  unit: z.enum(CLOCK_UNITS, { message: `unit must be one of ${CLOCK_UNITS.join(', ')}` }),
  /** The timescale in the source's own words (e.g. "within 24 hours") where value and unit are a reading of it. */
  stated: text.optional(),
  source: settingSource,
  /** Why the words were read this way, or where a local setting came from. */
  note: text.optional(),
})

const timescales = z.strictObject({
  /**
   * Every request acknowledged within this clock of arriving. The key keeps its historic name:
   * read `value` in `unit`, not in hours.
   */
  acknowledgeWithin: serviceClock.optional(),
  /** Triage outcome notified to the referrer within this clock of the request arriving. As above, `value` is in `unit`. */
  decisionWithin: serviceClock.optional(),
  /** Whole-family assessment completed within this many days of allocation. */
  assessmentWithinWorkingDays: range.optional(),
  /** Longest period of intensive (level 3) support. */
  intensiveSupportMaxMonths: hoursOrCount.optional(),
})

export const CADENCE_KINDS = ['plan-review', 'keeping-in-touch', 'panel'] as const

const reviewCadence = z
  .strictObject({
    id,
    appliesTo: text,
    kind: z.enum(CADENCE_KINDS),
    level: levelNumber.optional(),
    everyWeeks: z.number().int().positive().optional(),
    /** Upper bound where the seed gives a range, e.g. "6-8 week reviews". */
    upToWeeks: z.number().int().positive().optional(),
    everyMonths: z.number().int().positive().optional(),
    /** How the involvement was reached, where the cadence depends on it (TACAF from the front door, a partner's own plan). */
    routes: z.array(z.enum(['triage', 'panel', 'direct', 'step-down'])).min(1).optional(),
    source: settingSource,
    note: text.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.everyWeeks === undefined) === (c.everyMonths === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of everyWeeks or everyMonths', path: ['everyWeeks'] })
    }
    if (c.upToWeeks !== undefined && (c.everyWeeks === undefined || c.upToWeeks < c.everyWeeks)) {
      ctx.addIssue({ code: 'custom', message: 'upToWeeks needs everyWeeks and must not be less than it', path: ['upToWeeks'] })
    }
  })

const locality = z.strictObject({ id, name: text, source: seedCitation })

const outcomeTheme = z.strictObject({
  id,
  name: text,
  description: text.optional(),
  source: seedCitation,
  outcomes: idList(citedItem),
})

const outcomeFramework = z
  .strictObject({
    name: text,
    source: seedCitation,
    themes: idList(outcomeTheme, 1),
  })
  .superRefine((f, ctx) => {
    const all = f.themes.flatMap((t, ti) => t.outcomes.map((o, oi) => ({ id: o.id, ti, oi })))
    const seen = new Set<string>()
    for (const o of all) {
      if (seen.has(o.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate outcome id "${o.id}" across themes`,
          path: ['themes', o.ti, 'outcomes', o.oi, 'id'],
        })
      }
      seen.add(o.id)
    }
  })

const consentRule = z.strictObject({
  id,
  context: text,
  consent: z.enum(['needed', 'not-required']),
  text,
  source: seedCitation,
})

const consent = z.strictObject({
  rules: idList(consentRule).optional(),
  seekingConsentMayPlaceAtRisk: idList(citedItem).optional(),
  statements: idList(citedItem).optional(),
})

const escalationRequirement = z.strictObject({
  id,
  text,
  /** Levels this applies to when stepping up, where the seed says. */
  toLevels: z.array(levelNumber).min(1).optional(),
  source: seedCitation,
})

const planSupportRole = z.strictObject({
  name: text,
  description: text,
  source: seedCitation,
  /** Id in `contacts`. */
  contactId: id.optional(),
})

const workingCalendar = z
  .strictObject({
    /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1),
    dayStarts: hhmm,
    dayEnds: hhmm,
    bankHolidays: z.enum(['GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR']),
    source: settingSource,
  })
  .superRefine((w, ctx) => {
    if (new Set(w.workingDays).size !== w.workingDays.length) {
      ctx.addIssue({ code: 'custom', message: 'workingDays must not repeat a day', path: ['workingDays'] })
    }
    if (w.dayStarts >= w.dayEnds) {
      ctx.addIssue({ code: 'custom', message: 'dayStarts must be before dayEnds', path: ['dayEnds'] })
    }
  })

export const RETENTION_RECORD_TYPES = ['involvement', 'request-not-progressed', 'consultation', 'draft-request', 'notification'] as const
/** Rules that count in years from a date of the record. */
export const RETENTION_YEARS_RULES = ['youngest-child-25', 'years-after-closure', 'years-after-decision', 'years-after-created'] as const
/** Rules that count in days: short-lived records such as the messages the system sent. */
export const RETENTION_DAYS_RULES = ['days-after-final'] as const
export const RETENTION_RULES = [...RETENTION_YEARS_RULES, ...RETENTION_DAYS_RULES] as const
export const RETENTION_ACTIONS = ['delete', 'anonymise'] as const
export const RETENTION_MAX_DAYS = 3650

/** Which rules can apply to which record: each needs the date it counts from. */
export const RULES_FOR_RECORD_TYPE: Record<(typeof RETENTION_RECORD_TYPES)[number], readonly (typeof RETENTION_RULES)[number][]> = {
  involvement: ['youngest-child-25', 'years-after-closure'],
  'request-not-progressed': ['years-after-decision', 'years-after-created'],
  consultation: ['years-after-created'],
  'draft-request': ['years-after-created'],
  notification: ['days-after-final'],
}

const retentionCommon = {
  recordType: z.enum(RETENTION_RECORD_TYPES, { message: `recordType must be one of ${RETENTION_RECORD_TYPES.join(', ')}` }),
  action: z.enum(RETENTION_ACTIONS, { message: `action must be one of ${RETENTION_ACTIONS.join(', ')}` }),
  source: settingSource,
  note: text.optional(),
}

/** A whole number in a range, with one message for every way of missing it. */
const period = (name: 'years' | 'days', max: number) => {
  const message = `${name} must be a whole number from 1 to ${max}`
  return z.number({ message }).int({ message }).min(1, { message }).max(max, { message })
}

/** The period of the other kind of rule, given by mistake, is named in the message: "counts in days". */
const wrongPeriod = (use: 'years' | 'days', other: 'years' | 'days') => (issue: { code?: string; keys?: readonly string[]; input?: unknown }) => {
  if (issue.code !== 'unrecognized_keys' || !issue.keys?.includes(other)) return undefined
  const rule = (issue.input as { rule?: unknown } | undefined)?.rule
  return `rule "${String(rule)}" counts in ${use}: give "${use}", not "${other}"`
}

const yearsRule = z.strictObject({ ...retentionCommon, rule: z.enum(RETENTION_YEARS_RULES), years: period('years', 100) }, { error: wrongPeriod('years', 'days') })
const daysRule = z.strictObject({ ...retentionCommon, rule: z.enum(RETENTION_DAYS_RULES), days: period('days', RETENTION_MAX_DAYS) }, { error: wrongPeriod('days', 'years') })

/**
 * How long one type of record is kept, and what happens then:
 * - `youngest-child-25`: until the youngest child's 25th birthday, once the involvement is closed;
 *   `years` counts from closure when a child's date of birth is not known (and no child at all);
 * - `years-after-closure`, `years-after-decision`, `years-after-created`: `years` after that date;
 * - `days-after-final`: `days` after a message reached a final state (sent, or given up as failed);
 *   a message still queued or being sent is never due.
 * `anonymise` keeps the record for counting (reference, level, dates, outcome codes) and removes
 * names, dates of birth and free text; only an involvement can be anonymised.
 */
const retentionRule = z
  .discriminatedUnion('rule', [yearsRule, daysRule], {
    error: (issue) => (issue.code === 'invalid_union' ? `rule must be one of ${RETENTION_RULES.join(', ')}` : undefined),
  })
  .superRefine((r, ctx) => {
    if (!RULES_FOR_RECORD_TYPE[r.recordType].includes(r.rule)) {
      ctx.addIssue({ code: 'custom', message: `rule "${r.rule}" cannot apply to ${r.recordType}: use one of ${RULES_FOR_RECORD_TYPE[r.recordType].join(', ')}`, path: ['rule'] })
    }
    if (r.action === 'anonymise' && r.recordType !== 'involvement') {
      ctx.addIssue({ code: 'custom', message: 'only an involvement can be anonymised; other records are deleted', path: ['action'] })
    }
  })

const retention = z
  .strictObject({
    /** A record is removed only once it has been listed in a report at least this many days before. */
    graceDays: z.strictObject({ value: z.number().int().min(1).max(365), source: settingSource, note: text.optional() }),
    rules: z.array(retentionRule),
  })
  .superRefine((r, ctx) => {
    const types = r.rules.map((rule) => rule.recordType)
    RETENTION_RECORD_TYPES.forEach((type) => {
      const count = types.filter((t) => t === type).length
      if (count !== 1) {
        ctx.addIssue({ code: 'custom', message: `retention must have exactly one rule for ${type} (found ${count})`, path: ['rules'] })
      }
    })
  })

export const frameworkSchema = z
  .strictObject({
    id,
    name: text,
    shortName: text,
    serviceName: text,
    /** Plain-language statement of what the seeds lack for this authority and why. */
    notes: text.optional(),
    frontDoor,
    /** What the whole-family assessment of casework is called here (Family Story, Shared Family Assessment). */
    assessmentName: z.strictObject({ name: text, source: settingSource }),
    contacts: idList(contact).optional(),
    planSupportRole: planSupportRole.optional(),
    levels: z.array(level),
    indicatorDomains: idList(indicatorDomain),
    vulnerabilityGroups: idList(vulnerabilityGroup).optional(),
    vulnerabilities: idList(vulnerability),
    familySolutions: familySolutions.optional(),
    presentingIssueRule: presentingIssueRule.optional(),
    triageOutcomes: z.array(triageOutcome),
    escalationRequirements: idList(escalationRequirement).optional(),
    timescales,
    reviewCadences: idList(reviewCadence),
    localities: idList(locality, 1),
    outcomeFramework,
    additionalOutcomeFrameworks: z.array(outcomeFramework).optional(),
    consent: consent.optional(),
    workingCalendar,
    /** How long each type of record is kept, and the sweep's grace period (issue 6). */
    retention,
  })
  .superRefine((f, ctx) => {
    // Levels: exactly 1, 2, 3, 4, once each.
    const numbers = f.levels.map((l) => l.level)
    const sorted = [...numbers].sort((a, b) => a - b)
    if (sorted.join(',') !== '1,2,3,4') {
      const missing = [1, 2, 3, 4].filter((n) => !numbers.includes(n))
      const repeated = numbers.filter((n, i) => numbers.indexOf(n) !== i)
      const detail = [
        missing.length ? `missing ${missing.join(', ')}` : '',
        repeated.length ? `repeated ${repeated.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')
      ctx.addIssue({
        code: 'custom',
        message: `levels must be exactly 1, 2, 3 and 4, once each (${detail || `got ${numbers.join(', ')}`})`,
        path: ['levels'],
      })
    }

    // Triage outcomes: the four outcomes, once each.
    const outcomeIds = f.triageOutcomes.map((t) => t.id)
    uniqueIds(f.triageOutcomes, (t) => t.id, ctx, ['triageOutcomes'])
    const missingOutcomes = TRIAGE_OUTCOME_IDS.filter((t) => !outcomeIds.includes(t))
    if (missingOutcomes.length) {
      ctx.addIssue({
        code: 'custom',
        message: `triageOutcomes must include each of the four outcomes; missing ${missingOutcomes.join(', ')}`,
        path: ['triageOutcomes'],
      })
    }

    // Indicator ids are unique across all domains, so a request can record them by id alone.
    const indicatorSeen = new Map<string, string>()
    f.indicatorDomains.forEach((d, di) =>
      d.indicators.forEach((ind, ii) => {
        const other = indicatorSeen.get(ind.id)
        if (other !== undefined && other !== d.id) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicate indicator id "${ind.id}" (also in domain "${other}")`,
            path: ['indicatorDomains', di, 'indicators', ii, 'id'],
          })
        }
        indicatorSeen.set(ind.id, d.id)
      }),
    )

    // Cross-references.
    const groupIds = new Set((f.vulnerabilityGroups ?? []).map((g) => g.id))
    f.vulnerabilities.forEach((v, i) => {
      if (v.group !== undefined && !groupIds.has(v.group)) {
        ctx.addIssue({
          code: 'custom',
          message: `vulnerability group "${v.group}" is not in vulnerabilityGroups`,
          path: ['vulnerabilities', i, 'group'],
        })
      }
    })
    const contactId = f.planSupportRole?.contactId
    if (contactId !== undefined && !(f.contacts ?? []).some((c) => c.id === contactId)) {
      ctx.addIssue({
        code: 'custom',
        message: `planSupportRole.contactId "${contactId}" is not in contacts`,
        path: ['planSupportRole', 'contactId'],
      })
    }
  })

export type Framework = z.infer<typeof frameworkSchema>
export type FrameworkLevel = Framework['levels'][number]
export type IndicatorDomain = Framework['indicatorDomains'][number]
export type TriageOutcomeId = (typeof TRIAGE_OUTCOME_IDS)[number]
export type ReviewCadence = Framework['reviewCadences'][number]
export type OutcomeFramework = Framework['outcomeFramework']
export type ServiceClock = z.infer<typeof serviceClock>
export type ClockUnit = (typeof CLOCK_UNITS)[number]
export type WorkingCalendarSettings = Framework['workingCalendar']
export type RetentionSettings = Framework['retention']
export type RetentionRuleSetting = RetentionSettings['rules'][number]
