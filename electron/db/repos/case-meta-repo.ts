import type Database from 'better-sqlite3';

/** A value of the case's `case_meta` table (key → text), or null. */
export function readCaseMeta(db: Database.Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM case_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeCaseMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO case_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * The fields the case's event fingerprints hash (migration 0010): 2 for a case made from schema 10 on, 1 for a case
 * that already held events when it was upgraded.
 */
export function fingerprintScheme(db: Database.Database): 1 | 2 {
  return readCaseMeta(db, 'fingerprint_scheme') === '2' ? 2 : 1;
}
