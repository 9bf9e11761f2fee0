/** Analyst-settable correlation settings, stored in the case. Durations in minutes / days. */
export interface CorrelationSettings {
  /** Accounts of the organisation beyond those whose own logs are in the evidence. */
  organisationAccounts: string[];
  /** A chain counts calls this long after its entry. */
  windowMinutes: number;
  /** Familiarity looks back this many days before an entry; null = everything before it. */
  baselineDays: number | null;
  allowlist: {
    accounts: string[];
    roles: string[];
    cidrs: string[];
    asns: number[];
    identityProviders: string[];
  };
  /** Optional MaxMind-format databases to use instead of the bundled ones. */
  geo: { cityMmdb?: string; asnMmdb?: string };
}

export const DEFAULT_CORRELATION_SETTINGS: CorrelationSettings = {
  organisationAccounts: [],
  windowMinutes: 60,
  baselineDays: null,
  allowlist: { accounts: [], roles: [], cidrs: [], asns: [], identityProviders: [] },
  geo: {},
};

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** The three AN1348 conditions, each with whether it holds and why, in plain language. */
export type ConditionId = 'entry' | 'privileged' | 'unfamiliar';

export interface Reason {
  condition: ConditionId | 'travel' | 'suppression' | 'context';
  text: string;
  /** Native event ids the sentence rests on. */
  eventIds: string[];
}

/**
 * Denied entries of one kind in a correlation run (its stats): who tried (`who`, of `account`), what (`target`: the
 * role, resource or scope), how (`action`) and why it failed (`errorCode`), from where (at most 5 addresses), when and
 * how often; `eventIds`: the first and the last.
 */
export interface DeniedEntry {
  provider: string;
  who: string | null;
  account: string | null;
  target: string | null;
  action: string;
  errorCode: string | null;
  sourceIps: string[];
  firstMs: number;
  lastMs: number;
  count: number;
  eventIds: string[];
}

/** Where a source stands against what was seen before the entry. */
export interface Familiarity {
  ip: string;
  country: string | null;
  city: string | null;
  asn: number | null;
  asOrg: string | null;
  lat: number | null;
  lon: number | null;
  /** Levels (principal, role, organisation) at which each attribute was never seen before the entry. */
  unfamiliar: { level: 'principal' | 'role' | 'organisation'; attributes: ('ip' | 'network' | 'asn' | 'country')[] }[];
  allowlisted: boolean;
  /**
   * Set when this chain made privileged calls and the address (or its network, ASN or country: `attribute`, the most
   * specific) had first served an earlier finding as part of an unfamiliar origin: each such attribute is then judged
   * on the evidence before it did (the earlier chain's own sightings do not make it familiar).
   */
  judgedBefore?: { timeMs: number; finding: string; attribute: 'ip' | 'network' | 'asn' | 'country' };
}

/**
 * How an event joined a chain, strongest first: `credential` is the exact credential the entry issued (AWS access
 * key id, Azure token `uti`, GCP `<caller>><service account>`); the rest are weaker and said so in the reasons.
 * `session-name`: AWS assumed-role ARN + session creation time; `session-id`: another Entra sign-in of the same
 * sign-in session (sessionId) and its token's calls; `correlation-id`: an Azure record sharing the sign-in's
 * correlationId; `principal`: the federated principal (GCP workload identity) or the identity plus the token's
 * issue time (Azure without `uti`) within the window.
 */
export type ChainLink = 'entry' | 'credential' | 'session-name' | 'session-id' | 'correlation-id' | 'principal';

/** What kind of gap in the evidence a coverage warning describes. */
export type CoverageKind =
  | 'gcp-no-data-access'
  | 'entra-no-noninteractive'
  | 'entra-no-service-principal'
  | 'azure-no-signins'
  | 'azure-subscription-tenant-unknown'
  | 'cloudtrail-gap'
  | 'thin-export'
  | 'short-coverage';

/**
 * A gap in the evidence that hides AN1348 chains or weakens familiarity, found before the analysis and stored with
 * the run. `scope` names what it applies to: `project:<id>`, `tenant:<id>`, `subscription:<id>`,
 * `account:<id>/<region>`, `account:<id>`, or `case`.
 */
export interface CoverageWarning {
  kind: CoverageKind;
  scope: string;
  message: string;
}

/** An AN1348 finding as the CLI prints it and the app lists it (native ids, so anyone can trace them back). */
export interface Finding {
  id: number;
  severity: Severity;
  score: number;
  provider: string;
  entry: { eventId: string; action: string; principal: string | null; sourceAccount: string | null; targetAccount: string | null; sourceIp: string | null; vendor: string | null; kind: string; timeMs: number };
  assumeEventIds: string[];
  eventIds: string[];
  privilegedEventIds: string[];
  sourceIps: string[];
  conditions: Record<ConditionId, boolean>;
  reasons: Reason[];
  privileged: { eventId: string; action: string; category: string; offsetMs: number }[];
  /**
   * Privileged calls attempted without success: refused or failed (`outcome` failure, with the log's error code), an
   * Azure operation that ended Canceled (`canceled`), or started and never logged as ended (`outcome` unknown: an Azure
   * operation with no Succeeded, Failed or Canceled record). Not privileged calls (condition 2 is about calls that
   * happened); the reasons name them grouped by call and error code, this lists every one. Absent from findings stored
   * by a Crossline before 2026-12 (re-run the correlation): not known, which is not "none".
   */
  attempted?: { eventId: string; action: string; category: string; outcome: 'failure' | 'canceled' | 'unknown'; errorCode: string | null; offsetMs: number }[];
  /**
   * The earlier records of Azure operations logged in stages (Started, Accepted, then Succeeded, Failed or Canceled):
   * each such record's native id → the native id of the operation's final record. They are chain events (on the
   * timeline, in `eventIds`), counted with their operation, never as calls of their own (stageOf). Absent from findings
   * stored before 2026-12.
   */
  operationStages?: Record<string, string>;
  familiarity: Familiarity[];
  /** How the score was made; absent from findings stored by a Crossline before 2026-11 (re-run the correlation). */
  scoreParts?: ScoreParts;
}

/**
 * The parts of a finding's score, each as counted (within its cap) and before its cap. Strong chains all reach the
 * capped maximum (one `StopLogging` fills the privileged part by itself), so what they held before the caps is what
 * still tells them apart (compareFindings).
 */
export interface ScoreParts {
  entry: number;
  privileged: number;
  /** The weights of the privileged calls' categories, summed without the cap. */
  privilegedUncapped: number;
  /** Points for privileged calls attempted without success (once per chain); absent before 2026-12. */
  attempted?: number;
  unfamiliar: number;
  unfamiliarUncapped: number;
  travel: number;
}

/**
 * For a chain event that is an earlier record of an Azure operation (Started, Accepted): the native id of the operation's
 * final record, which stands for the operation (its row on a timeline is the operation's; this one is its start). Null
 * for every other event, and for findings stored before operation stages were kept.
 */
export function stageOf(f: Pick<Finding, 'operationStages'>, nativeId: string): string | null {
  const stages = f.operationStages;
  return stages && Object.hasOwn(stages, nativeId) ? stages[nativeId] ?? null : null;
}

/** What a finding held before the caps: the tie-breaker between findings of the same score. */
export function uncappedStrength(f: Pick<Finding, 'scoreParts'>): number {
  const p = f.scoreParts;
  return p ? p.entry + p.privilegedUncapped + (p.attempted ?? 0) + p.unfamiliarUncapped + p.travel : 0;
}

/** Highest score first; at the same score, more held before the caps (more privileged categories, more unfamiliar), then the earlier entry. */
export function compareFindings(a: Pick<Finding, 'score' | 'scoreParts' | 'entry'>, b: Pick<Finding, 'score' | 'scoreParts' | 'entry'>): number {
  return b.score - a.score || uncappedStrength(b) - uncappedStrength(a) || a.entry.timeMs - b.entry.timeMs;
}

/** The names the app and the report give the clouds; another provider shows as logged. */
const CLOUD_NAMES: Record<string, string> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP' };

/** `AWS`, `Azure`, `GCP`: the cloud a finding or an event comes from, as the analyst names it. */
export function cloudName(provider: string): string {
  return CLOUD_NAMES[provider] ?? provider;
}
