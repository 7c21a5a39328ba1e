import { expect, test } from 'vitest'
import { canonicalJson, GENESIS_HASH, rowHash } from './audit.ts'

test('canonical JSON does not depend on the order keys were written in', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}')
})

test('a row’s hash changes with any field and with the hash before it', () => {
  const row = {
    id: 1,
    occurred_at: new Date('2026-11-02T10:00:00Z'),
    actor_id: null,
    action: 'sign_in',
    case_id: null,
    subject: null,
    justification: null,
    details: {},
    prev_hash: GENESIS_HASH,
  }
  const base = rowHash(row)
  expect(base).toMatch(/^[0-9a-f]{64}$/)
  expect(rowHash({ ...row })).toBe(base)
  expect(rowHash({ ...row, justification: 'x' })).not.toBe(base)
  expect(rowHash({ ...row, id: 2 })).not.toBe(base)
  expect(rowHash({ ...row, prev_hash: 'f'.repeat(64) })).not.toBe(base)
})
