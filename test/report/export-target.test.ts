// Where an export may go: never over the case, never over the evidence it was imported from (inside an imported
// folder, or the same bytes copied elsewhere), and over another existing file only when asked (--force / Replace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { ExportError, exportCase } from '../../electron/core/report/export-report';
import { cloudTrailRecord, freshCase, recordsEnvelope, sha256, tempDir, writeEvidence } from '../support/evidence-fixtures';

const root = join(import.meta.dirname, '..', '..');

async function caseWithEvidence() {
  const { db, caseFile } = freshCase();
  const evidence = tempDir();
  const trail = writeEvidence(evidence, 'export/trail.json', recordsEnvelope([cloudTrailRecord()]));
  await importEvidence(db, [join(evidence, 'export')], { workers: 1 });
  return { db, caseFile, evidence, trail };
}

test('an export never replaces evidence of the case, even when told to overwrite', async () => {
  const { db, caseFile, evidence, trail } = await caseWithEvidence();
  const before = sha256(readFileSync(trail));
  for (const overwrite of [false, true]) {
    assert.throws(
      () => exportCase(db, caseFile, { format: 'html', what: 'report', out: trail, analyst: 't', overwrite }),
      (err: unknown) => err instanceof ExportError && /refusing to write an export over evidence of this case: .*trail\.json/.test(err.message),
    );
  }
  // The same file copied out of the evidence folder is still known, by its size and SHA-256.
  const copy = join(tempDir(), 'copy-of-trail.json');
  copyFileSync(trail, copy);
  assert.throws(() => exportCase(db, caseFile, { format: 'csv', what: 'findings', out: copy, analyst: 't', overwrite: true }), /over evidence of this case/);
  assert.equal(sha256(readFileSync(trail)), before, 'the evidence is unchanged');
  assert.equal(sha256(readFileSync(copy)), before);
  // Not even a new file among the evidence (a later import of the folder would read it); beside the folder is fine.
  assert.throws(
    () => exportCase(db, caseFile, { format: 'csv', what: 'evidence', out: join(evidence, 'export', 'evidence-list.csv'), analyst: 't' }),
    /refusing to write an export into the evidence: .*evidence-list\.csv is inside .*export, which this case was imported from; choose a folder outside it/,
  );
  const beside = exportCase(db, caseFile, { format: 'csv', what: 'evidence', out: join(evidence, 'evidence-list.csv'), analyst: 't' });
  assert.ok(beside.rows === 1);
});

test('an existing file is replaced only when asked; the case file never', async () => {
  const { db, caseFile } = await caseWithEvidence();
  const out = join(tempDir(), 'report.html');
  writeFileSync(out, 'last week\'s signed report');
  assert.throws(
    () => exportCase(db, caseFile, { format: 'html', what: 'report', out, analyst: 't' }),
    (err: unknown) => err instanceof ExportError && err.code === 'exists' && /already exists; choose another name, or replace it/.test(err.message),
  );
  assert.equal(readFileSync(out, 'utf8'), 'last week\'s signed report');
  exportCase(db, caseFile, { format: 'html', what: 'report', out, analyst: 't', overwrite: true });
  assert.match(readFileSync(out, 'utf8'), /^<!doctype html>/i);
  assert.throws(() => exportCase(db, caseFile, { format: 'json', what: 'findings', out: caseFile, analyst: 't', overwrite: true }), /over a case file/);
  assert.throws(() => exportCase(db, caseFile, { format: 'json', what: 'findings', out: tempDir(), analyst: 't', overwrite: true }), /is a folder/);
});

test('crossline report says a file is there and replaces it with --force', async () => {
  const { caseFile } = await caseWithEvidence();
  const out = join(tempDir(), 'findings.csv');
  writeFileSync(out, 'keep me');
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'crossline.mjs'), 'report', caseFile, '--format', 'csv', '--out', out, ...args], { encoding: 'utf8' });
  const refused = cli();
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /already exists; choose another name, or replace it \(--force replaces it\)/);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  const forced = cli('--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readFileSync(out, 'utf8'), /^id,severity,score/);
});

test('a symlink at the target is never followed into the case, whatever the case is called', async () => {
  const { db, caseFile } = await caseWithEvidence();
  const dir = tempDir();
  const link = join(dir, 'report.pdf');
  symlinkSync(caseFile, link);
  assert.throws(() => exportCase(db, caseFile, { format: 'html', what: 'report', out: link, analyst: 't', overwrite: true }), /over a case file: .*report\.pdf \(.*\.crossline\)/);
  // A case not named .crossline (the command line takes any name) is recognised by its real path.
  const { db: db2 } = freshCase();
  const odd = join(dir, 'case.db');
  copyFileSync(caseFile, odd);
  const link2 = join(dir, 'summary.html');
  symlinkSync(odd, link2);
  assert.throws(() => exportCase(db2, odd, { format: 'html', what: 'report', out: link2, analyst: 't', overwrite: true }), /over a case file/);
});

test('a PDF print that fails leaves the file it was to replace as it was, and no partial file', async () => {
  const { caseFile } = await caseWithEvidence();
  const dir = tempDir();
  const out = join(dir, 'signed-report.pdf');
  writeFileSync(out, 'last week\'s signed report');
  const r = spawnSync(process.execPath, [join(root, 'bin', 'crossline.mjs'), 'report', caseFile, '--format', 'pdf', '--out', out, '--force'], {
    encoding: 'utf8',
    env: { ...process.env, CROSSLINE_CHROMIUM: '/bin/false' }, // exits 1 and prints nothing
  });
  assert.equal(r.status, 4, 'a failed print has its own exit status');
  assert.match(r.stderr, /^crossline: Chromium \(\/bin\/false\) could not print the report \(exit 1\)/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'a message, not a stack trace');
  assert.equal(readFileSync(out, 'utf8'), 'last week\'s signed report');
  assert.deepEqual(readdirSync(dir), ['signed-report.pdf']);
});
