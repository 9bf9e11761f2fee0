// The import's writer keeps the correlator's rollups (rollup-collector.ts) equal to what grouping the events says,
// through what real and hostile evidence does to it: GCP credentials a log can spell oddly, strings SQLite does not
// hand back as bound, duplicates refused part way through an INSERT, the switch to the unique index mid-import, and a
// failed import rolled back. And a stale table shows, whichever of the two it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../shared/domain/event';
import type { ImportStats } from '../../shared/domain/evidence';
import { CaseWriter, type WriterOptions } from '../../electron/db/repos/case-writer';
import { EventBatcher } from '../../electron/core/import/event-batcher';
import { fingerprintOf } from '../../electron/core/import/parse-evidence-file';
import { readSightings, rollupsAreComplete } from '../../electron/db/repos/rollups-repo';
import { freshCase } from '../support/evidence-fixtures';
import { assertRollupsMatchEvents } from '../support/rollups';

const STATS: ImportStats = { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 1, bytes: 0 };
let sequence = 0;

/** A normalized event with a source address; `fields` override. */
function event(fields: Partial<NormalizedEvent>): NormalizedEvent {
  const e: NormalizedEvent = {
    provider: 'aws', nativeId: `id-${sequence++}`, fingerprint: 0, timeMs: Date.UTC(2024, 2, 1, 10) + sequence * 1000, timeText: 't', service: 's', action: 'A',
    eventType: null, outcome: 'success', errorCode: null, readOnly: null, principalType: null, principalId: null, principalName: null, principalAccount: null,
    sessionIssuer: null, targetAccount: '111122223333', sourceIp: '198.51.100.1', sourceService: null, userAgent: null, region: null, credentialId: null,
    issuedCredentialId: null, issuedPrincipal: null, sharedEventId: null, requestId: null, targetResource: null, identityProvider: null,
    sourceIdentity: null, sessionCreatedMs: null, ...fields,
  };
  e.fingerprint = fingerprintOf(e, 2);
  return e;
}

/** One import writing `events` as one file (one batch), finished as `status`. */
function write(db: Database.Database, events: NormalizedEvent[], options: WriterOptions & { status?: 'complete' | 'failed' } = {}): void {
  const writer = new CaseWriter(db, ['test'], options);
  const source = writer.openSource({ path: `file-${sequence++}`, parentId: null });
  const batcher = new EventBatcher();
  events.forEach((e, i) => batcher.add(e, Buffer.from('{}'), i, 0));
  writer.writeEvents(source, batcher.take(), { blockId: null });
  writer.finish(options.status ?? 'complete', STATS);
}

test("a GCP credential's original caller is cut the same way by the writer and by the SQL, whatever the log spelled", () => {
  const { db } = freshCase();
  const gcp = (credentialId: string, sourceIp: string) => event({ provider: 'gcp', targetAccount: 'project-1', credentialId, sourceIp });
  write(db, [
    gcp('user@example.com>sa@project-1.iam.gserviceaccount.com', '198.51.100.1'),
    gcp('>sa@project-1.iam.gserviceaccount.com', '198.51.100.2'), // nothing before the `>`: no original caller
    gcp('evil\u0000@example.com>sa@project-1.iam.gserviceaccount.com', '198.51.100.3'), // a NUL, where SQL text functions stop
    gcp('\u{1F600}é@example.com>sa@p', '198.51.100.4'),
    gcp('a>b>c', '198.51.100.5'),
  ]);
  assertRollupsMatchEvents(db, 'GCP credentials');
  const delegators = Object.fromEntries(readSightings(db).map((s) => [s.ip, s.delegator]));
  assert.deepEqual(delegators, {
    '198.51.100.1': 'user@example.com',
    '198.51.100.2': null,
    '198.51.100.3': 'evil\u0000@example.com',
    '198.51.100.4': '\u{1F600}é@example.com',
    '198.51.100.5': 'a',
  });
});

test('a second import whose INSERT is refused in part counts exactly the rows that went in, even with ids SQLite hands back changed', () => {
  const { db } = freshCase();
  const seen = event({ nativeId: 'seen-before' });
  write(db, [seen]);
  // A lone surrogate does not survive the trip to SQLite's UTF-8 and back: the rows are told apart by file and position.
  write(db, [event({ nativeId: 'odd-\uD800', sourceIp: '203.0.113.5' }), seen, event({ nativeId: 'new' }), seen]);
  assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 3);
  assertRollupsMatchEvents(db, 'partly refused INSERT');
});

test('the switch from in-memory deduplication to the unique index mid-import keeps the rollups exact', () => {
  const { db } = freshCase();
  const events = Array.from({ length: 40 }, (_, i) => event({ sourceIp: `198.51.100.${i % 7}`, principalName: `user-${i % 5}` }));
  write(db, [...events, ...events.slice(0, 10)], { maxInMemoryIdentities: 4 });
  assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 40);
  assertRollupsMatchEvents(db, 'after the switch');
});

test('a failed import leaves no rollups of the events it rolled back', () => {
  const { db } = freshCase();
  write(db, [event({})]);
  write(db, [event({ sourceIp: '203.0.113.9' }), event({})], { status: 'failed' });
  assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 1);
  assertRollupsMatchEvents(db, 'after a failed import');
  assert.ok(!readSightings(db).some((s) => s.ip === '203.0.113.9'));
});

test('either rollup table going stale shows', () => {
  const { db } = freshCase();
  write(db, [event({}), event({ sourceIp: null })]);
  assert.ok(rollupsAreComplete(db));
  db.exec('UPDATE rollup_sightings SET events = events + 1');
  assert.equal(rollupsAreComplete(db), false, 'the sightings count one event too many');
  db.exec('UPDATE rollup_sightings SET events = events - 1; UPDATE rollup_hours SET events = events - 1 WHERE rowid = (SELECT max(rowid) FROM rollup_hours)');
  assert.equal(rollupsAreComplete(db), false, 'the hours count one event too few');
});
