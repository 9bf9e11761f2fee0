import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/domain/event';

/**
 * The fields of an event the correlator reasons over (the domain model's, plus the row id; read_only as
 * SQLite stores it). Times are UTC epoch ms.
 */
export type CorrEvent = Omit<NormalizedEvent, 'fingerprint' | 'timeText' | 'eventType' | 'region' | 'requestId' | 'readOnly'> & {
  id: number;
  readOnly: number | null;
};

/** Read from `events` itself with string ids, resolved in memory: a join per string costs ~8× per row. */
const COLUMNS = `id, native_id nativeId, provider, time_ms timeMs, service_sid service, action_sid action, outcome, error_code errorCode, read_only readOnly,
  principal_type_sid principalType, principal_id_sid principalId, principal_name_sid principalName, principal_account principalAccount,
  session_issuer_sid sessionIssuer, target_account targetAccount, source_ip sourceIp, source_service sourceService, user_agent_sid userAgent,
  credential_id credentialId, issued_credential_id issuedCredentialId, issued_principal issuedPrincipal,
  shared_event_id sharedEventId, target_resource targetResource, identity_provider identityProvider,
  source_identity sourceIdentity, session_created_ms sessionCreatedMs`;
const STRING_FIELDS = ['service', 'action', 'principalType', 'principalId', 'principalName', 'sessionIssuer', 'userAgent'] as const;

/** Aggregated use of one IP source by one caller / role combination. `days` are UTC day numbers, ascending. */
export interface Sighting {
  ip: string;
  account: string | null;
  principalName: string | null;
  sessionIssuer: string | null;
  targetResource: string | null;
  firstMs: number;
  days: number[];
}

/** Prepared once per correlation run; every method takes and returns plain rows. */
export class CorrelateRepo {
  private readonly byCredential: Database.Statement;
  private readonly bySessionName: Database.Statement;
  private readonly lastLocated: Database.Statement;
  private readonly summary: Database.Statement;
  private readonly strings = new Map<number, string>();

  constructor(private readonly db: Database.Database) {
    this.byCredential = db.prepare(`SELECT ${COLUMNS} FROM events WHERE credential_id = ? AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`);
    this.bySessionName = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE principal_name_sid = (SELECT id FROM strings WHERE value = ?) AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`,
    );
    this.summary = db.prepare(
      'SELECT service_sid service, action_sid action, outcome, source_ip sourceIp FROM events WHERE credential_id = ? AND time_ms >= ? AND time_ms <= ? GROUP BY 1, 2, 3, 4',
    );
    for (const r of db.prepare('SELECT id, value FROM strings').raw().iterate() as IterableIterator<[number, string]>) this.strings.set(r[0], r[1]);
    this.lastLocated = db.prepare(
      'SELECT time_ms timeMs, source_ip sourceIp FROM events WHERE principal_id_sid = (SELECT id FROM strings WHERE value = ?) AND time_ms < ? AND source_ip IS NOT NULL ORDER BY time_ms DESC LIMIT 1',
    );
  }

  /** Accounts whose own trails are in the evidence: the default organisation. */
  accountsWithLogs(provider: string): string[] {
    return this.db.prepare('SELECT account FROM case_accounts WHERE provider = ?').pluck().all(provider) as string[];
  }

  /** Replaces string ids by their text (the strings table is small: every distinct value once). */
  private resolve(rows: Record<string, unknown>[]): CorrEvent[] {
    for (const row of rows) for (const f of STRING_FIELDS) if (row[f] !== null) row[f] = this.strings.get(row[f] as number) ?? null;
    return rows as unknown as CorrEvent[];
  }

  countEvents(): number {
    return this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  }

  /** Every role assumption / federation event (denied ones too), in time order. */
  issuingEvents(actions: string[]): CorrEvent[] {
    return this.resolve(
      this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE action_sid IN (SELECT id FROM strings WHERE value IN (${actions.map(() => '?').join(', ')})) ORDER BY time_ms, id`)
        .all(...actions) as Record<string, unknown>[],
    );
  }

  /**
   * What a session did, in a few rows: each distinct (service, action, outcome, source IP) of the calls made
   * with a credential in a time range. Enough to tell a routine session from one worth reading in full.
   */
  sessionSummary(credentialId: string, fromMs: number, toMs: number): { service: string | null; action: string; outcome: string; sourceIp: string | null }[] {
    const rows = this.summary.all(credentialId, fromMs, toMs) as { service: number | null; action: number; outcome: string; sourceIp: string | null }[];
    return rows.map((r) => ({ service: r.service === null ? null : this.strings.get(r.service) ?? null, action: this.strings.get(r.action) ?? '', outcome: r.outcome, sourceIp: r.sourceIp }));
  }

  callsWithCredential(credentialId: string, fromMs: number, toMs: number): CorrEvent[] {
    return this.resolve(this.byCredential.all(credentialId, fromMs, toMs) as Record<string, unknown>[]);
  }

  /** The weaker link: calls by the same assumed-role session ARN (role + session name). */
  callsBySessionName(principalName: string, fromMs: number, toMs: number): CorrEvent[] {
    return this.resolve(this.bySessionName.all(principalName, fromMs, toMs) as Record<string, unknown>[]);
  }

  lastLocatedBefore(principalId: string, beforeMs: number): { timeMs: number; sourceIp: string } | undefined {
    return this.lastLocated.get(principalId, beforeMs) as { timeMs: number; sourceIp: string } | undefined;
  }

  /**
   * Who used which IP source, aggregated: one row per (IP, caller account, caller, role, requested role) with
   * the first time and the distinct UTC days it was seen. A month of CloudTrail collapses from millions of
   * events to thousands of rows, so the familiarity pass costs one grouped scan.
   */
  sightings(): Sighting[] {
    const rows = this.db
      .prepare(
        `SELECT source_ip ip, principal_account account, principal_name_sid nameSid, session_issuer_sid issuerSid, target_resource targetResource,
                min(time_ms) firstMs, group_concat(DISTINCT time_ms / 86400000) days
           FROM events WHERE source_ip IS NOT NULL
          GROUP BY source_ip, principal_account, principal_name_sid, session_issuer_sid, target_resource`,
      )
      .all() as { ip: string; account: string | null; nameSid: number | null; issuerSid: number | null; targetResource: string | null; firstMs: number; days: string }[];
    const resolve = (sid: number | null) => (sid === null ? null : this.strings.get(sid) ?? null);
    return rows.map((r) => ({
      ip: r.ip, account: r.account, principalName: resolve(r.nameSid), sessionIssuer: resolve(r.issuerSid), targetResource: r.targetResource,
      firstMs: r.firstMs, days: r.days.split(',').map(Number).sort((a, b) => a - b),
    }));
  }

}
