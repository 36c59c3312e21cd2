import { suggestLevel, type LevelSuggestion } from '../../domain/level-suggestion.ts'
import { addTimescale } from '../../domain/working-calendar.ts'
import type { Framework } from '../../frameworks/schema.ts'
import type { Answers } from './answers.ts'

/** The level the indicators suggest, with its reasons: stored with the request for the duty manager to check. */
export function suggestionFor(framework: Framework, answers: Answers, significantHarm: boolean): LevelSuggestion {
  return suggestLevel(framework, {
    indicators: answers.needs?.indicators ?? [],
    vulnerabilities: answers.needs?.vulnerabilities ?? [],
    difficulties: answers.needs?.difficulties ?? [],
    significantHarm,
  })
}

/** When the acknowledgement and the decision fall due, in the authority's own working calendar and terms. */
export function frontDoorClocks(framework: Framework, submittedAt: Date): { acknowledgeDueAt: Date; decisionDueAt: Date } {
  const { acknowledgeWithin, decisionWithin } = framework.timescales
  if (!acknowledgeWithin || !decisionWithin) {
    throw new Error(`The ${framework.id} framework sets no acknowledgement or decision timescale`)
  }
  return {
    acknowledgeDueAt: addTimescale(framework.workingCalendar, submittedAt, acknowledgeWithin),
    decisionDueAt: addTimescale(framework.workingCalendar, submittedAt, decisionWithin),
  }
}
