import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorrEvent } from '../../db/repos/correlate-repo';
import type { Outcome } from '../../../shared/domain/event';
import { activityStatus, foldOperationStages } from './azure-sessions';
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

const fold = (...events: CorrEvent[]): Member[] => foldWith(() => false, ...events);
/** Members in (time, row id) order, as the chain collects them, folded with `isCanceled` telling a final Canceled record. */
const foldWith = (isCanceled: (e: CorrEvent) => boolean, ...events: CorrEvent[]): Member[] => {
  const members = events.map((e) => callMember(catalog, e, 0, 'credential', e.timeMs)).sort((a, b) => a.event.timeMs - b.event.timeMs || a.event.id - b.event.id);
  foldOperationStages(members, isCanceled);
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

test('at the same time a Started record folds into its Succeeded record whatever their row order (REST pages list the newest first)', () => {
  const done = record({ at: 5000, outcome: 'success' });
  const started = record({ at: 5000, outcome: 'unknown' });
  assert.ok(done.id < started.id, 'the Succeeded record was imported first');
  const members = fold(started, done);
  assert.deepEqual(members.map((m) => [m.event.nativeId, stageOf(m)]), [[done.nativeId, null], [started.nativeId, done.nativeId]]);
  assert.equal(members[1]!.attempted, null, 'the start of an operation that succeeded is no attempt');
  assert.deepEqual(countedMembers(members).map((m) => m.event.nativeId), [done.nativeId]);
  // A retry started at the same time as the first attempt ended: still two operations.
  const failed = record({ at: 7000, outcome: 'failure' });
  const retried = record({ at: 8000, outcome: 'success' });
  const retryStarted = record({ at: 8000, outcome: 'unknown' });
  const twice = fold(retried, retryStarted, failed, record({ at: 6000, outcome: 'unknown' }));
  assert.equal(countedMembers(twice).length, 2);
  assert.deepEqual(twice.filter((m) => m.startOf).map((m) => stageOf(m)), [failed.nativeId, retried.nativeId]);
});

test('a Canceled record ends its operation: Started, Canceled, Started, Succeeded is a cancelled attempt and a successful retry', () => {
  const s1 = record({ at: 1000, outcome: 'unknown' });
  const canceled = record({ at: 2000, outcome: 'unknown' });
  const s2 = record({ at: 3000, outcome: 'unknown' });
  const done = record({ at: 4000, outcome: 'success' });
  const asked: string[] = [];
  const members = foldWith((e) => (asked.push(e.nativeId), e.id === canceled.id), s1, canceled, s2, done);
  assert.deepEqual(members.map(stageOf), [canceled.nativeId, null, done.nativeId, null]);
  assert.deepEqual(members.map((m) => m.role), ['call', 'call', 'privileged', 'privileged']);
  assert.equal(members[1]!.canceled, true);
  assert.equal(members[1]!.attempted?.category, 'permission-escalation', 'a cancelled privileged operation is an attempt');
  assert.equal(members[0]!.attempted?.category, 'permission-escalation');
  assert.deepEqual(countedMembers(members).map((m) => m.event.nativeId), [canceled.nativeId, done.nativeId]);
  assert.deepEqual(asked, [canceled.nativeId], 'only a record that could end an open operation is looked up');

  // A lone privileged record with no outcome is looked up too: its attempt is then said to be cancelled, not unsettled.
  const lone = record({ at: 9000, outcome: 'unknown', correlationId: 'corr-9' });
  const [m] = foldWith((e) => e.id === lone.id, lone);
  assert.equal(m!.canceled, true);
  assert.equal(stageOf(m!), null);
});

test('activityStatus reads the status an Azure record was logged with: REST, diagnostic settings, Log Analytics JSON and CSV rows', () => {
  assert.equal(activityStatus(JSON.stringify({ eventDataId: 'x', status: { value: 'Canceled', localizedValue: 'Abgebrochen' } })), 'Canceled');
  assert.equal(activityStatus(JSON.stringify({ time: 't', resultType: 'Started', operationName: 'Microsoft.Compute/virtualMachines/write' })), 'Started');
  assert.equal(activityStatus(JSON.stringify({ ActivityStatusValue: 'Cancel', OperationNameValue: 'X' })), 'Cancel');
  assert.equal(activityStatus(JSON.stringify({ event_data_id: 'x', status: { value: 'Accepted' } })), 'Accepted', 'snake_case (Azure SDK for Python)');
  assert.equal(activityStatus(JSON.stringify({ eventDataId: 'x', description: 'Canceled' })), null, 'a word elsewhere in the record is not its status');
  // A Log Analytics CSV row is stored without its header: its status cell is the one that is a status word.
  assert.equal(activityStatus('2026-10-10T10:00:00Z,"{""message"":""Canceled by user""}",Microsoft.Authorization/roleAssignments/write,Cancel,,corr-1'), 'Cancel');
  assert.equal(activityStatus('2026-10-10T10:00:00Z,Microsoft.Authorization/roleAssignments/write,"Started",corr-1'), 'Started');
  assert.equal(activityStatus(null), null);
  assert.equal(activityStatus('{not json'), null);
});
