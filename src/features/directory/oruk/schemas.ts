import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

/**
 * JSON Schema 2020-12 validation against the Open Referral UK 3.0 schemas. The schemas carry extra
 * descriptive keywords (name, constraints, core…), so Ajv runs non-strict, with ajv-formats for
 * uuid, uri, email and date-time.
 */

/** The standard's own folder, beside the checkout (../shared/standards/oruk-uk-profile-3.0). */
export const OFFICIAL_STANDARD_DIR = fileURLToPath(new URL('../../../../../shared/standards/oruk-uk-profile-3.0/', import.meta.url))
/** Our unchanged copy of compiled/service.json (see schema/NOTICE.md). */
export const VENDORED_SERVICE_SCHEMA = fileURLToPath(new URL('./schema/service.json', import.meta.url))

// ajv-formats is CommonJS: its default export arrives as the module object under type stripping.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020

export type OrukSchemaName =
  | 'compiled/service.json'
  | 'compiled/service_list.json'
  | 'compiled/service_at_location.json'
  | 'compiled/service_at_location_list.json'
  | 'taxonomy.json'
  | 'taxonomy_term.json'

export interface OrukValidator {
  /** The validation messages for `data` against the schema, or [] when it is valid. */
  check(name: OrukSchemaName, data: unknown): string[]
}

const BASE = 'https://oruk.invalid/schema/'

/**
 * A validator over a copy of the standard's `schema/` folder: every *.json there and in compiled/
 * is registered under its relative name, so the entity schemas' relative $refs resolve locally.
 */
export function orukValidator(standardDir: string = OFFICIAL_STANDARD_DIR): OrukValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const schemaDir = join(standardDir, 'schema')
  const compiled = new Map<string, ValidateFunction>()
  const registered = new Set<string>()
  const register = (name: string) => {
    if (registered.has(name)) return
    const schema = JSON.parse(readFileSync(join(schemaDir, name), 'utf8')) as Record<string, unknown>
    ajv.addSchema({ ...schema, $id: BASE + name }, BASE + name)
    registered.add(name)
  }
  // The entity schemas refer to each other by file name.
  for (const name of ['attribute.json', 'taxonomy_term.json', 'taxonomy.json']) register(name)
  return {
    check(name, data) {
      let validate = compiled.get(name)
      if (!validate) {
        register(name)
        validate = ajv.getSchema(BASE + name)
        if (!validate) throw new Error(`No schema ${name}`)
        compiled.set(name, validate)
      }
      return validate(data) ? [] : formatErrors(validate.errors)
    },
  }
}

/** Validates a service against compiled/service.json: the official copy when present, else ours. */
export function serviceValidator(): (data: unknown) => string[] {
  if (existsSync(join(OFFICIAL_STANDARD_DIR, 'schema', 'compiled', 'service.json'))) {
    const validator = orukValidator(OFFICIAL_STANDARD_DIR)
    return (data) => validator.check('compiled/service.json', data)
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const validate = ajv.compile(JSON.parse(readFileSync(VENDORED_SERVICE_SCHEMA, 'utf8')) as Record<string, unknown>)
  return (data) => (validate(data) ? [] : formatErrors(validate.errors))
}

/** "/service_at_locations/0/location/id: must match format "uuid"" for each error. */
export function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(the record)'
    const extra = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : ''
    return `${where}: ${e.message ?? e.keyword}${extra}`
  })
}
