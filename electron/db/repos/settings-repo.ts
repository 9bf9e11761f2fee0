import type Database from 'better-sqlite3';
import { DEFAULT_CORRELATION_SETTINGS, type CorrelationSettings } from '../../../shared/domain/correlation';

/** Reads the case's correlation settings, filling anything missing with the defaults. */
export function readCorrelationSettings(db: Database.Database): CorrelationSettings {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'correlation'").get() as { value: string } | undefined;
  const stored = row ? (JSON.parse(row.value) as Partial<CorrelationSettings>) : {};
  // A copy of the defaults: their lists are arrays, and a caller adding to the allowlist of a case without settings
  // had added to every later case's in the same process (the app's server, the tests).
  const defaults = structuredClone(DEFAULT_CORRELATION_SETTINGS);
  return {
    ...defaults,
    ...stored,
    allowlist: { ...defaults.allowlist, ...(stored.allowlist ?? {}) },
    geo: { ...(stored.geo ?? {}) },
  };
}

/** Saves settings with a full fsync: they are part of the evidence of how findings were made. */
export function writeCorrelationSettings(db: Database.Database, settings: CorrelationSettings): void {
  db.prepare("INSERT INTO settings (key, value) VALUES ('correlation', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(settings));
}
