// The hand-over report says at the top what its findings are worth: "not analysed" before any correlation run,
// "No findings" only after one, and any import that stopped part way by name. Section 2 shows what each evidence
// file brought and lost, the import runs, and the import problems grouped by reason; every count of files and bytes
// in the report is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { exportCase } from '../../electron/core/report/export-report';
import { openCase } from '../../electron/db/connection';
import { cloudTrailRecord, gzip, importInto, recordsEnvelope, tempDir, writeEvidence } from '../support/evidence-fixtures';
import { mixedEvidence } from '../support/problem-evidence';

/** The text of an HTML fragment, tags dropped and entities of the report decoded, whitespace folded. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();
const between = (html: string, from: string, to: string) => html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));

function report(db: Parameters<typeof exportCase>[0], caseFile: string, dir: string, name: string): string {
  const out = join(dir, name);
  exportCase(db, caseFile, { format: 'html', what: 'report', out, analyst: 'test' });
  return readFileSync(out, 'utf8');
}

test('a case never correlated, with a cancelled import: the summary says not analysed and names the import', async () => {
  const evidence = mixedEvidence();
  const { db, caseFile, caseDir } = await importInto([evidence]);
  const later = tempDir();
  writeEvidence(later, 'more.json.gz', gzip(recordsEnvelope([cloudTrailRecord()])));
  const stop = new AbortController();
  stop.abort();
  const cancelled = await importEvidence(db, [later], { workers: 1, signal: stop.signal });

  const html = report(db, caseFile, caseDir, 'r.html');
  const summary = textOf(between(html, '<h2 id="summary">', '<h2 id="evidence">'));
  assert.match(summary, /^1\. Case summary and scope findings not analysed : the correlator has not run on this case last correlation never /);
  assert.match(summary, new RegExp(`incomplete analysis Import ${cancelled.importId} of ${later} \\(started \\S+\\) was cancelled after storing 0 new events from 0 files: part of its evidence may be missing from the case, and findings with it\\.`));
  assert.match(summary, /import problems 27 records out of scope \(not sign-in or control-plane audit records\), 3 damaged or unreadable records or files/);
  assert.match(summary, /Not analysed\. The correlator has not run on this case's 8 events, so no AN1348 chain has been looked for: this is not the same as finding none\./);
  assert.doesNotMatch(summary, /No findings/);
  assert.match(textOf(between(html, '<h2 id="findings">', '<h2 id="attack">')), /Not analysed\./);

  // The file that lost records: what it brought, and what it lost by design and to damage.
  const row = html.split('<tr>').find((l) => l.includes('azure-signin-audit.jsonl</td>'))!;
  assert.deepEqual(row.match(/<td>[\d,]+<\/td>/g)!.slice(-5), ['<td>3</td>', '<td>0</td>', '<td>0</td>', '<td>27</td>', '<td>3</td>'], 'events, duplicates, skipped, out of scope, unreadable');
  const problems = textOf(between(html, '<h3 id="import-problems">', '<h2 id="method">'));
  assert.match(problems, /27 records out of scope .* and 3 damaged or unreadable .* in 3 reasons/);
  assert.match(problems, /out of scope an Entra ID audit \/ directory record .* 25 1 \S+azure-signin-audit\.jsonl \(line 7, record 7\)/);
  assert.match(problems, /unreadable invalid JSON: .* 3 1 \S+azure-signin-audit\.jsonl \(line 1, record 1\)/);
  const runs = textOf(between(html, '<h3 id="imports">', '<h3 id="import-problems">'));
  assert.match(runs, new RegExp(`${cancelled.importId} \\S+ \\S+ cancelled ${later} 0 0 0 0 0`));
});

test('after a re-import every count of files and bytes in the report agrees; after a correlation, "No findings" with the caveat', async () => {
  const evidence = mixedEvidence();
  const { db, caseFile, caseDir } = await importInto([evidence]);
  await importEvidence(db, [evidence], { workers: 1 });
  const html = report(db, caseFile, caseDir, 'twice.html');
  const sources = textOf(between(html, '<th>sources</th>', '</tr>'));
  const section = textOf(between(html, '<h2 id="evidence">', 'Manifest SHA-256'));
  const counts = /4 files, 1 archive, ([\d,]+) bytes/;
  assert.match(sources, counts);
  assert.equal(section.match(counts)?.[0], sources.match(counts)?.[0], 'the summary and the evidence section');
  assert.match(sources, /2 import runs/);

  await runCorrelation(caseFile, {});
  const after = report(db, caseFile, caseDir, 'after.html');
  const summary = textOf(between(after, '<h2 id="summary">', '<h2 id="evidence">'));
  assert.match(summary, /findings 0: 0 critical/);
  assert.match(summary, /No findings: no third-party entry/);
  assert.doesNotMatch(summary, /incomplete analysis|not analysed :/);
  // Events stored after the run: the summary says the findings do not cover them.
  const more = tempDir();
  writeEvidence(more, 'more.json.gz', gzip(recordsEnvelope([cloudTrailRecord()])));
  await importEvidence(db, [more], { workers: 1 });
  const stale = textOf(between(report(db, caseFile, caseDir, 'stale.html'), '<h2 id="summary">', '<h2 id="evidence">'));
  assert.match(stale, /\(may be incomplete: see below\).* incomplete analysis 1 import stored events after the last correlation run: those events are not analysed yet/);
});

test('the evidence export carries what the evidence list of the report shows: given or in an archive, out of scope and unreadable apart', async () => {
  const evidence = mixedEvidence();
  const { db, caseFile, caseDir } = await importInto([evidence]);
  await importEvidence(db, [evidence], { workers: 1 });
  const out = join(caseDir, 'evidence.csv');
  exportCase(db, caseFile, { format: 'csv', what: 'evidence', out, analyst: 'test' });
  const [head, ...lines] = readFileSync(out, 'utf8').trimEnd().split('\r\n');
  const columns = head!.split(',');
  assert.deepEqual(columns, ['path', 'size', 'sha256', 'format', 'events', 'complete', 'duplicates', 'skipped', 'errors', 'given', 'archive', 'outOfScope', 'unreadable'], 'the old columns first, unchanged');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i]!, v])) as Record<string, string>);
  const mixed = rows.find((r) => r.path!.endsWith('azure-signin-audit.jsonl'))!;
  assert.deepEqual([mixed.errors, mixed.outOfScope, mixed.unreadable, mixed.given, mixed.archive], ['30', '27', '3', 'true', 'false']);
  const zip = rows.find((r) => r.path!.endsWith('siem.zip'))!;
  assert.deepEqual([zip.given, zip.archive], ['true', 'true']);
  const member = rows.find((r) => r.path!.endsWith('siem.zip!/events.jsonl'))!;
  assert.deepEqual([member.given, member.archive], ['false', 'false']);
  // The given rows add up to the bytes the report states; every row's size would count the zip's member twice.
  const html = report(db, caseFile, caseDir, 'r.html');
  const bytes = Number(/4 files, 1 archive, ([\d,]+) bytes/.exec(textOf(between(html, '<th>sources</th>', '</tr>')))![1]!.replace(/,/g, ''));
  assert.equal(rows.filter((r) => r.given === 'true').reduce((n, r) => n + Number(r.size), 0), bytes);
  assert.ok(rows.reduce((n, r) => n + Number(r.size), 0) > bytes);
  // The JSON export has the same fields.
  const json = join(caseDir, 'evidence.json');
  exportCase(db, caseFile, { format: 'json', what: 'evidence', out: json, analyst: 'test' });
  const items = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>[];
  const typed = (v: string) => (/^\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v);
  assert.deepEqual(items.find((e) => String(e.path).endsWith('azure-signin-audit.jsonl')), Object.fromEntries(Object.entries(mixed).map(([k, v]) => [k, typed(v)])));
});

test('the report of an empty case says it has no events instead of a range of dashes', () => {
  const dir = tempDir();
  const caseFile = join(dir, 'empty.crossline');
  const db = openCase(caseFile);
  try {
    const html = report(db, caseFile, dir, 'empty.html');
    assert.match(html, /<th>time range \(UTC\)<\/th><td>no events<\/td>/);
  } finally {
    db.close();
  }
});
