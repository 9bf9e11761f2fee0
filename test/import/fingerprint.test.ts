// Fingerprints are part of every stored event's identity key: the hash must never change its values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyrb53, cyrb53Joined } from '../../shared/hash/cyrb53';

test('cyrb53 keeps the values stored in existing cases (fingerprints are part of the identity key)', () => {
  assert.equal(cyrb53('1717359432000\u0001AssumeRole\u0001\u0001success'), 5723092855500374);
  assert.equal(cyrb53('é\u0001x', 7), 8203348746955066);
});

test('cyrb53Joined equals cyrb53 of the joined text, for nulls, numbers, empty and non-ASCII parts', () => {
  const pick = (i: number, k: number) => [null, undefined, '', 'a', 'AssumeRole', 1717359432000, 0, -1.5, 'é中😀', '\u0001'][(i * 7 + k * 3) % 10];
  for (let i = 0; i < 200; i++) {
    const parts = Array.from({ length: (i % 16) + 1 }, (_, k) => pick(i, k));
    assert.equal(cyrb53Joined(parts, '\u0001', i), cyrb53(parts.join('\u0001'), i), JSON.stringify(parts));
  }
  assert.equal(cyrb53Joined([], '\u0001'), cyrb53(''));
});
