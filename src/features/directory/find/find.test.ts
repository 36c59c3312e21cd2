import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type Agent, type TestContext } from '../../../test/context.ts'
import { errorSummary, inputValue, text } from '../../../test/html.ts'
import { findRepository } from './repository.ts'
import { FIND_PAGE_SIZE } from './service.ts'
import { addService } from './test-data.ts'

let ctx: TestContext
let visitor: Agent

before(async () => {
  ctx = await createTestContext()
  visitor = ctx.visitor()
})
after(() => ctx.close())

/** The names of the services in the results, in the order shown. */
function resultNames(html: string): string[] {
  return [...html.matchAll(/<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]*">([^<]*)<\/a><\/h3>/g)].map((m) => text(m[1] ?? ''))
}

function foundText(html: string): string {
  return text(/<h2 class="govuk-heading-m" id="results-count">([^]*?)<\/h2>/.exec(html)?.[1] ?? '')
}

/** A made-up word no other test's services use, so each test searches its own services. */
const marker = () => `zq${randomUUID().replaceAll('-', '').slice(0, 10).replace(/\d/g, 'x')}`

test('the public pages need no account: choose the council, then search', async () => {
  const choose = await visitor.get('/find-support')
  assert.equal(choose.statusCode, 200)
  assert.match(choose.body, /href="\/find-support\/essex"/)
  assert.match(choose.body, /href="\/find-support\/southend"/)
  const page = await visitor.get('/find-support/essex')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<form method="get" action="\/find-support\/essex"/)
  assert.match(page.body, /Essex County Council/)
  assert.match(page.body, /href="\/api\/open-referral\/"/, 'the open data is mentioned')
  for (const locality of ['North East', 'West', 'Mid', 'South']) assert.match(page.body, new RegExp(`<option value="[a-z-]+"\\s*>${locality}</option>`))
  assert.equal((await visitor.get('/find-support/nowhere')).statusCode, 404)
  assert.equal((await visitor.get('/find-support/ESSEX')).statusCode, 404)
})

test('a keyword finds active services only, best match first, with what a family needs to choose', async () => {
  const word = marker()
  await addService(ctx.db, 'essex', {
    name: `Positive parenting ${word}`,
    description: `Group sessions for parents. ${word} ${word}`,
    organization: { name: 'Chelmer Family Support Trust' },
    minimumAge: 5,
    maximumAge: 11,
    localities: ['mid'],
    referralRoutes: ['self', 'professional'],
  })
  await addService(ctx.db, 'essex', { name: 'Another group', description: `Mentions ${word} once` })
  await addService(ctx.db, 'essex', { name: `Closed ${word}`, description: word, status: 'inactive' })
  await addService(ctx.db, 'southend', { name: `Southend ${word}`, description: word })

  const page = await visitor.get(`/find-support/essex?q=${word}`)
  assert.equal(page.statusCode, 200)
  assert.equal(foundText(page.body), '2 services found')
  assert.deepEqual(resultNames(page.body), [`Positive parenting ${word}`, 'Another group'])
  const body = text(page.body)
  assert.match(body, /Chelmer Family Support Trust/)
  assert.match(body, /Ages 5 to 11 years/)
  assert.match(body, /Where Mid/)
  assert.match(body, /How to get help Contact them yourself; Through a professional/)
  assert.equal(inputValue(page.body, 'q'), word, 'the search is kept in the box')
})

test('each filter narrows the results: category, age, level, area and postcode district', async () => {
  const word = marker()
  const base = { description: `Support ${word}` }
  await addService(ctx.db, 'essex', { ...base, name: 'A parenting mid 5-11 L2 CM2', categories: ['parenting'], minimumAge: 5, maximumAge: 11, levels: [2], localities: ['mid'], postcode: 'CM2 0JQ' })
  await addService(ctx.db, 'essex', { ...base, name: 'B youth west 11-18 L3 CM20', categories: ['youth'], minimumAge: 11, maximumAge: 18, levels: [3], localities: ['west'], postcode: 'CM20 1AA' })
  await addService(ctx.db, 'essex', { ...base, name: 'C parenting all ages L1-2 everywhere', categories: ['parenting', 'health'], levels: [1, 2], localities: ['north-east', 'west', 'mid', 'south'] })

  const names = async (query: string) => {
    const page = await visitor.get(`/find-support/essex?q=${word}&${query}`)
    assert.equal(page.statusCode, 200, query)
    return resultNames(page.body)
  }
  assert.deepEqual(await names('category=parenting'), ['A parenting mid 5-11 L2 CM2', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('category=youth&category=health'), ['B youth west 11-18 L3 CM20', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('age=7'), ['A parenting mid 5-11 L2 CM2', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('age=16'), ['B youth west 11-18 L3 CM20', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('level=2'), ['A parenting mid 5-11 L2 CM2', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('level=3'), ['B youth west 11-18 L3 CM20'])
  assert.deepEqual(await names('locality=west'), ['B youth west 11-18 L3 CM20', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('postcode=cm2+0jq'), ['A parenting mid 5-11 L2 CM2'], 'a full postcode matches its district')
  assert.deepEqual(await names('postcode=CM20'), ['B youth west 11-18 L3 CM20'], 'a district alone, and CM2 is not CM20')
  // Filters combine: a parenting service for a 7-year-old in Mid Essex.
  assert.deepEqual(await names('category=parenting&age=7&locality=mid'), ['A parenting mid 5-11 L2 CM2', 'C parenting all ages L1-2 everywhere'])
  assert.deepEqual(await names('category=parenting&age=7&locality=mid&level=1'), ['C parenting all ages L1-2 everywhere'])

  const none = await visitor.get(`/find-support/essex?q=${word}&category=youth&age=3`)
  assert.equal(foundText(none.body), '0 services found')
  assert.match(text(none.body), /There are no services that match your search/)
  assert.match(text(none.body), /removing some of the filters/)
  assert.match(none.body, /name="category" type="checkbox" value="youth" checked/, 'the filters are kept')
  assert.equal(inputValue(none.body, 'age'), '3')
})

test('what a family types wrong is explained, with what they typed kept, never a server error', async () => {
  const cases: [string, string, string][] = [
    ['age=seven', '#age', 'Enter the child’s age as a number, like 7'],
    ['age=-1', '#age', 'Enter the child’s age as a number, like 7'],
    ['age=200', '#age', 'Enter an age from 0 to 25'],
    ['category=made-up', '#category', 'Select a type of support from the list'],
    ['level=9', '#level', 'Select a level of need from the list'],
    ['locality=narnia', '#locality', 'Select an area from the list'],
    ['postcode=XYZ', '#postcode', 'Enter a real postcode, like CM2 0JQ, or the first part of one, like CM2'],
    [`q=${'x'.repeat(201)}`, '#q', 'Search words must be 200 characters or fewer'],
  ]
  for (const [query, href, message] of cases) {
    const page = await visitor.get(`/find-support/essex?${query}`)
    assert.equal(page.statusCode, 400, query)
    assert.deepEqual(errorSummary(page.body), [{ href, text: message }], query)
    assert.match(page.body, /<title>Error: /)
  }
  const kept = await visitor.get('/find-support/essex?age=seven&postcode=nope&q=parenting')
  assert.equal(inputValue(kept.body, 'age'), 'seven')
  assert.equal(inputValue(kept.body, 'postcode'), 'nope')
  assert.equal(inputValue(kept.body, 'q'), 'parenting')
  // Odd shapes of query string are read, not crashed on.
  for (const query of ['q[]=a', 'age=1&age=2', 'page=abc', 'page=99999999', "q=' or 1=1 --", 'q=%00', 'q=!!!&&&|||', 'category=']) {
    const page = await visitor.get(`/find-support/essex?${query}`)
    assert.ok(page.statusCode === 200 || page.statusCode === 400, `${query}: ${page.statusCode}`)
  }
  // Southend has one area: the area filter is not offered, and an Essex one is refused.
  const southend = await visitor.get('/find-support/southend?locality=mid')
  assert.equal(southend.statusCode, 400)
})

test('results page by page, every filter kept in the links', async () => {
  const word = marker()
  const total = FIND_PAGE_SIZE + 5
  for (let i = 0; i < total; i++) {
    await addService(ctx.db, 'essex', { name: `Paged ${String(i).padStart(2, '0')}`, description: word, categories: ['activities'], minimumAge: 0, maximumAge: 18 })
  }
  await addService(ctx.db, 'essex', { name: 'Paged but not leisure', description: word, categories: ['health'] })
  const first = await visitor.get(`/find-support/essex?q=${word}&category=activities&age=9`)
  assert.equal(foundText(first.body), `${total} services found`)
  assert.match(text(first.body), new RegExp(`Showing 1 to ${FIND_PAGE_SIZE}`))
  const shown = resultNames(first.body)
  assert.equal(shown.length, FIND_PAGE_SIZE)
  const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.body)?.[1]?.replaceAll('&amp;', '&')
  assert.equal(next, `/find-support/essex?q=${word}&category=activities&age=9&page=2`)
  const second = await visitor.get(next)
  assert.equal(second.statusCode, 200)
  const rest = resultNames(second.body)
  assert.equal(rest.length, 5)
  assert.match(text(second.body), new RegExp(`Showing ${FIND_PAGE_SIZE + 1} to ${total}`))
  assert.deepEqual([...shown, ...rest], Array.from({ length: total }, (_, i) => `Paged ${String(i).padStart(2, '0')}`), 'each once, in name order')
  const previous = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="prev">/.exec(second.body)?.[1]?.replaceAll('&amp;', '&')
  assert.equal(previous, `/find-support/essex?q=${word}&category=activities&age=9`)
  const beyond = await visitor.get(`/find-support/essex?q=${word}&category=activities&page=9`)
  assert.equal(beyond.statusCode, 200)
  assert.match(text(beyond.body), /There are no results on this page/)
})

test('a service page a family can understand; another authority’s or an inactive service is not found', async () => {
  const organisation = 'Chelmer Family Support Trust (demonstration)'
  const id = await addService(ctx.db, 'essex', {
    name: 'Family Matters parenting course',
    description: 'A friendly 8-week course for parents of children aged 5 to 11.',
    organization: { name: organisation },
    minimumAge: 5,
    maximumAge: 11,
    levels: [1, 2],
    localities: ['mid'],
    categories: ['parenting'],
    referralRoutes: ['self', 'request-for-support'],
    howToRefer: 'Call us or fill in the form on our website.',
    capacity: 'Places available on the next course, starting in January',
    lastCheckedOn: '2026-10-01',
    postcode: 'CM2 0JQ',
    phone: '01632 960123',
    email: 'family-matters@example.org',
    url: 'https://family-matters.example.org/',
    extra: {
      schedules: [{ id: randomUUID(), freq: 'WEEKLY', byday: 'TU,TH', opens_at: '09:30', closes_at: '11:30' }],
      cost_options: [{ id: randomUUID(), option: 'Each session', amount: 0 }],
      languages: [{ id: randomUUID(), name: 'English' }, { id: randomUUID(), name: 'Polish' }],
    },
  })
  const page = await visitor.get(`/find-support/essex/services/${id}`)
  assert.equal(page.statusCode, 200)
  const body = text(page.body)
  for (const expected of [
    'Family Matters parenting course',
    organisation,
    'A friendly 8-week course for parents',
    'Ages: 5 to 11 years',
    'Area: Mid',
    'Level 1: Universal',
    'Level 2: Additional',
    'You can contact the service yourself.',
    'Through a request for support',
    'Call us or fill in the form on our website.',
    'Places available on the next course',
    'Telephone: 01632 960123',
    'Email: family-matters@example.org',
    'Website: https://family-matters.example.org/',
    'Family Matters parenting course venue',
    '1 Example Street',
    'CM2 0JQ',
    'Every week on Tuesday and Thursday, 9:30am to 11:30am',
    'Each session: Free',
    'English, Polish',
    'These details were last checked on 1 October 2026.',
  ]) {
    assert.ok(body.includes(expected), `shows ${expected}`)
  }
  assert.match(page.body, /href="\/help\/essex"/)
  assert.ok(!body.includes('A professional who works with your family'), 'only the routes it has')

  const southendId = await addService(ctx.db, 'southend', { name: 'Southend only' })
  const inactive = await addService(ctx.db, 'essex', { name: 'Closed down', status: 'defunct' })
  assert.equal((await visitor.get(`/find-support/essex/services/${southendId}`)).statusCode, 404)
  assert.equal((await visitor.get(`/find-support/southend/services/${southendId}`)).statusCode, 200)
  assert.equal((await visitor.get(`/find-support/essex/services/${inactive}`)).statusCode, 404)
  for (const bad of ['not-an-id', randomUUID(), id.toUpperCase(), `${id}x`]) {
    const response = await visitor.get(`/find-support/essex/services/${encodeURIComponent(bad)}`)
    assert.equal(response.statusCode, 404, bad)
    assert.match(response.body, /Page not found/)
  }
  assert.equal((await visitor.get(`/find-support/nowhere/services/${id}`)).statusCode, 404)
})

test('what a service record says is shown as text; only web addresses become links', async () => {
  const id = await addService(ctx.db, 'essex', {
    name: '<script>alert(1)</script>',
    description: '<b>bold</b>',
    url: 'javascript:alert(1)',
  })
  const page = await visitor.get(`/find-support/essex/services/${id}`)
  assert.equal(page.statusCode, 200)
  assert.ok(!page.body.includes('<script>alert(1)</script>'))
  assert.ok(!page.body.includes('<b>bold</b>'))
  assert.ok(!page.body.includes('javascript:alert'))
})

test('5,000 services: the first page and the count come from the indexes, correctly', async () => {
  const tenant = 'southend'
  await sql`
    insert into directory_services (id, tenant_id, name, description, status, document, levels, localities, categories, postcode_districts, minimum_age, maximum_age)
    select s.id, ${tenant}, 'Bulk service ' || lpad(s.i::text, 4, '0'),
           case when s.i % 100 = 0 then 'Swimming lessons for toddlers' else 'General family support and advice' end,
           case when s.i % 10 = 0 then 'inactive' else 'active' end,
           jsonb_build_object('id', s.id, 'name', 'Bulk service ' || lpad(s.i::text, 4, '0'), 'status', 'active'),
           array[(s.i % 4) + 1]::smallint[], array['southend-city-wide'], array[case when s.i % 2 = 0 then 'activities' else 'parenting' end],
           array['SS' || (s.i % 9 + 1)::text], s.i % 12, (s.i % 12) + 6
    from (select gen_random_uuid() as id, i from generate_series(1, 5000) as i) s`.execute(ctx.db.system)
  // As autovacuum would after a bulk load: the statistics, and the GIN indexes' pending entries merged.
  await sql`vacuum analyze directory_services`.execute(ctx.db.system)

  // "swimming" is in every 100th, and every 10th is inactive: 50 match, none of them active except those not divisible by 10 — so none.
  const swimming = await visitor.get('/find-support/southend?q=swimming+lessons')
  assert.equal(swimming.statusCode, 200)
  assert.equal(foundText(swimming.body), '0 services found', 'inactive services are never found')

  const toddlers = await visitor.get('/find-support/southend?q=family+support&category=parenting&level=2')
  assert.equal(toddlers.statusCode, 200)
  // Odd i with i % 4 == 1 (level 2), active (i % 10 != 0: always for odd i), description "General family support".
  const expected = Array.from({ length: 5000 }, (_, k) => k + 1).filter((i) => i % 2 === 1 && i % 4 === 1 && i % 100 !== 0)
  assert.equal(foundText(toddlers.body), `${expected.length} services found`)
  assert.deepEqual(resultNames(toddlers.body), expected.slice(0, FIND_PAGE_SIZE).map((i) => `Bulk service ${String(i).padStart(4, '0')}`))

  const all = await visitor.get('/find-support/southend?page=3')
  const active = await ctx.db.system.selectFrom('directory_services').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenant).where('status', '=', 'active').executeTakeFirstOrThrow()
  assert.equal(foundText(all.body), `${active.n} services found`)
  assert.equal(resultNames(all.body).length, FIND_PAGE_SIZE)

  // The plans: the keyword through the GIN index on the tsvector, the name order through the name index.
  // On the owner's connection, as searchDirectory runs them (under row-level security no GIN index is used).
  const plans = await ctx.db.system.transaction().execute(async (trx) => {
    const filters = { categories: [], age: undefined, level: undefined, locality: undefined, district: undefined }
    const keyword = await findRepository.pageQuery(trx, tenant, { ...filters, q: 'swimming' }, FIND_PAGE_SIZE, 0).explain()
    const keywordCount = await findRepository.countQuery(trx, tenant, { ...filters, q: 'swimming' }).explain()
    const byName = await findRepository.pageQuery(trx, tenant, { ...filters, q: undefined }, FIND_PAGE_SIZE, 0).explain()
    const district = await findRepository.countQuery(trx, tenant, { ...filters, q: undefined, district: 'SS3' }).explain()
    const plan = (rows: Record<string, unknown>[]) => rows.map((r) => String(Object.values(r)[0])).join('\n')
    return { keyword: plan(keyword), keywordCount: plan(keywordCount), byName: plan(byName), district: plan(district) }
  })
  assert.match(plans.keyword, /directory_services_search/, plans.keyword)
  assert.match(plans.keywordCount, /directory_services_search/, plans.keywordCount)
  assert.match(plans.byName, /directory_services_name/, plans.byName)
  assert.doesNotMatch(plans.byName, /Sort/, 'the first page by name needs no sort')
  assert.match(plans.district, /directory_services_districts/, plans.district)
})
