// AN1348 entries into GCP projects. The columns used (see normalize-gcp-audit.ts): GenerateAccessToken / GenerateIdToken
// / SignJwt / SignBlob carry the caller in principalId, the impersonated service account in issuedPrincipal and
// targetResource, and issue `<caller>><service account>` as issuedCredentialId, which every call made with the minted
// token carries as credentialId (serviceAccountDelegationInfo); STS ExchangeToken carries the pool provider in
// identityProvider and the federated principal (metadata.mapped_principal) in issuedPrincipal.
import type { BaselineStart } from './baseline-start';
import type { CorrelationSettings } from '../../../shared/domain/correlation';
import type { CorrEvent, CorrelateRepo } from '../../db/repos/correlate-repo';
import { GCP_IMPERSONATION_METHODS, GCP_TOKEN_EXCHANGE_METHODS, projectOfServiceAccount } from '../import/gcp/normalize-gcp-audit';
import { ESTABLISHED_IDP, type Entry, type EntryKind, type EntryScan } from './entries';
import { isBaselineShort } from './score-chain';

const DAY = 86_400_000;
/** A user domain active on this many separate days before an entry is the organisation's own (Cloud Identity / Workspace). */
const ESTABLISHED_DOMAIN_DAYS = 3;
/** Impersonated tokens live up to 12 hours: delegated calls this soon after a minting call of the same caller are that token's. */
const MAX_TOKEN_LIFETIME_MS = 12 * 3_600_000;

export interface GcpEvidence {
  /** Impersonation and token-exchange events, every outcome, in time order. */
  issuing: CorrEvent[];
  /** Calls made through impersonation: per `<caller>><service account>` credential, its calls' times and row ids. */
  delegated: Map<string, { timeMs: number; id: number }[]>;
  /** Projects (and organizations/…, folders/…) whose own logs are in the case, plus the analyst's organisation accounts. */
  organisation: Set<string>;
  /** The analyst's organisation accounts that are domains (`acme.example`). */
  organisationDomains: Set<string>;
  /** Per user domain, the distinct UTC days its users acted in the case (ascending). */
  domainDays: Map<string, number[]>;
}

const SERVICE_ACCOUNT = /^[^@\s]+@[a-z0-9.-]*gserviceaccount\.com$/i;
const SERVICE_AGENT = /^(service-\d+|\d+)@|@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$|@(system|cloudservices|cloudbuild|[a-z-]+-system|container-engine-robot)\.(iam\.)?gserviceaccount\.com$/i;
const DOMAIN = /^(?=.*\.)[a-z0-9.-]+\.[a-z]{2,}$/i;
/** Google's own production identities (`…@prod.google.com`) act for Google-managed service agents: the platform, like AWS services. */
const GOOGLE_INTERNAL = /@([a-z0-9-]+\.)*google\.com$/i;

/** Impersonation that is Google operating its own service agents, never an entry. */
function isPlatform(caller: string, serviceAccount: string): boolean {
  return SERVICE_AGENT.test(serviceAccount) || SERVICE_AGENT.test(caller) || GOOGLE_INTERNAL.test(caller) || /^system@google\.com$/i.test(caller);
}

/** `…/workloadIdentityPools/p/providers/x` → `…/workloadIdentityPools/p`; a pool stays; a `principal://` subject → its pool. */
export function poolOf(value: string | null): string | null {
  if (!value) return null;
  const subject = /^principal(?:Set)?:\/\/iam\.googleapis\.com\/(.+?\/(?:workloadIdentityPools|workforcePools)\/[^/]+)\//.exec(value);
  if (subject) return subject[1]!;
  const m = /^(.*?\/(?:workloadIdentityPools|workforcePools)\/[^/]+)(?:\/providers\/[^/]+)?$/.exec(value);
  return m ? m[1]! : value;
}

/**
 * The familiarity owner of a GCP caller: `project:<id>` for a user-managed service account, `domain:<d>` for a user,
 * `idp:<pool>` for a federated principal; null for Google-managed service agents and anything unrecognised.
 */
export function gcpHomeOf(principal: string | null): string | null {
  if (!principal) return null;
  if (/^principal(Set)?:\/\//i.test(principal)) return `idp:${poolOf(principal)}`;
  if (SERVICE_ACCOUNT.test(principal)) {
    if (SERVICE_AGENT.test(principal)) return null;
    const project = projectOfServiceAccount(principal);
    return project ? `project:${project}` : null;
  }
  const at = principal.lastIndexOf('@');
  return at > 0 ? `domain:${principal.slice(at + 1).toLowerCase()}` : null;
}

/** Uses of a pool or pool provider over time: established at T after 3 uses on 3 separate days before T (the AWS identity-provider rule). */
class UseHistory {
  private readonly uses = new Map<string, number[]>();

  add(key: string, timeMs: number): void {
    const list = this.uses.get(key) ?? [];
    list.push(timeMs);
    this.uses.set(key, list);
  }

  establishedAt(key: string, timeMs: number): boolean {
    const before = (this.uses.get(key) ?? []).filter((t) => t < timeMs);
    return before.length >= ESTABLISHED_IDP.uses && new Set(before.map((t) => Math.floor(t / DAY))).size >= ESTABLISHED_IDP.days;
  }
}

export function gatherGcpEvidence(repo: CorrelateRepo, settings: CorrelationSettings): GcpEvidence {
  const issuing = repo.gcpIssuingEvents().filter((e) => GCP_IMPERSONATION_METHODS.test(e.action) || GCP_TOKEN_EXCHANGE_METHODS.test(e.action));
  const delegated = new Map<string, { timeMs: number; id: number }[]>();
  for (const r of repo.gcpDelegatedCalls()) {
    let list = delegated.get(r.credential);
    if (!list) delegated.set(r.credential, (list = []));
    list.push({ timeMs: r.timeMs, id: r.id });
  }
  const domainDays = new Map<string, Set<number>>();
  for (const u of repo.gcpUserDays()) {
    const home = gcpHomeOf(u.principal);
    if (!home?.startsWith('domain:')) continue;
    const d = home.slice('domain:'.length);
    const days = domainDays.get(d) ?? new Set<number>();
    for (const day of u.days) days.add(day);
    domainDays.set(d, days);
  }
  const accounts = settings.organisationAccounts.map((a) => a.trim());
  return {
    issuing,
    delegated,
    organisation: new Set([...repo.accountsWithLogs('gcp'), ...accounts]),
    organisationDomains: new Set(accounts.filter((a) => DOMAIN.test(a) && !/^\d+$/.test(a)).map((a) => a.toLowerCase())),
    domainDays: new Map([...domainDays].map(([d, days]) => [d, [...days].sort((a, b) => a - b)])),
  };
}

/**
 * Finds AN1348 entries into GCP: service account impersonation (GenerateAccessToken, GenerateIdToken, SignJwt,
 * SignBlob) by a principal from outside the organisation (a service account of a project whose logs are not in the
 * case and that is not the impersonated account's own, a user of a domain the organisation does not use routinely,
 * a federated identity of a pool not used routinely); the same seen only in the calls' delegation chain when the
 * minting call (a Data Access log) is missing; and workload identity federation (STS ExchangeToken) through a pool
 * provider not used on 3 separate days before (the AWS rule for identity providers). Google-managed service agents
 * never count; refused impersonations are attempts.
 */
export function findGcpEntries(ev: GcpEvidence, settings: CorrelationSettings, baselineStart: BaselineStart, windowMs: number, fetch: (ids: number[]) => CorrEvent[]): EntryScan {
  const scan: EntryScan = { entries: [], attempts: [], allowlisted: 0, merged: 0 };
  const providers = new UseHistory();
  const pools = new UseHistory();
  const allowAccounts = new Set(settings.allowlist.accounts.map((a) => a.trim().toLowerCase()));
  const allowRoles = new Set(settings.allowlist.roles.map((a) => a.trim().toLowerCase()));
  const allowIdps = new Set(settings.allowlist.identityProviders);
  const federations: Entry[] = [];
  const domainDays = new Map(ev.domainDays);
  const minted = new Map<string, number[]>();

  /** Whether a caller is outside the organisation at `timeMs` (null: never an entry). */
  const foreign = (home: string | null, targetProject: string | null, timeMs: number): boolean => {
    if (home === null) return false;
    const [kind, id] = [home.slice(0, home.indexOf(':')), home.slice(home.indexOf(':') + 1)];
    if (kind === 'project') return !ev.organisation.has(id) && id !== targetProject;
    if (isBaselineShort(timeMs, baselineStart('gcp', targetProject))) return false; // every domain and pool is new in the first days
    if (kind === 'domain') {
      if (ev.organisationDomains.has(id)) return false;
      const days = domainDays.get(id) ?? [];
      const before = days.filter((d) => d < Math.floor(timeMs / DAY)).length;
      return before < ESTABLISHED_DOMAIN_DAYS;
    }
    if (kind === 'idp') return !pools.establishedAt(id, timeMs);
    return false;
  };
  const allowlisted = (home: string | null, serviceAccount: string | null, idp: string | null): boolean => {
    const id = home ? home.slice(home.indexOf(':') + 1).toLowerCase() : null;
    if (id && allowAccounts.has(id)) return true;
    if (idp && (allowIdps.has(idp) || allowIdps.has(poolOf(idp) ?? ''))) return true;
    return serviceAccount !== null && allowRoles.has(serviceAccount.toLowerCase());
  };
  const impersonationEntry = (kind: EntryKind, primary: CorrEvent, caller: string, home: string, serviceAccount: string, credential: string | null): Entry => ({
    provider: 'gcp',
    kind,
    primary,
    views: [primary],
    timeMs: primary.timeMs,
    callerAccount: home.slice(home.indexOf(':') + 1),
    callerPrincipalId: caller,
    identityProvider: home.startsWith('idp:') ? home.slice(4) : null,
    roleArn: serviceAccount,
    roleAccount: projectOfServiceAccount(serviceAccount) ?? primary.targetAccount,
    issuedCredential: credential,
    issuedPrincipal: serviceAccount,
    vendor: null,
    sourceIp: primary.sourceIp,
    owners: { principal: home, role: `sa:${serviceAccount}` },
    principal: caller,
    entryIsCall: kind === 'delegated-calls',
  });

  for (const e of ev.issuing) {
    if (GCP_TOKEN_EXCHANGE_METHODS.test(e.action)) {
      const idp = e.identityProvider;
      if (e.outcome === 'failure' || !idp) continue;
      const pool = poolOf(idp)!;
      const established = providers.establishedAt(idp, e.timeMs);
      providers.add(idp, e.timeMs);
      pools.add(pool, e.timeMs);
      if (established || isBaselineShort(e.timeMs, baselineStart('gcp', e.targetAccount))) continue;
      if (allowlisted(null, null, idp)) {
        scan.allowlisted++;
        continue;
      }
      const entry: Entry = {
        provider: 'gcp',
        kind: 'workload-identity-federation',
        primary: e,
        views: [e],
        timeMs: e.timeMs,
        callerAccount: null,
        callerPrincipalId: e.principalId,
        identityProvider: idp,
        roleArn: null,
        roleAccount: e.targetAccount,
        issuedCredential: null,
        issuedPrincipal: e.issuedPrincipal,
        vendor: null,
        sourceIp: e.sourceIp,
        owners: { principal: `idp:${pool}`, role: null },
        principal: e.principalId,
      };
      federations.push(entry);
      scan.entries.push(entry);
      continue;
    }
    const caller = e.principalId;
    const serviceAccount = e.issuedPrincipal ?? e.targetResource;
    if (!caller || !serviceAccount || e.principalType === 'ServiceAgent' || e.principalType === 'GoogleSystem' || isPlatform(caller, serviceAccount)) continue;
    if (e.issuedCredentialId) minted.set(e.issuedCredentialId, [...(minted.get(e.issuedCredentialId) ?? []), e.timeMs]);
    const home = gcpHomeOf(caller);
    const isForeign = foreign(home, projectOfServiceAccount(serviceAccount) ?? e.targetAccount, e.timeMs);
    if (home?.startsWith('idp:')) pools.add(home.slice(4), e.timeMs);
    if (!isForeign || home === null) continue;
    // A federated principal's impersonation right after its (third-party) federation is a hop of that chain.
    if (home.startsWith('idp:') && federations.some((f) => f.issuedPrincipal === caller && e.timeMs - f.timeMs <= windowMs && e.timeMs >= f.timeMs)) continue;
    if (allowlisted(home, serviceAccount, null)) {
      scan.allowlisted++;
      continue;
    }
    if (e.outcome === 'failure' || !e.issuedCredentialId) {
      scan.attempts.push(e);
      continue;
    }
    scan.entries.push(impersonationEntry('service-account-impersonation', e, caller, home, serviceAccount, e.issuedCredentialId));
  }

  // Impersonation seen only in the calls (the minting call is a Data Access log, often not enabled): the first call of
  // each burst of a foreign caller's delegated credential, unless a minting call of the same credential precedes it.
  // The bursts count as uses of a federated caller's pool and as activity days of a user's domain first, so that a
  // routine caller is routine even when no minting call is in the evidence.
  const bursts: { credential: string; caller: string; home: string | null; serviceAccount: string; timeMs: number; id: number }[] = [];
  for (const [credential, calls] of ev.delegated) {
    const gt = credential.indexOf('>');
    const caller = credential.slice(0, gt);
    const home = gcpHomeOf(caller);
    let burstStart = Number.NEGATIVE_INFINITY;
    for (const c of calls) {
      if (c.timeMs <= burstStart + windowMs) continue;
      burstStart = c.timeMs;
      bursts.push({ credential, caller, home, serviceAccount: credential.slice(gt + 1), timeMs: c.timeMs, id: c.id });
    }
  }
  bursts.sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
  for (const b of bursts) {
    if (b.home?.startsWith('idp:')) pools.add(b.home.slice(4), b.timeMs);
    if (b.home?.startsWith('domain:')) {
      const d = b.home.slice('domain:'.length);
      const days = domainDays.get(d) ?? [];
      const day = Math.floor(b.timeMs / DAY);
      if (!days.includes(day)) domainDays.set(d, [...days, day].sort((x, y) => x - y));
    }
  }
  const firsts: { credential: string; caller: string; home: string; serviceAccount: string; id: number }[] = [];
  for (const b of bursts) {
    if (b.home === null || isPlatform(b.caller, b.serviceAccount)) continue;
    const mintedBefore = (minted.get(b.credential) ?? []).some((t) => t <= b.timeMs && b.timeMs - t <= MAX_TOKEN_LIFETIME_MS);
    if (mintedBefore || !foreign(b.home, projectOfServiceAccount(b.serviceAccount), b.timeMs)) continue;
    if (allowlisted(b.home, b.serviceAccount, null)) {
      scan.allowlisted++;
      continue;
    }
    firsts.push({ credential: b.credential, caller: b.caller, home: b.home, serviceAccount: b.serviceAccount, id: b.id });
  }
  const byId = new Map(fetch(firsts.map((f) => f.id)).map((e) => [e.id, e]));
  for (const f of firsts) {
    const primary = byId.get(f.id);
    if (primary) scan.entries.push(impersonationEntry('delegated-calls', primary, f.caller, f.home, f.serviceAccount, f.credential));
  }
  scan.entries.sort((a, b) => a.timeMs - b.timeMs || a.primary.id - b.primary.id);
  return scan;
}
