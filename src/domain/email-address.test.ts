import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isEmailAddress } from './email-address.ts'

test('email addresses: the shapes people type are accepted, others refused', () => {
  for (const ok of ['name@example.com', 'jo.bloggs@school.essex.sch.uk', "o'brien+eh@example.org", 'a@b.c']) assert.equal(isEmailAddress(ok), true, ok)
  for (const bad of ['', 'name', 'name@', '@example.com', 'name@example', 'name@@example.com', 'na me@example.com', 'name@example..com', 'name@.example.com', 'name@example.com.', `${'a'.repeat(250)}@b.co`]) {
    assert.equal(isEmailAddress(bad), false, bad)
  }
})

test('email addresses: a very long hostile value is refused on its length', () => {
  assert.equal(isEmailAddress(`a@${'.a'.repeat(100_000)} `), false)
})
