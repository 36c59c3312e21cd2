/**
 * Loads each local authority's threshold framework from the JSON files in this folder.
 *
 * Adding a council means dropping `<id>.json` here: it is validated against
 * `frameworkSchema` at load and picked up with no code change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { z } from 'zod'
import { frameworkSchema, parseCitation, type Framework } from './schema.ts'

export { frameworkSchema, parseCitation } from './schema.ts'
export type { Framework } from './schema.ts'

const FRAMEWORKS_DIR = fileURLToPath(new URL('.', import.meta.url))

function toPath(dir: string | URL): string {
  return dir instanceof URL ? fileURLToPath(dir) : dir
}

/** "levels[2].source" from ['levels', 2, 'source']. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '(root)'
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `  - ${formatIssuePath(i.path)}: ${i.message}`).join('\n')
}

/**
 * Parses and validates one framework document. `file` names it in errors.
 * Throws an Error naming the file and each zod issue path when invalid.
 */
export function parseFramework(data: unknown, file: string): Framework {
  const result = frameworkSchema.safeParse(data)
  if (!result.success) {
    throw new Error(`Invalid framework file ${file}:\n${formatIssues(result.error.issues)}`)
  }
  return result.data
}

/**
 * Reads and validates every `*.json` in `dir` (default: this folder), sorted by file name.
 * Each file must be named after its framework id (`essex.json` holds id "essex"), and ids
 * must be unique across files.
 */
export function loadFrameworks(dir: string | URL = FRAMEWORKS_DIR): Framework[] {
  const folder = toPath(dir)
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
  const byId = new Map<string, string>()
  return files.map((name) => {
    const file = join(folder, name)
    let data: unknown
    try {
      data = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new Error(`Invalid framework file ${file}: not valid JSON (${(err as Error).message})`, { cause: err })
    }
    const framework = parseFramework(data, file)
    const expected = basename(name, '.json')
    if (framework.id !== expected) {
      throw new Error(
        `Invalid framework file ${file}:\n  - id: "${framework.id}" does not match the file name; rename the file to ${framework.id}.json or change the id to "${expected}"`,
      )
    }
    const other = byId.get(framework.id)
    if (other !== undefined) {
      throw new Error(`Invalid framework file ${file}:\n  - id: "${framework.id}" is already used by ${other}`)
    }
    byId.set(framework.id, file)
    return framework
  })
}

let cache: Framework[] | undefined

/** All frameworks in this folder, loaded and validated once per process. */
export function getFrameworks(): readonly Framework[] {
  cache ??= loadFrameworks()
  return cache
}

/** The framework whose id (the tenant id) is `id`, or undefined. */
export function frameworkById(id: string): Framework | undefined {
  return getFrameworks().find((f) => f.id === id)
}

/** Every `source` value in a framework, with its location ("levels[0].source"). */
export function collectSources(framework: Framework): { path: string; source: string }[] {
  const out: { path: string; source: string }[] = []
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]))
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'source' && typeof v === 'string') out.push({ path: formatIssuePath([...path, k]), source: v })
        else walk(v, [...path, k])
      }
    }
  }
  walk(framework, [])
  return out
}

/**
 * Checks every seed citation in `framework` against the seed files in `seedsDir`
 * (each chosen by its 3-digit prefix, e.g. "003" -> 003_*.txt). Returns one problem
 * per bad citation: seed file missing, line range beyond the end of the file, or the
 * cited lines all blank. "local configuration" sources are not checked.
 */
export function checkCitations(framework: Framework, seedsDir: string | URL): string[] {
  const folder = toPath(seedsDir)
  if (!existsSync(folder)) return [`${framework.id}: seeds folder ${folder} not found`]
  const seedFiles = readdirSync(folder).filter((f) => f.endsWith('.txt'))
  const seedLines = new Map<string, { name: string; lines: string[] } | null>()
  const linesOf = (prefix: string) => {
    if (!seedLines.has(prefix)) {
      const name = seedFiles.find((f) => f.startsWith(prefix))
      if (name === undefined) {
        seedLines.set(prefix, null)
      } else {
        const lines = readFileSync(join(folder, name), 'utf8').split(/\r?\n/)
        if (lines.at(-1) === '') lines.pop() // the newline ending the last line
        seedLines.set(prefix, { name, lines })
      }
    }
    return seedLines.get(prefix) ?? null
  }

  const problems: string[] = []
  for (const { path, source } of collectSources(framework)) {
    if (!/^\d{3}:/.test(source)) continue
    const { file, range } = parseCitation(source)
    const [start, end] = range
    const seed = linesOf(file)
    const where = `${framework.id}: ${path} "${source}"`
    if (seed === null) {
      problems.push(`${where}: no seed file with prefix ${file} in ${folder}`)
    } else if (start < 1 || end < start) {
      problems.push(`${where}: invalid line range`)
    } else if (end > seed.lines.length) {
      problems.push(`${where}: beyond the end of ${seed.name} (${seed.lines.length} lines)`)
    } else if (seed.lines.slice(start - 1, end).every((l) => l.trim() === '')) {
      problems.push(`${where}: cited lines of ${seed.name} are empty`)
    }
  }
  return problems
}
