/** Offset pagination for lists that stay small enough to count (accounts, organisations). */
export const PAGE_SIZE = 50

export function pageNumber(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) return 1
  const page = Number(value)
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1
}

/** The GOV.UK pagination component's parameters, keeping the list's filters in every link. */
export function paginationParams(
  path: string,
  query: Record<string, string | undefined>,
  page: number,
  total: number,
  pageSize = PAGE_SIZE,
) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (pages <= 1) return null
  const href = (n: number) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value)
    params.set('page', String(n))
    return `${path}?${params.toString()}`
  }
  const near = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  near.forEach((n, i) => {
    const previous = near[i - 1]
    if (previous !== undefined && n - previous > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page })
  })
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  }
}

/** "Showing 51 to 100 of 230 accounts" */
export function rangeText(page: number, shown: number, total: number, noun: string, pageSize = PAGE_SIZE): string {
  if (total === 0) return `No ${noun}`
  if (shown === 0) return `No ${noun} on this page`
  const first = (page - 1) * pageSize + 1
  return `Showing ${first} to ${first + shown - 1} of ${total} ${noun}`
}
