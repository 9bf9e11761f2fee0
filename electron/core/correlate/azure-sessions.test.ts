import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorrEvent } from '../../db/repos/correlate-repo';
import type { Outcome } from '../../../shared/domain/event';
import { foldOperationStages } from './azure-sessions';
import { callMember, countedMembers, type Member } from './session-graph';
import type { PrivilegeCatalog } from './ports';

const WRITE = 'Microsoft.Authorization/roleAssignments/write';
const catalog: PrivilegeCatalog = {
  version: 'test',
  classify: (_service, action) => (action.toLowerCase() === WRITE.toLowerCase() ? { category: 'permission-escalation', title: 'Permission escalation', weight: 25, attack: [] } : null),
};

let nextId = 0;
function record(o: { at: number; outcome: Outcome; action?: string; correlationId?: string | null; resource?: string; provider?: 'azure' | 'aws' }): CorrEvent {
  const id = ++nextId;
  return {
    id, nativeId: `r${id}`, provider: o.provider ?? 'azure', timeMs: o.at, service: 'Microsoft.Authorization', action: o.action ?? WRITE, outcome: o.outcome,
    errorCode: o.outcome === 'failure' ? 'AuthorizationFailed' : null, readOnly: 0, principalType: 'User', principalId: 'oid', principalName: 'mallory',
    principalAccount: 'tenant', sessionIssuer: null, targetAccount: 'sub', sourceIp: '185.220.101.4', sourceService: null, userAgent: null,
    credentialId: 'uti', issuedCredentialId: null, issuedPrincipal: null, sharedEventId: null,
    requestId: o.correlationId === undefined ? 'corr-1' : o.correlationId, targetResource: o.resource ?? '/subscriptions/sub/providers/Microsoft.Authorization/roleAssignments/a',
    identityProvider: null, sourceIdentity: null, sessionCreatedMs: null,
  } as CorrEvent;
}

const fold = (...events: CorrEvent[]): Member[] => {
  const members = events.map((e) => callMember(catalog, e, 0, 'credential', e.timeMs));
  foldOperationStages(members);
  return members;
};
const stageOf = (m: Member) => m.startOf?.nativeId ?? null;

test('Started and Accepted records are stages of the Succeeded record that follows: same role and class, counted once', () => {
  const started = record({ at: 1000, outcome: 'unknown' });
  const accepted = record({ at: 2000, outcome: 'unknown' });
  const done = record({ at: 9000, outcome: 'success' });
  const members = fold(started, accepted, done);
  assert.deepEqual(members.map(stageOf), [done.nativeId, done.nativeId, null]);
  assert.deepEqual(members.map((m) => m.role), ['privileged', 'privileged', 'privileged']);
  assert.equal(members[0]!.privilege?.category, 'permission-escalation');
  assert.equal(members[0]!.attempted, null, 'the start of a call that succeeded is no attempt');
  assert.deepEqual(countedMembers(members).map((m) => m.event.nativeId), [done.nativeId]);
});

test('a Started record of a refused operation takes its Failed record’s attempt; retries are separate operations', () => {
  const s1 = record({ at: 1000, outcome: 'unknown' });
  const f1 = record({ at: 2000, outcome: 'failure' });
  const s2 = record({ at: 3000, outcome: 'unknown' });
  const d2 = record({ at: 4000, outcome: 'success' });
  const members = fold(s1, f1, s2, d2);
  assert.deepEqual(members.map(stageOf), [f1.nativeId, null, d2.nativeId, null]);
  assert.deepEqual(members.map((m) => m.role), ['call', 'call', 'privileged', 'privileged']);
  assert.equal(members[0]!.attempted?.category, 'permission-escalation');
  assert.equal(countedMembers(members).length, 2);
});

test('records of other operations, resources, correlation ids or providers are not folded; an operation with no final record is its last record', () => {
  const a = record({ at: 1000, outcome: 'unknown', resource: '/subscriptions/sub/providers/Microsoft.Authorization/roleAssignments/a' });
  const b = record({ at: 2000, outcome: 'success', resource: '/subscriptions/sub/providers/Microsoft.Authorization/roleAssignments/b' });
  const other = record({ at: 3000, outcome: 'success', action: 'Microsoft.Compute/virtualMachines/write' });
  const noCorrelation = record({ at: 4000, outcome: 'unknown', correlationId: null });
  const noCorrelationDone = record({ at: 5000, outcome: 'success', correlationId: null });
  const aws = record({ at: 6000, outcome: 'unknown', correlationId: 'corr-2', provider: 'aws' });
  const awsDone = record({ at: 7000, outcome: 'success', correlationId: 'corr-2', provider: 'aws' });
  const started = record({ at: 8000, outcome: 'unknown', correlationId: 'corr-3' });
  const accepted = record({ at: 9000, outcome: 'unknown', correlationId: 'CORR-3' });
  const members = fold(a, b, other, noCorrelation, noCorrelationDone, aws, awsDone, started, accepted);
  assert.deepEqual(members.map(stageOf), [null, null, null, null, null, null, null, accepted.nativeId, null]);
  assert.equal(members[8]!.attempted?.category, 'permission-escalation', 'a privileged operation with no outcome is an attempt');
});

test('a foreign token’s entry that is a Started record is marked as the start of its operation but stays the entry', () => {
  const started = record({ at: 1000, outcome: 'unknown' });
  const done = record({ at: 2000, outcome: 'success' });
  const members = [
    { event: started, role: 'entry', depth: 0, link: 'entry', privilege: null, attempted: catalog.classify(null, WRITE), offsetMs: 0 } satisfies Member,
    callMember(catalog, done, 0, 'credential', 1000),
  ];
  foldOperationStages(members);
  assert.deepEqual(members.map(stageOf), [done.nativeId, null]);
  assert.equal(members[0]!.role, 'entry');
  assert.equal(members[0]!.attempted, null, 'not an attempt without outcome: its operation succeeded');
  assert.equal(members[0]!.privilege?.category, 'permission-escalation', 'its timeline row carries the operation’s category');
  assert.deepEqual(countedMembers(members).map((m) => m.event.nativeId), [done.nativeId]);
});
