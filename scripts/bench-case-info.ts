// The case header's reads on a synthetic case the size of the bench's evidence imported three times (8,126 S3 files:
// 24,378 evidence rows), with and without 2,000 incomplete rows (a cancelled fourth import), and 40,000 problem rows:
// `case.info` runs them on every case open and after every job. Prints the median of 9 runs of each read, and the
// query plans of the evidence CTE and of the problem reads.
//   npx tsx scripts/bench-case-info.ts [--keep DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openCase } from '../electron/db/connection';
import { EVIDENCE, evidenceFormats, evidenceTotals, readEvidence } from '../electron/db/repos/evidence-repo';
import { countProblems, readProblems } from '../electron/db/repos/import-history-repo';
import { readCaseInfo } from '../electron/db/repos/workbench-repo';

const FILES = 8_126;
const dir = mkdtempSync(join(tmpdir(), 'crossline-bench-info-'));
const caseFile = join(dir, 'bench.crossline');
const db = openCase(caseFile);
const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const pathOf = (i: number) => `/home/analyst/cases/acme/logs/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + (i % 28)).padStart(2, '0')}/111122223333_CloudTrail_us-east-1_${i}.json.gz`;

const newImport = db.prepare("INSERT INTO imports (started_at, finished_at, inputs, status, stats) VALUES (?, ?, ?, ?, '{}')");
const source = db.prepare('INSERT INTO evidence_sources (import_id, parent_id, path, size, sha256, imported_at, format, events, duplicates, complete) VALUES (?, NULL, ?, ?, ?, 0, ?, ?, ?, ?)');
const problem = db.prepare('INSERT INTO import_problems (import_id, file, position, reason) VALUES (?, ?, ?, ?)');
const REASONS = Array.from({ length: 30 }, (_, i) => `invalid JSON (reason ${i}): Unexpected token in JSON at position ${i * 17}`);

db.transaction(() => {
  for (let run = 1; run <= 3; run++) {
    const id = Number(newImport.run(run * 1000, run * 1000 + 500, '["/home/analyst/cases/acme/logs"]', 'complete').lastInsertRowid);
    for (let i = 0; i < FILES; i++) source.run(id, pathOf(i), 20_000 + i, hex(String(i)), 'cloudtrail-s3', run === 1 ? 120 : 0, run === 1 ? 0 : 120, 1);
    // 13,334 distinct problems recorded by each run: 40,002 rows.
    for (let i = 0; i < 13_334; i++) problem.run(id, pathOf(i % FILES), `line ${1 + Math.floor(i / FILES)}`, REASONS[i % REASONS.length]!);
  }
})();

function median(fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[4]!;
}

function measure(label: string): void {
  const rows = db.prepare('SELECT count(*) FROM evidence_sources').pluck().get() as number;
  console.log(`${label} (${rows.toLocaleString('en-US')} evidence rows, ${(db.prepare('SELECT count(*) FROM import_problems').pluck().get() as number).toLocaleString('en-US')} problem rows)`);
  const figures: [string, () => unknown][] = [
    ['evidenceTotals', () => evidenceTotals(db)],
    ['readEvidence', () => readEvidence(db)],
    ['evidenceFormats', () => evidenceFormats(db)],
    ['countProblems', () => countProblems(db)],
    ['readProblems', () => readProblems(db)],
    ['readCaseInfo (case.info)', () => readCaseInfo(db, caseFile)],
  ];
  for (const [name, fn] of figures) console.log(`  ${name.padEnd(26)} ${median(fn).toFixed(1).padStart(8)} ms`);
}

const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => `    ${r.detail}`).join('\n');

measure('three complete imports');
const cancelled = Number(newImport.run(9000, 9500, '["/home/analyst/cases/acme/logs"]', 'cancelled').lastInsertRowid);
db.transaction(() => {
  // A cancelled fourth import: 1,000 files it was re-reading, 1,000 new ones it never completed.
  for (let i = 0; i < 2_000; i++) source.run(cancelled, i < 1_000 ? pathOf(i) : pathOf(FILES + i), 0, '', null, 0, 0, 0);
})();
measure('with 2,000 incomplete rows');
console.log(`  plan of the evidence CTE:\n${plan(`WITH ${EVIDENCE} SELECT count(*) FROM evidence`)}`);
console.log(`  plan of readProblems:\n${plan('SELECT file, position, reason FROM import_problems GROUP BY file, position, reason ORDER BY min(id)')}`);
db.close();
if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${caseFile}`);
