// Imports the public sample events in ../shared/corpora (written by other projects) whenever that folder is
// present: every record must be stored, skipped or refused with a stated reason, and nothing may crash. CloudTrail,
// Azure Activity, Entra ID sign-ins and GCP Cloud Audit Logs import; Entra audit, Office 365, GCP flow and load
// balancer logs and S3 access logs are refused, each with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { RawRecords } from '../../electron/core/import/raw-records';
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
    assert.ok(result.stats.events > 900, `stored ${result.stats.events} events`);
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
    // Panther writes variants of one event under one eventID; those with the same time, action, outcome, source and key
    // differ only in fields some export layouts lack, so they are one event (fingerprint scheme 2) and count as duplicates.
    assert.ok(panther.events > 330, `most Panther records are real events (${panther.events})`);

    // Azure, Entra and GCP: every record of every file is stored or refused with a stated reason, and most of the
    // real events now import. Counts are per file, from the pinned commits in ../shared/corpora/SOURCES.md.
    const sources = db.prepare('SELECT path, format, events, duplicates, skipped, errors FROM evidence_sources').all() as {
      path: string; format: string | null; events: number; duplicates: number; skipped: number; errors: number;
    }[];
    const source = (suffix: string) => {
      const found = sources.filter((r) => r.path.endsWith(suffix));
      assert.equal(found.length, 1, `one evidence row for ${suffix}`);
      return found[0]!;
    };
    /** Refusals of one file by reason, unfolding the "N more records: …" closing lines. */
    const refusals = (suffix: string) => {
      const counts = new Map<string, number>();
      for (const p of result.problems.filter((q) => q.file.endsWith(suffix))) {
        const folded = /^(\d+) more records?: (.*)$/.exec(p.reason);
        const reason = folded ? folded[2]! : p.reason;
        counts.set(reason, (counts.get(reason) ?? 0) + (folded ? Number(folded[1]) : 1));
      }
      return counts;
    };
    const countMatching = (counts: Map<string, number>, re: RegExp) => [...counts].filter(([r]) => re.test(r)).reduce((n, [, c]) => n + c, 0);
    const recordsIn = (suffix: string) => readFileSync(join(corpora, suffix), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    const expected: { file: string; format: string; stored: number; refused: number; reasons?: [RegExp, number][] }[] = [
      { file: 'panther/azure-activity.jsonl', format: 'azure-activity:lines', stored: 214, refused: 35, reasons: [[/AKS kube-audit resource log/, 34], [/Azure Activity record has no time/, 1]] },
      { file: 'panther/azure-signin-audit.jsonl', format: 'entra-signin:lines', stored: 27, refused: 21, reasons: [[/Entra ID audit \/ directory record/, 21]] },
      { file: 'panther/gcp-audit.jsonl', format: 'gcp-audit:lines', stored: 147, refused: 59, reasons: [[/no timestamp|unreadable GCP audit timestamp/, 43], [/no protoPayload\.methodName/, 8], [/not a recognised cloud audit record/, 8]] },
      { file: 'plaso/azure_activity_log.jsonl', format: 'azure-activity:lines', stored: 4, refused: 0 },
      { file: 'plaso/gcp_logging.jsonl', format: 'gcp-audit:lines', stored: 9, refused: 2, reasons: [[/not a Cloud Audit Log/, 2]] },
      { file: 'dftimewolf/gcp-project-logs.jsonl', format: 'gcp-audit:lines', stored: 98, refused: 0 },
      { file: 'otrf/AADAuditEvents.json', format: 'entra-audit:lines', stored: 0, refused: 4, reasons: [[/Entra ID audit \/ directory record/, 4]] },
    ];
    let stored = 0;
    let total = 0;
    for (const e of expected) {
      const r = source(e.file);
      assert.equal(r.format, e.format, e.file);
      assert.equal(r.events + r.duplicates, e.stored, `${e.file}: stored`);
      assert.equal(r.errors, e.refused, `${e.file}: refused`);
      assert.equal(r.events + r.duplicates + r.skipped + r.errors, recordsIn(e.file), `${e.file}: every record accounted for`);
      const counts = refusals(e.file);
      assert.equal([...counts.values()].reduce((a, b) => a + b, 0), e.refused, `${e.file}: a reason for every refusal`);
      for (const [re, n] of e.reasons ?? []) assert.equal(countMatching(counts, re), n, `${e.file}: ${re}`);
      stored += e.file.startsWith('otrf/') ? 0 : e.stored;
      total += e.file.startsWith('otrf/') ? 0 : recordsIn(e.file);
    }
    assert.ok(stored / total > 0.75, `most Panther, plaso and dftimewolf Azure and GCP events are stored (${stored} of ${total})`);
    const gsa = sources.filter((r) => r.path.includes('gcp-security-analytics/'));
    assert.equal(gsa.length, 18);
    assert.equal(gsa.reduce((n, r) => n + r.events + r.duplicates, 0), 15, 'the 15 audit fixtures are stored (two share an insertId and timestamp: one entry to Cloud Logging too)');
    const notAudit = gsa.filter((r) => r.errors > 0);
    assert.deepEqual(notAudit.map((r) => r.path.split('/').pop()).sort(), [
      'google.cloud.loadbalancing.type.LoadBalancerLogEntry-Spring4Shell.json',
      'google.cloud.loadbalancing.type.LoadBalancerLogEntry-handledbyIAP.json',
      'google.compute.googleapis.com.vpc_flows.json',
    ]);
    for (const r of notAudit) assert.equal(countMatching(refusals(r.path.split('/').pop()!), /not a Cloud Audit Log \(VPC flow, load balancer/), 1, r.path);
    // Provider-neutral rows: the GCP impersonation fields and the Azure token ids are there for the correlator.
    const providers = db.prepare('SELECT provider, count(*) n FROM events GROUP BY provider ORDER BY provider').all() as { provider: string; n: number }[];
    assert.deepEqual(providers.map((p) => p.provider), ['aws', 'azure', 'gcp']);
    const plasoDelegated = db.prepare("SELECT credential_id FROM events_v WHERE provider = 'gcp' AND native_id = '-duywnve29mpi'").get() as { credential_id: string } | undefined;
    assert.equal(plasoDelegated?.credential_id, 'service-account-one@fake-project.com>fake-account@fake-project.com', 'serviceAccountDelegationInfo.firstPartyPrincipal');

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
    const scan = findEntries(issuing, new Set(['111122223333']), DEFAULT_CORRELATION_SETTINGS, { vendorOf: () => null }, () => 0);
    const entry = scan.entries.find((e) => e.callerAccount === '777788889999' && e.roleAccount === '111122223333');
    assert.ok(entry, 'the documented pair is one third-party entry');
    assert.equal(entry.views.length, 2, 'caller view and role-owner view merged by sharedEventID');
    assert.equal(new Set(entry.views.map((v) => v.sharedEventId)).size, 1);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
