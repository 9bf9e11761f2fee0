// The same evidence given again under another spelling (relative then absolute, through a symlink, a subfolder of
// what was imported) is recognised: its files keep the names they were first recorded under, so the evidence list
// and the report name each file once, and the files already imported count as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { labelInputs } from '../../electron/core/import/evidence-labels';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { readEvidence } from '../../electron/db/repos/case-summary-repo';
import { CaseWriter } from '../../electron/db/repos/case-writer';
import { evidenceTotals } from '../../electron/db/repos/evidence-repo';
import { readProblems } from '../../electron/db/repos/import-history-repo';
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

test('two different folders given by the same name from different places keep their files, incomplete rows and problems apart', async () => {
  const { db } = freshCase();
  const first = realpathSync(tempDir());
  const second = realpathSync(tempDir());
  // The same file name and the same damaged first line in both: the same problem text, in two different files.
  const content = (id: string) => `{"eventVersion": oops}\n${JSON.stringify(record(id))}\n`;
  writeEvidence(first, 'logs/x.json', content('55555555-5555-4555-8555-555555555555'));
  writeEvidence(second, 'logs/x.json', content('66666666-6666-4666-8666-666666666666'));
  writeEvidence(second, 'logs/y.json', content('77777777-7777-4777-8777-777777777777'));
  const cwd = process.cwd();
  try {
    process.chdir(first);
    await importEvidence(db, ['logs'], { workers: 1 });
    process.chdir(second);
    // An import of the second folder stopped with x.json in flight: its row is incomplete.
    const [label] = labelInputs(db, ['logs']).labels;
    assert.equal(label, join(second, 'logs'), 'a label of its own: its real path');
    const stopped = new CaseWriter(db, ['logs']);
    stopped.openSource({ path: join(label!, 'x.json'), parentId: null });
    stopped.finish('cancelled', { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 0, bytes: 0 });
    assert.equal(evidenceTotals(db).incomplete, 1, 'not hidden by the first folder\'s complete x.json');

    const again = await importEvidence(db, ['logs'], { workers: 1 });
    assert.equal(again.stats.events, 2);
  } finally {
    process.chdir(cwd);
  }
  assert.deepEqual(readEvidence(db).map((e) => [e.path, e.complete]), [
    [join(second, 'logs', 'x.json'), true],
    [join(second, 'logs', 'y.json'), true],
    [join('logs', 'x.json'), true],
  ]);
  assert.equal(evidenceTotals(db).incomplete, 0);
  assert.deepEqual(readProblems(db).map((p) => p.file), [join('logs', 'x.json'), join(second, 'logs', 'x.json'), join(second, 'logs', 'y.json')], 'each folder\'s problem once');
});

test('a subfolder imported first, then its parent under another spelling: the subfolder\'s files keep their first labels', async () => {
  const { db } = freshCase();
  const root = tempDir();
  writeEvidence(root, 'export/a.json', recordsEnvelope([record('88888888-8888-4888-8888-888888888888')]));
  writeEvidence(root, 'export/sub/b.json', recordsEnvelope([record('99999999-9999-4999-8999-999999999999')]));
  writeEvidence(root, 'export/sub/deeper/c.json', recordsEnvelope([record('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')]));
  const sub = join(root, 'export', 'sub');
  await importEvidence(db, [sub], { workers: 1 });
  const parent = relative(process.cwd(), join(root, 'export'));
  const whole = await importEvidence(db, [parent], { workers: 1 });
  assert.deepEqual([whole.stats.events, whole.stats.duplicates], [1, 2], 'the subfolder\'s files are recognised');
  const named = [join(parent, 'a.json'), join(sub, 'b.json'), join(sub, 'deeper', 'c.json')].sort();
  assert.deepEqual(readEvidence(db).map((e) => e.path), named, 'each file once');
  // Through a symlink to the parent: still the same three files under the same names.
  symlinkSync(join(root, 'export'), join(root, 'link-to-export'));
  const linked = await importEvidence(db, [join(root, 'link-to-export')], { workers: 1 });
  assert.equal(linked.stats.events, 0);
  assert.deepEqual(readEvidence(db).map((e) => e.path), named);
});
