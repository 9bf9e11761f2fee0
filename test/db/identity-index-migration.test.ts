// Migration 0008 rebuilds the unique identity index with the event id first: a case written before it opens with the
// index in the new order, still refuses a second copy of an event, and a repeated import still adds nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { IDENTITY_INDEX } from '../../electron/db/indexes';
import { importedAttackCase } from '../support/attack-case';

const identitySql = (db: ReturnType<typeof openCase>) =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(IDENTITY_INDEX.name) as string;

test('a schema-7 case gets its identity index led by the event id, and still stores each event once', async () => {
  const { dir, caseFile, keyEventId } = await importedAttackCase('old.crossline');
  try {
    const old = openCase(caseFile, { create: false });
    old.exec(`BEGIN; DROP INDEX ${IDENTITY_INDEX.name}; CREATE UNIQUE INDEX ${IDENTITY_INDEX.name} ON events(provider, native_id, fingerprint);
              DELETE FROM schema_migrations WHERE version >= 8; PRAGMA user_version = 7; COMMIT;`);
    const events = old.prepare('SELECT count(*) FROM events').pluck().get() as number;
    old.close();

    const db = openCase(caseFile, { create: false });
    try {
      assert.ok((db.pragma('user_version', { simple: true }) as number) >= 8);
      assert.match(identitySql(db), /UNIQUE INDEX events_identity ON events\(native_id, provider, fingerprint\)/);
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM events WHERE native_id = ?').all(keyEventId) as { detail: string }[];
      assert.ok(plan.some((p) => p.detail.includes(IDENTITY_INDEX.name)), 'a search by event id uses the index');
      const columns = (db.prepare("SELECT name FROM pragma_table_info('events') WHERE name <> 'id'").pluck().all() as string[]).join(', ');
      assert.throws(() => db.exec(`INSERT INTO events (${columns}) SELECT ${columns} FROM events LIMIT 1`), /UNIQUE constraint failed/, 'a second copy of an event is refused');
      const again = await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
      assert.equal(again.stats.events, 0);
      assert.equal(again.stats.duplicates, events);
      assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), events);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
