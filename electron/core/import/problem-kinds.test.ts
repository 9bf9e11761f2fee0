import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeAuditRefusal } from './azure/normalize-azure-activity';
import { foldedReason, problemKind, unfoldReason } from './problem-kinds';
import { UNSUPPORTED_KIND } from './record-kind';

test('records of kinds that are not audit logs are "out of scope"; damaged and unrecognised input is not', () => {
  for (const kind of ['entra-audit', 'gcp-other-log', 'office-activity'] as const) assert.equal(problemKind(UNSUPPORTED_KIND[kind]!), 'out-of-scope', kind);
  assert.equal(problemKind(kubeAuditRefusal('kube-audit-admin')), 'out-of-scope');
  for (const reason of [UNSUPPORTED_KIND.unknown!, 'invalid JSON: Unexpected token o', 'truncated gzip stream', 'empty file', `x${UNSUPPORTED_KIND['entra-audit']}`]) {
    assert.equal(problemKind(reason), 'damaged', reason);
  }
});

test('a folded problem line gives back its reason and how many records it stands for', () => {
  assert.deepEqual(unfoldReason(foldedReason(8, 'invalid JSON: x')), { reason: 'invalid JSON: x', records: 8 });
  assert.deepEqual(unfoldReason(foldedReason(1, 'empty file')), { reason: 'empty file', records: 1 });
  assert.deepEqual(unfoldReason('invalid JSON: x'), { reason: 'invalid JSON: x', records: 1 });
});
