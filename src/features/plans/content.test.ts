import assert from 'node:assert/strict'
import { test } from 'node:test'
import { frameworkById } from '../../frameworks/index.ts'
import { emptyContent, missingForAgreement, nextStepText, outcomeLabels, outcomeOptions, parseContent, SECTIONS, sectionComplete } from './content.ts'
import { SECTION_FORMS, validateAgree } from './forms.ts'

const columns = { family_score: null, team_score: null, review_on: null }

test('an empty plan has every field of the template, empty', () => {
  const content = emptyContent()
  assert.deepEqual(content.meeting, { date: null, time: '', venue: '', virtual: null, coordinator: '' })
  assert.deepEqual(content.child, { name: '', dateOfBirth: null, address: '', postcode: '' })
  for (const list of ['familyMembers', 'practitioners', 'needs', 'actions'] as const) assert.deepEqual(content[list], [])
  for (const field of ['communicationNeeds', 'additionalNeeds', 'youngCarers', 'otherSupport', 'worries', 'goingWell', 'howWeWillKnow', 'nextStepDetails', 'leadProfessionalContact'] as const) {
    assert.equal(content[field], '')
  }
  assert.equal(content.nextStep, null)
  for (const s of SECTIONS) assert.equal(sectionComplete(s.id, content, columns), false, s.id)
})

test('stored content is checked: a missing field is filled in, a wrong one refused', () => {
  assert.equal(parseContent({ worries: 'Rent' }).worries, 'Rent')
  assert.equal(parseContent({ meeting: { venue: 'School' } }).meeting.date, null)
  assert.throws(() => parseContent({ nextStep: 'somewhere' }))
  assert.throws(() => parseContent({ actions: [{ id: 'not-a-uuid', what: 'x', who: 'y', dueOn: '2026-01-01' }] }))
})

test('outcomes come from each authority’s own framework', () => {
  const southend = outcomeOptions('southend').flatMap((f) => f.outcomes.map((o) => o.id))
  const essex = outcomeOptions('essex').flatMap((f) => f.outcomes.map((o) => o.id))
  assert.ok(southend.includes('school-ready'))
  assert.ok(!essex.includes('school-ready'))
  assert.ok(essex.includes('cyp-healthy'))
  assert.equal(outcomeOptions('essex')[0]?.name, frameworkById('essex')?.outcomeFramework.name)
  assert.equal(outcomeLabels('essex')['secure-housing'], 'Secure housing')
  assert.match(nextStepText('southend')['additional-support'], /Single Front Door/)
  assert.match(nextStepText('essex')['additional-support'], /Children & Families Hub/)
})

const context = { tenantId: 'southend', today: '2026-11-24', content: emptyContent(), columns }

test('sections: empty rows are ignored, removed rows dropped, part-filled rows need their name', () => {
  const form = SECTION_FORMS.practitioners
  const model = form.fromBody(
    {
      'practitioners-0-row': '1',
      'practitioners-0-name': 'Sam',
      'practitioners-0-role': 'Nurse',
      'practitioners-0-attended': 'yes',
      'practitioners-1-row': '1',
      'practitioners-1-name': 'Gone',
      'practitioners-1-role': 'Gone',
      'practitioners-1-remove': 'yes',
      'practitioners-2-row': '1',
    },
    context,
  )
  const result = form.validate(model, context)
  assert.ok(result.ok)
  assert.deepEqual(result.change.content.practitioners, [{ name: 'Sam', role: 'Nurse', contact: '', attended: 'yes', reportProvided: null }])
  const partial = form.validate(form.fromBody({ 'practitioners-0-contact': '0123' }, context), context)
  assert.ok(!partial.ok)
  assert.deepEqual(Object.keys(partial.errors), ['practitioners-0-name', 'practitioners-0-role'])
})

test('sections: a review date must be in the future, scores 0 to 10', () => {
  const review = SECTION_FORMS['review-date']
  const past = review.validate(review.fromBody({ 'reviewOn-day': '1', 'reviewOn-month': '1', 'reviewOn-year': '2026' }, context), context)
  assert.ok(!past.ok)
  assert.equal(past.errors.reviewOn, 'Review date must be today or in the future')
  const future = review.validate(review.fromBody({ 'reviewOn-day': '5', 'reviewOn-month': '1', 'reviewOn-year': '2027' }, context), context)
  assert.ok(future.ok)
  assert.equal(future.change.columns.review_on, '2027-01-05')
  const scores = SECTION_FORMS.scores
  const ok = scores.validate({ familyScore: '0', teamScore: '10' }, context)
  assert.ok(ok.ok)
  assert.deepEqual(ok.change.columns, { family_score: 0, team_score: 10 })
})

test('removing a need unlinks its actions', () => {
  const content = parseContent({
    needs: [{ id: 'n1', text: 'School' }],
    actions: [{ id: '11111111-1111-4111-8111-111111111111', needId: 'n1', what: 'Ring', who: 'Dana', dueOn: '2026-12-01' }],
  })
  const ctx = { ...context, content }
  const result = SECTION_FORMS.needs.validate(SECTION_FORMS.needs.fromBody({ 'needs-0-id': 'n1', 'needs-0-text': 'School', 'needs-0-remove': 'yes' }, ctx), ctx)
  assert.ok(result.ok)
  assert.deepEqual(result.change.content.needs, [])
  assert.equal(result.change.content.actions?.[0]?.needId, null)
})

test('a plan is agreed only once it holds the worries, a need, an action and both scores', () => {
  const empty = missingForAgreement(emptyContent(), { family_score: null, team_score: null, review_on: null })
  assert.deepEqual(Object.keys(empty), ['worries', 'needs', 'actions', 'scores'])
  const content = parseContent({
    worries: 'Mornings',
    needs: [{ id: 'n1', text: 'Calmer mornings' }],
    actions: [{ id: '00000000-0000-4000-8000-000000000009', what: 'Chart', who: 'Dana', dueOn: '2026-12-01' }],
  })
  assert.deepEqual(missingForAgreement(content, { family_score: 3, team_score: 4, review_on: null }), {})
})

test('agreeing needs consent and both typed signatures with real dates', () => {
  const result = validateAgree({ consent: '', assessorName: ' ', assessorSigned: { day: '', month: '', year: '' }, familySignatoryName: 'Dana', familySigned: { day: '1', month: '1', year: '2030' } }, '2026-11-24')
  assert.ok(!result.ok)
  assert.deepEqual(Object.keys(result.errors), ['consent', 'assessorName', 'assessorSigned', 'familySigned'])
  const refused = validateAgree({ consent: 'no', assessorName: 'Priya', assessorSigned: { day: '24', month: '11', year: '2026' }, familySignatoryName: 'Dana', familySigned: { day: '24', month: 'Nov', year: '2026' } }, '2026-11-24')
  assert.ok(!refused.ok, 'a plan is agreed only with the family’s consent')
  assert.deepEqual(Object.keys(refused.errors), ['consent'])
  const ok = validateAgree({ consent: 'yes', assessorName: 'Priya', assessorSigned: { day: '24', month: '11', year: '2026' }, familySignatoryName: 'Dana', familySigned: { day: '24', month: 'Nov', year: '2026' } }, '2026-11-24')
  assert.ok(ok.ok)
  assert.deepEqual(ok.value, { consentGiven: true, assessorName: 'Priya', assessorSignedOn: '2026-11-24', familySignatoryName: 'Dana', familySignedOn: '2026-11-24' })
})
