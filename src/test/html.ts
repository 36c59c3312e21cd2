/** Reading rendered pages in tests, as a person reads them: text, the error summary, what a field holds. */

/** The visible text of some HTML, with entities decoded and white space folded. */
export function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replaceAll('&amp;', '&')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The GOV.UK error summary's links: where each goes and what it says. */
export function errorSummary(html: string): { href: string; text: string }[] {
  const summary = /<div class="govuk-error-summary"[^]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => ({ href: m[1] ?? '', text: text(m[2] ?? '') }))
}

/** What an input holds, or undefined when the page has no such input. */
export function inputValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input\\b[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0]
  return input ? (/\bvalue="([^"]*)"/.exec(input)?.[1] ?? '') : undefined
}

/** What a textarea holds, or undefined when the page has no such textarea. */
export function textareaValue(html: string, name: string): string | undefined {
  const match = new RegExp(`<textarea\\b[^>]*\\bname="${name}"[^>]*>([^]*?)</textarea>`).exec(html)
  return match ? text(match[1] ?? '') : undefined
}
