import { frameworkById } from '../frameworks/index.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { Database } from '../platform/db/database.ts'
import { savePerson, saveSection, startRequest, submitPriorityRequest, submitRequest } from '../features/requests/service.ts'

/**
 * A few fictional requests for support in each authority, sent by its demonstration practitioner
 * through the same services a person uses, so the front door queue has something in it: one with
 * three presenting issues, one with one, and one priority. Loaded once, like the accounts.
 */
export async function loadDemoRequests(db: Database, now: Date): Promise<boolean> {
  const claimed = await db.system
    .insertInto('seed_runs')
    .values({ name: 'demo-requests' })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst()
  if (!claimed) return false
  for (const tenantId of ['essex', 'southend']) {
    const framework = frameworkById(tenantId)
    const account = await db.system
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', `practitioner@${tenantId}.example`)
      .executeTakeFirst()
    if (!framework || !account) continue
    const actor: Actor = { accountId: account.id, tenantId, role: 'practitioner', ip: null, requestId: null }
    const domains = framework.indicatorDomains
    const indicators = domains.slice(0, 3).map((d) => d.indicators[0]?.id).filter((id): id is string => !!id)
    const difficulties = framework.familySolutions?.difficulties.slice(0, 2).map((d) => d.id) ?? []
    const postcode = tenantId === 'essex' ? 'CM1 1AA' : 'SS1 1AA'
    await demoRequest(db, actor, new Date(now.getTime() - 26 * 3600_000), {
      child: { givenName: 'Ruby', familyName: 'Hart', dateOfBirth: '2015-09-12' },
      adult: { givenName: 'Dean', familyName: 'Hart', relationship: 'Father' },
      postcode,
      indicators,
      difficulties,
      worries: ['Ruby says home is noisy and she cannot sleep.', 'Ruby’s attendance has fallen to 70% and she is withdrawn.'],
    })
    await demoRequest(db, actor, new Date(now.getTime() - 3 * 3600_000), {
      child: { givenName: 'Leo', familyName: 'Mensah', dateOfBirth: '2019-02-03' },
      adult: { givenName: 'Abena', familyName: 'Mensah', relationship: 'Mother' },
      postcode,
      indicators: indicators.slice(0, 1),
      difficulties: [],
      worries: ['We would like help with Leo’s sleep and behaviour.', 'Mum is coping alone and asked the nursery for help.'],
    })
    await submitPriorityRequest(
      db,
      actor,
      { childName: 'Jay Coleman', address: 'At school now', postcode, happening: 'Jay has a mark on his face and says he is scared to go home.', phone: '01632 960 001' },
      new Date(now.getTime() - 20 * 60_000),
    )
  }
  return true
}

interface DemoFamily {
  child: { givenName: string; familyName: string; dateOfBirth: string }
  adult: { givenName: string; familyName: string; relationship: string }
  postcode: string
  indicators: string[]
  difficulties: string[]
  worries: [string, string]
}

async function demoRequest(db: Database, actor: Actor, sentAt: Date, family: DemoFamily): Promise<void> {
  const id = await startRequest(db, actor, '01632 960 001')
  await saveSection(db, actor, id, 'address', { line1: '1 Demonstration Road', line2: undefined, town: 'Demonstration Town', postcode: family.postcode, communication: undefined, interpreter: 'no', language: undefined })
  await saveSection(db, actor, id, 'worries', { familyWords: family.worries[0], referrerWords: family.worries[1] })
  await saveSection(db, actor, id, 'needs', { indicators: family.indicators, vulnerabilities: [], difficulties: family.difficulties })
  await saveSection(db, actor, id, 'support', { levelAskedFor: '2', triedAlready: undefined })
  await saveSection(db, actor, id, 'strengths', { strengths: 'A loving family who want things to change.', childViews: 'Wants things to be calmer at home.', parentViews: 'Would welcome support.' })
  await saveSection(db, actor, id, 'consent', { significantHarm: 'no', consentGiven: 'yes', consentRiskDetail: undefined })
  await savePerson(db, actor, id, null, { kind: 'child', givenName: family.child.givenName, familyName: family.child.familyName, dateOfBirth: family.child.dateOfBirth, dueDate: null, nhsNumber: null, details: { sex: 'unknown' } })
  const child = await db.system.selectFrom('request_people').select('id').where('request_id', '=', id).executeTakeFirstOrThrow()
  await savePerson(db, actor, id, null, {
    kind: 'adult',
    givenName: family.adult.givenName,
    familyName: family.adult.familyName,
    dateOfBirth: null,
    dueDate: null,
    nhsNumber: null,
    details: { livesWithFamily: 'yes', relationships: { [child.id]: family.adult.relationship } },
  })
  const sent = await submitRequest(db, actor, id, sentAt)
  if (!sent.ok) throw new Error(`A demonstration request could not be sent: ${JSON.stringify(sent)}`)
}
