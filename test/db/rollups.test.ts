// The rollups the import keeps for the correlator (who used which address on which day; events per hour of each
// log scope) must always say exactly what grouping the case's events says: after a bulk import, after a second
// import that meets duplicates, across the three clouds and the public corpora. A case whose rollups do not count
// its events (an older case) is rolled up again before a correlation trusts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { caseRollups, isMultiCloudCase } from '../../electron/core/correlate/case-rollups';
import { readCoverageHours, rollupsAreComplete, trustedRollupSource } from '../../electron/db/repos/rollups-repo';
import { correlate } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readFindings } from '../../electron/db/repos/chains-repo';
import { readCorrelationSettings } from '../../electron/db/repos/settings-repo';
import { cloudTrailRecord, tempDir, writeEvidence } from '../support/evidence-fixtures';
import { assertRollupsMatchEvents } from '../support/rollups';

const samples = resolve(import.meta.dirname, '..', '..', 'resources', 'samples');
const corpora = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');

/** The stored rollups, read as the correlator reads them, equal the grouping of the events themselves. */
for (const [evidence, multiCloud] of [[['acme-org'], false], [['acme-org', 'globex-multicloud'], true]] as const) {
  test(`a bulk import of ${evidence.join(' + ')} stores the rollups its events group to`, async () => {
    const db = openCase(join(tempDir(), 'case.crossline'));
    try {
      await importEvidence(db, evidence.map((sample) => join(samples, sample)), { workers: 2 });
      assert.equal(isMultiCloudCase(db), multiCloud);
      const { sightings, coverageHours } = caseRollups(db);
      assert.ok(sightings.length > 10 && coverageHours.length > 10, `${sightings.length} sightings, ${coverageHours.length} hours`);
      assert.equal(coverageHours.reduce((n, h) => n + h.events, 0), db.prepare('SELECT count(*) FROM events').pluck().get());
      if (multiCloud) {
        assert.deepEqual(new Set(coverageHours.map((h) => h.provider)), new Set(['aws', 'azure', 'gcp']));
        assert.ok(coverageHours.some((h) => h.signIn) && sightings.some((s) => s.provider === 'gcp' && s.principalId !== null));
      }
      assertRollupsMatchEvents(db, evidence.join(' + '));
    } finally {
      db.close();
    }
  });
}

/**
 * What the correlator read before the rollups existed: its two grouped passes over the events, as they were (case
 * schema 7), except that the sightings now leave out refused and failed requests (no use of an address: an attacker's
 * denied probe made its own address familiar). The rollups must answer them row for row, in the same order.
 */
function previousScans(db: Database.Database, multiCloud: boolean): { sightings: unknown[]; coverageHours: unknown[] } {
  const text = new Map(db.prepare('SELECT id, value FROM strings').raw().all() as [number, string][]);
  const resolve = (sid: number | null) => (sid === null ? null : text.get(sid) ?? null);
  const sid = (value: string) => (db.prepare('SELECT id FROM strings WHERE value = ?').pluck().get(value) as number | undefined) ?? -1;
  type SightingRow = { provider: string; ip: string; account: string | null; nameSid: number | null; issuerSid: number | null; targetResource: string | null; idSid: number | null; idp: string | null; delegator: string | null; firstMs: number; days: string };
  const sightingRows = (
    multiCloud
      ? db.prepare(`SELECT provider, source_ip ip, principal_account account, principal_name_sid nameSid, session_issuer_sid issuerSid,
                CASE WHEN provider = 'azure' THEN NULL ELSE target_resource END targetResource,
                CASE WHEN provider = 'aws' THEN NULL ELSE principal_id_sid END idSid,
                CASE WHEN provider = 'gcp' THEN identity_provider END idp,
                CASE WHEN provider = 'gcp' AND instr(credential_id, '>') > 0 THEN substr(credential_id, 1, instr(credential_id, '>') - 1) END delegator,
                min(time_ms) firstMs, group_concat(DISTINCT time_ms / 86400000) days
           FROM events NOT INDEXED WHERE source_ip IS NOT NULL AND outcome <> 'failure'
          GROUP BY source_ip, principal_account, principal_name_sid, session_issuer_sid, 6, 7, 8, 9, +provider`)
      : db.prepare(`SELECT 'aws' provider, source_ip ip, principal_account account, principal_name_sid nameSid, session_issuer_sid issuerSid, target_resource targetResource,
                NULL idSid, NULL idp, NULL delegator, min(time_ms) firstMs, group_concat(DISTINCT time_ms / 86400000) days
           FROM events NOT INDEXED WHERE source_ip IS NOT NULL AND outcome <> 'failure'
          GROUP BY source_ip, principal_account, principal_name_sid, session_issuer_sid, target_resource`)
  ).all() as SightingRow[];
  const sightings = sightingRows.map((r) => ({
    provider: r.provider, ip: r.ip, account: r.account, principalName: resolve(r.nameSid), sessionIssuer: resolve(r.issuerSid), targetResource: r.targetResource,
    principalId: resolve(r.idSid), identityProvider: r.idp, delegator: r.delegator, firstMs: r.firstMs, days: r.days.split(',').map(Number).sort((a, b) => a - b),
  }));
  type HourRow = { provider: string; account: string | null; regionSid: number | null; categorySid: number | null; signIn: number; crossTenant: number; hour: number; events: number };
  const hourRows = (
    multiCloud
      ? db.prepare(`SELECT time_ms / 3600000 hour, provider, target_account account, region_sid regionSid, event_type_sid categorySid,
              (provider = 'azure' AND action_sid = ? AND service_sid = ?) signIn,
              (provider = 'azure' AND action_sid = ? AND principal_account IS NOT NULL AND target_account IS NOT NULL AND principal_account <> target_account) crossTenant,
              count(*) events
         FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7`).all(sid('SignIn'), sid('Microsoft.aadiam'), sid('SignIn'))
      : db.prepare("SELECT time_ms / 3600000 hour, 'aws' provider, target_account account, region_sid regionSid, NULL categorySid, 0 signIn, 0 crossTenant, count(*) events FROM events GROUP BY 1, 3, 4").all()
  ) as HourRow[];
  const coverageHours = hourRows.map((r) => ({
    provider: r.provider, account: r.account, region: resolve(r.regionSid), category: resolve(r.categorySid), signIn: r.signIn === 1, crossTenant: r.crossTenant === 1, hour: r.hour, events: r.events,
  }));
  return { sightings, coverageHours };
}

const previousCases: [string, string[]][] = [
  ['acme-org', [join(samples, 'acme-org')]],
  ['acme-org + globex-multicloud', [join(samples, 'acme-org'), join(samples, 'globex-multicloud')]],
  ...(existsSync(corpora) ? [['the public corpora', [corpora]] as [string, string[]]] : []),
];
for (const [name, paths] of previousCases) {
  test(`the rollups of ${name} answer exactly what the correlator's grouped passes over every event answered before them`, async () => {
    const db = openCase(join(tempDir(), 'case.crossline'));
    try {
      await importEvidence(db, paths, { workers: 2 });
      assert.deepEqual(caseRollups(db), previousScans(db, isMultiCloudCase(db)));
    } finally {
      db.close();
    }
  });
}

test('a second import into a case counts only the events it adds, not the duplicates it meets', async () => {
  const dir = tempDir();
  const [a, b, c] = [cloudTrailRecord({ eventID: 'a' }), cloudTrailRecord({ eventID: 'b', sourceIPAddress: '198.51.100.7' }), cloudTrailRecord({ eventID: 'c', eventTime: '2024-03-02T10:00:00Z' })];
  const first = writeEvidence(dir, 'first.json', JSON.stringify({ Records: [a, b] }));
  // a and b again, among a new event: one INSERT of three rows of which two are refused as duplicates.
  const second = writeEvidence(dir, 'second.json', JSON.stringify({ Records: [a, c, b] }));
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [first], { workers: 1 });
    const afterFirst = readCoverageHours(db, false);
    await importEvidence(db, [second, first], { workers: 1 });
    assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 3);
    assert.equal(readCoverageHours(db, false).reduce((n, h) => n + h.events, 0), 3, 'a, b and c once each');
    assert.notDeepEqual(readCoverageHours(db, false), afterFirst);
    assertRollupsMatchEvents(db, 'after the second import');
  } finally {
    db.close();
  }
});

test('one address shared by many callers (a NAT) rolls up per caller, past the few the collector compares one by one', async () => {
  const dir = tempDir();
  const records = Array.from({ length: 120 }, (_, i) =>
    cloudTrailRecord({
      eventID: `nat-${i}`,
      sourceIPAddress: '203.0.113.10',
      eventTime: new Date(Date.UTC(2024, 2, 1 + (i % 3), i % 24)).toISOString(),
      userIdentity: { type: 'IAMUser', principalId: `AIDA${i % 40}`, arn: `arn:aws:iam::111122223333:user/user-${i % 40}`, accountId: '111122223333', userName: `user-${i % 40}` },
    }),
  );
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [writeEvidence(dir, 'nat.json', JSON.stringify({ Records: records }))], { workers: 1 });
    const nat = caseRollups(db).sightings.filter((s) => s.ip === '203.0.113.10');
    assert.equal(nat.length, 40, 'one sighting per caller');
    assert.ok(nat.every((s) => s.days.length === 3), 'each caller on the three days it called');
    assertRollupsMatchEvents(db, 'NAT');
  } finally {
    db.close();
  }
});

test('the public corpora (every cloud, odd values) roll up as their events group', { skip: existsSync(corpora) ? false : `no corpora at ${corpora}` }, async () => {
  const db = openCase(join(tempDir(), 'corpora.crossline'));
  try {
    await importEvidence(db, [corpora], { workers: 2 });
    assertRollupsMatchEvents(db, 'corpora');
  } finally {
    db.close();
  }
});

test('a case whose rollups do not count its events (an older case) is rolled up again and correlates as before', async () => {
  const caseFile = join(tempDir(), 'case.crossline');
  const db = openCase(caseFile);
  try {
    await importEvidence(db, [join(samples, 'acme-org')], { workers: 2 });
    const settings = readCorrelationSettings(db);
    await correlate(db, settings, defaultCorrelateDeps(settings));
    const findings = readFindings(db).map((f) => [f.entry.eventId, f.severity, f.score]);
    assert.ok(findings.length >= 3, `${findings.length} findings`);

    db.exec('DELETE FROM rollup_sightings; DELETE FROM rollup_hours');
    assert.equal(rollupsAreComplete(db), false);
    // A read-only reader cannot store them: it groups the events for itself.
    const copy = join(tempDir(), 'copy.crossline');
    db.pragma('wal_checkpoint(TRUNCATE)');
    cpSync(caseFile, copy);
    const reader = openCase(copy, { readonly: true });
    try {
      assert.equal(trustedRollupSource(reader), 'events');
      assert.deepEqual(caseRollups(reader), caseRollups(db));
    } finally {
      reader.close();
    }

    await correlate(db, settings, defaultCorrelateDeps(settings));
    assertRollupsMatchEvents(db, 'rolled up again');
    assert.deepEqual(readFindings(db).map((f) => [f.entry.eventId, f.severity, f.score]), findings);
  } finally {
    db.close();
  }
});

test('while another connection holds the write lock, stale rollups are grouped from the events for the run instead of waiting', async () => {
  const caseFile = join(tempDir(), 'case.crossline');
  const db = openCase(caseFile);
  const writer = openCase(caseFile);
  try {
    await importEvidence(db, [join(samples, 'acme-org')], { workers: 1 });
    const expected = caseRollups(db);
    db.exec('DELETE FROM rollup_hours');
    writer.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    assert.equal(trustedRollupSource(db), 'events');
    assert.ok(Date.now() - started < 2000, 'it did not wait for the lock');
    assert.deepEqual(caseRollups(db), expected);
    writer.exec('ROLLBACK');
    assert.equal(trustedRollupSource(db), 'stored');
    assertRollupsMatchEvents(db, 'after the lock was released');
  } finally {
    writer.close();
    db.close();
  }
});
