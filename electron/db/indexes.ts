import type Database from 'better-sqlite3';

/**
 * The secondary indexes of `events`. Migration 0001 creates them; a bulk import into an empty case drops
 * them and builds them once at the end (a sorted build is far faster than a million random inserts), and
 * every open re-ensures them, so a case whose import was killed before the rebuild is whole again.
 * The identity index is separate (IDENTITY_INDEX): an import into a case that already holds events needs it.
 *
 * Those ending in `time_ms` also serve the explorer: with an equality on the first column they return events
 * in (time_ms, id) order (SQLite appends the rowid to every index), so a keyset page reads only its own rows.
 */
export const EVENT_INDEXES: Record<string, string> = {
  events_time: 'ON events(time_ms)',
  events_principal: 'ON events(principal_id_sid, time_ms)',
  events_credential: 'ON events(credential_id) WHERE credential_id IS NOT NULL',
  events_issued_credential: 'ON events(issued_credential_id) WHERE issued_credential_id IS NOT NULL',
  events_shared: 'ON events(shared_event_id) WHERE shared_event_id IS NOT NULL',
  events_source_ip_time: 'ON events(source_ip, time_ms) WHERE source_ip IS NOT NULL',
  events_action: 'ON events(action_sid, time_ms)',
  events_principal_name: 'ON events(principal_name_sid, time_ms)',
  events_principal_account: 'ON events(principal_account, time_ms) WHERE principal_account IS NOT NULL',
  events_user_agent: 'ON events(user_agent_sid, time_ms) WHERE user_agent_sid IS NOT NULL',
  // Federations by identity provider (AWS SAML / web identity, GCP workload identity pools): the map's baseline of
  // such an entry. A few percent of events at most, so the index is small.
  events_identity_provider: 'ON events(identity_provider, time_ms) WHERE identity_provider IS NOT NULL',
  // Refused and unknown outcomes only: a few percent of events, so the index is small; `success` needs none.
  events_outcome: "ON events(outcome, time_ms) WHERE outcome <> 'success'",
};

/**
 * The identity index (deduplication). A bulk import drops it too and deduplicates in memory instead (see
 * IdentitySet), building it first at the end; an import killed before that gets it back on the next open.
 */
export const IDENTITY_INDEX = { name: 'events_identity', def: 'ON events(provider, native_id, fingerprint)' };

/**
 * Creates the unique identity index. Should two imports ever have written the same empty case at once (each
 * deduplicating only in its own memory), the same event may be stored twice: the copies beyond the first are
 * removed first, so the case always opens and stays deduplicated.
 */
export function ensureIdentityIndex(db: Database.Database): void {
  const create = `CREATE UNIQUE INDEX IF NOT EXISTS ${IDENTITY_INDEX.name} ${IDENTITY_INDEX.def}`;
  try {
    db.exec(create);
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
    db.exec('DELETE FROM events WHERE id NOT IN (SELECT min(id) FROM events GROUP BY provider, native_id, fingerprint)');
    db.exec(create);
  }
}

export function dropEventIndexes(db: Database.Database, options: { identity?: boolean } = {}): void {
  if (options.identity) db.exec(`DROP INDEX IF EXISTS ${IDENTITY_INDEX.name}`);
  for (const name of Object.keys(EVENT_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

export function ensureEventIndexes(db: Database.Database): void {
  ensureIdentityIndex(db);
  for (const [name, def] of Object.entries(EVENT_INDEXES)) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ${def}`);
}
