import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdentitySet } from './identity-set';

test('the identity table keeps every row id under its hash, through growth, collisions included', () => {
  const set = new IdentitySet(5); // not a power of two: rounded up
  const keys = Array.from({ length: 5000 }, (_, i) => IdentitySet.hash('aws', `event-${i}`, i * 7919));
  keys.forEach((k, i) => set.add(k, i + 1));
  assert.equal(set.size, 5000);
  keys.forEach((k, i) => assert.ok(set.has(k, (row) => row === i + 1)));
  assert.equal(set.has(IdentitySet.hash('aws', 'never-stored', 1), () => true), false);
  // Two identities that hash alike (forced here) are both kept: the writer confirms a hit against the row.
  set.add(keys[0]!, 99_999);
  const seen: number[] = [];
  assert.equal(set.has(keys[0]!, (row) => (seen.push(row), false)), false);
  assert.deepEqual(seen.sort((a, b) => a - b), [1, 99_999]);
  assert.ok(set.has(keys[0]!, (row) => row === 99_999));
});

test('the hash separates provider, native id and fingerprint, and is never the empty-slot marker', () => {
  const h = IdentitySet.hash('aws', 'a', 1);
  assert.notEqual(h, IdentitySet.hash('gcp', 'a', 1));
  assert.notEqual(h, IdentitySet.hash('aws', 'b', 1));
  assert.notEqual(h, IdentitySet.hash('aws', 'a', 2));
  assert.ok(Number.isSafeInteger(h) && h !== 0);
});

test('two hashes that share their stored 32-bit tag are both kept and told apart by the confirmation', () => {
  const set = new IdentitySet(4);
  const a = 12345;
  const b = a + 2 ** 32; // same low 32 bits
  set.add(a, 1);
  set.add(b, 2);
  assert.ok(set.has(a, (row) => row === 1));
  assert.ok(set.has(b, (row) => row === 2));
  assert.equal(set.has(b, (row) => row === 3), false);
  assert.throws(() => set.add(7, 2 ** 32), RangeError);
});
