// Imports the public sample events in ../shared/corpora (written by other projects) whenever that folder is
// present: every record must be stored, skipped or refused with a stated reason, and nothing may crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { RawRecords } from '../../electron/db/repos/raw-repo';

const corpora = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');
const present = existsSync(corpora);

test('every public sample record is stored, skipped or refused with a reason', { skip: present ? false : `no corpora at ${corpora}` }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-corpora-'));
  const db = openCase(join(dir, 'corpora.crossline'));
  try {
    const result = await importEvidence(db, [corpora], { workers: 2 });
    assert.equal(result.status, 'complete');
    assert.ok(result.stats.events > 400, `stored ${result.stats.events} events`);
    for (const p of result.problems) {
      assert.ok(p.reason.length > 10, `a reason for ${p.file}`);
      assert.doesNotMatch(p.reason, /internal error/, `${p.file}: ${p.reason}`);
    }

    // Per file, the counts add up to the records the file holds (JSON lines: one record per non-empty line).
    const rows = db.prepare("SELECT path, events, duplicates, skipped, errors FROM evidence_sources WHERE path LIKE '%.jsonl'").all() as {
      path: string; events: number; duplicates: number; skipped: number; errors: number;
    }[];
    assert.ok(rows.length >= 8, 'every JSON lines corpus file has an evidence row');
    for (const r of rows) {
      const lines = readFileSync(r.path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
      const records = r.events + r.duplicates + r.skipped + r.errors;
      // A Records batch on one line holds several events, so a line can account for more than one record.
      assert.ok(records >= lines, `${r.path}: ${records} accounted for, ${lines} lines`);
    }
    const panther = rows.find((r) => r.path.endsWith('panther/aws-cloudtrail.jsonl'))!;
    assert.equal(panther.events + panther.duplicates + panther.errors, 475, 'all 475 Panther CloudTrail records accounted for');
    assert.ok(panther.events > 350, `most Panther records are real events (${panther.events})`);

    // The AWS documentation's cross-account AssumeRole: both views are stored and share one sharedEventID.
    const pair = db
      .prepare("SELECT shared_event_id, count(*) n, count(DISTINCT principal_type) types FROM events_v WHERE action = 'AssumeRole' AND shared_event_id IS NOT NULL GROUP BY shared_event_id HAVING n >= 2")
      .all() as { shared_event_id: string; n: number; types: number }[];
    assert.ok(pair.length >= 1, 'the cross-account pair is in the case');

    // Formats that are not cloud audit logs are refused clearly, not mistaken for events.
    const s3AccessLog = result.problems.find((p) => p.file.endsWith('AWS_S3_HoneyBucketLogs.csv'));
    assert.match(s3AccessLog?.reason ?? '', /not a CloudTrail export|unsupported/);
    const office = result.problems.find((p) => p.file.endsWith('OfficeActivityEvents.json'));
    assert.match(office?.reason ?? '', /Office|not a/);
    // Logstash copies of CloudTrail (OTRF) import with their @timestamp.
    const otrf = db.prepare("SELECT count(*) n FROM events e JOIN evidence_sources s ON s.id = e.source_id WHERE s.path LIKE '%ec2_proxy_s3_exfiltration%'").get() as { n: number };
    assert.ok(otrf.n > 0, 'OTRF CloudTrail events stored');
    // Raw records are kept byte for byte.
    const line = readFileSync(join(corpora, 'panther', 'aws-cloudtrail.jsonl'), 'utf8').split('\n')[0]!;
    const first = db.prepare("SELECT e.id FROM events e JOIN evidence_sources s ON s.id = e.source_id WHERE s.path LIKE '%panther/aws-cloudtrail.jsonl' AND e.position = 0").get() as { id: number };
    assert.equal(new RawRecords(db).text(first.id), line);
    assert.ok(readdirSync(corpora).length > 0);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
