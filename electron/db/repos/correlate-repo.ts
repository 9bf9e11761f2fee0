import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/domain/event';

/**
 * The fields of an event the correlator reasons over (the domain model's, plus the row id; read_only as
 * SQLite stores it). Times are UTC epoch ms.
 */
export type CorrEvent = Omit<NormalizedEvent, 'fingerprint' | 'timeText' | 'eventType' | 'region' | 'readOnly'> & {
  id: number;
  readOnly: number | null;
};

/** Read from `events` itself with string ids, resolved in memory: a join per string costs ~8× per row. */
const COLUMNS = `id, native_id nativeId, provider, time_ms timeMs, service_sid service, action_sid action, outcome, error_code errorCode, read_only readOnly,
  principal_type_sid principalType, principal_id_sid principalId, principal_name_sid principalName, principal_account principalAccount,
  session_issuer_sid sessionIssuer, target_account targetAccount, source_ip sourceIp, source_service sourceService, user_agent_sid userAgent,
  credential_id credentialId, issued_credential_id issuedCredentialId, issued_principal issuedPrincipal,
  shared_event_id sharedEventId, request_id requestId, target_resource targetResource, identity_provider identityProvider,
  source_identity sourceIdentity, session_created_ms sessionCreatedMs`;
const STRING_FIELDS = ['service', 'action', 'principalType', 'principalId', 'principalName', 'sessionIssuer', 'userAgent'] as const;

/** The providers whose logs are in the case (the import records every target it meets in case_accounts). */
export function caseProviders(db: Database.Database): Set<string> {
  return new Set(db.prepare('SELECT DISTINCT provider FROM case_accounts').pluck().all() as string[]);
}

/** One distinct kind of call in a session (CorrelateRepo.sessionSummary). */
export interface SessionSummaryRow {
  service: string | null;
  action: string;
  outcome: string;
  sourceIp: string | null;
}

/** Azure Activity records per target (subscription, or tenant for tenant-level calls) and token tenant (claims tid). */
export interface TokenTenantRow {
  target: string;
  tenant: string | null;
  records: number;
  /** Records made with a managed identity's token: a managed identity always belongs to its subscription's tenant. */
  managedIdentity: number;
}

/** Prepared once per correlation run; every method takes and returns plain rows. */
export class CorrelateRepo {
  private readonly byCredential: Database.Statement;
  private readonly bySessionName: Database.Statement;
  private readonly lastLocated: Database.Statement;
  private readonly summary: Database.Statement;
  private readonly byPrincipalId: Database.Statement;
  private readonly strings = new Map<number, string>();
  private readonly summaries = new Map<string, readonly SessionSummaryRow[]>();

  constructor(private readonly db: Database.Database) {
    this.byCredential = db.prepare(`SELECT ${COLUMNS} FROM events WHERE credential_id = ? AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`);
    this.bySessionName = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE principal_name_sid = (SELECT id FROM strings WHERE value = ?) AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`,
    );
    this.byPrincipalId = db.prepare(`SELECT ${COLUMNS} FROM events WHERE principal_id_sid = ? AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`);
    this.summary = db.prepare(
      'SELECT service_sid service, action_sid action, outcome, source_ip sourceIp FROM events WHERE credential_id = ? AND time_ms >= ? AND time_ms <= ? GROUP BY 1, 2, 3, 4',
    );
    for (const r of db.prepare('SELECT id, value FROM strings').raw().iterate() as IterableIterator<[number, string]>) this.strings.set(r[0], r[1]);
    this.lastLocated = db.prepare(
      'SELECT time_ms timeMs, source_ip sourceIp, native_id nativeId FROM events WHERE principal_id_sid = (SELECT id FROM strings WHERE value = ?) AND time_ms < ? AND source_ip IS NOT NULL ORDER BY time_ms DESC LIMIT 1',
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

  /** Every role assumption / federation event (denied ones too), in time order; of one provider when given. */
  issuingEvents(actions: string[], provider?: string): CorrEvent[] {
    // `+provider`: with a plain provider test SQLite walks the identity index (provider, …) instead of the action index.
    const only = provider === undefined ? '' : ' AND +provider = ?';
    return this.resolve(
      this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE action_sid IN (SELECT id FROM strings WHERE value IN (${actions.map(() => '?').join(', ')}))${only} ORDER BY time_ms, id`)
        .all(...actions, ...(provider === undefined ? [] : [provider])) as Record<string, unknown>[],
    );
  }

  /** The providers whose logs are in the case (the import records every target it meets in case_accounts). */
  providers(): Set<string> {
    return caseProviders(this.db);
  }

  /** The string id of a value, or null when no event holds it. */
  private sidOf(value: string): number | null {
    return (this.db.prepare('SELECT id FROM strings WHERE value = ?').pluck().get(value) as number | undefined) ?? null;
  }

  /** Entra ID sign-ins (every kind and outcome), in time order. */
  entraSignIns(): CorrEvent[] {
    const signIn = this.sidOf('SignIn');
    const aadiam = this.sidOf('Microsoft.aadiam');
    if (signIn === null || aadiam === null) return [];
    return this.resolve(
      this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE action_sid = ? AND service_sid = ? AND +provider = 'azure' ORDER BY time_ms, id`).all(signIn, aadiam) as Record<string, unknown>[],
    );
  }

  /** Azure Activity (and resource log) records grouped by target and token tenant: who holds tokens for which subscription. */
  azureTokenTenants(): TokenTenantRow[] {
    const aadiam = this.sidOf('Microsoft.aadiam') ?? -1;
    const mi = this.sidOf('ManagedIdentity') ?? -1;
    return this.db
      .prepare(
        `SELECT target_account target, principal_account tenant, count(*) records, sum(principal_type_sid IS ?) managedIdentity
           FROM events WHERE provider = 'azure' AND target_account IS NOT NULL AND service_sid IS NOT ? GROUP BY 1, 2`,
      )
      .all(mi, aadiam) as TokenTenantRow[];
  }

  /** Azure Activity records on `target` made with a token of `tenant`, in time order. */
  azureCallsOfTenant(tenant: string, target: string): CorrEvent[] {
    const aadiam = this.sidOf('Microsoft.aadiam') ?? -1;
    return this.resolve(
      this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE principal_account = ? AND provider = 'azure' AND target_account = ? AND service_sid IS NOT ? ORDER BY time_ms, id`)
        .all(tenant, target, aadiam) as Record<string, unknown>[],
    );
  }

  /** Calls by one principal id (Azure object id, GCP email or federated subject) in a time range. */
  callsByPrincipalId(principalId: string, fromMs: number, toMs: number): CorrEvent[] {
    const sid = this.sidOf(principalId);
    if (sid === null) return [];
    return this.resolve(this.byPrincipalId.all(sid, fromMs, toMs) as Record<string, unknown>[]);
  }

  /** Records of one provider sharing any of these request / correlation ids, by id (one pass for a whole run). */
  callsWithRequestIds(provider: string, requestIds: string[]): Map<string, CorrEvent[]> {
    const out = new Map<string, CorrEvent[]>();
    const unique = [...new Set(requestIds)];
    for (let i = 0; i < unique.length; i += 10_000) {
      const chunk = unique.slice(i, i + 10_000);
      const rows = this.resolve(
        this.db
          .prepare(`SELECT ${COLUMNS} FROM events WHERE provider = ? AND request_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY time_ms, id`)
          .all(provider, ...chunk) as Record<string, unknown>[],
      );
      for (const r of rows) out.set(r.requestId!, [...(out.get(r.requestId!) ?? []), r]);
    }
    return out;
  }

  /**
   * Azure records sharing any of these correlation ids from `fromMs` to `toMs`, in (time, id) order: the later records
   * of operations a chain saw begin. No index holds correlation ids, so this walks the time index over the range:
   * keep it short (the correlator asks only for operations still open at the end of a chain).
   */
  azureRecordsWithRequestIds(requestIds: string[], fromMs: number, toMs: number): CorrEvent[] {
    const out: CorrEvent[] = [];
    const unique = [...new Set(requestIds)];
    for (let i = 0; i < unique.length; i += 10_000) {
      const chunk = unique.slice(i, i + 10_000);
      out.push(...this.resolve(
        this.db
          .prepare(`SELECT ${COLUMNS} FROM events WHERE time_ms >= ? AND time_ms <= ? AND +provider = 'azure' AND request_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY time_ms, id`)
          .all(fromMs, toMs, ...chunk) as Record<string, unknown>[],
      ));
    }
    return unique.length > 10_000 ? out.sort((a, b) => a.timeMs - b.timeMs || a.id - b.id) : out;
  }

  /** GCP service account impersonation (GenerateAccessToken, GenerateIdToken, SignJwt, SignBlob) and STS ExchangeToken events, in time order. */
  gcpIssuingEvents(): CorrEvent[] {
    return this.resolve(
      this.db
        .prepare(
          `SELECT ${COLUMNS} FROM events WHERE action_sid IN (SELECT id FROM strings WHERE value LIKE '%GenerateAccessToken' OR value LIKE '%GenerateIdToken'
             OR value LIKE '%SignJwt' OR value LIKE '%SignBlob' OR value LIKE '%ExchangeToken') AND +provider = 'gcp' ORDER BY time_ms, id`,
        )
        .all() as Record<string, unknown>[],
    );
  }

  /** GCP calls made through impersonation (`<caller>><service account>` credentials): each credential's calls, as (time, row id), in time order. */
  gcpDelegatedCalls(): { credential: string; timeMs: number; id: number }[] {
    return this.db
      .prepare("SELECT credential_id credential, time_ms timeMs, id FROM events WHERE provider = 'gcp' AND credential_id LIKE '%>%' ORDER BY credential_id, time_ms, id")
      .all() as { credential: string; timeMs: number; id: number }[];
  }

  /** The distinct UTC days on which each GCP user acted (users' domains become the organisation's by routine). */
  gcpUserDays(): { principal: string; days: number[] }[] {
    const user = this.sidOf('User');
    if (user === null) return [];
    const rows = this.db
      .prepare("SELECT principal_id_sid sid, group_concat(DISTINCT time_ms / 86400000) days FROM events WHERE provider = 'gcp' AND principal_type_sid = ? AND principal_id_sid IS NOT NULL GROUP BY 1")
      .all(user) as { sid: number; days: string }[];
    return rows.map((r) => ({ principal: this.strings.get(r.sid) ?? '', days: r.days.split(',').map(Number).sort((a, b) => a - b) }));
  }

  /** Events by row id, in time order. */
  eventsById(ids: number[]): CorrEvent[] {
    const out: CorrEvent[] = [];
    for (let i = 0; i < ids.length; i += 10_000) {
      const chunk = ids.slice(i, i + 10_000);
      out.push(...this.resolve(this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE id IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as Record<string, unknown>[]));
    }
    return out.sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
  }

  /**
   * What a session did, in a few rows: each distinct (service, action, outcome, source IP) of the calls made
   * with a credential in a time range. Enough to tell a routine session from one worth reading in full.
   * Kept for the run: the correlator asks for them while it waits for the case scans, then again for each entry.
   */
  sessionSummary(credentialId: string, fromMs: number, toMs: number): readonly SessionSummaryRow[] {
    const key = `${credentialId}\u0000${fromMs}\u0000${toMs}`;
    let summary = this.summaries.get(key);
    if (!summary) {
      const rows = this.summary.all(credentialId, fromMs, toMs) as { service: number | null; action: number; outcome: string; sourceIp: string | null }[];
      summary = rows.map((r) => ({ service: r.service === null ? null : this.strings.get(r.service) ?? null, action: this.strings.get(r.action) ?? '', outcome: r.outcome, sourceIp: r.sourceIp }));
      this.summaries.set(key, summary);
    }
    return summary;
  }

  callsWithCredential(credentialId: string, fromMs: number, toMs: number): CorrEvent[] {
    return this.resolve(this.byCredential.all(credentialId, fromMs, toMs) as Record<string, unknown>[]);
  }

  /** The weaker link: calls by the same assumed-role session ARN (role + session name). */
  callsBySessionName(principalName: string, fromMs: number, toMs: number): CorrEvent[] {
    return this.resolve(this.bySessionName.all(principalName, fromMs, toMs) as Record<string, unknown>[]);
  }

  lastLocatedBefore(principalId: string, beforeMs: number): { timeMs: number; sourceIp: string; nativeId: string } | undefined {
    return this.lastLocated.get(principalId, beforeMs) as { timeMs: number; sourceIp: string; nativeId: string } | undefined;
  }
}
