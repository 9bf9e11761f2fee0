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
  familiarity: Familiarity[];
}
