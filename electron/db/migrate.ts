import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { plural } from '../../shared/text/plural';

/** A numbered schema step read from `migrations/NNNN-name.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

/** Thrown when a case file cannot be opened by this version of Crossline. */
export class CaseVersionError extends Error {}

/** Reads the numbered migrations from a folder, in order; gaps or duplicates are a programming error. */
export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        sha256: createHash('sha256').update(sql).digest('hex'),
      };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is out of sequence (expected ${i + 1})`);
  });
  return migrations;
}

/**
 * Brings a case file up to the newest schema: every pending migration and the new `user_version` in one
 * transaction, so a crash leaves the old schema intact. Refuses files written by a newer Crossline, and
 * files whose applied migrations differ from ours (edited history would mean a schema we cannot trust).
 */
export function migrate(db: Database.Database, migrations: Migration[], file: string): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.length;
  if (from > newest) {
    throw new CaseVersionError(
      `${file} was written by a newer version of Crossline (case schema ${from}; this version reads up to ${newest}). Update Crossline to open it.`,
    );
  }
  if (from > 0) verifyHistory(db, migrations.slice(0, from), file);
  if (from === newest) return { from, to: newest };
  // A migration may rebuild a table that others reference (SQLite cannot alter a constraint): foreign keys are off
  // while the steps run, as SQLite's own procedure for that asks, and checked before the commit instead. Only
  // references the steps broke refuse the upgrade: one an older build left behind must not lock the analyst out.
  // (SQLite ignores the switch inside a transaction, and a rebuild would then fail on the references it moves.)
  if (db.inTransaction) throw new Error('migrate() must not run inside a transaction');
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    const brokenBefore = from === 0 ? new Set<string>() : brokenReferences(db);
    db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL) STRICT');
      const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256) VALUES (?, ?, ?)');
      for (const m of migrations.slice(from)) {
        db.exec(m.sql);
        record.run(m.version, m.name, m.sha256);
      }
      const broken = [...brokenReferences(db)].filter((r) => !brokenBefore.has(r));
      if (broken.length > 0) {
        throw new Error(`${file}: upgrading the case schema would break ${plural(broken.length, 'reference')} (${broken[0]}); the case is left as it was`);
      }
      db.pragma(`user_version = ${newest}`);
    })();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return { from, to: newest };
}

/** Every row whose foreign key points nowhere, as `table row N → parent`. */
function brokenReferences(db: Database.Database): Set<string> {
  const rows = db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
  return new Set(rows.map((r) => `${r.table} row ${r.rowid} → ${r.parent}`));
}

function verifyHistory(db: Database.Database, applied: Migration[], file: string): void {
  const rows = db.prepare('SELECT version, sha256 FROM schema_migrations ORDER BY version').all() as { version: number; sha256: string }[];
  for (const m of applied) {
    const row = rows.find((r) => r.version === m.version);
    if (row && row.sha256 !== m.sha256) {
      throw new CaseVersionError(`${file}: schema step ${m.name} differs from the one this case was built with; refusing to open it.`);
    }
  }
}
