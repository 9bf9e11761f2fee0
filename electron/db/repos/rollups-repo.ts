import type Database from 'better-sqlite3';

/**
 * The case's events rolled up for the correlator (migration 0008): who used which source address on which day, and
 * the events per hour of each log scope. The import's writer keeps both up to date as it inserts (RollupCollector),
 * so a correlation reads a few thousand rows instead of grouping a million events (0.75–0.85 s on the bench, the
 * longest part of a correlation). The same rows can always be derived from the events themselves (the SQL below):
 * that fills a case upgraded from an older schema, and any case whose rollups stopped counting its events.
 */

/** Aggregated use of one IP source by one caller / role combination. `days` are UTC day numbers, ascending. */
export interface Sighting {
  provider: string;
  ip: string;
  account: string | null;
  principalName: string | null;
  sessionIssuer: string | null;
  targetResource: string | null;
  /** Azure and GCP only (null for AWS rows): the caller's object id / email. */
  principalId: string | null;
  /** GCP only: the workload identity pool (provider) of a federated caller or a token exchange. */
  identityProvider: string | null;
  /** GCP only: the original caller of an impersonated call (before `>` in its credential). */
  delegator: string | null;
  firstMs: number;
  days: number[];
}

/**
 * The case's events counted per hour of each log scope: provider, target (AWS account, Azure subscription or tenant,
 * GCP project), region, log category (CloudTrail eventType, Entra sign-in category, GCP audit log …), whether the rows
 * are Entra sign-ins and whether they cross tenants. Every coverage question is answered from these rows.
 */
export interface CoverageHour {
  provider: string;
  account: string | null;
  region: string | null;
  category: string | null;
  signIn: boolean;
  crossTenant: boolean;
  hour: number;
  events: number;
}

const SIGHTING_KEY = 'provider, ip, account, principal_name_sid, session_issuer_sid, target_resource, principal_id_sid, identity_provider, delegator';
/** The same columns in the order their rows are read (by address first, as the correlator has always met them). */
const SIGHTING_ORDER = 'ip, account, principal_name_sid, session_issuer_sid, target_resource, principal_id_sid, identity_provider, delegator, provider';
const HOUR_KEY = 'provider, account, region_sid, category_sid, sign_in, cross_tenant';

/** An Entra ID sign-in record, as the import normalizes one (entra-signin: service Microsoft.aadiam, action SignIn). */
export const SIGN_IN = { action: 'SignIn', service: 'Microsoft.aadiam' } as const;

/**
 * rollup_sightings' rows derived from the events: one per key and day. The key's CASEs are RollupCollector's:
 * Azure resource ids are per call and AWS principal ids repeat the session ARN, so neither is kept. The delegator (the
 * text before the first `>` of a GCP credential, none when it is empty) is cut in bytes, as the collector cuts it in
 * characters: text functions would stop at a NUL byte a hostile log can put there.
 * NOT INDEXED: through the source IP index SQLite would read the table in IP order, at random.
 */
const SIGHTINGS_OF_EVENTS = `
  SELECT provider, source_ip ip, principal_account account, principal_name_sid, session_issuer_sid,
         CASE WHEN provider = 'azure' THEN NULL ELSE target_resource END target_resource,
         CASE WHEN provider = 'aws' THEN NULL ELSE principal_id_sid END principal_id_sid,
         CASE WHEN provider = 'gcp' THEN identity_provider END identity_provider,
         CASE WHEN provider = 'gcp' AND instr(CAST(credential_id AS BLOB), X'3E') > 1
              THEN CAST(substr(CAST(credential_id AS BLOB), 1, instr(CAST(credential_id AS BLOB), X'3E') - 1) AS TEXT) END delegator,
         time_ms / 86400000 day, min(time_ms) first_ms, count(*) events
    FROM events NOT INDEXED WHERE source_ip IS NOT NULL AND outcome <> 'failure'
   GROUP BY source_ip, principal_account, principal_name_sid, session_issuer_sid, 6, 7, 8, 9, 10, +provider`;

/**
 * rollup_hours' rows derived from the events. The hour leads the grouping: with the provider first, SQLite walks the
 * identity index (provider, …) and reads the table at random, ten times slower than sorting a plain scan.
 */
const HOURS_OF_EVENTS = `
  SELECT provider, target_account account, region_sid, event_type_sid category_sid,
         coalesce(provider = 'azure' AND action_sid = (SELECT id FROM strings WHERE value = '${SIGN_IN.action}')
                  AND service_sid = (SELECT id FROM strings WHERE value = '${SIGN_IN.service}'), 0) sign_in,
         coalesce(provider = 'azure' AND action_sid = (SELECT id FROM strings WHERE value = '${SIGN_IN.action}')
                  AND principal_account IS NOT NULL AND target_account IS NOT NULL AND principal_account <> target_account, 0) cross_tenant,
         time_ms / 3600000 hour, count(*) events
    FROM events GROUP BY hour, 1, 2, 3, 4, 5, 6`;

/** Where rollup rows are read from: the stored tables, or derived from the events on the spot. */
export type RollupSource = 'stored' | 'events';

/**
 * Whether the stored rollups count exactly the case's events, and the sightings exactly those with a source address
 * (read in one snapshot, so an import between is no matter). False for a case older than the tables (read-only, so
 * not upgraded).
 */
export function rollupsAreComplete(db: Database.Database): boolean {
  if (db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('rollup_hours', 'rollup_sightings')").pluck().get() !== 2) return false;
  return db.transaction(() => {
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    return (
      count('SELECT coalesce(sum(events), 0) FROM rollup_hours') === count('SELECT count(*) FROM events') &&
      count('SELECT coalesce(sum(events), 0) FROM rollup_sightings') === count("SELECT count(*) FROM events WHERE source_ip IS NOT NULL AND outcome <> 'failure'")
    );
  })();
}

/** Derives the stored rollups from the events again, in one transaction. */
export function rebuildRollups(db: Database.Database): void {
  db.transaction(() => {
    db.exec('DELETE FROM rollup_sightings; DELETE FROM rollup_hours');
    db.exec(`INSERT INTO rollup_sightings (${SIGHTING_KEY}, day, first_ms, events) ${SIGHTINGS_OF_EVENTS}`);
    db.exec(`INSERT INTO rollup_hours (${HOUR_KEY}, hour, events) ${HOURS_OF_EVENTS}`);
  }).immediate();
}

/**
 * Rollups a correlation can trust: the stored ones, rebuilt first when they do not count the case's events (an older
 * case, or events written by something other than the import). Should another import hold the write lock meanwhile,
 * the rows are derived from the events for this run only.
 */
export function trustedRollupSource(db: Database.Database): RollupSource {
  if (rollupsAreComplete(db)) return 'stored';
  if (db.readonly) return 'events';
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    rebuildRollups(db);
    return 'stored';
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    return 'events';
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * Who used which IP source, aggregated (refused and failed requests are no use of it, and are left out): one row per (provider, IP, caller account, caller, role, requested role,
 * Azure / GCP principal id, GCP pool, original caller of an impersonated call) with the first time and the distinct
 * UTC days it was seen. A month of CloudTrail collapses from millions of events to thousands of rows.
 */
export function readSightings(db: Database.Database, source: RollupSource = 'stored'): Sighting[] {
  const from = source === 'stored' ? 'rollup_sightings' : `(${SIGHTINGS_OF_EVENTS})`;
  const rows = db
    .prepare(`SELECT ${SIGHTING_KEY}, min(first_ms), group_concat(DISTINCT day) FROM ${from} GROUP BY ${SIGHTING_ORDER} ORDER BY ${SIGHTING_ORDER}`)
    .raw()
    .all() as [string, string, string | null, number | null, number | null, string | null, number | null, string | null, string | null, number, string][];
  const text = stringsOf(db);
  return rows.map(([provider, ip, account, nameSid, issuerSid, targetResource, idSid, idp, delegator, firstMs, days]) => ({
    provider, ip, account, principalName: text(nameSid), sessionIssuer: text(issuerSid), targetResource, principalId: text(idSid),
    identityProvider: idp, delegator, firstMs, days: days.split(',').map(Number).sort((a, b) => a - b),
  }));
}

/**
 * The events per hour of each log scope. `multiCloud` false (a case of CloudTrail only): per hour, account and region
 * alone, with no category, as CloudTrail has no categories or sign-ins to tell apart.
 */
export function readCoverageHours(db: Database.Database, multiCloud: boolean, source: RollupSource = 'stored'): CoverageHour[] {
  const from = source === 'stored' ? 'rollup_hours' : `(${HOURS_OF_EVENTS})`;
  const key = multiCloud ? HOUR_KEY : "'aws', account, region_sid, NULL, 0, 0";
  const order = `hour, ${multiCloud ? HOUR_KEY : 'account, region_sid'}`;
  const rows = db
    .prepare(`SELECT ${key}, hour, sum(events) FROM ${from} GROUP BY ${order} ORDER BY ${order}`)
    .raw()
    .all() as [string, string | null, number | null, number | null, number, number, number, number][];
  const text = stringsOf(db);
  return rows.map(([provider, account, regionSid, categorySid, signIn, crossTenant, hour, events]) => ({
    provider, account, region: text(regionSid), category: text(categorySid), signIn: signIn === 1, crossTenant: crossTenant === 1, hour, events,
  }));
}

/** sid → its text, each looked up once. */
function stringsOf(db: Database.Database): (sid: number | null) => string | null {
  const find = db.prepare('SELECT value FROM strings WHERE id = ?').pluck();
  const known = new Map<number, string | null>();
  return (sid) => {
    if (sid === null) return null;
    if (!known.has(sid)) known.set(sid, (find.get(sid) as string | undefined) ?? null);
    return known.get(sid)!;
  };
}
