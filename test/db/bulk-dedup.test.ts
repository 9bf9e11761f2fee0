// A bulk import (into an empty case) deduplicates in memory and builds the unique identity index at the end; an
// import killed before the end leaves a case whose next open restores that index, so later imports still dedupe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCase } from '../../electron/db/connection';
import { CaseWriter, ROWS_PER_INSERT } from '../../electron/db/repos/case-writer';
import { EVENT_COLUMNS } from '../../shared/domain/event';
import { cloudTrailRecord, eventCount, freshCase, track } from '../support/evidence-fixtures';
import { batchOf } from '../support/event-batches';

const identityIndex = (db: ReturnType<typeof openCase>) =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'events_identity'").pluck().get() as string | undefined;

test('in memory during a bulk import, by index afterwards; a killed bulk import gets its unique index back on open', () => {
  const { db, caseFile } = freshCase();
  const records = [cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()];
  const first = records[0]!;
  // The same event id with different content (public samples reuse ids): a distinct event, kept.
  const sameIdOtherEvent = { ...first, eventName: 'ListBuckets' };

  const writer = new CaseWriter(db, ['test']);
  assert.equal(identityIndex(db), undefined, 'a bulk import drops the identity index');
  const source = writer.openSource({ path: 'x', parentId: null });
  const shared = { blockId: null };
  assert.equal(writer.writeEvents(source, batchOf(records), shared), 3);
  assert.equal(writer.writeEvents(source, batchOf(records), shared), 0, 'the same events again: all duplicates');
  assert.equal(writer.writeEvents(source, batchOf([records[1]!, sameIdOtherEvent]), shared), 1);
  writer.commit();
  db.close(); // killed: no finish, so no index build

  const reopened = track(openCase(caseFile));
  assert.match(identityIndex(reopened) ?? '', /CREATE UNIQUE INDEX events_identity/);
  assert.equal(eventCount(reopened), 4);
  const again = new CaseWriter(reopened, ['test']);
  assert.notEqual(identityIndex(reopened), undefined, 'a case with events keeps its index');
  const s2 = again.openSource({ path: 'x', parentId: null });
  assert.equal(again.writeEvents(s2, batchOf([...records, sameIdOtherEvent]), { blockId: null }), 0);
  again.finish('complete', { events: 0, duplicates: 4, skipped: 0, errors: 0, files: 1, bytes: 0 });
  assert.equal(eventCount(reopened), 4);
});

test('a second import while one is running is not bulk; should duplicates ever be stored, the next open removes them', () => {
  const { db, caseFile } = freshCase();
  const first = new CaseWriter(db, ['first']);
  const second = new CaseWriter(db, ['second']);
  assert.equal(first.bulk, true);
  assert.equal(second.bulk, false, 'the first is still running: the second must not rely on its own memory alone');
  const s1 = first.openSource({ path: 'a', parentId: null });
  assert.equal(first.writeEvents(s1, batchOf([cloudTrailRecord(), cloudTrailRecord()]), { blockId: null }), 2);
  first.commit();
  // Simulate what two bulk writers could once have done: the same events stored twice, no identity index.
  db.exec('DROP INDEX IF EXISTS events_identity');
  const columns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id').join(', ');
  db.exec(`INSERT INTO events (${columns}) SELECT ${columns} FROM events`);
  assert.equal(eventCount(db), 4);
  db.close();

  const reopened = track(openCase(caseFile));
  assert.equal(eventCount(reopened), 2, 'the copies beyond the first are gone');
  assert.match(identityIndex(reopened) ?? '', /CREATE UNIQUE INDEX events_identity/);
});

test('past its in-memory cap a bulk import deduplicates by the unique index: nothing lost, nothing stored twice', () => {
  const { db } = freshCase();
  const early = [cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()];
  const late = [cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()];
  const writer = new CaseWriter(db, ['test'], { maxInMemoryIdentities: 4 });
  const source = writer.openSource({ path: 'x', parentId: null });
  const shared = { blockId: null };
  assert.equal(writer.writeEvents(source, batchOf(early), shared), 3);
  assert.equal(identityIndex(db), undefined, 'under the cap: deduplicated in memory');
  assert.equal(writer.writeEvents(source, batchOf(late), shared), 3);
  assert.match(identityIndex(db) ?? '', /CREATE UNIQUE INDEX events_identity/, 'past the cap: the unique index is built');
  assert.equal(writer.writeEvents(source, batchOf(early), shared), 0, 'duplicates of events stored before the switch');
  assert.equal(writer.writeEvents(source, batchOf([...late, { ...late[0]!, eventName: 'ListBuckets' }]), shared), 1);
  writer.finish('complete', { events: 7, duplicates: 6, skipped: 0, errors: 0, files: 1, bytes: 0 });
  assert.equal(eventCount(db), 7);
  const indexes = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").pluck().get() as number;
  assert.equal(indexes, 13, 'every index of events is there at the end');
});

test('an import that failed after SQLite rolled its transaction back itself is still recorded as failed', () => {
  const { db } = freshCase();
  const writer = new CaseWriter(db, ['test']);
  const source = writer.openSource({ path: 'x', parentId: null });
  writer.writeEvents(source, batchOf([cloudTrailRecord()]), { blockId: null });
  db.exec('ROLLBACK'); // what SQLite does by itself after a full disk or an I/O error
  assert.doesNotThrow(() => writer.finish('failed', { events: 0, duplicates: 0, skipped: 0, errors: 1, files: 0, bytes: 0 }));
  assert.equal(db.prepare('SELECT status FROM imports WHERE id = ?').pluck().get(writer.importId), 'failed');
  assert.equal(eventCount(db), 0);
  assert.match(identityIndex(db) ?? '', /CREATE UNIQUE INDEX events_identity/, 'the indexes are whole again');
});

test('events written many to a statement: every one stored once with its own values, duplicates caught inside a statement and across', () => {
  const { db } = freshCase();
  // 2.5 statements' worth, with a repeat of event 3 inside the first statement's rows and one of event 0 in the last.
  const records = Array.from({ length: ROWS_PER_INSERT * 2 + 5 }, (_, i) => cloudTrailRecord({ eventName: `Call${i}` }));
  const withRepeats = [...records.slice(0, 5), records[3]!, ...records.slice(5), records[0]!];
  for (const bulk of [true, false]) {
    const writer = new CaseWriter(db, ['test']);
    assert.equal(writer.bulk, bulk);
    const source = writer.openSource({ path: `x-${bulk}`, parentId: null });
    const stored = writer.writeEvents(source, batchOf(withRepeats), { blockId: null });
    assert.equal(stored, bulk ? records.length : 0, bulk ? 'each distinct event once' : 'a second import of the same events stores none');
    writer.finish('complete', { events: stored, duplicates: 0, skipped: 0, errors: 0, files: 1, bytes: 0 });
  }
  assert.equal(eventCount(db), records.length);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'reference checks are back on once the writer is done');
  const rows = db.prepare('SELECT native_id, action, position FROM events_v ORDER BY id').all() as { native_id: string; action: string; position: number }[];
  assert.deepEqual(
    rows.map((r) => [r.native_id, r.action]),
    records.map((r) => [r.eventID, r.eventName]),
    'in order, each with its own values',
  );
  // Positions are those of the first sighting in the batch (the repeat of event 3 sits at 5).
  assert.deepEqual(rows.slice(0, 7).map((r) => r.position), [0, 1, 2, 3, 4, 6, 7]);
});

test('a row SQLite refuses inside a statement costs the others nothing: they are still known as stored', () => {
  const { db } = freshCase();
  const records = Array.from({ length: ROWS_PER_INSERT }, (_, i) => cloudTrailRecord({ eventName: `Call${i}` }));
  const broken = batchOf(records);
  broken.values[5 * EVENT_COLUMNS.length + EVENT_COLUMNS.indexOf('outcome')] = 'not-an-outcome'; // refused by the CHECK
  const writer = new CaseWriter(db, ['test']);
  const source = writer.openSource({ path: 'x', parentId: null });
  assert.equal(writer.writeEvents(source, broken, { blockId: null }), ROWS_PER_INSERT - 1);
  assert.equal(writer.writeEvents(source, batchOf(records), { blockId: null }), 1, 'only the refused one is new');
  writer.finish('complete', { events: ROWS_PER_INSERT, duplicates: 0, skipped: 0, errors: 0, files: 1, bytes: 0 });
  assert.equal(eventCount(db), ROWS_PER_INSERT);
});

test('reference checks are back on after the writers of a connection finish, in whatever order', () => {
  const { db } = freshCase();
  const first = new CaseWriter(db, ['first']);
  const second = new CaseWriter(db, ['second']);
  first.finish('complete', { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 0, bytes: 0 });
  second.finish('complete', { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 0, bytes: 0 });
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
});
