import type Database from 'better-sqlite3';
import { compareFindings, type CorrelationSettings, type CoverageWarning, type DeniedEntry, type Finding } from '../../../shared/domain/correlation';
import type { Provider } from '../../../shared/domain/event';
import { CorrelateRepo, type CorrEvent } from '../../db/repos/correlate-repo';
import type { Sighting } from '../../db/repos/rollups-repo';
import { replaceChains, type ChainRow } from '../../db/repos/chains-repo';
import { replaceIpGeo, type IpGeoRow } from '../../db/repos/ip-geo-repo';
import { CREDENTIAL_ISSUING_ACTIONS } from '../import/cloudtrail/normalize-cloudtrail';
import { RawRecords } from '../import/raw-records';
import { findEntries, type Entry, type EntryScan } from './entries';
import { FamiliarityIndex, type SightingOwners } from './familiarity-index';
import { collectChain, countedMembers, type Member } from './session-graph';
import { anyUnfamiliar, entryOwners, originValues, scoreChain } from './score-chain';
import { roleKey } from './arn';
import { findAzureEntries, gatherAzureEvidence } from './azure-entries';
import { azureSessionContext, collectAzureChain } from './azure-sessions';
import { findGcpEntries, gatherGcpEvidence, gcpHomeOf, poolOf } from './gcp-entries';
import { collectGcpChain } from './gcp-sessions';
import { assessCoverage } from './coverage';
import { caseRollups } from './case-rollups';
import { linkSharedSources } from './shared-sources';
import { FirstServed } from './first-served';
import { baselineStarts } from './baseline-start';
import { afterWindowReason } from './after-window';
import { deniedEntries } from './denied-entries';
import type { GeoLookup, PrivilegeCatalog, VendorDirectory } from './ports';

export interface CorrelateDeps {
  /** AWS's privileged-call catalog. */
  catalog: PrivilegeCatalog;
  /** The Azure and GCP catalogs; a provider without one has no privileged calls. */
  catalogs?: Partial<Record<Exclude<Provider, 'aws'>, PrivilegeCatalog>>;
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
  /** Denied entries (role assumptions, sign-ins, impersonations): attempts to come in, never sessions. */
  attempts: number;
  /** Those denied entries grouped by who tried what (at most 50 groups; denied-entries.ts). */
  deniedEntries?: DeniedEntry[];
  /** Privileged calls attempted without success (refused, failed, never completed) inside the listed findings. */
  attemptedPrivileged: number;
  allowlisted: number;
  merged: number;
  chains: number;
  bySeverity: Record<string, number>;
  /** Entries and chains per provider (only the providers present in the case). */
  byProvider?: Partial<Record<Provider, { entries: number; chains: number; routine: number; attempts: number }>>;
  /** The catalog version used per provider. */
  catalogs?: Partial<Record<Provider, string>>;
  /** Coverage warnings computed before the analysis (also stored in their own column of the run). */
  coverage?: number;
  ms: { baseline: number; chains: number; write: number; total: number };
}

const NO_CATALOG: PrivilegeCatalog = { version: 'none', classify: () => null };

/** One provider's entries and how to follow their sessions. */
interface ProviderScan {
  provider: Provider;
  scan: EntryScan;
  collect: (entry: Entry) => Member[];
  issuing: number;
}

/**
 * Runs the AN1348 correlator over a case and replaces its chains in one transaction. Pure core code: the
 * worker, the CLI and the tests call it with the same dependencies. Each provider finds its own entries and follows
 * its own sessions; familiarity (one organisation across the three clouds) and scoring are shared.
 */
export async function correlate(
  db: Database.Database,
  settings: CorrelationSettings,
  deps: CorrelateDeps,
  onProgress?: (p: CorrelateProgress) => void,
  shouldStop?: () => boolean,
): Promise<CorrelateStats> {
  const started = performance.now();
  const repo = new CorrelateRepo(db);
  const providers = repo.providers();
  const rollups = caseRollups(db, providers);
  const issuing = repo.issuingEvents([...CREDENTIAL_ISSUING_ACTIONS], 'aws');
  const organisation = new Set([...repo.accountsWithLogs('aws'), ...settings.organisationAccounts]);
  const azure = providers.has('azure') ? gatherAzureEvidence(repo, settings) : null;
  const gcp = providers.has('gcp') ? gatherGcpEvidence(repo, settings) : null;

  const geoCache = new Map<string, ReturnType<GeoLookup['lookup']>>();
  const geo = (ip: string) => {
    if (!geoCache.has(ip)) geoCache.set(ip, deps.geo.lookup(ip));
    return geoCache.get(ip) ?? null;
  };
  const windowMs = settings.windowMinutes * 60_000;
  const coverage: CoverageWarning[] = assessCoverage(db, settings, rollups.coverageHours, azure?.tokenRows);

  // Baseline: one pass over every sourced event, remembering who used which network when.
  const index = new FamiliarityIndex((ip) => ({ network: deps.network(ip), geo: geo(ip) }));
  const idpOfSession = federationOwners(issuing);
  let caseStartMs = Number.POSITIVE_INFINITY;
  const sightings = rollups.sightings;
  onProgress?.({ phase: 'baseline', done: 0, total: sightings.length });
  for (const g of sightings) {
    caseStartMs = Math.min(caseStartMs, g.firstMs);
    index.addSightings(g.firstMs, g.days, g.ip, g.provider === 'aws' ? awsOwners(g, idpOfSession) : g.provider === 'azure' ? azureOwners(g) : gcpOwners(g));
  }
  const events = repo.countEvents();
  for (const e of issuing) {
    // The federation itself is the provider's activity: its source counts toward the provider's familiarity.
    if (e.identityProvider && e.sourceIp) index.add(e.timeMs, e.sourceIp, { principal: [`idp:${e.identityProvider}`], role: [] });
  }
  const baselineMs = performance.now() - started;

  // The earliest evidence bounds every baseline (events without a source address count too where they open a case).
  if (issuing.length > 0) caseStartMs = Math.min(caseStartMs, issuing[0]!.timeMs);
  if (azure?.signIns.length) caseStartMs = Math.min(caseStartMs, azure.signIns[0]!.timeMs);
  if (gcp?.issuing.length) caseStartMs = Math.min(caseStartMs, gcp.issuing[0]!.timeMs);
  const baselineStart = baselineStarts(rollups.coverageHours, caseStartMs);

  const catalogOf = (p: Provider) => (p === 'aws' ? deps.catalog : deps.catalogs?.[p] ?? NO_CATALOG);
  const viewsByShared = new Map<string, CorrEvent[]>();
  for (const e of issuing) if (e.sharedEventId) viewsByShared.set(e.sharedEventId, [...(viewsByShared.get(e.sharedEventId) ?? []), e]);
  const scans: ProviderScan[] = [{
    provider: 'aws',
    scan: findEntries(issuing, organisation, settings, deps.vendors, baselineStart),
    collect: (entry) => collectChain(entry, windowMs, repo, deps.catalog, viewsByShared),
    issuing: issuing.length,
  }];
  if (azure) {
    const scan = findAzureEntries(azure, settings, windowMs);
    // The raw records are read only to tell a final Canceled record from a Started one (both stored as outcome unknown).
    const raw = new RawRecords(db);
    const ctx = azureSessionContext(repo, azure.signIns, scan.entries, (id) => raw.text(id));
    scans.push({ provider: 'azure', scan, collect: (entry) => collectAzureChain(entry, windowMs, repo, catalogOf('azure'), ctx), issuing: azure.signIns.length });
  }
  if (gcp) {
    const scan = findGcpEntries(gcp, settings, baselineStart, windowMs, (ids) => repo.eventsById(ids));
    scans.push({ provider: 'gcp', scan, collect: (entry) => collectGcpChain(entry, windowMs, repo, catalogOf('gcp')), issuing: gcp.issuing.length });
  }

  const rows: ChainRow[] = [];
  let routine = 0;
  const firstServed = new FirstServed();
  const scoreContext = {
    settings, index, geo, network: deps.network, haversineKm: deps.haversineKm, caseStartMs, baselineStart, firstServed,
    previousLocated: (pid: string, before: number) => repo.lastLocatedBefore(pid, before),
  };
  const counts = new Map(scans.map((s) => [s.provider, { entries: s.scan.entries.length, chains: 0, routine: 0, attempts: s.scan.attempts.length }]));
  // Every provider's entries in time order: a chain is scored knowing the earlier chains' unfamiliar sources
  // (FirstServed), whichever cloud they came into. (Sorting is stable: entries of one time keep their scan's order.)
  const queue = scans.flatMap((s) => s.scan.entries.map((entry) => ({ scan: s, entry })));
  queue.sort((a, b) => a.entry.timeMs - b.entry.timeMs);
  let done = 0;
  for (const { scan: { provider, collect }, entry } of queue) {
    if (shouldStop?.()) throw new Error('correlation cancelled');
    if ((done++ & 0x3f) === 0) onProgress?.({ phase: 'chains', done, total: queue.length });
    const count = counts.get(provider)!;
    if (provider === 'aws' && isRoutine(entry, windowMs, repo, deps.catalog, scoreContext)) {
      count.routine++;
      continue;
    }
    const members = collect(entry);
    const scored = scoreChain(entry, members, scoreContext);
    // A third-party session with no privileged call from a familiar origin is routine (a vendor's polling):
    // counted, not listed, so the findings stay a short list an investigator can work through.
    if (scored.conditions.privileged || scored.conditions.unfamiliar) {
      const later = afterWindowReason(entry, windowMs, repo, catalogOf(provider));
      if (later) {
        const at = scored.reasons.findIndex((r) => r.condition === 'suppression');
        scored.reasons.splice(at < 0 ? scored.reasons.length : at, 0, later);
      }
      const row = toRow(entry, members, scored);
      rows.push(row);
      count.chains++;
      const principal = row.finding.entry.principal ?? row.finding.entry.sourceAccount ?? 'an unknown principal';
      firstServed.record(scored.unfamiliarSources, members.map((m) => m.event), { principal, provider, entryMs: entry.timeMs, strong: scored.severity === 'critical' || scored.severity === 'high' }, (ip) => originValues(ip, scoreContext));
    } else count.routine++;
  }
  const byProvider: NonNullable<CorrelateStats['byProvider']> = {};
  for (const [provider, count] of counts) {
    routine += count.routine;
    if (provider !== 'aws' || providers.has('aws') || count.entries > 0) byProvider[provider] = count;
  }
  const chainsMs = performance.now() - started - baselineMs;

  onProgress?.({ phase: 'writing', done: 0, total: rows.length });
  linkSharedSources(rows.map((r) => r.finding));
  rows.sort((a, b) => compareFindings(a.finding, b.finding));
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of rows) bySeverity[r.finding.severity]!++;
  const sum = (f: (s: EntryScan) => number) => scans.reduce((n, s) => n + f(s.scan), 0);
  const stats: CorrelateStats = {
    events, issuingEvents: scans.reduce((n, s) => n + s.issuing, 0), entries: sum((s) => s.entries.length), routine, attempts: sum((s) => s.attempts.length),
    deniedEntries: deniedEntries(scans.flatMap((s) => s.scan.attempts)),
    attemptedPrivileged: rows.reduce((n, r) => n + (r.finding.attempted?.length ?? 0), 0),
    allowlisted: sum((s) => s.allowlisted), merged: sum((s) => s.merged),
    chains: rows.length, bySeverity, byProvider,
    // The catalogs of the clouds in the case: an Azure and GCP case used no AWS catalog, and its method said it did.
    catalogs: Object.fromEntries(scans.filter((s) => providers.has(s.provider)).map((s) => [s.provider, catalogOf(s.provider).version])),
    coverage: coverage.length,
    ms: { baseline: Math.round(baselineMs), chains: Math.round(chainsMs), write: 0, total: 0 },
  };
  const writeStart = performance.now();
  // Every source IP was looked up for the baseline: the answers are kept for the explorer's country and ASN
  // filters, in the same transaction as the chains (the repos' own transactions nest as savepoints).
  db.transaction(() => {
    replaceChains(db, { settings, catalogVersion: deps.catalog.version, geoSources: deps.geo.sources, stats, startedAt: Date.now(), coverage }, rows);
    replaceIpGeo(db, ipGeoRows(geoCache));
  })();
  stats.ms.write = Math.round(performance.now() - writeStart);
  stats.ms.total = Math.round(performance.now() - started);
  return stats;
}

/** AWS familiarity owners: the caller account, the federation's provider, the role (as before Azure and GCP joined). */
function awsOwners(g: Sighting, idpOfSession: Map<string, string>): SightingOwners {
  const principal: string[] = [];
  if (g.account) principal.push(`acct:${g.account}`);
  const idp = g.principalName ? idpOfSession.get(g.principalName) : undefined;
  if (idp) principal.push(`idp:${idp}`);
  const r = roleKey(g.sessionIssuer) ?? roleKey(g.targetResource);
  return { principal, role: r ? [r] : [] };
}

/** Azure: the token's (or the sign-in's home) tenant, and the identity (object id). */
function azureOwners(g: Sighting): SightingOwners {
  return { principal: g.account ? [`tenant:${g.account}`] : [], role: g.principalId ? [`identity:${g.principalId}`] : [] };
}

/**
 * GCP: the caller's home (project of a service account, domain of a user, pool of a federated identity), the original
 * caller's home for impersonated calls and the pool of a token exchange; the service account acting or impersonated.
 */
function gcpOwners(g: Sighting): SightingOwners {
  const principal = new Set<string>();
  const role = new Set<string>();
  const caller = g.principalId ?? g.principalName;
  for (const home of [gcpHomeOf(caller), gcpHomeOf(g.delegator)]) if (home) principal.add(home);
  if (g.identityProvider) principal.add(`idp:${poolOf(g.identityProvider)}`);
  if (caller && /gserviceaccount\.com$/i.test(caller)) role.add(`sa:${caller}`);
  if (g.targetResource && /^[^/\s]+@[^/\s]+$/.test(g.targetResource)) role.add(`sa:${g.targetResource}`);
  return { principal: [...principal], role: [...role] };
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

/** Who came in, as the finding names them. */
function entryPrincipal(entry: Entry): string | null {
  if (entry.kind === 'third-party-idp' || entry.kind === 'workload-identity-federation') return entry.identityProvider;
  if (entry.provider !== 'aws') return entry.principal ?? entry.primary.principalName ?? entry.callerAccount;
  return entry.primary.principalName ?? entry.callerAccount;
}

function toRow(entry: Entry, members: Member[], scored: ReturnType<typeof scoreChain>): ChainRow {
  const owners = entryOwners(entry);
  const assume = members.filter((m) => m.role === 'entry' || m.role === 'assume' || (m.link === 'entry' && entry.entryIsCall));
  // Operations, not records: an Azure operation's Started / Accepted records are chain events but not calls of their own.
  const counted = countedMembers(members);
  const privileged = counted.filter((m) => m.role === 'privileged');
  const attempted = counted.filter((m) => m.role !== 'privileged' && m.attempted);
  const stages = members.filter((m) => m.startOf);
  const finding: Omit<Finding, 'id'> = {
    severity: scored.severity,
    score: scored.score,
    provider: entry.provider,
    entry: {
      eventId: entry.primary.nativeId, action: entry.primary.action,
      principal: entryPrincipal(entry),
      sourceAccount: entry.callerAccount, targetAccount: entry.roleAccount, sourceIp: entry.sourceIp, vendor: entry.vendor, kind: entry.kind, timeMs: entry.timeMs,
    },
    assumeEventIds: assume.map((m) => m.event.nativeId),
    eventIds: members.map((m) => m.event.nativeId),
    privilegedEventIds: privileged.map((m) => m.event.nativeId),
    sourceIps: [...new Set(members.map((m) => m.event.sourceIp).filter((x): x is string => x !== null))],
    conditions: scored.conditions,
    reasons: scored.reasons,
    privileged: privileged.map((m) => ({ eventId: m.event.nativeId, action: m.event.action, category: m.privilege!.category, offsetMs: m.offsetMs })),
    attempted: attempted.map((m) => ({
      eventId: m.event.nativeId, action: m.event.action, category: m.attempted!.category,
      outcome: m.event.outcome === 'failure' ? 'failure' : m.canceled ? 'canceled' : 'unknown', errorCode: m.event.errorCode, offsetMs: m.offsetMs,
    })),
    operationStages: Object.fromEntries(stages.map((m) => [m.event.nativeId, m.startOf!.nativeId])),
    familiarity: scored.familiarity,
    scoreParts: scored.parts,
  };
  return {
    finding,
    entryEventId: entry.primary.id,
    principalOwner: owners.principal,
    endedMs: members.reduce((max, m) => Math.max(max, m.event.timeMs), entry.timeMs),
    // An attempted privileged call keeps role `call` but carries its catalog category, so a timeline shows what was tried.
    members: members.map((m) => ({ eventId: m.event.id, role: m.role, depth: m.depth, link: m.link, category: m.privilege?.category ?? m.attempted?.category ?? null, offsetMs: m.offsetMs })),
  };
}
