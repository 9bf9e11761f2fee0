// The words the timeline legend, its rows, the inspector and the report use for a chain's parts, per cloud.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainRoleLabel, hasVendorList } from '../../shared/domain/chain-words';

test('a hop is named in its own cloud\'s terms; the other parts the same everywhere', () => {
  assert.equal(chainRoleLabel('assume', 'aws'), 'role hop');
  assert.equal(chainRoleLabel('assume', 'azure'), 'later sign-in');
  assert.equal(chainRoleLabel('assume', 'gcp'), 'impersonation hop');
  assert.equal(chainRoleLabel('assume', 'oci'), 'hop', 'a cloud this version does not know gets a word wrong for none');
  for (const p of ['aws', 'azure', 'gcp']) {
    assert.deepEqual(['entry', 'privileged', 'call'].map((r) => chainRoleLabel(r as 'entry', p)), ['entry', 'privileged call', 'other call']);
  }
});

test('only AWS callers are looked up in a known-vendor list', () => {
  assert.deepEqual(['aws', 'azure', 'gcp'].map(hasVendorList), [true, false, false]);
});
