import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plural } from '../../shared/text/plural';

test('a count and its noun: singular for exactly one, plural otherwise, digits as they are', () => {
  assert.equal(plural(1, 'call'), '1 call');
  assert.equal(plural(2, 'call'), '2 calls');
  assert.equal(plural(0, 'other call'), '0 other calls');
  assert.equal(plural(1, 'privileged call'), '1 privileged call');
  assert.equal(plural(2000, 'privileged call'), '2000 privileged calls');
  assert.equal(plural(1, 'later sign-in'), '1 later sign-in');
  assert.equal(plural(3, 'later sign-in'), '3 later sign-ins');
});

test('an irregular noun gives its plural form', () => {
  assert.equal(plural(1, 'entry', 'entries'), '1 entry');
  assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  assert.equal(plural(0, 'entry', 'entries'), '0 entries');
});
