// What a case says about its own imports: each evidence file counted once however often it was imported (the app's
// header, `crossline info` and the evidence list agree), problems grouped by reason with records left out by design
// told apart from damaged input, and the imports that leave findings incomplete (stopped part way, or after the last
// correlation run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { readImportHistory } from '../../electron/core/import/import-history';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { caseSummary } from '../../electron/db/repos/case-summary-repo';
import { CaseWriter } from '../../electron/db/repos/case-writer';
import { evidenceFormats, evidenceTotals, readEvidence } from '../../electron/db/repos/evidence-repo';
import { readCaseInfo } from '../../electron/db/repos/workbench-repo';
import { main } from '../../electron/cli/main';
import { cloudTrailRecord, freshCase, gzip, importInto, recordsEnvelope, tempDir, writeEvidence } from '../support/evidence-fixtures';
import { mixedEvidence } from '../support/problem-evidence';

async function cliInfo(caseFile: string): Promise<string> {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    assert.equal(await main(['info', caseFile]), 0);
  } finally {
    process.stdout.write = write;
  }
  return out.join('');
}

test('a re-import counts no file twice: the header, crossline info, the formats and the evidence list agree', async () => {
  const evidence = mixedEvidence();
  const { db, caseFile } = await importInto([evidence]);
  const given = ['exports/siem.zip', 'azure/azure-signin-audit.jsonl'].reduce((n, p) => n + statSync(join(evidence, p)).size, 0);
  const s3Bytes = readEvidence(db).filter((e) => e.path.includes('AWSLogs')).reduce((n, e) => n + e.size, 0);
  const expected = { files: 4, archives: 1, incomplete: 0, bytes: given + s3Bytes };
  assert.deepEqual(readCaseInfo(db, caseFile).sources, expected);

  const again = await importEvidence(db, [evidence], { workers: 1 });
  assert.equal(again.stats.events, 0, 'nothing new');
  assert.ok(again.stats.duplicates > 0);
  assert.deepEqual(readCaseInfo(db, caseFile).sources, expected, 'the app header');
  assert.deepEqual(caseSummary(db).sources, expected, 'crossline info --json');
  assert.deepEqual(evidenceTotals(db), expected);
  const list = readEvidence(db);
  assert.equal(list.length, expected.files + expected.archives, 'the evidence list: each file once');
  assert.equal(list.filter((e) => e.given).reduce((n, e) => n + e.size, 0), expected.bytes, 'its bytes add up to the header');
  assert.equal(evidenceFormats(db).reduce((n, f) => n + f.files, 0), expected.files);
  // The counts are what each file brought the case at its first import, not the re-import's "all duplicates".
  const mixed = list.find((e) => e.path.endsWith('azure-signin-audit.jsonl'))!;
  assert.deepEqual([mixed.events, mixed.duplicates, mixed.errors], [3, 0, 30]);
  assert.match(await cliInfo(caseFile), new RegExp(`^evidence: 4 files, 1 archives, ${expected.bytes.toLocaleString('en-US')} bytes$`, 'm'));
});

test('problems are grouped by reason, each once however often re-imported; records left out by design are told apart', async () => {
  const evidence = mixedEvidence();
  const { db, caseFile } = await importInto([evidence]);
  const first = readImportHistory(db);
  await importEvidence(db, [evidence], { workers: 1 });
  const history = readImportHistory(db);
  assert.deepEqual(history.problems, first.problems, 'a re-import records the same problems again: counted once');
  assert.equal(history.runs.length, 2);
  assert.deepEqual(history.problemTotals, { damaged: 3, outOfScope: 27, notes: 0, groups: 3 });
  const [audit, damaged, kube] = history.problems;
  const file = join(evidence, 'azure', 'azure-signin-audit.jsonl');
  assert.equal(audit!.kind, 'out-of-scope');
  assert.match(audit!.reason, /^an Entra ID audit \/ directory record/);
  assert.deepEqual([audit!.count, audit!.files], [25, 1], 'the 17 kept in full and the 8 folded into one line');
  assert.deepEqual(audit!.examples, [7, 8, 9].map((n) => ({ file, position: `line ${n}, record ${n}` })));
  assert.equal(damaged!.kind, 'damaged');
  assert.match(damaged!.reason, /^invalid JSON/);
  assert.equal(damaged!.count, 3);
  assert.equal(kube!.kind, 'out-of-scope');
  assert.match(kube!.reason, /^an AKS kube-audit resource log/);
  assert.equal(kube!.count, 2);
  assert.deepEqual(kube!.examples, [{ file, position: null }], 'only folded: the file is named');
  assert.match(await cliInfo(caseFile), /import problems: 27 records out of scope \(not sign-in or control-plane audit records\), 3 damaged or unreadable records or files$/m);
});

test('an import that stopped part way is named until a complete run of the same paths makes it good', async () => {
  const evidence = tempDir();
  writeEvidence(evidence, 'a.json.gz', gzip(recordsEnvelope([cloudTrailRecord(), cloudTrailRecord()])));
  const { db, caseFile } = freshCase();
  const stop = new AbortController();
  stop.abort();
  const cancelled = await importEvidence(db, [evidence], { workers: 1, signal: stop.signal });
  assert.equal(cancelled.status, 'cancelled');
  const info = readCaseInfo(db, caseFile);
  assert.equal(info.lastCorrelationMs, null, 'never analysed');
  assert.deepEqual(info.analysis.unfinishedImports.map((r) => [r.id, r.status, r.inputs]), [[cancelled.importId, 'cancelled', [evidence]]]);
  const text = await cliInfo(caseFile);
  assert.match(text, /^findings: not analysed \(no events yet\)$/m);
  assert.match(text, new RegExp(`^warning: Import ${cancelled.importId} of \\S+ \\(started \\S+\\) was cancelled after storing 0 new events from 0 files: part of its evidence may be missing`, 'm'));

  await importEvidence(db, [evidence], { workers: 1 });
  assert.deepEqual(readCaseInfo(db, caseFile).analysis.unfinishedImports, [], 'the re-run completed it');
  // Stopped again: the folder may have gained files since the complete run (nothing says what the stopped run missed).
  const again = await importEvidence(db, [evidence], { workers: 1, signal: stop.signal });
  assert.deepEqual(readCaseInfo(db, caseFile).analysis.unfinishedImports.map((r) => r.id), [again.importId], 'an earlier complete run covers nothing');
  await importEvidence(db, [evidence], { workers: 1 });
  assert.deepEqual(readCaseInfo(db, caseFile).analysis.unfinishedImports, [], 'a later complete run does');

  await runCorrelation(caseFile, {});
  const correlated = readCaseInfo(db, caseFile);
  assert.ok(correlated.lastCorrelationMs !== null);
  assert.equal(correlated.analysis.importsAfterCorrelation, 0);
  const more = tempDir();
  writeEvidence(more, 'b.json.gz', gzip(recordsEnvelope([cloudTrailRecord()])));
  await importEvidence(db, [more], { workers: 1 });
  await importEvidence(db, [evidence], { workers: 1 });
  assert.equal(readCaseInfo(db, caseFile).analysis.importsAfterCorrelation, 1, 'the import that stored events; the one of duplicates only changes nothing');
  assert.match(await cliInfo(caseFile), /^warning: 1 import stored events after the last correlation run: those events are not analysed yet/m);
});

test('an unfinished import is made good only by complete imports started after it, input by input, by real path', async () => {
  const root = tempDir();
  const other = tempDir();
  const delivery = () => gzip(recordsEnvelope([cloudTrailRecord()]));
  writeEvidence(root, 'logs/a.json.gz', delivery());
  writeEvidence(root, 'more/b.json.gz', delivery());
  writeEvidence(other, 'logs/c.json.gz', delivery());
  const { db, caseFile } = freshCase();
  const stop = new AbortController();
  stop.abort();
  const cancelled = (paths: string[]) => importEvidence(db, paths, { workers: 1, signal: stop.signal }).then((r) => r.importId);
  const complete = (paths: string[]) => importEvidence(db, paths, { workers: 1 });
  const unfinished = () => readCaseInfo(db, caseFile).analysis.unfinishedImports.map((r) => r.id);
  const logs = join(root, 'logs');
  const more = join(root, 'more');

  // (a) A complete import, then more logs added to the folder and its re-import cancelled: those files are missing.
  await complete([logs]);
  writeEvidence(root, 'logs/added.json.gz', delivery());
  const readdedStopped = await cancelled([logs]);
  assert.deepEqual(unfinished(), [readdedStopped], 'the earlier complete import does not cover it');
  await complete([logs]);
  assert.deepEqual(unfinished(), []);

  // (b) Cancelled as typed on the command line (relative), then completed by its full path (as the app gives it).
  const relativeStopped = await cancelled([relative(process.cwd(), logs)]);
  assert.deepEqual(unfinished(), [relativeStopped]);
  await complete([logs]);
  assert.deepEqual(unfinished(), [], 'the same folder by another spelling');

  // Two paths cancelled together, completed one at a time.
  const pairStopped = await cancelled([logs, more]);
  await complete([logs]);
  assert.deepEqual(unfinished(), [pairStopped], 'half of it is still missing');
  await complete([relative(process.cwd(), more)]);
  assert.deepEqual(unfinished(), [], 'each input covered by its own later run');

  // A subfolder is covered by a complete import of its parent; the parent is not covered by its subfolder.
  writeEvidence(root, 'logs/sub/d.json.gz', delivery());
  const subStopped = await cancelled([join(logs, 'sub')]);
  await complete([root]);
  assert.deepEqual(unfinished(), []);
  const parentStopped = await cancelled([root]);
  await complete([logs]);
  assert.deepEqual(unfinished(), [parentStopped]);
  await complete([root]);
  assert.ok(subStopped < parentStopped);

  // Another folder that happens to be spelled the same way (`logs` from another working directory) covers nothing.
  const cwd = process.cwd();
  try {
    process.chdir(root);
    const here = await cancelled(['logs']);
    process.chdir(other);
    await complete(['logs']);
    assert.deepEqual(unfinished(), [here], 'a different folder of the same name');
    process.chdir(root);
    await complete(['logs']);
    assert.deepEqual(unfinished(), []);
  } finally {
    process.chdir(cwd);
  }

  // Runs recorded before the case kept real paths compare by the paths as given, input by input.
  const legacy = await cancelled([logs, more]);
  const forget = db.prepare('UPDATE imports SET real_inputs = NULL WHERE id >= ?');
  forget.run(legacy);
  await complete([more]);
  forget.run(legacy);
  assert.deepEqual(unfinished(), [legacy]);
  await complete([logs]);
  forget.run(legacy);
  assert.deepEqual(unfinished(), []);
});

test('files in flight when an import stopped are incomplete until a later import completes them, then listed once', () => {
  const { db } = freshCase();
  const stats = { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 0, bytes: 0 };
  const stopped = new CaseWriter(db, ['/ev']);
  stopped.openSource({ path: '/ev/x.json', parentId: null });
  stopped.finish('cancelled', stats);
  assert.deepEqual(evidenceTotals(db), { files: 1, archives: 0, incomplete: 1, bytes: 0 });
  assert.deepEqual(readEvidence(db).map((e) => [e.path, e.complete]), [['/ev/x.json', false]]);

  const totals = { size: 120, sha256: 'ab'.repeat(32), format: 'cloudtrail:lines', events: 2, duplicates: 0, skipped: 0, errors: 0 };
  for (const [status, events, duplicates] of [['complete', 2, 0], ['complete', 0, 2]] as const) {
    const w = new CaseWriter(db, ['/ev']);
    w.finishSourceRow(w.openSource({ path: '/ev/x.json', parentId: null }), { path: '/ev/x.json', parentId: null }, { ...totals, events, duplicates });
    w.finish(status, stats);
  }
  assert.deepEqual(evidenceTotals(db), { files: 1, archives: 0, incomplete: 0, bytes: 120 });
  assert.deepEqual(readEvidence(db).map((e) => [e.path, e.complete, e.events, e.duplicates]), [['/ev/x.json', true, 2, 0]], 'the first complete import of it');
});
