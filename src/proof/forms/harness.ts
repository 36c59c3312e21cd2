import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import type { Agent } from '../../test/context.ts'
import { errorSummary } from '../../test/html.ts'
import { asReceived, escapeHtml, hostileNumber, hostileShort, hostileText } from './hostile.ts'
import { fieldsOf, formHtml, type Field } from './page.ts'
import type { Fixtures } from './fixtures.ts'
import type { FormEntry, Target } from './catalogue.ts'

/**
 * Cases per form route: PROPERTY_RUNS, 100 unless set, so that `npm test` stays quick. CI runs 1,000
 * on each database (.ci/run), and so does `npm run test:properties` on the embedded one. On two cores
 * (2026-11-25) all 71 tests take 7 minutes at 1,000 on PGlite and 7 on PostgreSQL, half of it the
 * embedded database's own work.
 */
export const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 100)

/**
 * A fixed seed (PROPERTY_SEED) makes the cases the same on every run: CI sets one, so a submission
 * lands or fails on its own code, not on the day's random draw. Unset, each run draws new cases;
 * a failure prints its seed, which PROPERTY_SEED then replays.
 */
export const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined

/** The largest form body a case sends: the app refuses more than 1 MB (proven in src/proof/bodies.test.ts). */
const BODY_BUDGET = 900_000

/** Saves on one target before a form that adds to it starts again on a fresh one. */
const SAVES_A_TARGET = 50

type Value = string | string[] | undefined

/** What a stack trace or an internal path looks like on a page (linear: pages hold 100,000 characters of typed white space). */
const LEAK = /\n[ \t]*at [\w$.<>]+ \(|\bat async\b|\/work\/|\bsrc\/[\w/-]+\.ts\b|node_modules|file:\/\/|FST_ERR|\b(?:Type|Range|Reference|Syntax|Zod|Database|Template)Error\b|\bError: /

/** Today, a past and a future date, as day/month/year parts. */
function dateChoices(): [string, string, string][] {
  const today = new Date()
  const shift = (days: number) => {
    const d = new Date(today.getTime() + days * 86_400_000)
    return [String(d.getUTCDate()), String(d.getUTCMonth() + 1), String(d.getUTCFullYear())] as [string, string, string]
  }
  return [shift(0), shift(-30), shift(14), shift(-400), shift(60)]
}

/** A hidden field keeps what the page holds now (a version number changes after each save). */
const KEEP = Symbol('keep')
/** A text field with a valid value takes the current target's (a fresh email address or one-time code for each target). */
const VALID = Symbol('valid')
type Sent = Value | typeof KEEP | typeof VALID

/**
 * The values for one field. Hostile: anything anywhere. Tidy: choices, dates and format fields
 * valid, free text hostile, so that saves happen and what was saved can be read back.
 */
function arbitraryFor(field: Field, entry: FormEntry, tidy: boolean): fc.Arbitrary<[string, Sent][]> {
  const fixed = entry.fixed?.[field.name]
  if (fixed !== undefined) return fc.constant([[field.name, fixed]])
  switch (field.kind) {
    case 'hidden':
      return (
        tidy
          ? fc.constant<Sent>(KEEP)
          : fc.oneof({ weight: 16, arbitrary: fc.constant<Sent>(KEEP) }, { weight: 2, arbitrary: hostileNumber }, { weight: 2, arbitrary: hostileText })
      ).map((v) => [[field.name, v]])
    case 'text': {
      const plain = entry.valid?.[field.name]
      if (tidy && plain !== undefined) return fc.constant<[string, Sent][]>([[field.name, VALID]])
      const typed = tidy
        ? fc.oneof({ weight: 2, arbitrary: hostileShort }, { weight: 1, arbitrary: fc.constant(plain ?? 'Plain words') })
        : fc.oneof({ weight: 6, arbitrary: hostileText }, { weight: 2, arbitrary: fc.constant(plain ?? 'Plain words') }, { weight: 1, arbitrary: fc.constant('') })
      return typed.map((v) => [[field.name, v]])
    }
    case 'choice': {
      const options = field.options.length ? field.options : ['']
      const picked: fc.Arbitrary<Value> = field.multiple
        ? fc.subarray(options, { minLength: tidy ? 1 : 0 })
        : tidy
          ? fc.constantFrom(...options.filter((o) => o !== '').concat(options.every((o) => o === '') ? [''] : []))
          : fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...options) }, { weight: 1, arbitrary: fc.constant(undefined) })
      if (tidy) return picked.map((v) => [[field.name, v]])
      return fc.oneof({ weight: 9, arbitrary: picked }, { weight: 1, arbitrary: hostileText }).map((v) => [[field.name, v]])
    }
    case 'date': {
      const choices = entry.dates?.[field.name] ?? dateChoices()
      // Dates of birth are in the past; tidy cases keep to that.
      const tidyChoices = entry.dates?.[field.name] ?? (/dob|birth|child|adult/i.test(field.name) ? choices.filter(([, , y], i) => i === 1 || i === 3 || Number(y) < 2000) : choices)
      const parts: fc.Arbitrary<[string, string, string]> = tidy
        ? fc.constantFrom(...tidyChoices)
        : fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...choices) }, { weight: 2, arbitrary: fc.tuple(hostileText, hostileText, hostileText) })
      return parts.map(([d, m, y]) => [
        [`${field.name}-day`, d],
        [`${field.name}-month`, m],
        [`${field.name}-year`, y],
      ])
    }
  }
}

/** Keeps the encoded body under the limit by shortening the longest values, as a browser user could not but a test might. */
function withinBudget(form: Record<string, string | string[]>): Record<string, string | string[]> {
  const size = () => new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString().length
  let total = size()
  while (total > BODY_BUDGET) {
    const [name, value] = Object.entries(form).reduce((a, b) => (String(b[1]).length > String(a[1]).length ? b : a))
    form[name] = String(value).slice(0, Math.floor(String(value).length / 2))
    total = size()
  }
  return form
}

/** Text sent earlier that itself looks like a leak (BLNS has "file:///etc/passwd"): pages listing earlier saves show it. */
const leakySent = new Set<string>()

function assertPage(response: LightMyRequestResponse, sent: string[], where: string, json = false): void {
  for (const v of sent) if (v.length < 2000 && LEAK.test(v)) leakySent.add(v)
  assert.ok(response.statusCode < 500, `${where}: status ${response.statusCode}`)
  if (response.statusCode >= 300 && response.statusCode < 400) {
    const location = String(response.headers.location ?? '')
    assert.ok(/^\/(?!\/)/.test(location), `${where}: redirect to ${location}`)
    return
  }
  if (json && response.statusCode === 200) {
    assert.ok(String(response.headers['content-type']).startsWith('application/json'), `${where}: ${response.statusCode} is not JSON`)
    return
  }
  assert.ok(String(response.headers['content-type']).startsWith('text/html'), `${where}: ${response.statusCode} is not an HTML page`)
  assert.ok(response.body.includes('class="govuk-template__body'), `${where}: ${response.statusCode} is not a GOV.UK page`)
  // GOV.UK's own prefixes for a page and a field with errors.
  let body = response.body.replace('<title>Error: ', '<title>').replaceAll('govuk-visually-hidden">Error:</span>', '')
  const echoes = [...sent, ...leakySent].flatMap((v) => [escapeHtml(v), escapeHtml(v.trim())]).filter((v) => v.length > 0)
  for (const echo of echoes.sort((a, b) => b.length - a.length)) body = body.replaceAll(echo, '')
  const leak = LEAK.exec(body)
  assert.ok(leak === null, `${where}: the page shows ${JSON.stringify(leak?.[0])} near ${JSON.stringify(body.slice(Math.max(0, (leak?.index ?? 0) - 80), (leak?.index ?? 0) + 80))}`)
}

function hiddenValues(fields: Field[]): Record<string, string> {
  return Object.fromEntries(fields.flatMap((f) => (f.kind === 'hidden' ? [[f.name, f.value]] : [])))
}

function optionsOf(fields: Field[]): Map<string, string[]> {
  return new Map(fields.flatMap((f) => (f.kind === 'choice' ? [[f.name, f.options]] : [])))
}

/** Line breaks as a browser shows them in a form. */
function lineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

/** The first code points of some text, for messages about invisible characters. */
function codePoints(text: string): string {
  return [...text.slice(0, 12)].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`).join(' ')
}

/** The raw (still escaped) contents of a field on a page, or undefined when the page has no such field. */
function rawFieldValue(html: string, name: string): string | undefined {
  const escapedName = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const textarea = new RegExp(`<textarea\\b[^>]*\\bname="${escapedName}"[^>]*>([^]*?)</textarea>`).exec(html)
  if (textarea) return textarea[1] ?? ''
  const input = new RegExp(`<input\\b[^>]*\\bname="${escapedName}"[^>]*>`).exec(html)?.[0]
  if (!input || /\btype="(radio|checkbox|hidden)"/.test(input)) return undefined
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? ''
}

/** The app's documented normalisation of saved text: NUL removed (parseText), white space trimmed (zod .trim()). */
export function normalised(value: string): string {
  return asReceived(value).trim()
}

/**
 * GOV.UK macros indent multi-line text (the nunjucks `indent` filter), pages show a line break as
 * `<br>` (nl2br), and a browser folds white space: runs of white space and line breaks are layout,
 * not what was saved, so they are folded on both sides.
 */
function fold(html: string): string {
  return html.replace(/<br\s*\/?>/g, ' ').replace(/\s+/g, ' ')
}

/**
 * Runs the property for one form: posts hostile values through the real form token, and checks the
 * reply (no 5xx, no stack trace, an HTML page or a redirect), what a re-shown form holds (what was
 * typed, escaped) and, after a save, the page that shows it (the saved text, escaped).
 */
export async function checkForm(fixtures: Fixtures, entry: FormEntry, numRuns = NUM_RUNS): Promise<{ statuses: Record<number, number>; saves: number }> {
  const agent: Agent = await fixtures.agentFor(entry.as)
  let target: Target = await entry.target(fixtures, agent)
  const formUrl = target.form ?? target.post
  const page = await agent.get(formUrl)
  assert.equal(page.statusCode, 200, `${entry.route}: GET ${formUrl} gives ${page.statusCode}`)
  const form = formHtml(page.body, target.action ?? target.post)
  assert.ok(form !== undefined, `${entry.route}: no form posting to ${target.post} on ${formUrl}`)
  const fields = fieldsOf(form)
  const debug = process.env.FORMS_DEBUG !== undefined
  if (debug) console.error(entry.route, JSON.stringify(fields.map((f) => (f.kind === 'choice' ? `${f.name}=${f.options.join('|')}` : `${f.name}:${f.kind}`))))
  const textFields = fields.filter((f) => f.kind === 'text').map((f) => f.name)
  const passwords = new Set(fields.flatMap((f) => (f.kind === 'text' && f.type === 'password' ? [f.name] : [])))
  const saved = (entry.saved ?? textFields).filter((name) => !passwords.has(name) && !(entry.notShown ?? {})[name] && !entry.notShownMatching?.test(name))
  const withTarget: FormEntry = { ...entry, valid: { ...entry.valid, ...target.valid } }
  const mode = (tidy: boolean) => fc.tuple(...fields.map((f) => arbitraryFor(f, withTarget, tidy))).map((parts) => parts.flat())
  // One case in four is tidy: enough saves to read back (hundreds a route at 1,000), while most of
  // the time goes to hostile values, and a save (with its read-back, and for a form that uses up its
  // record a fresh one) costs several refusals.
  const arbitrary = fc.oneof({ weight: 3, arbitrary: mode(false) }, { weight: 1, arbitrary: mode(true) })
  let hidden = hiddenValues(fields)
  // A fresh target's choices can differ from the first one's (the people of another family): a
  // case's choice is sent as the option in the same place on the form now shown.
  const firstOptions = optionsOf(fields)
  let options = firstOptions
  const readForm = (html: string) => {
    const now = fieldsOf(html)
    hidden = hiddenValues(now)
    options = optionsOf(now)
  }
  const current = (name: string, value: string | string[]): string | string[] => {
    const from = firstOptions.get(name)
    const to = options.get(name)
    if (!from || !to || from === to) return value
    const one = (v: string) => to[from.indexOf(v)] ?? v
    return Array.isArray(value) ? value.map(one) : one(value)
  }
  const refresh = async () => {
    const again = await agent.get(target.form ?? target.post)
    const html = again.statusCode === 200 ? formHtml(again.body, target.action ?? target.post) : undefined
    if (html !== undefined) readForm(html)
    else if (!entry.consumes) {
      // The form has gone (every service signposted, say): start again on a fresh target.
      target = await entry.target(fixtures, agent)
      await refresh()
    }
  }
  const statuses: Record<number, number> = {}
  let saves = 0
  let stale = false
  let renew = false

  await fc.assert(
    fc.asyncProperty(arbitrary, async (pairs) => {
      if (stale || renew) {
        if (entry.consumes || renew) target = await entry.target(fixtures, agent)
        await refresh()
        stale = renew = false
      }
      const formValues: Record<string, string | string[]> = {}
      for (const [name, value] of pairs) {
        if (value === KEEP) formValues[name] = hidden[name] ?? ''
        else if (value === VALID) formValues[name] = target.valid?.[name] ?? entry.valid?.[name] ?? ''
        else if (value !== undefined) formValues[name] = current(name, value)
      }
      for (const name of Object.keys(formValues)) if (entry.omit?.test(name)) delete formValues[name]
      withinBudget(formValues)
      const sentText = textFields.flatMap((name) => (typeof formValues[name] === 'string' ? [asReceived(formValues[name])] : []))
      const response = await agent.post(target.post, formValues)
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1
      // Throttled (wrong codes lock a half-finished sign-in): a consuming entry starts again on a fresh target.
      if (response.statusCode === 429 && entry.consumes) stale = true
      if (debug && response.statusCode === 400) console.error(' 400:', errorSummary(response.body).map((e) => `${e.href} ${e.text}`).join(' | ').slice(0, 400))
      assertPage(response, Object.values(formValues).flat().map(asReceived), `POST ${entry.route}`, entry.json)
      if (response.statusCode === 400 || response.statusCode === 409) {
        // The form again, with what was typed kept (escaped): this form's, where a page has several (a panel's agenda).
        const again = formHtml(response.body, target.action ?? target.post) ?? response.body
        for (const name of textFields) {
          const typed = formValues[name]
          if (typeof typed !== 'string') continue
          const shown = rawFieldValue(again, name)
          if (shown === undefined) continue
          if (passwords.has(name) || entry.notEchoed?.[name]) {
            assert.equal(shown, '', `${entry.route}: ${name} is not put back in the form`)
            continue
          }
          // A browser sends a textarea's line breaks as CR LF and shows CR LF, CR and LF alike.
          const received = lineBreaks(asReceived(typed))
          const reShown = lineBreaks(shown)
          assert.ok(
            reShown === escapeHtml(received) || (entry.trimsOnError && reShown === escapeHtml(received.trim())),
            `${entry.route}: ${name} re-shown as ${JSON.stringify(shown.slice(0, 200))}, typed ${JSON.stringify(received.slice(0, 200))}`,
          )
        }
      }
      if (response.statusCode === 303) {
        stale = entry.consumes === true || Object.keys(hidden).length > 0
        const location = String(response.headers.location)
        const shows = entry.shows ? entry.shows(target, location) : location
        if (!shows || sentText.length === 0) return
        saves++
        // Saves that add to one record (a family's chronology, its protections) make its pages longer
        // with each one, and each case slower: a fresh record now and then keeps the cases' cost even.
        renew = !entry.consumes && saves % SAVES_A_TARGET === 0
        const shown = await (entry.showsAs ? await fixtures.agentFor(entry.showsAs) : agent).get(shows)
        assertPage(shown, sentText, `GET ${shows} after POST ${entry.route}`)
        assert.equal(shown.statusCode, 200, `GET ${shows} after POST ${entry.route}`)
        if (stale && !entry.consumes && !entry.showsAs) {
          // The page that shows the save often holds the form again, with its new version: no need to ask twice.
          const again = formHtml(shown.body, target.action ?? target.post)
          if (again !== undefined) {
            readForm(again)
            stale = false
          }
        }
        // The page is folded once for every field it should show (pages run to hundreds of kilobytes).
        const page = fold(shown.body)
        for (const name of saved) {
          const typed = formValues[name]
          if (typeof typed !== 'string') continue
          const expected = (entry.normalise ?? normalised)(typed)
          if (!expected) continue
          // A number is shown as the number it is ("09" as 9).
          const forms = /^[0-9]{1,15}$/.test(expected) ? [expected, String(Number(expected))] : [expected]
          assert.ok(
            forms.some((form) => page.includes(fold(escapeHtml(form)))),
            `${entry.route}: ${name} saved as typed ${JSON.stringify(expected.slice(0, 200))} (${codePoints(expected)}) is not shown escaped on ${shows}`,
          )
        }
      }
    }),
    { numRuns, ...(SEED === undefined ? {} : { seed: SEED }) },
  )
  return { statuses, saves }
}
