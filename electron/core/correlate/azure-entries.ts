// AN1348 entries into Azure tenants and subscriptions. The columns used (see the normalizers' header comments):
// Entra sign-ins carry the identity's home tenant in principalAccount, the tenant signed into in targetAccount, the
// token they issued (uniqueTokenIdentifier) in issuedCredentialId and the sign-in session in sourceIdentity; Azure
// Activity records carry the token's tenant (claims tid) in principalAccount, the subscription in targetAccount and
// the token's `uti` in credentialId.
import type { CorrelationSettings } from '../../../shared/domain/correlation';
import type { CorrEvent, CorrelateRepo, TokenTenantRow } from '../../db/repos/correlate-repo';
import { ENTRA_SIGNIN_SERVICE } from '../import/azure/normalize-entra-signin';
import { groupViews, type Entry, type EntryKind, type EntryScan } from './entries';

/** Tenants the sentences name (home tenants of identities that are not an organisation's). */
const KNOWN_TENANTS: Record<string, string> = {
  '9188040d-6c67-4c5b-b112-36a304b66dad': 'personal Microsoft accounts',
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a': 'Microsoft Services',
};
/** Microsoft's first-party apps sign in as service principals owned by this tenant: the platform, like AWS services. */
const FIRST_PARTY_APP_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** Everything the Azure entry step reads from the case, gathered once per run. */
export interface AzureEvidence {
  /** Entra sign-ins of every kind and outcome, in time order. */
  signIns: CorrEvent[];
  /** Tenants and subscriptions whose own logs are in the case, plus the analyst's organisation accounts. */
  organisation: Set<string>;
  /** The tenant of each subscription, where the evidence tells it. */
  subscriptionTenants: Map<string, string>;
  /** Activity records of subscriptions made with a token of a tenant that is neither theirs nor the organisation's. */
  foreignTokenCalls: { tenant: string; subscription: string; calls: CorrEvent[] }[];
  /** Activity records per target and token tenant (also what the coverage warnings read). */
  tokenRows: TokenTenantRow[];
}

const lower = (values: string[]) => values.map((v) => v.trim().toLowerCase());

/**
 * Which tenant each subscription belongs to, from the evidence alone: the tenant of its managed identities' tokens (a
 * managed identity always lives in its subscription's tenant), else the only tenant among its callers' token tenants
 * whose own sign-in logs are in the case (or that the analyst named as the organisation's). Subscriptions called with
 * tokens of two or more tenants that neither rule settles are returned as unknown.
 */
export function resolveSubscriptionTenants(rows: TokenTenantRow[], knownTenants: Set<string>): { tenantOf: Map<string, string>; unknown: { subscription: string; tenants: string[] }[] } {
  const byTarget = new Map<string, TokenTenantRow[]>();
  for (const r of rows) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
  const tenantOf = new Map<string, string>();
  const unknown: { subscription: string; tenants: string[] }[] = [];
  for (const [target, rs] of byTarget) {
    const tenants = [...new Set(rs.map((r) => r.tenant).filter((t): t is string => t !== null))];
    if (tenants.includes(target)) {
      tenantOf.set(target, target); // tenant-level records: the target is the tenant itself
      continue;
    }
    const managed = [...new Set(rs.filter((r) => r.tenant !== null && r.managedIdentity > 0).map((r) => r.tenant!))];
    const known = tenants.filter((t) => knownTenants.has(t));
    if (managed.length === 1) tenantOf.set(target, managed[0]!);
    else if (known.length === 1) tenantOf.set(target, known[0]!);
    else if (tenants.length >= 2) unknown.push({ subscription: target, tenants: tenants.sort() });
  }
  return { tenantOf, unknown };
}

/** Reads the Azure evidence of a case: sign-ins, the organisation's tenants and subscriptions, foreign tokens. */
export function gatherAzureEvidence(repo: CorrelateRepo, settings: CorrelationSettings): AzureEvidence {
  const signIns = repo.entraSignIns();
  const tokenRows = repo.azureTokenTenants();
  const crossTargets = new Set<string>();
  const ownTargets = new Set<string>(tokenRows.map((r) => r.target));
  const ownSignInTenants = new Set<string>();
  for (const s of signIns) {
    if (!s.targetAccount) continue;
    if (s.principalAccount && s.principalAccount !== s.targetAccount) crossTargets.add(s.targetAccount);
    else {
      ownTargets.add(s.targetAccount);
      if (s.principalAccount === s.targetAccount) ownSignInTenants.add(s.targetAccount);
    }
  }
  // A tenant met only as the target of cross-tenant sign-ins is someone else's (the organisation's users signing in
  // there, logged by their home tenant): not part of the organisation.
  const settingsAccounts = lower(settings.organisationAccounts);
  const organisation = new Set([...repo.accountsWithLogs('azure').filter((a) => !crossTargets.has(a) || ownTargets.has(a)), ...settingsAccounts]);
  const { tenantOf } = resolveSubscriptionTenants(tokenRows, new Set([...ownSignInTenants, ...settingsAccounts]));
  const foreignTokenCalls: AzureEvidence['foreignTokenCalls'] = [];
  for (const r of tokenRows) {
    const own = tenantOf.get(r.target);
    if (r.tenant === null || own === undefined || r.tenant === own || organisation.has(r.tenant)) continue;
    foreignTokenCalls.push({ tenant: r.tenant, subscription: r.target, calls: repo.azureCallsOfTenant(r.tenant, r.target) });
  }
  return { signIns, organisation, subscriptionTenants: tenantOf, foreignTokenCalls, tokenRows };
}

function isAllowlisted(settings: CorrelationSettings, tenant: string | null, identities: (string | null)[], idp: string | null): boolean {
  const a = settings.allowlist;
  const accounts = new Set(lower(a.accounts));
  const roles = new Set(lower(a.roles));
  if (tenant && accounts.has(tenant)) return true;
  if (idp && a.identityProviders.includes(idp)) return true;
  return identities.some((i) => i !== null && roles.has(i.toLowerCase()));
}

/**
 * Finds AN1348 entries into Azure: successful sign-ins of a user from another tenant (B2B collaboration, service
 * provider, passthrough: home tenant ≠ resource tenant), of guests, and of service principals whose app another
 * tenant owns; and tokens of a tenant that is neither the subscription's nor the organisation's used on a subscription
 * (Azure Lighthouse and other delegations: the first call of each token is the entry). Identities from the
 * organisation's own tenants, managed identities and Microsoft's first-party apps never count; denied sign-ins are
 * attempts; later sign-ins of the same sign-in session within the window join the first one's chain.
 */
export function findAzureEntries(ev: AzureEvidence, settings: CorrelationSettings, windowMs: number): EntryScan {
  const scan: EntryScan = { entries: [], attempts: [], allowlisted: 0, merged: 0 };
  const openSessions = new Map<string, Entry>();
  const signInCredentials = new Set<string>();
  for (const group of groupViews(ev.signIns)) {
    const primary = group.find((e) => e.sourceIp !== null) ?? group[0]!;
    const type = primary.principalType;
    if (type === 'ManagedIdentity') continue;
    const home = primary.principalAccount;
    const resource = primary.targetAccount;
    const guest = type === 'GuestUser';
    const servicePrincipal = type === 'ServicePrincipal';
    const crossTenant = home !== null && resource !== null && home !== resource;
    if (!crossTenant && !guest) continue;
    if (home !== null && ev.organisation.has(home)) continue; // another of the organisation's own tenants
    if (servicePrincipal && home === FIRST_PARTY_APP_TENANT) continue;
    const kind: EntryKind = servicePrincipal ? 'foreign-service-principal' : guest ? 'guest-sign-in' : 'cross-tenant-sign-in';
    const success = group.some((e) => e.outcome === 'success');
    const pick = <K extends keyof CorrEvent>(k: K) => group.map((v) => v[k]).find((x) => x !== null && x !== undefined) ?? null;
    const oid = primary.principalId;
    const idp = primary.identityProvider && primary.identityProvider !== home ? primary.identityProvider : null;
    if (isAllowlisted(settings, home, [primary.principalName, oid], idp)) {
      scan.allowlisted++;
      continue;
    }
    if (!success) {
      scan.attempts.push(primary);
      continue;
    }
    const sessionId = primary.sourceIdentity;
    const open = sessionId ? openSessions.get(sessionId) : undefined;
    if (open && primary.timeMs <= open.timeMs + windowMs && open.callerPrincipalId === oid) {
      // A token refresh in a session already followed: its tokens are collected with the first sign-in's chain.
      scan.merged += group.length;
      continue;
    }
    const entry: Entry = {
      provider: 'azure',
      kind,
      primary,
      views: group,
      timeMs: primary.timeMs,
      callerAccount: home,
      callerPrincipalId: oid,
      identityProvider: idp,
      roleArn: null,
      roleAccount: resource,
      issuedCredential: pick('issuedCredentialId') as string | null,
      issuedPrincipal: (pick('issuedPrincipal') as string | null) ?? oid,
      vendor: home ? KNOWN_TENANTS[home] ?? null : null,
      sourceIp: primary.sourceIp,
      owners: { principal: home ? `tenant:${home}` : `identity:${oid}`, role: oid ? `identity:${oid}` : null },
      principal: primary.principalName ?? oid,
    };
    scan.entries.push(entry);
    if (entry.issuedCredential) signInCredentials.add(entry.issuedCredential);
    if (sessionId) openSessions.set(sessionId, entry);
  }

  // Tokens of other tenants on the organisation's subscriptions: one entry per token (per identity and window
  // when the records carry no uti), its first record being the entry.
  const seenTokens = new Set<string>();
  for (const { tenant, subscription, calls } of ev.foreignTokenCalls) {
    const tokens = new Map<string, CorrEvent[]>();
    const windowStart = new Map<string, number>();
    let segment = 0;
    for (const call of calls) {
      let key: string;
      if (call.credentialId) key = `uti:${call.credentialId}`;
      else {
        const who = `oid:${call.principalId ?? call.principalName ?? '?'}`;
        const start = windowStart.get(who);
        if (start === undefined || call.timeMs > start + windowMs) {
          windowStart.set(who, call.timeMs);
          segment++;
        }
        key = `${who}#${windowStart.get(who)}#${segment}`;
      }
      tokens.set(key, [...(tokens.get(key) ?? []), call]);
    }
    for (const group of tokens.values()) {
      const first = group[0]!;
      const credential = first.credentialId;
      if (credential && (seenTokens.has(credential) || signInCredentials.has(credential))) continue;
      if (credential) seenTokens.add(credential);
      if (isAllowlisted(settings, tenant, [first.principalName, first.principalId], null)) {
        scan.allowlisted++;
        continue;
      }
      if (!group.some((c) => c.outcome === 'success')) {
        scan.attempts.push(first);
        continue;
      }
      scan.entries.push({
        provider: 'azure',
        kind: 'foreign-tenant-token',
        primary: first,
        views: [first],
        timeMs: first.timeMs,
        callerAccount: tenant,
        callerPrincipalId: first.principalId,
        identityProvider: null,
        roleArn: null,
        roleAccount: subscription,
        issuedCredential: credential,
        issuedPrincipal: first.principalId,
        vendor: KNOWN_TENANTS[tenant] ?? null,
        sourceIp: first.sourceIp ?? group.find((c) => c.sourceIp !== null)?.sourceIp ?? null,
        owners: { principal: `tenant:${tenant}`, role: first.principalId ? `identity:${first.principalId}` : null },
        principal: first.principalName ?? first.principalId,
        entryIsCall: true,
      });
    }
  }
  scan.entries.sort((a, b) => a.timeMs - b.timeMs || a.primary.id - b.primary.id);
  return scan;
}

/** Whether an event is an Entra sign-in (the sessions collect calls, and reach sign-ins only through the session id). */
export function isSignIn(e: CorrEvent): boolean {
  return e.service === ENTRA_SIGNIN_SERVICE && e.action === 'SignIn';
}
