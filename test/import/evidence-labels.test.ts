// The same evidence given again under another spelling (relative then absolute, through a symlink, a subfolder of
// what was imported) is recognised: its files keep the names they were first recorded under, so the evidence list
// and the report name each file once, and the files already imported count as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { readEvidence } from '../../electron/db/repos/case-summary-repo';
import { cloudTrailRecord, freshCase, recordsEnvelope, tempDir, writeEvidence } from '../support/evidence-fixtures';

const record = (id: string) => cloudTrailRecord({ eventID: id });

test('a folder imported again by another path, by a symlink or by a subfolder lists each file once', async () => {
  const { db } = freshCase();
  const root = tempDir();
  writeEvidence(root, 'export/a.json', recordsEnvelope([record('11111111-1111-4111-8111-111111111111')]));
  writeEvidence(root, 'export/sub/b.json', recordsEnvelope([record('22222222-2222-4222-8222-222222222222')]));
  const given = relative(process.cwd(), join(root, 'export'));

  const first = await importEvidence(db, [given], { workers: 1 });
  assert.equal(first.stats.events, 2);
  const named = readEvidence(db).map((e) => e.path);
  assert.deepEqual(named, [join(given, 'a.json'), join(given, 'sub', 'b.json')]);

  // Absolute this time, then through a symlink to the subfolder: the same two files, nothing new.
  const again = await importEvidence(db, [join(root, 'export')], { workers: 1 });
  assert.equal(again.stats.events, 0);
  assert.equal(again.stats.duplicates, 2);
  symlinkSync(join(root, 'export', 'sub'), join(root, 'link-to-sub'));
  await importEvidence(db, [join(root, 'link-to-sub')], { workers: 1 });
  assert.deepEqual(readEvidence(db).map((e) => e.path), named, 'each file once, under its first name');

  // What was typed is still on record, import by import.
  const inputs = (db.prepare('SELECT inputs FROM imports ORDER BY id').pluck().all() as string[]).map((i) => JSON.parse(i) as string[]);
  assert.deepEqual(inputs, [[given], [join(root, 'export')], [join(root, 'link-to-sub')]]);

  // A new file in the folder, given by its own absolute path, is named under the folder's first name too.
  const added = writeEvidence(root, 'export/sub/c.json', recordsEnvelope([record('33333333-3333-4333-8333-333333333333')]));
  const third = await importEvidence(db, [added], { workers: 1 });
  assert.equal(third.stats.events, 1);
  assert.ok(readEvidence(db).some((e) => e.path === join(given, 'sub', 'c.json')));

  // Another folder keeps its own name.
  const elsewhere = tempDir();
  writeEvidence(elsewhere, 'd.json', recordsEnvelope([record('44444444-4444-4444-8444-444444444444')]));
  await importEvidence(db, [elsewhere], { workers: 1 });
  assert.ok(readEvidence(db).some((e) => e.path === join(elsewhere, 'd.json')));
  assert.equal(readEvidence(db).length, 4);
});
