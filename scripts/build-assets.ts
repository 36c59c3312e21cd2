// Builds what /assets serves: the stylesheet compiled from GOV.UK Frontend's Sass, its script and
// images, and our own script and icon. Skips the Sass when nothing it reads has changed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'build', 'assets')
const ours = path.join(root, 'src', 'platform', 'views', 'assets')
const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

mkdirSync(path.join(out, 'stylesheets'), { recursive: true })
mkdirSync(path.join(out, 'javascripts'), { recursive: true })
mkdirSync(path.join(out, 'images'), { recursive: true })

const css = path.join(out, 'stylesheets', 'application.css')
const newestSource = Math.max(newest(ours), statSync(path.join(root, 'node_modules', 'govuk-frontend', 'package.json')).mtimeMs)
if (!existsSync(css) || statSync(css).mtimeMs < newestSource) {
  const started = Date.now()
  const result = sass.compile(path.join(ours, 'application.scss'), {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  })
  writeAtomically(css, result.css)
  console.log(`Compiled application.css in ${Date.now() - started} ms`)
}

copy(path.join(govuk, 'govuk-frontend.min.js'), path.join(out, 'javascripts', 'govuk-frontend.min.js'))
copy(path.join(ours, 'application.js'), path.join(out, 'javascripts', 'application.js'))
copy(path.join(ours, 'favicon.svg'), path.join(out, 'images', 'favicon.svg'))

/**
 * Copies a file unless the copy is already the same, and replaces it in one step: CI builds again
 * for each test command while a server of another may be serving these files.
 */
function copy(from: string, to: string): void {
  const content = readFileSync(from)
  if (existsSync(to) && readFileSync(to).equals(content)) return
  writeAtomically(to, content)
}

function writeAtomically(file: string, content: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, content)
  renameSync(temporary, file)
}

function newest(dir: string): number {
  return Math.max(...readdirSync(dir).map((name) => statSync(path.join(dir, name)).mtimeMs))
}
