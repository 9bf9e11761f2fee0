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
import { readCoverageHours, readSightings, rollupsAreComplete, trustedRollupSource } from '../../electron/db/repos/rollups-repo';
import { correlate } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readFindings } from '../../electron/db/repos/chains-repo';
import { readCorrelationSettings } from '../../electron/db/repos/settings-repo';
import { cloudTrailRecord, tempDir, writeEvidence } from '../support/evidence-fixtures';

const samples = resolve(import.meta.dirname, '..', '..', 'resources', 'samples');
const corpora = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');

/** The stored rollups, read as the correlator reads them, equal the grouping of the events themselves. */
function assertRollupsMatchEvents(db: Database.Database, what: string): void {
  assert.ok(rollupsAreComplete(db), `${what}: the rollups count every event`);
  for (const multiCloud of [false, true]) {
    assert.deepEqual(readCoverageHours(db, multiCloud, 'stored'), readCoverageHours(db, multiCloud, 'events'), `${what}: hours (multiCloud ${multiCloud})`);
  }
  assert.deepEqual(readSightings(db, 'stored'), readSightings(db, 'events'), `${what}: sightings`);
}

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
