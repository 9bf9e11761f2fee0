// Archive members larger than maxBufferedMemberBytes are streamed to a parse worker instead of being read into
// memory. A small limit (64 KiB) puts small generated archives on that path; each case is then imported again
// with the default limits, where the same members are held in memory, and the two cases must be the same: the
// same events with the same raw records, the same evidence rows, the same problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { DEFAULT_LIMITS, type ImportLimits } from '../../electron/core/import/limits';
import type { ImportResult } from '../../electron/core/import/import-evidence';
import { walkEvidence } from '../../electron/core/import/walk-evidence';
import {
  cloudTrailRecord, gzip, importInto, jsonLines, lakeCsv, recordsEnvelope, sha256, sourceEndingWith, storedEvent, storedEvents,
  storedSources, tempDir, tgzBuffer, writeEvidence, zipBuffer, type CloudTrailRecord,
} from '../support/evidence-fixtures';

const KiB = 1024;
const MiB = 1024 * KiB;
const STREAMED: ImportLimits = { ...DEFAULT_LIMITS, maxBufferedMemberBytes: 64 * KiB };
/** For bombs: a low inflate floor, as bad-input.test.ts uses. */
const STREAMED_SMALL_FLOOR: ImportLimits = { ...STREAMED, maxRecordBytes: MiB, inflateFloorBytes: MiB };

/**
 * Records that stay big when compressed (each carries its own pseudo-random marker), so a zipped or gzipped
 * member of a few hundred of them is still over the 64 KiB limit.
 */
function records(n: number, seed: number): CloudTrailRecord[] {
  const marker = (i: number) => [0, 1, 2].map((k) => sha256(`${seed}/${i}/${k}`)).join('');
  return Array.from({ length: n }, (_, i) => cloudTrailRecord({ requestParameters: { roleSessionName: 'streamed', marker: marker(i) } }));
}

/**
 * What a case holds for an analyst: events (normalized values, raw text read back, source), evidence rows,
 * problems, totals. Row ids, times and where a raw record sits among the compressed blocks are left out: they
 * are storage, and a small gzip held in memory keeps its own bytes as the block its events point into (and, when
 * parsed whole, finds a record's bytes only when it is read).
 */
function caseContent(db: Database.Database, result: ImportResult) {
  const sources = storedSources(db);
  const pathOf = new Map(sources.map((s) => [s.id, s.path]));
  type StoredEvent = ReturnType<typeof storedEvents>[number] & { raw_block?: number; raw_offset?: number; raw_length?: number; imported_at?: number };
  return {
    events: storedEvents(db).map((e) => {
      const { id: _id, source_id: _source, raw_block: _block, raw_offset: _offset, raw_length: _length, ...rest } = e as StoredEvent;
      return rest;
    }),
    sources: sources.map((s) => {
      const { id: _id, import_id: _import, parent_id, imported_at: _at, ...rest } = s as typeof s & { imported_at?: number };
      return { ...rest, parent: parent_id === null ? null : pathOf.get(parent_id) };
    }),
    problems: result.problems.map(({ file, position, reason }) => ({ file, position, reason })),
    stats: result.stats,
  };
}

/** Imports `paths` with members streamed and again with them held in memory; the two cases must be the same. */
async function assertStreamedEqualsBuffered(paths: string[], streamedLimits: ImportLimits = STREAMED) {
  const streamed = await importInto(paths, { limits: streamedLimits });
  const buffered = await importInto(paths);
  const content = caseContent(streamed.db, streamed.result);
  assert.deepEqual(content, caseContent(buffered.db, buffered.result));
  return { ...streamed, content };
}

/** Labels of the files the walker hands over as streams (each read to its end, as the importer does). */
async function streamedLabels(paths: string[], limits: ImportLimits = STREAMED): Promise<string[]> {
  const labels: string[] = [];
  for await (const item of walkEvidence(paths, limits)) {
    if (item.kind !== 'file' || !item.stream) continue;
    labels.push(item.label);
    try {
      for await (const _ of item.stream) {
        // read to the end, or to the error
      }
    } catch {
      // a damaged member: reported by the importer
    }
  }
  return labels;
}

/** The events stored from one file, in file order. */
function eventsOf(db: Database.Database, file: string) {
  return storedEvents(db).filter((e) => e.source_path === file).sort((a, b) => a.position - b.position);
}

// ---------------------------------------------------------------------------------------------------------------
// The same case as a buffered import

test('a zip member over the limit holding a Records envelope is streamed, and the case equals a buffered import', async () => {
  const big = records(400, 1);
  const small = records(3, 2);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'export.zip', zipBuffer([
    { name: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/02/big.json', data: recordsEnvelope(big) },
    { name: 'small.json', data: recordsEnvelope(small) },
  ]));
  const bigLabel = `${zip}!/AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/02/big.json`;
  assert.deepEqual(await streamedLabels([zip]), [bigLabel]);

  const { db, result } = await assertStreamedEqualsBuffered([zip]);

  assert.equal(result.stats.events, 403);
  assert.deepEqual(eventsOf(db, bigLabel).map((e) => e.native_id), big.map((r) => r.eventID));
  assert.equal(storedEvent(db, String(big[123]!.eventID)).raw, JSON.stringify(big[123]));
  const row = sourceEndingWith(db, 'big.json');
  assert.equal(row.format, 'cloudtrail:s3');
  assert.equal(row.size, Buffer.byteLength(recordsEnvelope(big)));
  assert.equal(row.sha256, sha256(recordsEnvelope(big)));
});

test('a JSON-lines zip member over the limit is streamed, and the case equals a buffered import', async () => {
  const big = records(400, 3);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'siem.zip', zipBuffer([{ name: 'siem/events.jsonl', data: jsonLines(big) }, { name: 'z.json', data: recordsEnvelope(records(2, 4)) }]));
  assert.deepEqual(await streamedLabels([zip]), [`${zip}!/siem/events.jsonl`]);

  const { db } = await assertStreamedEqualsBuffered([zip]);

  assert.deepEqual(eventsOf(db, `${zip}!/siem/events.jsonl`).map((e) => e.raw), big.map((r) => JSON.stringify(r)));
  assert.equal(sourceEndingWith(db, 'events.jsonl').format, 'cloudtrail:lines');
});

test('a .json.gz zip member over the limit is streamed and gunzipped on the way; the case equals a buffered import', async () => {
  const big = records(800, 5);
  const gz = gzip(recordsEnvelope(big));
  assert.ok(gz.length > 64 * KiB, `the gzip is ${gz.length} bytes`);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'logs.zip', zipBuffer([{ name: 'a/111122223333_CloudTrail_us-east-1.json.gz', data: gz, method: 0 }]));
  const label = `${zip}!/a/111122223333_CloudTrail_us-east-1.json.gz`;
  assert.deepEqual(await streamedLabels([zip]), [label]);

  const { db } = await assertStreamedEqualsBuffered([zip]);

  assert.equal(eventsOf(db, label).length, 800);
  assert.equal(storedEvent(db, String(big[799]!.eventID)).raw, JSON.stringify(big[799]));
  const row = sourceEndingWith(db, '.json.gz');
  assert.equal(row.sha256, sha256(gz), 'the evidence row hashes the gzip as stored in the zip');
  assert.equal(row.size, gz.length);
});

test('a CloudTrail Lake CSV zip member over the limit is streamed through the CSV parser; the case equals a buffered import', async () => {
  const big = records(300, 6);
  const { text, lines } = lakeCsv(big);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'lake.zip', zipBuffer([{ name: 'lake/result_1.csv', data: text }]));
  assert.deepEqual(await streamedLabels([zip]), [`${zip}!/lake/result_1.csv`]);

  const { db } = await assertStreamedEqualsBuffered([zip]);

  assert.deepEqual(eventsOf(db, `${zip}!/lake/result_1.csv`).map((e) => e.raw), lines);
  assert.equal(sourceEndingWith(db, 'result_1.csv').format, 'cloudtrail:lake-csv');
});

test('a streamed member of many batches (pulls, batches and acks interleaved) equals a buffered import, duplicates included', async () => {
  const many = records(9000, 25);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'many.zip', zipBuffer([
    { name: 'a-first.json', data: recordsEnvelope(many.slice(100, 110)) },
    { name: 'b-many.jsonl', data: jsonLines(many) },
  ]));
  assert.deepEqual(await streamedLabels([zip]), [`${zip}!/b-many.jsonl`]);

  const { db, result } = await assertStreamedEqualsBuffered([zip]);

  assert.equal(result.stats.events, 9000);
  assert.equal(result.stats.duplicates, 10, 'the records already stored from the first member');
  assert.equal(eventsOf(db, `${zip}!/b-many.jsonl`).length, 8990);
  assert.equal(storedEvent(db, String(many[8999]!.eventID)).raw, JSON.stringify(many[8999]));
});

test('a tar.gz with a member over the limit streams it, and the case equals a buffered import', async () => {
  const big = records(400, 7);
  const small = records(2, 8);
  const dir = tempDir();
  const tgz = writeEvidence(dir, 'bundle.tar.gz', await tgzBuffer([{ name: 'big.jsonl', data: jsonLines(big) }, { name: 'small.json', data: recordsEnvelope(small) }]));
  assert.deepEqual(await streamedLabels([tgz]), [`${tgz}!/big.jsonl`]);

  const { db, result } = await assertStreamedEqualsBuffered([tgz]);

  assert.equal(result.stats.events, 402);
  assert.deepEqual(eventsOf(db, `${tgz}!/big.jsonl`).map((e) => e.native_id), big.map((r) => r.eventID));
  assert.equal(storedEvent(db, String(small[1]!.eventID)).source_path, `${tgz}!/small.json`);
});

test('a tar.gz over the limit inside a zip is streamed through as an archive; its members and evidence rows equal a buffered import', async () => {
  const big = records(800, 9);
  const inner = await tgzBuffer([{ name: 'inner/big.jsonl', data: jsonLines(big) }, { name: 'inner/small.json', data: recordsEnvelope(records(2, 10)) }]);
  assert.ok(inner.length > 64 * KiB, `the tar.gz is ${inner.length} bytes`);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'outer.zip', zipBuffer([{ name: 'nested.tgz', data: inner, method: 0 }]));
  assert.deepEqual(await streamedLabels([zip]), [`${zip}!/nested.tgz!/inner/big.jsonl`]);

  const { db } = await assertStreamedEqualsBuffered([zip]);

  const nested = sourceEndingWith(db, 'nested.tgz');
  assert.equal(nested.sha256, sha256(inner));
  assert.equal(nested.size, inner.length);
  assert.equal(eventsOf(db, `${zip}!/nested.tgz!/inner/big.jsonl`).length, 800);
});

test('a zip over the limit inside a zip is held in memory up to maxNestedZipBytes, and refused past it by name and cap', async () => {
  const big = records(400, 11);
  const inner = zipBuffer([{ name: 'events.jsonl', data: jsonLines(big), method: 0 }]);
  const after = records(2, 12);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'outer.zip', zipBuffer([{ name: 'inner.zip', data: inner, method: 0 }, { name: 'after.json', data: recordsEnvelope(after) }]));

  // Under the cap: the nested zip is read from memory, its big member streamed from there.
  const held = { ...STREAMED, maxNestedZipBytes: 4 * inner.length };
  assert.deepEqual(await streamedLabels([zip], held), [`${zip}!/inner.zip!/events.jsonl`]);
  const { db } = await assertStreamedEqualsBuffered([zip], held);
  assert.equal(eventsOf(db, `${zip}!/inner.zip!/events.jsonl`).length, 400);

  // Over the cap: refused by name, with the cap; the member after it still imports.
  const { db: refusedDb, result } = await importInto([zip], { limits: { ...STREAMED, maxNestedZipBytes: 100 * KiB } });
  assert.deepEqual(result.problems.map((p) => p.file), [`${zip}!/inner.zip`]);
  assert.match(result.problems[0]!.reason, /^nested zip archive of 0\.\d MiB is over the 0\.1 MiB a zip inside an archive may take in memory .*nothing is ever extracted to disk.*extract this zip/);
  assert.equal(storedEvent(refusedDb, String(after[0]!.eventID)).source_path, `${zip}!/after.json`);
  assert.equal(eventsOf(refusedDb, `${zip}!/inner.zip!/events.jsonl`).length, 0);
});

// ---------------------------------------------------------------------------------------------------------------
// Damage and bombs in streamed members

test('a streamed zip member cut short keeps the records before the damage, is named in a problem, and the next member imports', async () => {
  const cut = records(600, 13);
  const next = records(3, 14);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'damaged.zip', zipBuffer([
    { name: 'cut.jsonl', data: jsonLines(cut), keep: 0.6 },
    { name: 'next.json', data: recordsEnvelope(next) },
  ]));
  const label = `${zip}!/cut.jsonl`;
  assert.deepEqual(await streamedLabels([zip]), [label]);

  const { db, result } = await importInto([zip], { limits: STREAMED });

  assert.equal(result.status, 'complete');
  const problems = result.problems.filter((p) => p.file === label);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /^(unreadable zip member|zip member's content does not match its declared size).*; records before the damage were kept$/);
  const kept = eventsOf(db, label);
  assert.ok(kept.length > 100 && kept.length < 600, `kept ${kept.length} of 600`);
  kept.forEach((e, i) => {
    assert.equal(e.position, i, 'the kept records are the first ones, in order');
    assert.equal(e.raw, JSON.stringify(cut[i]));
  });
  for (const r of next) assert.equal(storedEvent(db, String(r.eventID)).source_path, `${zip}!/next.json`);
  assert.equal(sourceEndingWith(db, 'cut.jsonl').errors, 1);
});

for (const layout of ['gzip', 'csv'] as const) {
  test(`a streamed ${layout === 'gzip' ? '.jsonl.gz' : 'CSV'} zip member cut short keeps the records before the damage; the next member imports`, async () => {
    const cut = records(800, 26);
    const name = layout === 'gzip' ? 'cut.jsonl.gz' : 'lake/result_1.csv';
    const csv = lakeCsv(cut);
    const data = layout === 'gzip' ? gzip(jsonLines(cut)) : Buffer.from(csv.text);
    const next = records(2, 27);
    const dir = tempDir();
    const zip = writeEvidence(dir, 'damaged.zip', zipBuffer([{ name, data, keep: 0.5 }, { name: 'next.json', data: recordsEnvelope(next) }]));
    const label = `${zip}!/${name}`;
    assert.deepEqual(await streamedLabels([zip]), [label]);

    const { db, result } = await importInto([zip], { limits: STREAMED });

    const problems = result.problems.filter((p) => p.file === label);
    assert.equal(problems.length, 1, JSON.stringify(result.problems));
    assert.match(problems[0]!.reason, /^(unreadable zip member|zip member's content does not match its declared size).*; records before the damage were kept$/);
    const kept = eventsOf(db, label);
    assert.ok(kept.length > 0 && kept.length < 800, `kept ${kept.length} of 800`);
    kept.forEach((e, i) => assert.equal(e.raw, layout === 'gzip' ? JSON.stringify(cut[i]) : csv.lines[i], `record ${i} whole, none cut short`));
    for (const r of next) assert.equal(storedEvent(db, String(r.eventID)).source_path, `${zip}!/next.json`);
  });
}

test('a .csv.gz on disk cut short keeps the rows before the damage (the gunzip error reaches the CSV reader)', async () => {
  const rows = records(800, 28);
  const { text, lines } = lakeCsv(rows);
  const whole = gzip(text);
  const dir = tempDir();
  const file = writeEvidence(dir, 'result_7.csv.gz', whole.subarray(0, Math.floor(whole.length * 0.5)));

  const { db, result } = await importInto([file]);

  assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
  assert.match(result.problems[0]!.reason, /^corrupt gzip data: unexpected end of file; records before the damage were kept$/);
  const kept = eventsOf(db, file);
  assert.ok(kept.length > 0 && kept.length < 800, `kept ${kept.length} of 800`);
  kept.forEach((e, i) => assert.equal(e.raw, lines[i]));
});

test('a tar.gz cut inside a streamed member keeps the records before the cut and names the member; other evidence imports', async () => {
  const big = records(600, 15);
  const whole = await tgzBuffer([{ name: 'logs/big.jsonl', data: jsonLines(big) }]);
  const good = records(2, 16);
  const dir = tempDir();
  const tgz = writeEvidence(dir, 'cut.tgz', whole.subarray(0, Math.floor(whole.length * 0.7)));
  const other = writeEvidence(dir, 'other.jsonl', jsonLines(good));
  const label = `${tgz}!/logs/big.jsonl`;

  const { db, result } = await importInto([tgz, other], { limits: STREAMED });

  const memberProblems = result.problems.filter((p) => p.file === label);
  assert.equal(memberProblems.length, 1, JSON.stringify(result.problems));
  assert.match(memberProblems[0]!.reason, /corrupt tar\.gz archive \(unexpected end of file\); records before the damage were kept/);
  assert.match(result.problems.find((p) => p.file === tgz)?.reason ?? '', /the members read before it were kept/);
  const kept = eventsOf(db, label);
  assert.ok(kept.length > 100 && kept.length < 600, `kept ${kept.length} of 600`);
  kept.forEach((e, i) => assert.equal(e.raw, JSON.stringify(big[i])));
  for (const r of good) assert.equal(storedEvent(db, String(r.eventID)).source_path, other);
});

test('a gzip bomb in a streamed zip member is stopped by the guard; the records before it are kept and the next member imports', async () => {
  const first = records(20, 17);
  const bomb = gzip(Buffer.concat([Buffer.from(jsonLines(first)), Buffer.alloc(20 * MiB, 0x20)]));
  const limits = { ...STREAMED_SMALL_FLOOR, maxBufferedMemberBytes: 16 * KiB };
  assert.ok(bomb.length > limits.maxBufferedMemberBytes, `the gzip is ${bomb.length} bytes`);
  const next = records(2, 18);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'bomb.zip', zipBuffer([{ name: 'bomb.jsonl.gz', data: bomb, method: 0 }, { name: 'next.json', data: recordsEnvelope(next) }]));
  const label = `${zip}!/bomb.jsonl.gz`;
  assert.deepEqual(await streamedLabels([zip], limits), [label]);

  const { db, result } = await importInto([zip], { limits });

  const problems = result.problems.filter((p) => p.file === label);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /decompression bomb guard/);
  assert.deepEqual(eventsOf(db, label).map((e) => e.native_id), first.map((r) => r.eventID));
  for (const r of next) assert.equal(storedEvent(db, String(r.eventID)).source_path, `${zip}!/next.json`);
});

test('a streamed zip member that inflates past its declared size is stopped, keeping the records before', async () => {
  const first = records(20, 19);
  const data = Buffer.concat([Buffer.from(jsonLines(first)), Buffer.alloc(20 * MiB, 0x20)]);
  const next = records(2, 20);
  const dir = tempDir();
  const zip = writeEvidence(dir, 'liar.zip', zipBuffer([{ name: 'liar.jsonl', data, declaredSize: 256 * KiB }, { name: 'next.json', data: recordsEnvelope(next) }]));
  const label = `${zip}!/liar.jsonl`;

  const { db, result } = await importInto([zip], { limits: STREAMED_SMALL_FLOOR });

  const problems = result.problems.filter((p) => p.file === label);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /^zip member's content does not match its declared size \(a damaged or hostile archive\): stopped \(too many bytes/);
  assert.deepEqual(eventsOf(db, label).map((e) => e.native_id), first.map((r) => r.eventID));
  for (const r of next) assert.equal(storedEvent(db, String(r.eventID)).source_path, `${zip}!/next.json`);
});

test('a tar.gz whose streamed member inflates like a bomb is stopped by the guard; the records before it are kept', async () => {
  const first = records(20, 21);
  const tgz = await tgzBuffer([{ name: 'bomb.jsonl', data: Buffer.concat([Buffer.from(jsonLines(first)), Buffer.alloc(40 * MiB, 0x20)]) }]);
  const dir = tempDir();
  const file = writeEvidence(dir, 'bomb.tgz', tgz);
  const label = `${file}!/bomb.jsonl`;

  const { db, result } = await importInto([file], { limits: STREAMED_SMALL_FLOOR });

  const problems = result.problems.filter((p) => p.file === label);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /decompression bomb guard/);
  assert.deepEqual(eventsOf(db, label).map((e) => e.native_id), first.map((r) => r.eventID));
});

// ---------------------------------------------------------------------------------------------------------------
// The walker's side of the contract

for (const kind of ['zip', 'tar.gz'] as const) {
  test(`the walker hands big ${kind} members over as streams of their exact bytes, and skips what a consumer leaves unread`, async () => {
    const one = jsonLines(records(300, 22));
    const two = jsonLines(records(300, 23));
    const small = recordsEnvelope(records(1, 24));
    const entries = [{ name: 'one.jsonl', data: one }, { name: 'two.jsonl', data: two }, { name: 'small.json', data: small }];
    const dir = tempDir();
    const archive = writeEvidence(dir, `a.${kind}`, kind === 'zip' ? zipBuffer(entries) : await tgzBuffer(entries));

    const seen: { label: string; size?: number; bytes?: Buffer; streamed: boolean }[] = [];
    for await (const item of walkEvidence([archive], STREAMED)) {
      if (item.kind !== 'file') continue;
      if (item.stream && item.label.endsWith('one.jsonl')) {
        seen.push({ label: item.label, size: item.size, streamed: true }); // left unread on purpose
        continue;
      }
      const parts: Buffer[] = [];
      if (item.stream) for await (const chunk of item.stream) parts.push(chunk);
      seen.push({ label: item.label, size: item.size, bytes: item.stream ? Buffer.concat(parts) : Buffer.from(item.bytes!), streamed: !!item.stream });
    }

    assert.deepEqual(seen.map((s) => [s.label, s.streamed, s.size]), [
      [`${archive}!/one.jsonl`, true, Buffer.byteLength(one)],
      [`${archive}!/two.jsonl`, true, Buffer.byteLength(two)],
      [`${archive}!/small.json`, false, undefined],
    ]);
    assert.equal(seen[1]!.bytes!.toString('utf8'), two);
    assert.equal(seen[2]!.bytes!.toString('utf8'), small);
  });
}
