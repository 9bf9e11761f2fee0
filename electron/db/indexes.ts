import type Database from 'better-sqlite3';

/**
 * The secondary indexes of `events`. Migration 0001 creates them; a bulk import into an empty case drops
 * them and builds them once at the end (a sorted build is far faster than a million random inserts), and
 * every open re-ensures them, so a case whose import was killed before the rebuild is whole again.
 * The identity index is not here: deduplication needs it during the import.
 */
export const EVENT_INDEXES: Record<string, string> = {
  events_time: 'ON events(time_ms)',
  events_principal: 'ON events(principal_id_sid, time_ms)',
  events_credential: 'ON events(credential_id) WHERE credential_id IS NOT NULL',
  events_issued_credential: 'ON events(issued_credential_id) WHERE issued_credential_id IS NOT NULL',
  events_shared: 'ON events(shared_event_id) WHERE shared_event_id IS NOT NULL',
  events_source_ip: 'ON events(source_ip) WHERE source_ip IS NOT NULL',
  events_action: 'ON events(action_sid, time_ms)',
};

export function dropEventIndexes(db: Database.Database): void {
  for (const name of Object.keys(EVENT_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

export function ensureEventIndexes(db: Database.Database): void {
  for (const [name, def] of Object.entries(EVENT_INDEXES)) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ${def}`);
}
