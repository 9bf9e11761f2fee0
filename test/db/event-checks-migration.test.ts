// Migration 0007 rebuilds `events` (its CHECKs spelled as OR, cheaper to insert under): a case written before it
// opens with every event, row id, chain and string reference intact, and the constraints still refuse what they did.
// The runner applies such a rebuild with foreign keys off and refuses an upgrade that would break references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type Migration } from '../../electron/db/migrate';
import { openCase } from '../../electron/db/connection';
import { EVENT_INDEXES, IDENTITY_INDEX, ensureEventIndexes } from '../../electron/db/indexes';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { importedAttackCase } from '../support/attack-case';
import { tempDir } from '../support/evidence-fixtures';

/** Puts the events table back as migrations 0001-0006 left it (IN-list CHECKs) and the case back to schema 6 (0008 and 0009 undone too). */
function downgradeToSchema6(caseFile: string): void {
  const db = openCase(caseFile);
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get() as string;
  const old = sql
    .replace(/CREATE TABLE "?events"?/, 'CREATE TABLE events_old')
    .replace("CHECK (provider = 'aws' OR provider = 'azure' OR provider = 'gcp')", "CHECK (provider IN ('aws', 'azure', 'gcp'))")
    .replace("CHECK (outcome = 'success' OR outcome = 'failure' OR outcome = 'unknown')", "CHECK (outcome IN ('success', 'failure', 'unknown'))");
  assert.notEqual(old, sql.replace(/CREATE TABLE "?events"?/, 'CREATE TABLE events_old'), 'the current table has the OR form');
  const view = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_v'").pluck().get() as string;
  db.pragma('foreign_keys = OFF');
  db.exec(`BEGIN; DROP VIEW events_v; ${old}; INSERT INTO events_old SELECT * FROM events; DROP TABLE events;
           ALTER TABLE events_old RENAME TO events; ${view}; DROP TABLE rollup_sightings; DROP TABLE rollup_hours;
           DROP INDEX evidence_sources_path; DROP INDEX import_problems_place; ALTER TABLE imports DROP COLUMN real_inputs;
           DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6; COMMIT;`);
  ensureEventIndexes(db); // a real schema-6 case has its indexes: the upgrade drops them with the table
  db.close();
}

test('a schema-6 case opens with the same events, ids and chains, and the checks still hold', async () => {
  const { dir, caseFile } = await importedAttackCase('old.crossline');
  try {
    await runCorrelation(caseFile);
    downgradeToSchema6(caseFile);

    const before = openCase(caseFile, { readonly: true });
    const snapshot = (d: typeof before) => ({
      events: d.prepare('SELECT * FROM events_v ORDER BY id').all(),
      chains: d.prepare('SELECT chain_id, event_id, role FROM chain_events ORDER BY chain_id, event_id').all(),
    });
    const old = snapshot(before);
    assert.match(before.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").pluck().get() as string, /provider IN \(/);
    const indexNames = (d: typeof before) => new Set(d.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").pluck().all() as string[]);
    const oldIndexes = indexNames(before);
    assert.ok(oldIndexes.has(IDENTITY_INDEX.name) && oldIndexes.size > Object.keys(EVENT_INDEXES).length, 'the schema-6 case has its indexes');
    before.close();
    assert.ok(old.chains.length > 0, 'the case has a finding whose chain points at events');

    const upgraded = openCase(caseFile, { create: false });
    assert.ok((upgraded.pragma('user_version', { simple: true }) as number) >= 7);
    assert.deepEqual(snapshot(upgraded), old, 'every event and chain member is where it was');
    assert.deepEqual(indexNames(upgraded), oldIndexes, 'every index of the table is back');
    assert.deepEqual(upgraded.pragma('foreign_key_check'), []);
    // The rewritten constraints refuse exactly what the IN lists refused.
    upgraded.exec('BEGIN');
    assert.throws(() => upgraded.exec(`UPDATE events SET provider = 'oracle' WHERE id = 1`), /CHECK constraint failed/);
    assert.throws(() => upgraded.exec(`UPDATE events SET outcome = 'maybe' WHERE id = 1`), /CHECK constraint failed/);
    upgraded.exec(`UPDATE events SET provider = 'gcp', outcome = 'unknown' WHERE id = 1`);
    upgraded.exec('ROLLBACK');
    upgraded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A two-table schema at version 1, and a step 2 that rebuilds the parent table with the given copy. */
function parentChildCase(file: string, copy: string): { db: Database.Database; steps: Migration[] } {
  const step = (version: number, name: string, sql: string): Migration => ({ version, name, sql, sha256: name });
  const steps = [
    step(1, '0001-t', 'CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT; CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id)) STRICT;'),
    step(2, '0002-rebuild', `CREATE TABLE parent_new (id INTEGER PRIMARY KEY) STRICT; ${copy}; DROP TABLE parent; ALTER TABLE parent_new RENAME TO parent;`),
  ];
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  migrate(db, steps.slice(0, 1), file);
  db.exec('INSERT INTO parent (id) VALUES (1), (2); INSERT INTO child (parent_id) VALUES (1), (2)');
  return { db, steps };
}

test('a schema step that would break references is refused and leaves the case as it was', () => {
  const file = join(tempDir(), 'c.crossline');
  const { db, steps } = parentChildCase(file, 'INSERT INTO parent_new SELECT * FROM parent WHERE id = 1');
  assert.throws(() => migrate(db, steps, file), /upgrading the case schema would break 1 reference \(child row 2 → parent\); the case is left as it was/);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  assert.deepEqual(db.prepare('SELECT id FROM parent ORDER BY id').pluck().all(), [1, 2]);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are back on');
  db.close();
});

test('a reference broken before the upgrade does not lock the case', () => {
  const file = join(tempDir(), 'c.crossline');
  const { db, steps } = parentChildCase(file, 'INSERT INTO parent_new SELECT * FROM parent');
  db.pragma('foreign_keys = OFF');
  db.exec('INSERT INTO child (parent_id) VALUES (99)'); // left behind by something older
  db.pragma('foreign_keys = ON');
  assert.deepEqual(migrate(db, steps, file), { from: 1, to: 2 });
  assert.deepEqual(db.prepare('SELECT id FROM parent ORDER BY id').pluck().all(), [1, 2]);
  db.close();
});
