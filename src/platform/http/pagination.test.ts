import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { PAGE_SIZE, pageNumber, paginationParams, rangeText } from './pagination.ts'

const BASE = 'https://early-help.example'

test('a page number from the address is used when it is a whole number from 1 to 100,000, and is otherwise page 1', () => {
  assert.equal(pageNumber('2'), 2)
  assert.equal(pageNumber('100000'), 100_000)
  for (const bad of ['0', '-1', '1.5', '100001', 'two', '', ' ', '1e3x', undefined, null, ['2', '3'], {}, 'NaN', 'Infinity']) {
    assert.equal(pageNumber(bad), 1, `for ${JSON.stringify(bad)}`)
  }
  fc.assert(
    fc.property(fc.anything(), (value) => {
      const page = pageNumber(value)
      assert.ok(Number.isInteger(page) && page >= 1 && page <= 100_000)
    }),
  )
  fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => assert.equal(pageNumber(String(n)), n)))
})

test('the range text reads as GOV.UK writes it', () => {
  assert.equal(rangeText(1, 50, 230, 'accounts'), 'Showing 1 to 50 of 230 accounts')
  assert.equal(rangeText(2, 50, 230, 'accounts'), 'Showing 51 to 100 of 230 accounts')
  assert.equal(rangeText(5, 30, 230, 'accounts'), 'Showing 201 to 230 of 230 accounts')
  assert.equal(rangeText(1, 0, 0, 'organisations'), 'No organisations')
})

test('the range text never counts backwards or beyond the total, even for a page past the end', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 10_000 }), (page, total) => {
      const shown = Math.max(0, Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE))
      const text = rangeText(page, shown, total, 'accounts')
      const match = /^Showing (\d+) to (\d+) of (\d+) accounts$/.exec(text)
      if (match) {
        const [first, last, of] = [Number(match[1]), Number(match[2]), Number(match[3])]
        assert.equal(of, total)
        assert.ok(first >= 1 && first <= last && last <= total, `"${text}" for page ${page}`)
        assert.equal(last - first + 1, shown)
      } else {
        assert.equal(shown, 0, `"${text}" when ${shown} are shown`)
      }
    }),
  )
})

test('no pagination is shown when everything fits on one page', () => {
  assert.equal(paginationParams('/admin/accounts', {}, 1, 0), null)
  assert.equal(paginationParams('/admin/accounts', {}, 1, PAGE_SIZE), null)
  assert.notEqual(paginationParams('/admin/accounts', {}, 1, PAGE_SIZE + 1), null)
})

test('pagination links: the current page once, the first and last always, in order, with gaps marked', () => {
  fc.assert(
    fc.property(fc.integer({ min: PAGE_SIZE + 1, max: 100 * PAGE_SIZE }), fc.nat(), (total, seed) => {
      const pages = Math.ceil(total / PAGE_SIZE)
      const page = (seed % pages) + 1
      const params = paginationParams('/admin/accounts', {}, page, total)
      assert.ok(params)
      const numbers = params.items.flatMap((item) => ('number' in item ? [item.number] : []))
      assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b))
      assert.equal(new Set(numbers).size, numbers.length)
      assert.equal(numbers[0], 1)
      assert.equal(numbers.at(-1), pages)
      assert.ok(numbers.every((n) => n >= 1 && n <= pages))
      const current = params.items.filter((item) => 'number' in item && item.current)
      assert.deepEqual(
        current.map((item) => ('number' in item ? item.number : 0)),
        [page],
      )
      // An ellipsis stands exactly where page numbers are skipped.
      params.items.forEach((item, i) => {
        if ('ellipsis' in item) {
          const before = params.items[i - 1]
          const after = params.items[i + 1]
          assert.ok(before && after && 'number' in before && 'number' in after && after.number - before.number > 1)
        } else if (i > 0) {
          const before = params.items[i - 1]
          if (before && 'number' in before) assert.equal(item.number - before.number, 1)
        }
      })
      assert.equal(params.previous === undefined, page === 1)
      assert.equal(params.next === undefined, page === pages)
    }),
  )
})

test('every pagination link stays on the list and keeps its filters, whatever they contain', () => {
  const filterValue = fc.option(fc.string({ unit: 'grapheme', maxLength: 30 }), { nil: undefined })
  fc.assert(
    fc.property(
      fc.record({ q: filterValue, role: filterValue, status: filterValue }),
      fc.integer({ min: PAGE_SIZE + 1, max: 20 * PAGE_SIZE }),
      fc.integer({ min: 1, max: 20 }),
      (query, total, wanted) => {
        const page = Math.min(wanted, Math.ceil(total / PAGE_SIZE))
        const params = paginationParams('/admin/accounts', query, page, total)
        assert.ok(params)
        const links = [
          ...params.items.flatMap((item) => ('href' in item ? [{ href: item.href, page: item.number }] : [])),
          ...(params.previous ? [{ href: params.previous.href, page: page - 1 }] : []),
          ...(params.next ? [{ href: params.next.href, page: page + 1 }] : []),
        ]
        for (const link of links) {
          const url = new URL(link.href, BASE)
          assert.equal(url.origin, BASE)
          assert.equal(url.pathname, '/admin/accounts')
          assert.equal(url.searchParams.get('page'), String(link.page))
          for (const key of ['q', 'role', 'status'] as const) {
            assert.equal(url.searchParams.get(key), query[key] ? query[key] : null, `${key} in ${link.href}`)
          }
        }
      },
    ),
  )
})
