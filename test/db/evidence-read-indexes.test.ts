// Migration 0009: the case header (`case.info`, read on every case open and after every job) counts the evidence
// through evidence-repo.ts's EVIDENCE and the problems grouped by (file, position, reason). Without an index on the
// evidence path the incomplete rows' NOT EXISTS scanned the whole table once each (0.9-1.7 s with 2,000 of them beside
// 24,000 rows) and every read sorted the table; the problem reads sorted every problem row. The plans must use the
// indexes, and a case of schema 8 gets them (and the imports' real inputs) when it is opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { migrationsDir, openCase } from '../../electron/db/connection';
import { loadMigrations } from '../../electron/db/migrate';
import { EVIDENCE } from '../../electron/db/repos/evidence-repo';
import { PROBLEMS_SQL, PROBLEM_COUNT_SQL } from '../../electron/db/repos/import-history-repo';
import { freshCase, tempDir } from '../support/evidence-fixtures';

const plan = (db: ReturnType<typeof openCase>, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);

test('the evidence and problem reads use their indexes: no scan per incomplete row, no sort of every row', () => {
  const { db } = freshCase();
  const evidence = plan(db, `WITH ${EVIDENCE} SELECT count(*) FROM evidence`);
  assert.ok(evidence.some((d) => /^SCAN s USING (COVERING )?INDEX evidence_sources_path\b/.test(d)), evidence.join('\n'));
  assert.ok(evidence.some((d) => /^SEARCH c USING COVERING INDEX evidence_sources_path \(path=\?/.test(d)), evidence.join('\n'));
  assert.ok(!evidence.some((d) => /^SCAN c\b|TEMP B-TREE/.test(d)), evidence.join('\n'));
  for (const sql of [PROBLEMS_SQL, PROBLEM_COUNT_SQL]) {
    const problems = plan(db, sql);
    assert.ok(problems.some((d) => /USING COVERING INDEX import_problems_place/.test(d)), problems.join('\n'));
    assert.ok(!problems.some((d) => /TEMP B-TREE FOR GROUP BY/.test(d)), problems.join('\n'));
  }
});

test('a schema-8 case gets the indexes and the real-inputs column when opened', () => {
  const caseFile = join(tempDir(), 'old.crossline');
  const db = openCase(caseFile);
  db.exec(`BEGIN; DROP INDEX evidence_sources_path; DROP INDEX import_problems_place; ALTER TABLE imports DROP COLUMN real_inputs;
           DELETE FROM schema_migrations WHERE version >= 9; PRAGMA user_version = 8; COMMIT;`);
  db.prepare("INSERT INTO imports (started_at, inputs, status) VALUES (1, '[\"logs\"]', 'cancelled')").run();
  db.close();

  const upgraded = openCase(caseFile, { create: false });
  const migrations = loadMigrations(migrationsDir());
  assert.ok(migrations.some((m) => m.name === '0009-evidence-read-indexes'));
  assert.equal(upgraded.pragma('user_version', { simple: true }), migrations.length);
  const indexes = upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('evidence_sources_path', 'import_problems_place') ORDER BY name").pluck().all();
  assert.deepEqual(indexes, ['evidence_sources_path', 'import_problems_place']);
  assert.deepEqual(upgraded.prepare('SELECT inputs, real_inputs FROM imports').all(), [{ inputs: '["logs"]', real_inputs: null }], 'an older run keeps its inputs, with no real paths');
  upgraded.close();
});
