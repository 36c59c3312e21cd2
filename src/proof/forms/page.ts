/**
 * The fields of a form as the page renders them, so the property tests post what a browser would
 * and a field added to a form is tested without anyone listing it.
 */

export type Field =
  | { kind: 'text'; name: string; multiline: boolean; type: string }
  | { kind: 'choice'; name: string; options: string[]; multiple: boolean }
  | { kind: 'date'; name: string }
  | { kind: 'hidden'; name: string; value: string }

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const name = (m[1] ?? '').toLowerCase()
    if (name && !(name in attrs)) attrs[name] = decode(m[2] ?? m[3] ?? m[4] ?? '')
  }
  return attrs
}

function decode(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

/** The HTML of the post form whose action is `action` (a path), or undefined. */
export function formHtml(html: string, action: string): string | undefined {
  for (const m of html.matchAll(/<form\b([^>]*)>([^]*?)<\/form>/g)) {
    const attrs = attributes(m[1] ?? '')
    if ((attrs.method ?? 'get').toLowerCase() !== 'post') continue
    const target = (attrs.action ?? '').split('#')[0]
    if (target === action) return m[2]
  }
  return undefined
}

/** Every field of a form: text, choices (radios, checkboxes, selects, named buttons), dates as day/month/year. */
export function fieldsOf(form: string): Field[] {
  const fields: Field[] = []
  const choices = new Map<string, { kind: 'choice'; name: string; options: string[]; multiple: boolean }>()
  const dates = new Set<string>()
  const choice = (name: string, value: string, multiple: boolean) => {
    let field = choices.get(name)
    if (!field) {
      field = { kind: 'choice', name, options: [], multiple }
      choices.set(name, field)
      fields.push(field)
    }
    if (!field.options.includes(value)) field.options.push(value)
  }
  const seen = new Set<string>()
  // Selects (with their options) are read whole; textareas' contents are not tags.
  const tags = form.replace(/<textarea\b([^>]*)>[^]*?<\/textarea>/g, '<textarea$1>').replace(/<select\b([^>]*)>([^]*?)<\/select>/g, (_all, attrs: string, options: string) => {
    const values = [...options.matchAll(/<option\b([^>]*)>([^<]*)/g)].map((o) => attributes(o[1] ?? '').value ?? decode(o[2] ?? '').trim())
    return `<select${attrs} data-options="${encodeURIComponent(JSON.stringify(values))}">`
  })
  for (const m of tags.matchAll(/<(input|textarea|select|button)\b([^>]*)>/g)) {
    const tag = m[1] ?? ''
    const attrs = attributes(m[2] ?? '')
    const name = attrs.name
    if (!name || name === '_csrf' || 'disabled' in attrs) continue
    if (tag === 'button') {
      if ('value' in attrs) choice(name, attrs.value ?? '', false)
      continue
    }
    if (tag === 'select') {
      for (const option of JSON.parse(decodeURIComponent(attrs['data-options'] ?? '%5B%5D')) as string[]) choice(name, option, 'multiple' in attrs)
      continue
    }
    const type = tag === 'textarea' ? 'textarea' : (attrs.type ?? 'text').toLowerCase()
    if (type === 'radio' || type === 'checkbox') {
      choice(name, attrs.value ?? 'on', type === 'checkbox')
      continue
    }
    if (type === 'hidden') {
      fields.push({ kind: 'hidden', name, value: attrs.value ?? '' })
      continue
    }
    if (type === 'submit' || type === 'file' || type === 'image' || type === 'reset') continue
    const date = /^(.*)-(day|month|year)$/.exec(name)
    if (date) {
      const prefix = date[1] ?? ''
      if (!dates.has(prefix)) {
        dates.add(prefix)
        fields.push({ kind: 'date', name: prefix })
      }
      continue
    }
    if (seen.has(name)) continue
    seen.add(name)
    fields.push({ kind: 'text', name, multiline: tag === 'textarea', type })
  }
  return fields
}
