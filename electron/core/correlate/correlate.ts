import type Database from 'better-sqlite3';
import type { CorrelationSettings, Finding } from '../../../shared/domain/correlation';
import { CorrelateRepo, type CorrEvent } from '../../db/repos/correlate-repo';
import { replaceChains, type ChainRow } from '../../db/repos/chains-repo';
import { replaceIpGeo, type IpGeoRow } from '../../db/repos/ip-geo-repo';
import { CREDENTIAL_ISSUING_ACTIONS } from '../import/cloudtrail/normalize-cloudtrail';
import { findEntries, type Entry } from './entries';
import { FamiliarityIndex } from './familiarity-index';
import { collectChain, type Member } from './session-graph';
import { anyUnfamiliar, entryOwners, scoreChain } from './score-chain';
import { roleKey } from './arn';
import type { GeoLookup, PrivilegeCatalog, VendorDirectory } from './ports';

export interface CorrelateDeps {
  catalog: PrivilegeCatalog;
  vendors: VendorDirectory;
  geo: GeoLookup;
  network: (ip: string) => string;
  haversineKm: (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => number;
}

export interface CorrelateProgress {
  phase: 'baseline' | 'entries' | 'chains' | 'writing';
  done: number;
  total: number;
}

export interface CorrelateStats {
  events: number;
  issuingEvents: number;
  entries: number;
  /** Third-party sessions with neither a privileged call nor an unfamiliar origin (not listed as findings). */
  routine: number;
  attempts: number;
  allowlisted: number;
  merged: number;
  chains: number;
  bySeverity: Record<string, number>;
  ms: { baseline: number; chains: number; write: number; total: number };
}

/**
 * Runs the AN1348 correlator over a case and replaces its chains in one transaction. Pure core code: the
 * worker, the CLI and the tests call it with the same dependencies.
 */
export function correlate(db: Database.Database, settings: CorrelationSettings, deps: CorrelateDeps, onProgress?: (p: CorrelateProgress) => void, shouldStop?: () => boolean): CorrelateStats {
  const started = performance.now();
  const repo = new CorrelateRepo(db);
  const issuing = repo.issuingEvents([...CREDENTIAL_ISSUING_ACTIONS]);
  const organisation = new Set([...repo.accountsWithLogs('aws'), ...settings.organisationAccounts]);

  // Baseline: one pass over every sourced event, remembering who used which network when.
  const geoCache = new Map<string, ReturnType<GeoLookup['lookup']>>();
  const geo = (ip: string) => {
    if (!geoCache.has(ip)) geoCache.set(ip, deps.geo.lookup(ip));
    return geoCache.get(ip) ?? null;
  };
  const index = new FamiliarityIndex((ip) => ({ network: deps.network(ip), geo: geo(ip) }));
  const idpOfSession = federationOwners(issuing);
  let caseStartMs = Number.POSITIVE_INFINITY;
  const sightings = repo.sightings();
  onProgress?.({ phase: 'baseline', done: 0, total: sightings.length });
  for (const g of sightings) {
    caseStartMs = Math.min(caseStartMs, g.firstMs);
    const principal: string[] = [];
    if (g.account) principal.push(`acct:${g.account}`);
    const idp = g.principalName ? idpOfSession.get(g.principalName) : undefined;
    if (idp) principal.push(`idp:${idp}`);
    const r = roleKey(g.sessionIssuer) ?? roleKey(g.targetResource);
    index.addSightings(g.firstMs, g.days, g.ip, { principal, role: r ? [r] : [] });
  }
  const events = repo.countEvents();
  for (const e of issuing) {
    // The federation itself is the provider's activity: its source counts toward the provider's familiarity.
    if (e.identityProvider && e.sourceIp) index.add(e.timeMs, e.sourceIp, { principal: [`idp:${e.identityProvider}`], role: [] });
  }
  const baselineMs = performance.now() - started;

  if (issuing.length > 0) caseStartMs = Math.min(caseStartMs, issuing[0]!.timeMs);
  const scan = findEntries(issuing, organisation, settings, deps.vendors, caseStartMs);
  const viewsByShared = new Map<string, CorrEvent[]>();
  for (const e of issuing) if (e.sharedEventId) viewsByShared.set(e.sharedEventId, [...(viewsByShared.get(e.sharedEventId) ?? []), e]);

  const rows: ChainRow[] = [];
  let routine = 0;
  const windowMs = settings.windowMinutes * 60_000;
  const scoreContext = {
    settings, index, geo, network: deps.network, haversineKm: deps.haversineKm, caseStartMs,
    previousLocated: (pid: string, before: number) => repo.lastLocatedBefore(pid, before),
  };
  scan.entries.forEach((entry, i) => {
    if (shouldStop?.()) throw new Error('correlation cancelled');
    if (isRoutine(entry, windowMs, repo, deps.catalog, scoreContext)) {
      routine++;
      return;
    }
    const members = collectChain(entry, windowMs, repo, deps.catalog, viewsByShared);
    const scored = scoreChain(entry, members, scoreContext);
    // A third-party session with no privileged call from a familiar origin is routine (a vendor's polling):
    // counted, not listed, so the findings stay a short list an investigator can work through.
    if (scored.conditions.privileged || scored.conditions.unfamiliar) rows.push(toRow(entry, members, scored));
    else routine++;
    if ((i & 0x3f) === 0) onProgress?.({ phase: 'chains', done: i, total: scan.entries.length });
  });
  const chainsMs = performance.now() - started - baselineMs;

  onProgress?.({ phase: 'writing', done: 0, total: rows.length });
  rows.sort((a, b) => b.finding.score - a.finding.score || a.finding.entry.timeMs - b.finding.entry.timeMs);
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of rows) bySeverity[r.finding.severity]!++;
  const stats: CorrelateStats = {
    events, issuingEvents: issuing.length, entries: scan.entries.length, routine, attempts: scan.attempts.length, allowlisted: scan.allowlisted, merged: scan.merged,
    chains: rows.length, bySeverity, ms: { baseline: Math.round(baselineMs), chains: Math.round(chainsMs), write: 0, total: 0 },
  };
  const writeStart = performance.now();
  // Every source IP was looked up for the baseline: the answers are kept for the explorer's country and ASN
  // filters, in the same transaction as the chains (the repos' own transactions nest as savepoints).
  db.transaction(() => {
    replaceChains(db, { settings, catalogVersion: deps.catalog.version, geoSources: deps.geo.sources, stats, startedAt: Date.now() }, rows);
    replaceIpGeo(db, ipGeoRows(geoCache));
  })();
  stats.ms.write = Math.round(performance.now() - writeStart);
  stats.ms.total = Math.round(performance.now() - started);
  return stats;
}

/**
 * A vendor polling every few minutes makes hundreds of calls per session; reading them all to conclude
 * "routine" was most of the correlator's time. One grouped query answers it: no privileged call, no role hop,
 * no unfamiliar source. Sessions without an access key id always take the full path.
 */
function isRoutine(entry: Entry, windowMs: number, repo: CorrelateRepo, catalog: PrivilegeCatalog, ctx: Parameters<typeof anyUnfamiliar>[2]): boolean {
  if (!entry.issuedCredential) return false;
  const summary = repo.sessionSummary(entry.issuedCredential, entry.timeMs, entry.timeMs + windowMs);
  for (const s of summary) {
    if (s.outcome !== 'success') continue;
    if (CREDENTIAL_ISSUING_ACTIONS.has(s.action) || catalog.classify(s.service, s.action)) return false;
  }
  const ips = [...entry.views.map((v) => v.sourceIp), ...summary.map((s) => s.sourceIp)].filter((ip): ip is string => ip !== null);
  return !anyUnfamiliar(entry, ips, ctx);
}

function* ipGeoRows(cache: Map<string, ReturnType<GeoLookup['lookup']>>): Generator<IpGeoRow> {
  for (const [ip, g] of cache) {
    yield { ip, country: g?.country ?? null, city: g?.city ?? null, lat: g?.lat ?? null, lon: g?.lon ?? null, asn: g?.asn ?? null, asOrg: g?.asOrg ?? null };
  }
}

/** Federated sessions belong to their identity provider at the principal level (session ARN → provider). */
function federationOwners(issuing: CorrEvent[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const e of issuing) if (e.identityProvider && e.issuedPrincipal) owners.set(e.issuedPrincipal, e.identityProvider);
  return owners;
}

function toRow(entry: Entry, members: Member[], scored: ReturnType<typeof scoreChain>): ChainRow {
  const owners = entryOwners(entry);
  const assume = members.filter((m) => m.role === 'entry' || m.role === 'assume');
  const privileged = members.filter((m) => m.role === 'privileged');
  const finding: Omit<Finding, 'id'> = {
    severity: scored.severity,
    score: scored.score,
    provider: 'aws',
    entry: {
      eventId: entry.primary.nativeId, action: entry.primary.action,
      principal: entry.kind === 'third-party-idp' ? entry.identityProvider : entry.primary.principalName ?? entry.callerAccount,
      sourceAccount: entry.callerAccount, targetAccount: entry.roleAccount, sourceIp: entry.sourceIp, vendor: entry.vendor, kind: entry.kind, timeMs: entry.timeMs,
    },
    assumeEventIds: assume.map((m) => m.event.nativeId),
    eventIds: members.map((m) => m.event.nativeId),
    privilegedEventIds: privileged.map((m) => m.event.nativeId),
    sourceIps: [...new Set(members.map((m) => m.event.sourceIp).filter((x): x is string => x !== null))],
    conditions: scored.conditions,
    reasons: scored.reasons,
    privileged: privileged.map((m) => ({ eventId: m.event.nativeId, action: m.event.action, category: m.privilege!.category, offsetMs: m.offsetMs })),
    familiarity: scored.familiarity,
  };
  return {
    finding,
    entryEventId: entry.primary.id,
    principalOwner: owners.principal,
    endedMs: members.reduce((max, m) => Math.max(max, m.event.timeMs), entry.timeMs),
    members: members.map((m) => ({ eventId: m.event.id, role: m.role, depth: m.depth, link: m.link, category: m.privilege?.category ?? null, offsetMs: m.offsetMs })),
  };
}
