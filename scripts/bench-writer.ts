// The single writer alone: N synthetic CloudTrail events, normalized up front, written into an empty case through
// CaseWriter exactly as an import does (EventBatcher's batches of 2,000 with their raw records deflated, every
// tenth batch twice, as duplicates), then the index build. Prints µs per event for the inserts, the commits and the final index build, so writer changes can be
// compared without the parse workers' noise. `npm run bench:writer [-- EVENTS]` (default 300,000).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../electron/db/connection';
import { CaseWriter, COLUMN_SQL, ROWS_PER_INSERT } from '../electron/db/repos/case-writer';
import { dropEventIndexes } from '../electron/db/indexes';
import { INTERNED_COLUMNS } from '../electron/db/repos/event-batch';
import { EVENT_COLUMNS } from '../shared/domain/event';
import type { EventBatch } from '../electron/db/repos/event-batch';
import { normalizeCloudTrail } from '../electron/core/import/cloudtrail/normalize-cloudtrail';
import { EventBatcher } from '../electron/core/import/event-batcher';
import { fingerprintOf } from '../electron/core/import/parse-evidence-file';
import { generateEvents } from './synth/cloudtrail-synth';

const total = Number(process.argv[2] ?? 300_000);
const BATCH = 2000;

const t0 = performance.now();
const batches: EventBatch[] = [];
const batcher = new EventBatcher();
let count = 0;
for (const e of generateEvents({ seed: 7, startMs: Date.UTC(2026, 8, 1), days: Math.max(1, Math.round(total / 200_000)), targetEvents: total, chains: false })) {
  const r = normalizeCloudTrail(e.record);
  if (!r.ok) continue;
  r.event.fingerprint = fingerprintOf(r.event, 2);
  batcher.add(r.event, Buffer.from(JSON.stringify(e.record)), count, 0);
  if (++count % BATCH === 0) batches.push(batcher.take());
  if (count >= total) break;
}
if (batcher.size > 0) batches.push(batcher.take());
const prepMs = performance.now() - t0;

const dir = mkdtempSync(join(tmpdir(), 'crossline-bench-writer-'));
const file = join(dir, 'w.crossline');
try {
  const db = openCase(file);
  const writer = new CaseWriter(db, ['bench']);
  const source = writer.openSource({ path: 'bench', parentId: null });
  const shared = { blockId: null as number | bigint | null };
  let inserted = 0;
  let commitMs = 0;
  const t1 = performance.now();
  // Every tenth batch arrives twice, as an organisation trail beside an account trail delivers it.
  for (const [i, b] of batches.entries()) {
    inserted += writer.writeEvents(source, b, shared);
    if (i % 10 === 0) inserted += writer.writeEvents(source, b, shared);
    const c = performance.now();
    writer.maybeCommit(true);
    commitMs += performance.now() - c;
  }
  const insertMs = performance.now() - t1 - commitMs;
  const t2 = performance.now();
  writer.finish('complete', { events: inserted, duplicates: 0, skipped: 0, errors: 0, files: 1, bytes: 0 });
  const finishMs = performance.now() - t2;
  db.close();
  const us = (ms: number) => ((ms * 1000) / count).toFixed(2);
  process.stdout.write(
    `writer: ${count.toLocaleString('en-US')} events (${inserted.toLocaleString('en-US')} new), prepared in ${(prepMs / 1000).toFixed(1)} s\n` +
      `  inserts ${(insertMs / 1000).toFixed(2)} s = ${us(insertMs)} µs/event\n` +
      `  commits ${(commitMs / 1000).toFixed(2)} s = ${us(commitMs)} µs/event\n` +
      `  finish (indexes, checkpoint) ${(finishMs / 1000).toFixed(2)} s = ${us(finishMs)} µs/event\n` +
      `  total ${us(insertMs + commitMs + finishMs)} µs/event; case file ${(statSync(file).size / 1048576).toFixed(0)} MiB\n`,
  );
  const single = floorMicros(join(dir, 'floor-1.crossline'), batches, 1);
  const grouped = floorMicros(join(dir, `floor-${ROWS_PER_INSERT}.crossline`), batches, ROWS_PER_INSERT);
  process.stdout.write(
    `  floor: the same rows through a prepared INSERT in a bare loop (no dedup, no strings; its one commit included):\n` +
      `    one row a statement, bound from an array: ${single.toFixed(2)} µs/event\n` +
      `    ${ROWS_PER_INSERT} rows a statement, bound as arguments (as CaseWriter does): ${grouped.toFixed(2)} µs/event\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * What SQLite itself costs per row: the same events bound to a prepared INSERT (the case's schema, no secondary
 * index) in a bare loop, in one transaction, with every parameter array built before the clock starts.
 * `rowsPerStatement` 1 binds an array (the writer's way before multi-row statements); more binds arguments.
 */
function floorMicros(caseFile: string, batches: EventBatch[], rowsPerStatement: number): number {
  const db = openCase(caseFile);
  dropEventIndexes(db, { identity: true });
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16384');
  db.pragma('foreign_keys = OFF'); // as in CaseWriter
  const importId = db.prepare("INSERT INTO imports (started_at, inputs, status) VALUES (0, '[]', 'running')").run().lastInsertRowid;
  const sourceId = db.prepare("INSERT INTO evidence_sources (import_id, path, size, sha256, imported_at) VALUES (?, 'floor', 0, '', 0)").run(importId).lastInsertRowid;
  const blockId = db.prepare("INSERT INTO raw_blocks (codec, data) VALUES ('none', x'00')").run().lastInsertRowid;
  const interned = new Set(EVENT_COLUMNS.flatMap((c, i) => (INTERNED_COLUMNS.has(c) ? [i] : [])));
  const rows: unknown[][] = [];
  for (const b of batches) {
    for (let e = 0; e < b.ordinals.length; e++) {
      // Batch values are ready to bind; an interned one is a batch index, stood in for by a string id here.
      const values = b.values.slice(e * EVENT_COLUMNS.length, (e + 1) * EVENT_COLUMNS.length).map((v, c) => (interned.has(c) && v !== null ? (v as number) + 1 : v));
      rows.push([sourceId, b.ordinals[e], blockId, b.rawOffsets[e], b.rawLengths[e], ...values]);
    }
  }
  const sql = (n: number) =>
    `INSERT INTO events (source_id, position, raw_block, raw_offset, raw_length, ${COLUMN_SQL.join(', ')}) VALUES ${new Array(n).fill(`(${rows[0]!.map(() => '?').join(', ')})`).join(', ')}`;
  const insert = db.prepare(sql(1));
  const insertMany = db.prepare(sql(rowsPerStatement));
  const groups: unknown[][] = [];
  for (let i = 0; i + rowsPerStatement <= rows.length; i += rowsPerStatement) groups.push(rows.slice(i, i + rowsPerStatement).flat());
  const t = performance.now();
  db.exec('BEGIN');
  if (rowsPerStatement === 1) for (const row of rows) insert.run(row);
  else {
    for (const group of groups) insertMany.run(...group);
    for (const row of rows.slice(groups.length * rowsPerStatement)) insert.run(...row);
  }
  db.exec('COMMIT');
  const ms = performance.now() - t;
  db.close();
  return (ms * 1000) / rows.length;
}
