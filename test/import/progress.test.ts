// What an investigator watching an import sees: progress while the evidence is read, then a last step that says
// the case's indexes are being built (a bulk import builds them in one go, a few seconds a million events).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importEvidence, type ImportProgress } from '../../electron/core/import/import-evidence';
import { progressLine } from '../../electron/cli/progress-line';
import { cloudTrailRecord, freshCase, tempDir, writeS3Delivery } from '../support/evidence-fixtures';

function evidence(files: number): string {
  const dir = tempDir();
  for (let f = 0; f < files; f++) writeS3Delivery(dir, [cloudTrailRecord(), cloudTrailRecord()], { stamp: `20240602T20${String(f).padStart(2, '0')}Z_AbCdEfGh12345678` });
  return dir;
}

test('an import into an empty case says when it reads and when it builds the indexes; the CLI line says so in words', async () => {
  const { db } = freshCase();
  const seen: ImportProgress[] = [];
  await importEvidence(db, [evidence(3)], { workers: 1, onProgress: (p) => seen.push(p) });
  const indexing = seen.findIndex((p) => p.phase === 'indexing');
  assert.ok(indexing > 0, 'an indexing step after reading');
  assert.ok(seen.slice(0, indexing).every((p) => p.phase === 'reading'));
  assert.equal(seen[indexing]!.events, 6, 'every event is stored before the indexes are built');
  assert.equal(progressLine(seen[indexing]!), "importing: 3 files, 6 events stored; building the case's indexes…");
  assert.match(progressLine(seen[0]!), /^importing:/);
});

test('an import into a case that holds events keeps its indexes up to date as it goes: no indexing step', async () => {
  const { db } = freshCase();
  await importEvidence(db, [evidence(1)], { workers: 1 });
  const seen: ImportProgress[] = [];
  await importEvidence(db, [evidence(2)], { workers: 1, onProgress: (p) => seen.push(p) });
  assert.ok(seen.length > 0);
  assert.ok(seen.every((p) => p.phase === 'reading'));
});
