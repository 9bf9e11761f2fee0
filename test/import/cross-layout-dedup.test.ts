// One event exported in several layouts is one event. Investigators pull CloudTrail Lake or lookup-events for the
// history around an S3 delivery, and those layouts carry different fields: a Lake query may select no requestID,
// lookup-events names a cross-account caller from its `Username`. The identity of an event (provider, native id,
// fingerprint) must not depend on them, or every such event is stored twice and a finding lists its calls twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { migrationsDir } from '../../electron/db/connection';
import { loadMigrations } from '../../electron/db/migrate';
import { fingerprintScheme, writeCaseMeta } from '../../electron/db/repos/case-meta-repo';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { fingerprintOf } from '../../electron/core/import/parse-evidence-file';
import { normalizeCloudTrail } from '../../electron/core/import/cloudtrail/normalize-cloudtrail';
import {
  assumeRoleRecord, cloudTrailRecord, csvLine, freshCase, lakeRow, lookupEvent, LAKE_COLUMNS, storedEvents, tempDir, track, writeEvidence, writeS3Delivery,
} from '../support/evidence-fixtures';

/** A cross-account role assumption (the caller's side: userIdentity AWSAccount, no name) and a call with its key. */
function chainRecords() {
  const entry = assumeRoleRecord({ userIdentity: { type: 'AWSAccount', principalId: 'AROAVENDOR:vendor-sess', accountId: '999988887777' } });
  const call = cloudTrailRecord({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' });
  return [entry, call];
}

/** A Lake query result that selects every column but requestid (`SELECT eventTime, eventName, …`). */
function lakeWithoutRequestId(records: Record<string, unknown>[]): string {
  const columns = LAKE_COLUMNS.filter((c) => c !== 'requestid');
  return [columns.join(','), ...records.map((r) => { const row = lakeRow(r); return csvLine(columns.map((c) => row[c])); })].join('\n') + '\n';
}

test('the S3 delivery, a Lake result without requestID and lookup-events of the same events are stored once each', async () => {
  const records = chainRecords();
  const dir = tempDir();
  writeS3Delivery(join(dir, 's3'), records);
  writeEvidence(dir, 'lake/result_1.csv', lakeWithoutRequestId(records));
  writeEvidence(dir, 'lookup/events.json', JSON.stringify({ Events: records.map((r) => lookupEvent(r)) }));
  const { db } = freshCase();

  const result = await importEvidence(db, [join(dir, 's3'), join(dir, 'lake'), join(dir, 'lookup')], { workers: 1 });

  assert.deepEqual(result.problems, []);
  assert.equal(fingerprintScheme(db), 2);
  assert.equal(result.stats.events, records.length);
  assert.equal(result.stats.duplicates, 2 * records.length);
  assert.deepEqual(storedEvents(db).map((e) => e.native_id).sort(), records.map((r) => String(r.eventID)).sort());
});

test('a case made before schema 10 keeps its fingerprints: the same evidence imported again meets its stored copies', async () => {
  const records = chainRecords();
  const dir = tempDir();
  writeS3Delivery(dir, records);
  const { db } = freshCase();
  writeCaseMeta(db, 'fingerprint_scheme', '1'); // what migration 0010 leaves in a case that held events

  await importEvidence(db, [dir], { workers: 1 });
  const again = await importEvidence(db, [dir], { workers: 1 });

  assert.equal(again.stats.events, 0);
  assert.equal(again.stats.duplicates, records.length);
  const stored = db.prepare('SELECT native_id id, fingerprint FROM events').all() as { id: string; fingerprint: number }[];
  for (const r of records) {
    const normalized = normalizeCloudTrail(r);
    assert.ok(normalized.ok);
    assert.equal(stored.find((s) => s.id === r.eventID)!.fingerprint, fingerprintOf(normalized.event, 1), 'scheme 1: every normalized field');
  }
});

test('migration 0010: a case holding events keeps scheme 1, an empty one takes scheme 2', async () => {
  const migrations = loadMigrations(migrationsDir());
  const back = (file: string) => {
    const db = openCase(file);
    db.exec(`BEGIN; DELETE FROM case_meta WHERE key = 'fingerprint_scheme'; DELETE FROM schema_migrations WHERE version >= 10; PRAGMA user_version = 9; COMMIT;`);
    return db;
  };
  const dir = tempDir();
  const full = back(join(dir, 'full.crossline'));
  const evidence = tempDir();
  writeS3Delivery(evidence, chainRecords());
  writeCaseMeta(full, 'fingerprint_scheme', '1');
  await importEvidence(full, [evidence], { workers: 1 });
  full.exec(`BEGIN; DELETE FROM case_meta WHERE key = 'fingerprint_scheme'; DELETE FROM schema_migrations WHERE version >= 10; PRAGMA user_version = 9; COMMIT;`);
  full.close();
  back(join(dir, 'empty.crossline')).close();

  const upgradedFull = track(openCase(join(dir, 'full.crossline'), { create: false }));
  const upgradedEmpty = track(openCase(join(dir, 'empty.crossline'), { create: false }));
  assert.equal(upgradedFull.pragma('user_version', { simple: true }), migrations.length);
  assert.equal(fingerprintScheme(upgradedFull), 1);
  assert.equal(fingerprintScheme(upgradedEmpty), 2);
});
