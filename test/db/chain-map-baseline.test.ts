// The map's baseline is where the entry principal itself had been before the entry. In Azure and GCP the source
// account is a whole home tenant, project or domain: another guest of the same tenant is someone else, and its
// places must never appear as this principal's (nor start a travel line). AWS keeps the caller account's calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { correlate } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readCorrelationSettings } from '../../electron/db/repos/settings-repo';
import { chainMap, IDP_BASELINE_WHERE, POOL_BASELINE_WHERE, readChain, type ChainHead } from '../../electron/db/repos/workbench-repo';
import { tempDir } from '../support/evidence-fixtures';

const samples = resolve(import.meta.dirname, '..', '..', 'resources', 'samples');

async function analysedSample(name: string): Promise<Database.Database> {
  const db = openCase(join(tempDir(), `${name}.crossline`));
  await importEvidence(db, [join(samples, name)], { workers: 1 });
  const settings = readCorrelationSettings(db);
  await correlate(db, settings, defaultCorrelateDeps(settings));
  return db;
}

function chainOf(db: Database.Database, principal: string): ChainHead {
  const id = db.prepare('SELECT id FROM chains WHERE principal = ?').pluck().get(principal) as number | undefined;
  assert.ok(id, `a chain of ${principal}`);
  return readChain(db, id)!;
}

test("an Azure guest's baseline holds none of another guest of the same home tenant", async () => {
  const db = await analysedSample('globex-multicloud');
  try {
    const eve = chainOf(db, 'eve@attacker.example');
    const mallory = chainOf(db, 'mallory@attacker.example');
    assert.equal(eve.sourceAccount, mallory.sourceAccount, 'both are guests of one home tenant');
    assert.ok(mallory.startedMs < eve.startedMs, "mallory's sign-in comes first");
    // 185.220.101.4 is mallory's address, used before eve came in; eve never used it.
    assert.deepEqual(chainMap(db, eve).baseline, [], "eve had no located activity before her entry");
    assert.deepEqual(chainMap(db, mallory).baseline, []);
  } finally {
    db.close();
  }
});

test("an Azure principal's baseline is its own sign-ins and calls (by name or object id), and only those", async () => {
  const db = await analysedSample('globex-multicloud');
  try {
    const eve = chainOf(db, 'eve@attacker.example');
    // As if eve's entry were later than all her activity: every event of hers is "before", none of mallory's counts.
    const later = { ...eve, startedMs: Number.MAX_SAFE_INTEGER, baselineDays: null };
    const baseline = chainMap(db, later).baseline;
    assert.deepEqual(baseline.map((p) => [p.ip, p.events]), [['94.102.49.1', 6]]);
  } finally {
    db.close();
  }
});

test("a GCP caller's baseline is its own, not its project's", async () => {
  const db = await analysedSample('globex-multicloud');
  try {
    const runner = chainOf(db, 'runner@evil-corp-prod.iam.gserviceaccount.com');
    const later = { ...runner, startedMs: Number.MAX_SAFE_INTEGER, baselineDays: null };
    const own = db
      .prepare(
        `SELECT count(*) FROM events_v v JOIN ip_geo g ON g.ip = v.source_ip
          WHERE (v.principal_id = :p OR v.principal_name = :p) AND g.lat IS NOT NULL`,
      )
      .pluck()
      .get({ p: runner.principal }) as number;
    assert.ok(own > 0, "the service account has located calls");
    assert.equal(chainMap(db, later).baseline.reduce((n, p) => n + p.events, 0), own);
  } finally {
    db.close();
  }
});

test("an AWS third-party account's baseline is still that account's own earlier calls", async () => {
  const db = await analysedSample('acme-org');
  try {
    const vendor = chainOf(db, '464622532012');
    const baseline = chainMap(db, vendor).baseline;
    assert.deepEqual(baseline.map((p) => p.ip), ['3.233.150.9', '3.233.155.71', '3.233.146.10', '3.233.147.22']);
    assert.ok(baseline.every((p) => p.city === 'Ashburn' && p.events > 800));
  } finally {
    db.close();
  }
});

test("an identity provider's or workload identity pool's baseline reads its own federations through an index, not its whole window", () => {
  const db = openCase(join(tempDir(), 'plans.crossline'));
  for (const where of [IDP_BASELINE_WHERE, POOL_BASELINE_WHERE]) {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) ${where}`).all({ who: 'p', from: 0, to: 1 }) as { detail: string }[]).map((r) => r.detail);
    assert.ok(plan.some((d) => /^SEARCH e USING INDEX events_identity_provider \(identity_provider=\? AND time_ms>\? AND time_ms<\?\)/.test(d)), plan.join('\n'));
  }
  db.close();
});
