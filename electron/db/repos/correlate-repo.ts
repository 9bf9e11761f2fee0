import type Database from 'better-sqlite3';

/** The fields of an event the correlator reasons over. Times are UTC epoch ms. */
export interface CorrEvent {
  id: number;
  nativeId: string;
  provider: string;
  timeMs: number;
  service: string | null;
  action: string;
  outcome: string;
  errorCode: string | null;
  readOnly: number | null;
  principalType: string | null;
  principalId: string | null;
  principalName: string | null;
  principalAccount: string | null;
  sessionIssuer: string | null;
  targetAccount: string | null;
  sourceIp: string | null;
  sourceService: string | null;
  userAgent: string | null;
  credentialId: string | null;
  issuedCredentialId: string | null;
  issuedPrincipal: string | null;
  sharedEventId: string | null;
  targetResource: string | null;
  identityProvider: string | null;
  sourceIdentity: string | null;
  sessionCreatedMs: number | null;
}

const COLUMNS = `id, native_id nativeId, provider, time_ms timeMs, service, action, outcome, error_code errorCode, read_only readOnly,
  principal_type principalType, principal_id principalId, principal_name principalName, principal_account principalAccount,
  session_issuer sessionIssuer, target_account targetAccount, source_ip sourceIp, source_service sourceService, user_agent userAgent,
  credential_id credentialId, issued_credential_id issuedCredentialId, issued_principal issuedPrincipal,
  shared_event_id sharedEventId, target_resource targetResource, identity_provider identityProvider,
  source_identity sourceIdentity, session_created_ms sessionCreatedMs`;

/** Prepared once per correlation run; every method takes and returns plain rows. */
export class CorrelateRepo {
  private readonly byCredential: Database.Statement;
  private readonly bySessionName: Database.Statement;
  private readonly lastLocated: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.byCredential = db.prepare(`SELECT ${COLUMNS} FROM events_v WHERE credential_id = ? AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`);
    this.bySessionName = db.prepare(
      `SELECT ${COLUMNS} FROM events_v WHERE principal_name_sid = (SELECT id FROM strings WHERE value = ?) AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id`,
    );
    this.lastLocated = db.prepare(
      'SELECT time_ms timeMs, source_ip sourceIp FROM events WHERE principal_id_sid = (SELECT id FROM strings WHERE value = ?) AND time_ms < ? AND source_ip IS NOT NULL ORDER BY time_ms DESC LIMIT 1',
    );
  }

  /** Accounts whose own trails are in the evidence: the default organisation. */
  accountsWithLogs(provider: string): string[] {
    return (this.db.prepare('SELECT DISTINCT target_account a FROM events WHERE provider = ? AND target_account IS NOT NULL').all(provider) as { a: string }[]).map((r) => r.a);
  }

  /** Every role assumption / federation event (denied ones too), in time order. */
  issuingEvents(actions: string[]): CorrEvent[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM events_v WHERE action_sid IN (SELECT id FROM strings WHERE value IN (${actions.map(() => '?').join(', ')})) ORDER BY time_ms, id`)
      .all(...actions) as CorrEvent[];
  }

  callsWithCredential(credentialId: string, fromMs: number, toMs: number): CorrEvent[] {
    return this.byCredential.all(credentialId, fromMs, toMs) as CorrEvent[];
  }

  /** The weaker link: calls by the same assumed-role session ARN (role + session name). */
  callsBySessionName(principalName: string, fromMs: number, toMs: number): CorrEvent[] {
    return this.bySessionName.all(principalName, fromMs, toMs) as CorrEvent[];
  }

  lastLocatedBefore(principalId: string, beforeMs: number): { timeMs: number; sourceIp: string } | undefined {
    return this.lastLocated.get(principalId, beforeMs) as { timeMs: number; sourceIp: string } | undefined;
  }

  /** Every event with an IP source, in time order, for the familiarity pass. */
  *sourcedEvents(): Generator<[number, string, string | null, string | null, string | null, string | null]> {
    const stmt = this.db
      .prepare('SELECT time_ms, source_ip, principal_name, principal_account, session_issuer, target_resource FROM events_v WHERE source_ip IS NOT NULL ORDER BY time_ms')
      .raw(true);
    yield* stmt.iterate() as IterableIterator<[number, string, string | null, string | null, string | null, string | null]>;
  }
}
