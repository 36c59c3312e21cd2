import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OFFICIAL_STANDARD_DIR } from './schemas.ts'
import type { OrukService } from './types.ts'

/** A fresh copy of the standard's examples/service_full.json: a service with every optional part filled. */
export function exampleService(): OrukService {
  return JSON.parse(readFileSync(join(OFFICIAL_STANDARD_DIR, 'examples', 'service_full.json'), 'utf8')) as OrukService
}
