// A case written before migration 0003 opens: the IP table appears, the explorer's indexes are built (the old
// source-IP index is replaced), and the next correlation fills the IP table from its lookups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { rollupsAreComplete } from '../../electron/db/repos/rollups-repo';
import { openCase } from '../../electron/db/connection';
import { EVENT_INDEXES } from '../../electron/db/indexes';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { importedAttackCase } from '../support/attack-case';
import { IPS } from '../support/cloudtrail-scenario';

test('a schema-2 case upgrades to the IP table and the explorer indexes; correlation fills the table', async () => {
  const { dir, caseFile } = await importedAttackCase('old.crossline');
  try {
    const db = openCase(caseFile);
    // Turn it back into what Crossline wrote before 0003.
    // Later migrations are undone too, since they re-apply on top of 0003: 0004's coverage column, 0005's tables,
    // 0008's rollups, 0009's indexes and column.
    db.exec(`DROP TABLE ip_geo; DELETE FROM schema_migrations WHERE version >= 3; PRAGMA user_version = 2;
             ALTER TABLE correlation_runs DROP COLUMN coverage; DROP TABLE IF EXISTS annotations; DROP TABLE IF EXISTS audit_log;
             DROP TABLE IF EXISTS rollup_sightings; DROP TABLE IF EXISTS rollup_hours;
             DROP INDEX evidence_sources_path; DROP INDEX import_problems_place; ALTER TABLE imports DROP COLUMN real_inputs;
             CREATE INDEX events_source_ip ON events(source_ip) WHERE source_ip IS NOT NULL;`);
    for (const name of ['events_source_ip_time', 'events_principal_name', 'events_principal_account', 'events_user_agent', 'events_outcome']) db.exec(`DROP INDEX ${name}`);
    db.close();

    const upgraded = openCase(caseFile, { create: false });
    // Up to the newest schema (later migrations, such as 0004's coverage column, apply on top of 0003).
    assert.ok((upgraded.pragma('user_version', { simple: true }) as number) >= 3);
    const indexes = new Set(upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[]);
    for (const name of Object.keys(EVENT_INDEXES)) assert.ok(indexes.has(name), `${name} exists`);
    assert.ok(!indexes.has('events_source_ip'), 'the old source-IP index is gone');
    assert.equal(upgraded.prepare('SELECT count(*) FROM ip_geo').pluck().get(), 0);
    upgraded.close();

    await runCorrelation(caseFile);
    const after = openCase(caseFile, { create: false });
    const ips = after.prepare('SELECT count(DISTINCT source_ip) FROM events WHERE source_ip IS NOT NULL').pluck().get() as number;
    assert.equal(after.prepare('SELECT count(*) FROM ip_geo').pluck().get(), ips, 'every source IP is in the table');
    assert.ok(rollupsAreComplete(after), "an older case's first correlation rolls its events up for the next ones");
    const tor = after.prepare('SELECT country, asn FROM ip_geo WHERE ip = ?').get(IPS.torDe) as { country: string; asn: number };
    assert.equal(tor.country, 'DE');
    assert.ok(tor.asn > 0);
    after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
