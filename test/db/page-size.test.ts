// New cases get 16 KiB pages (see connection.ts); cases made before keep their 4 KiB and open as ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CASE_PAGE_SIZE, openCase } from '../../electron/db/connection';
import { tempDir, track } from '../support/evidence-fixtures';

const pageSize = (db: Database.Database) => db.pragma('page_size', { simple: true });

test('a new case, and an empty file made for it beforehand, get 16 KiB pages; an older 4 KiB case keeps its own', () => {
  const dir = tempDir();
  assert.equal(pageSize(track(openCase(join(dir, 'new.crossline')))), CASE_PAGE_SIZE);
  const empty = join(dir, 'empty.crossline');
  closeSync(openSync(empty, 'w'));
  assert.equal(pageSize(track(openCase(empty))), CASE_PAGE_SIZE);

  const older = join(dir, 'older.crossline');
  const raw = new Database(older);
  raw.pragma('page_size = 4096');
  raw.exec('VACUUM');
  raw.close();
  const first = openCase(older); // migrated like any case of an earlier version
  first.close();
  const reopened = track(openCase(older));
  assert.equal(pageSize(reopened), 4096);
  assert.equal(reopened.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(reopened.prepare('SELECT count(*) FROM events').pluck().get(), 0);
});
