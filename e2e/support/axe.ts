import assert from 'node:assert/strict'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Runs axe over the whole page against WCAG 2.2 AA and fails listing every violation found. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const report = results.violations.map((violation) => {
    const targets = violation.nodes.map((node) => `    - ${node.target.map(String).join(' ')}${node.failureSummary ? `\n      ${node.failureSummary.replaceAll('\n', '\n      ')}` : ''}`)
    return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n${targets.join('\n')}`
  })
  assert.equal(results.violations.length, 0, `axe found ${results.violations.length} violation(s) on ${page.url()}:\n${report.join('\n')}`)
}
