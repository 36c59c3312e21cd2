import assert from 'node:assert/strict'
import { test } from 'node:test'
import { comparePlans, type PlanSnapshot } from './compare.ts'
import { emptyContent, nextStepText, parseContent } from './content.ts'

const A1 = '11111111-1111-4111-8111-111111111111'
const A2 = '22222222-2222-4222-8222-222222222222'
const A3 = '33333333-3333-4333-8333-333333333333'
const labels = { outcomes: { 'school-ready': 'Children are school ready', 'good-education': 'Getting a good education' }, nextSteps: nextStepText('southend') }

function snapshot(number: number, over: Partial<PlanSnapshot> = {}, content: Record<string, unknown> = {}): PlanSnapshot {
  return { number, kind: number === 1 ? 'initial' : 'review', familyScore: 3, teamScore: 4, reviewOn: '2026-12-01', content: parseContent({ ...emptyContent(), ...content }), ...over }
}

const action = (id: string, what: string, status = 'open', dueOn = '2026-12-01') => ({ id, needId: null, what, who: 'Dana', dueOn, status })

test('identical versions have nothing to show', () => {
  const same = { worries: 'Rent', actions: [action(A1, 'Ring the school')] }
  const result = comparePlans(snapshot(1, { kind: 'review' }, same), snapshot(2, {}, same), labels)
  assert.equal(result.unchanged, true)
  assert.deepEqual(result.fields, [])
})

test('each changed field with before and after, in the template’s order', () => {
  const result = comparePlans(
    snapshot(1, {}, { worries: 'Rent arrears', needs: [{ id: 'n1', text: 'Go to school', outcomeIds: ['school-ready'], headlineIds: [] }] }),
    snapshot(2, { reviewOn: '2027-01-05' }, { worries: 'Arrears paid', goingWell: 'A new job', needs: [{ id: 'n1', text: 'Go to school', outcomeIds: ['school-ready'], headlineIds: ['good-education'] }], nextStep: 'universal' }),
    labels,
  )
  assert.deepEqual(
    result.fields.map((f) => f.field),
    ['Kind of meeting', 'What we are worried about', 'What is going well', 'What needs to change', 'Next step', 'Review date'],
  )
  assert.deepEqual(result.fields[1], { field: 'What we are worried about', before: 'Rent arrears', after: 'Arrears paid' })
  assert.equal(result.fields[3]?.after, 'Go to school (outcomes: Children are school ready; Getting a good education)')
  assert.equal(result.fields[4]?.after, 'Support to continue at universal level')
  assert.equal(result.unchanged, false)
})

test('scores before and after', () => {
  const result = comparePlans(snapshot(1), snapshot(2, { familyScore: 6, teamScore: null }), labels)
  assert.deepEqual(result.scores, { family: { before: 3, after: 6 }, team: { before: 4, after: null } })
  assert.equal(result.unchanged, false)
})

test('actions matched by id: added, removed and changed', () => {
  const result = comparePlans(
    snapshot(1, {}, { actions: [action(A1, 'Ring the school'), action(A2, 'Book a course')] }),
    snapshot(2, {}, { actions: [action(A2, 'Book a parenting course', 'done', '2026-12-08'), action(A3, 'Join the food club')] }),
    labels,
  )
  assert.deepEqual(
    result.actions.added.map((a) => a.what),
    ['Join the food club'],
  )
  assert.deepEqual(
    result.actions.removed.map((a) => a.what),
    ['Ring the school'],
  )
  assert.deepEqual(result.actions.changed, [
    {
      what: 'Book a parenting course',
      changes: [
        { field: 'What', before: 'Book a course', after: 'Book a parenting course' },
        { field: 'By when', before: '2026-12-01', after: '2026-12-08' },
        { field: 'Status', before: 'To do', after: 'Done' },
      ],
    },
  ])
})

test('lists of people compare as lines', () => {
  const member = (name: string, attended: string | null) => ({ personId: null, name, relationship: 'Mother', attended, viewsGained: 'yes', ethnicity: '' })
  const result = comparePlans(snapshot(1, {}, { familyMembers: [member('Dana', 'no')] }), snapshot(2, {}, { familyMembers: [member('Dana', 'yes'), member('Lee', null)] }), labels)
  const change = result.fields.find((f) => f.field === 'Family members')
  assert.equal(change?.before, 'Dana (Mother; attended: no; views gained: yes)')
  assert.equal(change?.after, 'Dana (Mother; attended: yes; views gained: yes)\nLee (Mother; attended: not recorded; views gained: yes)')
})
