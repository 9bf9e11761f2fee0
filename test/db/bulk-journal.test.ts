// A bulk import alone on its new case writes under a rollback journal (each page once instead of twice) and puts the
// case back in WAL when it finishes; with another connection open (the desktop app) it stays in WAL. Either way, a
// killed import leaves a case that opens with what it had committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CaseBusyError, openCase } from '../../electron/db/connection';
import { CaseWriter } from '../../electron/db/repos/case-writer';
import { rollupsAreComplete } from '../../electron/db/repos/rollups-repo';
import { cloudTrailRecord, eventCount, freshCase, tempDir, track } from '../support/evidence-fixtures';
import { batchOf } from '../support/event-batches';

const here = dirname(fileURLToPath(import.meta.url));
const journalMode = (db: Database.Database) => db.pragma('journal_mode', { simple: true });
const done = { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 1, bytes: 0 };

test('a bulk import alone on its case keeps it to itself (others are told why), then leaves it in WAL with every event', () => {
  const { db, caseFile } = freshCase();
  const writer = new CaseWriter(db, ['test']);
  assert.equal(writer.rollbackJournal, true);
  assert.equal(journalMode(db), 'truncate');

  const source = writer.openSource({ path: 'x', parentId: null }); // the import's transaction begins
  assert.throws(() => openCase(caseFile, { create: false }), (err: Error) => {
    assert.ok(err instanceof CaseBusyError);
    assert.ok(err.message.startsWith(`${caseFile} is locked by another process writing it`), err.message);
    return true;
  });
  assert.equal(writer.writeEvents(source, batchOf([cloudTrailRecord(), cloudTrailRecord()]), { blockId: null }), 2);
  writer.finish('complete', { ...done, events: 2 });
  assert.equal(journalMode(db), 'wal');
  assert.equal(existsSync(`${caseFile}-journal`), false, 'no journal is left beside the case');

  const reader = track(openCase(caseFile, { create: false }));
  assert.equal(eventCount(reader), 2);
  assert.match(reader.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_identity'").pluck().get() as string, /UNIQUE/);
});

test('with the case open elsewhere (the desktop app) a bulk import stays in WAL, and that connection reads each commit', () => {
  const { db, caseFile } = freshCase();
  const app = track(openCase(caseFile, { create: false }));
  const writer = new CaseWriter(db, ['test']);
  assert.equal(writer.rollbackJournal, false);
  assert.equal(journalMode(db), 'wal');

  const source = writer.openSource({ path: 'x', parentId: null });
  writer.writeEvents(source, batchOf([cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()]), { blockId: null });
  writer.commit();
  assert.equal(eventCount(app), 3, 'the app sees the committed events while the import goes on');
  writer.finish('complete', { ...done, events: 3 });
  assert.equal(journalMode(app), 'wal');
});

test('a bulk import killed in the middle of a transaction under its rollback journal leaves a case that opens, in WAL, with what it had committed', () => {
  const caseFile = join(tempDir(), 'killed.crossline');
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, '..', 'support', 'killed-bulk-writer.ts'), caseFile], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  assert.match(child.stdout, /uncommitted true/);
  assert.ok(statSync(`${caseFile}-journal`).size > 0, 'the killed transaction left a hot journal');
  assert.throws(() => openCase(caseFile, { readonly: true }), (err: Error) => err instanceof CaseBusyError && /interrupted import's journal/.test(err.message));

  const db = track(openCase(caseFile, { create: false }));
  assert.equal(journalMode(db), 'wal');
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal(eventCount(db), 3, 'the first, committed batch; nothing of the killed one');
  assert.ok(rollupsAreComplete(db), "the correlator's rollups were committed with the events, and only theirs");
  assert.deepEqual(db.prepare('SELECT path FROM evidence_sources ORDER BY id').pluck().all(), ['first']);
  assert.equal(existsSync(`${caseFile}-journal`), false, 'the journal was rolled back and removed');
  // crossline info says the killed import never finished.
  const info = spawnSync(process.execPath, [join(here, '..', '..', 'bin', 'crossline.mjs'), 'info', caseFile], { encoding: 'utf8' });
  assert.match(info.stdout, /warning: Import 1 of \S+ \(started \S+\) has no recorded end \(still running, or stopped before it finished\): part of its evidence may be missing from the case, and findings with it\. Running the same import again stores only what is missing\./);
});
