import type { FastifyInstance } from 'fastify'
import { getFrameworks } from '../../../frameworks/index.ts'
import type { Framework } from '../../../frameworks/schema.ts'
import type { Database } from '../../../platform/db/database.ts'
import { authorityFor } from '../../self-request/service.ts'
import { categoryName } from './categories.ts'
import { readSearch, searchParams, type SearchValues } from './forms.ts'
import { agesText, categoriesText, levelsForFamilies, levelText, localitiesText, ROUTE_SHORT, routesText } from './present.ts'
import { categoryOptions, FIND_PAGE_SIZE, searchDirectory, serviceForFamilies } from './service.ts'

const VIEWS = 'features/directory/find/views'

/** The header and footer carry the authority whose directory it is, as they would when signed in. */
function branding(framework: Framework) {
  return { authorityName: framework.name, serviceName: framework.serviceName, framework }
}

/** The GOV.UK pagination component's links, each keeping every filter (categories repeat). */
export function searchPagination(path: string, values: SearchValues, page: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / FIND_PAGE_SIZE))
  if (pages <= 1) return null
  const href = (n: number) => {
    const params = new URLSearchParams(searchParams(values))
    if (n > 1) params.set('page', String(n))
    const query = params.toString()
    return query ? `${path}?${query}` : path
  }
  const near = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  near.forEach((n, i) => {
    const previous = near[i - 1]
    if (previous !== undefined && n - previous > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page })
  })
  return { items, previous: page > 1 ? { href: href(page - 1) } : undefined, next: page < pages ? { href: href(page + 1) } : undefined }
}

export async function findSupportRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/find-support', async (_request, reply) =>
    reply.viewAsync(`${VIEWS}/choose.njk`, { authorities: getFrameworks().map((f) => ({ id: f.id, name: f.name })) }),
  )

  app.get('/find-support/:authority', async (request, reply) => {
    const framework = authorityFor((request.params as Record<string, unknown>).authority)
    const categories = await categoryOptions(db, framework)
    const search = readSearch(request.query, framework, categories.map((c) => c.id))
    const path = `/find-support/${framework.id}`
    const searched = searchParams(search.values).length > 0
    const common = {
      ...branding(framework),
      path,
      values: search.values,
      categories: categories.map((c) => ({ value: c.id, text: c.name, checked: search.values.categories.includes(c.id) })),
      levels: framework.levels.map((l) => ({ value: String(l.level), text: levelText(framework, l.level), selected: search.values.level === String(l.level) })),
      localities: framework.localities.map((l) => ({ value: l.id, text: l.name, selected: search.values.locality === l.id })),
      showLocalities: framework.localities.length > 1,
      searched,
    }
    if (!search.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/search.njk`, { ...common, errors: search.errors, errorList: search.errorList, results: null })
    }
    const { rows, total } = await searchDirectory(db, framework.id, search.filters, search.page)
    const first = (search.page - 1) * FIND_PAGE_SIZE + 1
    return reply.viewAsync(`${VIEWS}/search.njk`, {
      ...common,
      total,
      page: search.page,
      range: rows.length && total > FIND_PAGE_SIZE ? `Showing ${first} to ${first + rows.length - 1}` : null,
      results: rows.map((row) => ({
        id: row.id,
        name: row.name,
        organisation: row.organisation_name,
        description: shorten(row.description ?? '', 240),
        ages: agesText(row.minimum_age, row.maximum_age),
        where: localitiesText(framework, row.localities),
        how: routesText(row.referral_routes),
        categories: categoriesText(row.categories),
        href: `${path}/services/${row.id}`,
      })),
      pagination: searchPagination(path, search.values, search.page, total),
      filtersApplied: [
        ...search.values.categories.map((c) => categoryName(c)),
        ...(search.filters.age !== undefined ? [`Age ${search.filters.age}`] : []),
        ...(search.filters.level !== undefined ? [levelText(framework, search.filters.level)] : []),
        ...(search.filters.locality ? [framework.localities.find((l) => l.id === search.filters.locality)?.name ?? ''] : []),
        ...(search.filters.district ? [`Near ${search.filters.district}`] : []),
      ],
    })
  })

  app.get('/find-support/:authority/services/:id', async (request, reply) => {
    const params = request.params as Record<string, unknown>
    const framework = authorityFor(params.authority)
    const service = await serviceForFamilies(db, framework.id, params.id)
    return reply.viewAsync(`${VIEWS}/service.njk`, {
      ...branding(framework),
      searchHref: `/find-support/${framework.id}`,
      helpHref: `/help/${framework.id}`,
      service,
      ages: agesText(service.minimum_age, service.maximum_age),
      levels: levelsForFamilies(framework, service.levels),
      where: localitiesText(framework, service.localities),
      categories: categoriesText(service.categories),
      routes: service.referral_routes.filter((r) => r in ROUTE_SHORT),
    })
  })
}

/** A description cut at a word for a results list. */
function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  if (clean.length <= max) return clean
  const cut = clean.slice(0, max)
  const words = cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))
  let end = words.length
  while (end > 0 && ' ,.;:'.includes(words[end - 1] ?? '')) end--
  return `${words.slice(0, end)}…`
}
