// Imports can be repeated, interrupted and resumed without changing what the case holds; case files this build
// cannot read are refused with a message that says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCase, CaseVersionError } from '../../electron/db/connection';
import { importEvidence, type ImportProgress } from '../../electron/core/import/import-evidence';
import { main } from '../../electron/cli/main';
import { RawRecords } from '../../electron/core/import/raw-records';
import {
  assumeRoleRecord, cloudTrailRecord, eventCount, freshCase, gzip, importInto, jsonLines, lookupEvent, recordsEnvelope,
  storedSources, tempDir, track, writeEvidence, writeS3Delivery, zipBuffer,
} from '../support/evidence-fixtures';

/** A small but mixed evidence folder: S3 log files, a zip of JSON lines, a console lookup export. */
function mixedEvidence(): string {
  const dir = tempDir();
  writeS3Delivery(dir, [cloudTrailRecord(), assumeRoleRecord(), cloudTrailRecord()], { org: 'o-abc123' });
  writeS3Delivery(dir, [cloudTrailRecord({ awsRegion: 'eu-west-1' })], { region: 'eu-west-1' });
  writeEvidence(dir, 'exports/siem.zip', zipBuffer([{ name: 'events.jsonl', data: jsonLines([cloudTrailRecord(), cloudTrailRecord()]) }]));
  writeEvidence(dir, 'console/lookup.json', JSON.stringify({ Events: [lookupEvent(cloudTrailRecord())] }));
  return dir;
}

/** ~200 small log files, so an import has many points at which it can be interrupted. */
function manySmallFiles(count = 200): string {
  const dir = tempDir();
  for (let i = 0; i < count; i++) {
    const name = `AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/02/111122223333_CloudTrail_us-east-1_20240602T${String(i).padStart(4, '0')}Z_Part.json.gz`;
    writeEvidence(dir, name, gzip(recordsEnvelope([cloudTrailRecord(), cloudTrailRecord()])));
  }
  return dir;
}

test('importing the same evidence again adds nothing: every event is reported as a duplicate', async () => {
  const evidence = mixedEvidence();
  const { db, result: first } = await importInto([evidence]);
  assert.equal(first.status, 'complete');
  assert.deepEqual(first.problems, []);
  assert.equal(first.stats.events, 7);
  const countAfterFirst = eventCount(db);

  const second = await importEvidence(db, [evidence], { workers: 1 });

  assert.equal(second.status, 'complete');
  assert.equal(second.stats.events, 0);
  assert.equal(second.stats.duplicates, first.stats.events);
  assert.equal(eventCount(db), countAfterFirst);
  const raw = new RawRecords(db);
  const ids = db.prepare('SELECT id FROM events').all() as { id: number }[];
  assert.equal(ids.filter((r) => raw.bytes(r.id) !== null).length, countAfterFirst, 'every stored event still has its raw record');
  const imports = db.prepare('SELECT id, status FROM imports ORDER BY id').all();
  assert.deepEqual(imports, [{ id: first.importId, status: 'complete' }, { id: second.importId, status: 'complete' }]);
});

test('a cancelled import leaves a case that opens, is marked cancelled, and a re-run completes it exactly', async () => {
  const evidence = manySmallFiles();
  const { db: reference, result: uninterrupted } = await importInto([evidence]);
  assert.equal(uninterrupted.status, 'complete');
  const expected = eventCount(reference);
  assert.equal(expected, 400);

  const { db, caseFile } = freshCase();
  const controller = new AbortController();
  const progress: ImportProgress[] = [];
  const cancelled = await importEvidence(db, [evidence], {
    workers: 1,
    signal: controller.signal,
    onProgress: (p) => {
      progress.push(p);
      controller.abort();
    },
  });
  assert.equal(cancelled.status, 'cancelled');
  assert.ok(progress.length >= 1);
  assert.ok(cancelled.stats.events < expected, 'the import stopped early');
  assert.equal(db.inTransaction, false, 'nothing is left half-written in an open transaction');
  db.close();

  const reopened = track(openCase(caseFile));
  assert.equal((reopened.pragma('integrity_check', { simple: true }) as string), 'ok');
  assert.deepEqual(reopened.prepare('SELECT status FROM imports').all(), [{ status: 'cancelled' }]);
  const storedBeforeResume = eventCount(reopened);
  assert.equal(storedBeforeResume, cancelled.stats.events);

  const resumed = await importEvidence(reopened, [evidence], { workers: 1 });

  assert.equal(resumed.status, 'complete');
  assert.equal(eventCount(reopened), expected, 'exactly the events of an uninterrupted import');
  assert.equal(resumed.stats.events, expected - storedBeforeResume);
  assert.equal(resumed.stats.duplicates, storedBeforeResume);
  const latest = storedSources(reopened).filter((s) => s.import_id === resumed.importId);
  assert.equal(latest.length, 200);
  assert.ok(latest.every((s) => s.complete === 1));
  assert.deepEqual(reopened.prepare('SELECT status FROM imports ORDER BY id').all(), [{ status: 'cancelled' }, { status: 'complete' }]);
});

/** A case file as a future Crossline (schema 99) might leave it. */
function futureCase(): string {
  const file = join(tempDir(), 'from-the-future.crossline');
  const future = new Database(file);
  future.exec('CREATE TABLE case_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
  future.pragma('user_version = 99');
  future.close();
  return file;
}

test('a case file written by a newer Crossline is refused with a message saying so', () => {
  const file = futureCase();

  assert.throws(() => openCase(file), (err: Error) => {
    assert.ok(err instanceof CaseVersionError);
    assert.match(err.message, /from-the-future\.crossline was written by a newer version of Crossline/);
    assert.match(err.message, /case schema 99/);
    assert.match(err.message, /Update Crossline/);
    return true;
  });
  const check = new Database(file, { readonly: true });
  assert.equal(check.pragma('user_version', { simple: true }), 99, 'its schema version is not touched');
  check.close();
});

test(
  'a refused newer case file is left byte for byte as it was',
  () => {
    const file = futureCase();
    const before = readFileSync(file);
    assert.throws(() => openCase(file), CaseVersionError);
    assert.deepEqual(readFileSync(file), before);
  },
);

test('a file that is not an SQLite database is refused with a clear message, by openCase and by the CLI', async () => {
  const dir = tempDir();
  const file = join(dir, 'notes.crossline');
  writeFileSync(file, 'These are my case notes, not a case file.\n');

  assert.throws(() => openCase(file), /notes\.crossline is not a Crossline case file \(it is not an SQLite database\)/);
  assert.equal(readFileSync(file, 'utf8'), 'These are my case notes, not a case file.\n');

  const errors: string[] = [];
  const realErr = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['info', file]);
  } finally {
    process.stderr.write = realErr;
  }
  assert.equal(code, 3, 'exit code 3: the case cannot be opened');
  assert.match(errors.join(''), /not a Crossline case file/);
});
