// Hostile, damaged or simply wrong evidence: every bad file is reported by name with a reason an analyst can act
// on, and the good files given in the same import still import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { DEFAULT_LIMITS, type ImportLimits } from '../../electron/core/import/limits';
import { importEvidence, type ImportResult } from '../../electron/core/import/import-evidence';
import { main } from '../../electron/cli/main';
import {
  assumeRoleRecord, cloudTrailRecord, eventCount, freshCase, gzip, importInto, jsonLines, recordsEnvelope, sourceEndingWith, storedEvent, storedEvents,
  tarBuffer, tempDir, writeEvidence, zipBuffer,
} from '../support/evidence-fixtures';

const MiB = 1024 * 1024;
const SMALL_LIMITS: ImportLimits = { ...DEFAULT_LIMITS, maxRecordBytes: MiB, inflateFloorBytes: MiB };

interface Problem {
  file: string;
  position: string | null;
  reason: string;
}

/**
 * Imports a folder holding a good JSON-lines file beside the bad evidence `write` puts there, and checks that
 * the good file imported in full and that the case keeps the same problems the import returned.
 */
async function importBesideGood(write: (dir: string) => void | Promise<void>, limits?: ImportLimits) {
  const dir = tempDir();
  const good = [cloudTrailRecord(), assumeRoleRecord()];
  writeEvidence(dir, 'good/events.jsonl', jsonLines(good));
  await write(dir);
  const { db, result } = await importInto([dir], limits ? { limits } : {});
  assert.equal(result.status, 'complete');
  for (const r of good) assert.equal(storedEvent(db, String(r.eventID)).raw, JSON.stringify(r), 'the good file beside it imported');
  assertStoredProblems(db, result);
  return { db, result, dir, good };
}

/** What the import returned is what the case file keeps for later. */
function assertStoredProblems(db: Database.Database, result: ImportResult): void {
  const stored = db.prepare('SELECT file, position, reason FROM import_problems WHERE import_id = ? ORDER BY id').all(result.importId) as Problem[];
  assert.deepEqual(stored, result.problems.map(({ file, position, reason }) => ({ file, position, reason })));
}

/** The problems reported against exactly this file. */
function problemsOf(result: ImportResult, file: string): Problem[] {
  return result.problems.filter((p) => p.file === file);
}

/** Deterministic junk bytes. */
function junk(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Damaged files

test('a gzip with a valid header and a garbage body is reported as corrupt gzip', async () => {
  let bad = '';
  const { result } = await importBesideGood((dir) => {
    const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
    bad = writeEvidence(dir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/02/damaged.json.gz', Buffer.concat([header, junk(4096)]));
  });
  const problems = problemsOf(result, bad);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /corrupt gzip data/);
  assert.equal(result.stats.events, 2);
});

test('a truncated gzip keeps the records before the cut and says the file is damaged', async () => {
  const records = Array.from({ length: 300 }, (_, i) => cloudTrailRecord({ requestParameters: { marker: `page-${i}-${'x'.repeat(i % 17)}` } }));
  let bad = '';
  const { db, result } = await importBesideGood((dir) => {
    const whole = gzip(jsonLines(records));
    bad = writeEvidence(dir, 'siem/cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
  });
  const problems = problemsOf(result, bad);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /corrupt gzip data: unexpected end of file; records before the damage were kept/);
  const kept = storedEvents(db).filter((e) => e.source_path === bad);
  assert.ok(kept.length > 50 && kept.length < 300, `kept ${kept.length} of 300`);
  kept.forEach((e, i) => {
    assert.equal(e.position, i, 'the kept records are the first ones, in order');
    assert.equal(e.raw, JSON.stringify(records[i]));
  });
});

test(
  'a truncated .jsonl.gz is still labelled as JSON lines in its evidence row',
  async () => {
    const records = Array.from({ length: 300 }, (_, i) => cloudTrailRecord({ requestParameters: { marker: `page-${i}` } }));
    const dir = tempDir();
    const whole = gzip(jsonLines(records));
    const bad = writeEvidence(dir, 'cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));

    const { db } = await importInto([bad]);

    assert.equal(sourceEndingWith(db, 'cut.jsonl.gz').format, 'cloudtrail:lines');
  },
);

test('a JSON file cut off mid-record keeps the whole records and reports the truncation', async () => {
  const records = [cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()];
  let bad = '';
  const { db, result } = await importBesideGood((dir) => {
    const text = recordsEnvelope(records);
    bad = writeEvidence(dir, 'partial-download.json', text.slice(0, text.length - 200));
  });
  const problems = problemsOf(result, bad);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /truncated/);
  assert.match(problems[0]!.position ?? '', /record 3/);
  assert.equal(storedEvent(db, String(records[0]!.eventID)).raw, JSON.stringify(records[0]));
  assert.equal(storedEvent(db, String(records[1]!.eventID)).raw, JSON.stringify(records[1]));
  assert.equal(storedEvents(db).filter((e) => e.native_id === records[2]!.eventID).length, 0);
});

test('invalid UTF-8 in one line of a JSON-lines file skips that line only', async () => {
  const records = [cloudTrailRecord(), cloudTrailRecord({ userAgent: 'BROKEN' }), cloudTrailRecord()];
  let bad = '';
  const { db, result } = await importBesideGood((dir) => {
    const lines = records.map((r) => Buffer.from(`${JSON.stringify(r)}\n`, 'utf8'));
    const at = lines[1]!.indexOf('BROKEN');
    lines[1]![at] = 0xff;
    lines[1]![at + 1] = 0xfe;
    bad = writeEvidence(dir, 'mixed.jsonl', Buffer.concat(lines));
  });
  const problems = problemsOf(result, bad);
  assert.deepEqual(problems.map((p) => [p.position, p.reason]), [['line 2, record 2', 'invalid UTF-8 in this record; skipped']]);
  assert.equal(storedEvent(db, String(records[0]!.eventID)).raw, JSON.stringify(records[0]));
  assert.equal(storedEvent(db, String(records[2]!.eventID)).raw, JSON.stringify(records[2]));
  assert.equal(storedEvents(db).filter((e) => e.native_id === records[1]!.eventID).length, 0);
});

test('one line larger than maxRecordBytes is refused by line number, and the next line imports', async () => {
  const before = cloudTrailRecord();
  const huge = cloudTrailRecord({ requestParameters: { policyDocument: 'A'.repeat(3 * MiB) } });
  const after = cloudTrailRecord();
  let bad = '';
  const { db, result } = await importBesideGood((dir) => {
    bad = writeEvidence(dir, 'huge-line.jsonl', jsonLines([before, huge, after]));
  }, SMALL_LIMITS);
  const problems = problemsOf(result, bad);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.position ?? '', /^line 2\b/);
  assert.match(problems[0]!.reason, /larger than 1 MiB/);
  assert.equal(storedEvent(db, String(before.eventID)).position, 0);
  assert.equal(storedEvent(db, String(after.eventID)).raw, JSON.stringify(after));
  assert.equal(storedEvents(db).filter((e) => e.native_id === huge.eventID).length, 0);
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile archives

test('zip members named ../evil.json or /abs.json are refused and nothing is written outside the case', async () => {
  const safe = [cloudTrailRecord()];
  const payload = recordsEnvelope([cloudTrailRecord()]);
  let zip = '';
  const { db, result, dir } = await importBesideGood((d) => {
    zip = writeEvidence(d, 'hostile.zip', zipBuffer([
      { name: '../evil.json', data: payload },
      { name: '/abs.json', data: payload },
      { name: '..\\evil-windows.json', data: payload },
      { name: 'logs/ok.json', data: recordsEnvelope(safe) },
    ]));
  });
  for (const name of ['../evil.json', '/abs.json', '..\\evil-windows.json']) {
    const problems = problemsOf(result, `${zip}!/${name}`);
    assert.equal(problems.length, 1, `${name}: ${JSON.stringify(result.problems)}`);
    assert.match(problems[0]!.reason, /unsafe member path/);
  }
  assert.equal(storedEvent(db, String(safe[0]!.eventID)).source_path, `${zip}!/logs/ok.json`);
  assert.equal(eventCount(db), 3, 'only the good file and the safe member');
  for (const place of [dirname(dir), dir, join(dir, 'good'), dirname(zip)]) {
    assert.equal(existsSync(join(place, 'evil.json')), false, `no evil.json in ${place}`);
    assert.equal(existsSync(join(place, 'abs.json')), false, `no abs.json in ${place}`);
  }
  assert.equal(existsSync('/abs.json'), false);
  assert.deepEqual(readdirSync(dir).sort(), ['good', 'hostile.zip']);
});

test('tar members named ../evil.json or /abs.json are refused and nothing is written outside the case', async () => {
  const safe = [cloudTrailRecord()];
  const payload = recordsEnvelope([cloudTrailRecord()]);
  let archive = '';
  const { db, result, dir } = await importBesideGood(async (d) => {
    archive = writeEvidence(d, 'hostile.tar', await tarBuffer([
      { name: '../evil.json', data: payload },
      { name: '/abs.json', data: payload },
      { name: 'logs/ok.json', data: recordsEnvelope(safe) },
    ]));
  });
  for (const name of ['../evil.json', '/abs.json']) {
    const problems = problemsOf(result, `${archive}!/${name}`);
    assert.equal(problems.length, 1, `${name}: ${JSON.stringify(result.problems)}`);
    assert.match(problems[0]!.reason, /unsafe member path/);
  }
  assert.equal(storedEvent(db, String(safe[0]!.eventID)).source_path, `${archive}!/logs/ok.json`);
  for (const place of [dirname(dir), dir]) assert.equal(existsSync(join(place, 'evil.json')), false, `no evil.json in ${place}`);
  assert.equal(existsSync('/abs.json'), false);
  assert.deepEqual(readdirSync(dir).sort(), ['good', 'hostile.tar']);
});

test('tar link members are named as not followed; nothing they point at is read', async () => {
  const safe = [cloudTrailRecord()];
  let archive = '';
  const { db, result } = await importBesideGood(async (d) => {
    archive = writeEvidence(d, 'links.tar', await tarBuffer([
      { name: 'link.json', data: '', link: { type: 'symlink', to: '/etc/passwd' } },
      { name: 'again.json', data: '', link: { type: 'link', to: 'logs/ok.json' } },
      { name: 'logs/ok.json', data: recordsEnvelope(safe) },
    ]));
  });
  assert.deepEqual(problemsOf(result, `${archive}!/link.json`).map((p) => p.reason), ['a symbolic link member (to "/etc/passwd"): links are not followed, so nothing it names was read']);
  assert.deepEqual(problemsOf(result, `${archive}!/again.json`).map((p) => p.reason), ['a hard link member (to "logs/ok.json"): links are not followed, so nothing it names was read']);
  assert.equal(storedEvent(db, String(safe[0]!.eventID)).source_path, `${archive}!/logs/ok.json`);
});

test('a zip bomb member is refused by the decompression guard; the other members import', async () => {
  const safe = [cloudTrailRecord()];
  let zip = '';
  const { db, result } = await importBesideGood((dir) => {
    zip = writeEvidence(dir, 'bomb.zip', zipBuffer([
      { name: 'zeros.json', data: Buffer.alloc(20 * MiB) },
      { name: 'ok.json', data: recordsEnvelope(safe) },
    ]));
  }, SMALL_LIMITS);
  const problems = problemsOf(result, `${zip}!/zeros.json`);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /decompression bomb guard/);
  assert.equal(storedEvent(db, String(safe[0]!.eventID)).source_path, `${zip}!/ok.json`);
});

test('a zip bomb member that under-declares its size is still stopped', async () => {
  const safe = [cloudTrailRecord()];
  let zip = '';
  const { db, result } = await importBesideGood((dir) => {
    zip = writeEvidence(dir, 'liar.zip', zipBuffer([
      { name: 'zeros.json', data: Buffer.alloc(20 * MiB), declaredSize: 1000 },
      { name: 'ok.json', data: recordsEnvelope(safe) },
    ]));
  }, SMALL_LIMITS);
  const problems = problemsOf(result, `${zip}!/zeros.json`);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /decompression bomb guard|too many bytes|unreadable zip member/);
  assert.equal(storedEvent(db, String(safe[0]!.eventID)).source_path, `${zip}!/ok.json`);
});

test('a .gz bomb is stopped by the guard and the records before it are kept', async () => {
  const first = [cloudTrailRecord(), cloudTrailRecord()];
  let bad = '';
  const { db, result } = await importBesideGood((dir) => {
    // Two real records, then 20 MiB of whitespace: valid JSON lines that inflate ~1000×.
    bad = writeEvidence(dir, 'bomb.jsonl.gz', gzip(Buffer.concat([Buffer.from(jsonLines(first)), Buffer.alloc(20 * MiB, 0x20)])));
  }, SMALL_LIMITS);
  const problems = problemsOf(result, bad);
  assert.equal(problems.length, 1, JSON.stringify(result.problems));
  assert.match(problems[0]!.reason, /decompression bomb guard/);
  for (const r of first) assert.equal(storedEvent(db, String(r.eventID)).source_path, bad);
});

// ---------------------------------------------------------------------------------------------------------------
// Not evidence at all

const NOT_EVIDENCE: { name: string; what: string; content: () => Buffer | string; reason: RegExp }[] = [
  { name: 'empty.json', what: 'an empty file', content: () => '', reason: /^empty file$/ },
  { name: 'empty.json.gz', what: 'an empty gzip', content: () => gzip(''), reason: /^empty file \(the gzip holds no data\)$/ },
  {
    name: 'screenshot.png',
    what: 'a PNG image',
    content: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), junk(500)]),
    reason: /unsupported format: binary data/,
  },
  { name: 'trail.json.bz2', what: 'a bzip2 file', content: () => Buffer.concat([Buffer.from('BZh91AY&SY'), junk(200)]), reason: /unsupported format: bzip2-compressed data \(decompress it first: bunzip2\)/ },
  {
    name: 'logs.zip.gz',
    what: 'a zip inside a gzip',
    content: () => gzip(zipBuffer([{ name: 'a.json', data: '{}' }])),
    reason: /unsupported format: a zip archive \(only a zip given as a file or inside a tar or zip is opened: decompress the gzip first\) inside the gzip/,
  },
  {
    name: 's3-access-log.csv',
    what: 'a CSV with S3 access log columns',
    content: () =>
      'bucket_owner,bucket,time,remote_ip,requester,request_id,operation,key,request_uri,http_status\n' +
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be,awsexamplebucket1,[06/Feb/2019:00:00:38 +0000],192.0.2.3,arn:aws:iam::111122223333:user/alice,3E57427F3EXAMPLE,REST.GET.VERSIONING,-,"GET /awsexamplebucket1?versioning HTTP/1.1",200\n',
    reason: /unsupported CSV: its columns \(bucketowner, bucket, time, remoteip, requester, requestid, …\) are not a CloudTrail export/,
  },
  {
    name: 'README.md',
    what: 'a Markdown file',
    content: () => '# Incident 2024-06-02\n\nNotes from the call with the customer.\n',
    reason: /unsupported format: not JSON, JSON lines or CSV \(it starts with "# Incident 2024-06-02/,
  },
];

for (const c of NOT_EVIDENCE) {
  test(`${c.what} (${c.name}) is reported by name with a clear reason`, async () => {
    let bad = '';
    const { result } = await importBesideGood((dir) => {
      bad = writeEvidence(dir, c.name, c.content());
    });
    const problems = problemsOf(result, bad);
    assert.equal(problems.length, 1, JSON.stringify(result.problems));
    assert.match(problems[0]!.reason, c.reason);
    assert.equal(result.stats.events, 2);
    assert.ok(result.stats.errors >= 1);
  });
}

test('a path that does not exist is reported, and the other paths of the import still import', async () => {
  const dir = tempDir();
  const good = [cloudTrailRecord()];
  const file = writeEvidence(dir, 'events.json', recordsEnvelope(good));
  const missing = join(dir, 'not-here', 'CloudTrail.json.gz');

  const { db, result } = await importInto([missing, file]);

  assert.deepEqual(result.problems, [{ file: missing, position: null, reason: 'no such file or directory' }]);
  assert.equal(result.stats.errors, 1);
  assert.equal(storedEvent(db, String(good[0]!.eventID)).source_path, file);
});

// ---------------------------------------------------------------------------------------------------------------
// The command line

/**
 * Runs the CLI in-process, capturing what it writes to stdout (and silencing stderr). Under `node --test` the
 * runner itself reports through stdout in binary (v8-serialized) chunks; those are passed through untouched.
 */
async function runCli(argv: string[]): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (realOut as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    out.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: out.join('') };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
}

test('analyze --json exits 1 when nothing imports, and prints exactly one JSON document with the problems', async () => {
  const dir = tempDir();
  writeEvidence(dir, 'README.md', '# notes\n');
  writeEvidence(dir, 'empty.json', '');

  const { code, stdout } = await runCli(['analyze', dir, '--json']);

  assert.equal(code, 1);
  const doc = JSON.parse(stdout) as { stats: Record<string, number>; findings: unknown[]; problems: Problem[] };
  assert.deepEqual(Object.keys(doc).sort(), ['coverage', 'findings', 'problems', 'stats']);
  assert.equal(doc.stats.events, 0);
  assert.deepEqual(doc.findings, []);
  assert.deepEqual(doc.problems.map((p) => p.file).sort(), [join(dir, 'README.md'), join(dir, 'empty.json')]);
});

test('analyze --json exits 0 when anything imports, even beside bad files', async () => {
  const dir = tempDir();
  writeEvidence(dir, 'README.md', '# notes\n');
  writeEvidence(dir, 'events.jsonl', jsonLines([cloudTrailRecord(), assumeRoleRecord()]));

  const { code, stdout } = await runCli(['analyze', dir, '--json']);

  assert.equal(code, 0);
  const doc = JSON.parse(stdout) as { stats: Record<string, number>; findings: unknown[]; problems: Problem[] };
  assert.deepEqual(Object.keys(doc).sort(), ['coverage', 'findings', 'problems', 'stats']);
  assert.equal(doc.stats.events, 2);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0]!.file, join(dir, 'README.md'));
});

test('analyze does not say no entry was found when it read no event at all', async () => {
  const dir = tempDir();
  writeEvidence(dir, 'trail.json', '{"Records": [');

  const { code, stdout } = await runCli(['analyze', dir]);

  assert.equal(code, 1);
  assert.match(stdout, /findings: not analysed — no event was read from the evidence/);
  assert.doesNotMatch(stdout, /no third-party entry/);
});

test('a case kept in its own evidence folder is not imported as evidence, nor are its journals', async () => {
  const { db, dir } = freshCase();
  writeEvidence(dir, 'trail.json', recordsEnvelope([cloudTrailRecord(), cloudTrailRecord()]));
  for (const expected of [2, 0]) {
    const result = await importEvidence(db, [dir, join(dir, 'case.crossline')], { workers: 1 });
    assert.deepEqual(result.problems, [], 'the case and its -wal / -shm are no evidence, and no error');
    assert.equal(result.stats.events, expected);
  }
  // A symlink to the case, named otherwise, in another folder of the evidence: the same file, skipped too.
  const other = tempDir();
  symlinkSync(join(dir, 'case.crossline'), join(other, 'link.crossline'));
  writeEvidence(other, 'more.json', recordsEnvelope([cloudTrailRecord()]));
  const progress: number[] = [];
  const linked = await importEvidence(db, [other], { workers: 1, onProgress: (p) => progress.push(p.bytesTotal) });
  assert.deepEqual(linked.problems, []);
  assert.equal(linked.stats.events, 1);
  assert.ok(progress.at(-1)! > 0 && progress.at(-1)! < 10_000, `the progress total leaves the case out: ${progress.at(-1)} bytes`);
  const paths = db.prepare('SELECT path FROM evidence_sources').pluck().all() as string[];
  assert.deepEqual(paths.filter((p) => p.includes('.crossline')), []);
});
