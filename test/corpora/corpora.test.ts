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
import { CorrelateRepo } from '../../electron/db/repos/correlate-repo';
import { findEntries } from '../../electron/core/correlate/entries';
import { CREDENTIAL_ISSUING_ACTIONS } from '../../electron/core/import/cloudtrail/normalize-cloudtrail';
import { DEFAULT_CORRELATION_SETTINGS } from '../../shared/domain/correlation';

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

    // The correlator merges the documentation's two views of one cross-account AssumeRole into one entry. In
    // the corpora the caller's account has logs too, so it is declared outside the organisation here.
    const repo = new CorrelateRepo(db);
    const issuing = repo.issuingEvents([...CREDENTIAL_ISSUING_ACTIONS]);
    const docsPair = issuing.filter((e) => e.sharedEventId !== null && e.action === 'AssumeRole' && e.targetAccount === '111122223333' || e.principalAccount === '777788889999' && e.action === 'AssumeRole');
    assert.ok(docsPair.length >= 2, 'both views of the documented cross-account AssumeRole are stored');
    const scan = findEntries(issuing, new Set(['111122223333']), DEFAULT_CORRELATION_SETTINGS, { vendorOf: () => null }, 0);
    const entry = scan.entries.find((e) => e.callerAccount === '777788889999' && e.roleAccount === '111122223333');
    assert.ok(entry, 'the documented pair is one third-party entry');
    assert.equal(entry.views.length, 2, 'caller view and role-owner view merged by sharedEventID');
    assert.equal(new Set(entry.views.map((v) => v.sharedEventId)).size, 1);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
