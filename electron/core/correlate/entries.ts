import type { BaselineStart } from './baseline-start';
import type { CorrEvent } from '../../db/repos/correlate-repo';
import type { CorrelationSettings } from '../../../shared/domain/correlation';
import type { Provider } from '../../../shared/domain/event';
import { accountOfArn, roleKey, roleOfSession } from './arn';
import type { VendorDirectory } from './ports';
import { isBaselineShort } from './score-chain';

/**
 * How a third party came in. AWS: a role assumption from an outside account, a federation through an identity provider
 * the organisation does not use routinely. Azure: a sign-in from another tenant (B2B collaboration, service provider,
 * passthrough), a guest's sign-in, another tenant's service principal, a token of another tenant used on a
 * subscription (Azure Lighthouse and other delegations). GCP: service account impersonation by a principal from
 * another project or organisation (seen as the minting call, or only in the calls' delegation chain when the Data
 * Access log is missing), a workload identity federation through an unfamiliar pool provider.
 */
export type EntryKind =
  | 'third-party-account' | 'third-party-idp'
  | 'cross-tenant-sign-in' | 'guest-sign-in' | 'foreign-service-principal' | 'foreign-tenant-token'
  | 'service-account-impersonation' | 'delegated-calls' | 'workload-identity-federation';

/** One role assumption or federation into the organisation by someone outside it (both views merged). */
export interface Entry {
  provider: Provider;
  kind: EntryKind;
  /** The view to show: the caller's own record when we have it (it carries the caller's ARN and IP). */
  primary: CorrEvent;
  /** Every record of this one call (caller's and role owner's views, linked by sharedEventID). */
  views: CorrEvent[];
  timeMs: number;
  callerAccount: string | null;
  callerPrincipalId: string | null;
  identityProvider: string | null;
  roleArn: string | null;
  roleAccount: string | null;
  issuedCredential: string | null;
  issuedPrincipal: string | null;
  vendor: string | null;
  sourceIp: string | null;
  /**
   * The familiarity owners of the entry (the keys the index was built with): who came in (`acct:`, `idp:`,
   * `tenant:`, `project:`, `domain:`) and what they entered (an AWS role `<account>:<name>`, an Azure identity
   * `identity:<object id>`, a GCP service account `sa:<email>`; null when there is none).
   */
  owners: { principal: string; role: string | null };
  /** Azure / GCP: who came in, as the finding names them (an AWS finding derives it from the entry). */
  principal?: string | null;
  /** The entry record is itself one of the session's calls (a foreign token's first call, the first delegated call). */
  entryIsCall?: boolean;
}

export interface EntryScan {
  entries: Entry[];
  /** Denied role assumptions by outsiders: kept as attempts, never sessions. */
  attempts: CorrEvent[];
  /** Entries an allowlist removed, for the run's statistics. */
  allowlisted: number;
  /** Views merged into another by sharedEventID. */
  merged: number;
}

const FEDERATION = new Set(['AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity']);
/** An identity provider used on this many separate days (and times) before an entry is the organisation's own: SSO, CI. */
export const ESTABLISHED_IDP = { days: 3, uses: 3 };

/**
 * Finds AN1348 entries among the role-assumption and federation events. Third-party: a caller account
 * outside the organisation, or an identity provider the organisation does not routinely use. AWS service
 * principals, same-organisation role switches and allowlisted accounts / roles / providers never count.
 */
export function findEntries(issuing: CorrEvent[], organisation: Set<string>, settings: CorrelationSettings, vendors: VendorDirectory, baselineStart: BaselineStart): EntryScan {
  const scan: EntryScan = { entries: [], attempts: [], allowlisted: 0, merged: 0 };
  const idpHistory = new IdpHistory();
  for (const group of groupViews(issuing)) {
    scan.merged += group.length - 1;
    const primary = group.find((e) => e.principalType !== 'AWSAccount') ?? group[0]!;
    const entry = toEntry(primary, group, vendors);
    const success = group.some((e) => e.outcome === 'success');
    if (group.some((e) => e.principalType === 'AWSService')) continue;
    let kind: EntryKind | null = null;
    if (FEDERATION.has(primary.action)) {
      if (success && entry.identityProvider) {
        const established = idpHistory.established(entry.identityProvider);
        idpHistory.add(entry.identityProvider, entry.timeMs);
        // In the first days of the evidence every provider is new: too early to call one third-party.
        if (!established && !isBaselineShort(entry.timeMs, baselineStart('aws', entry.roleAccount))) kind = 'third-party-idp';
      }
    } else if (entry.callerAccount && !organisation.has(entry.callerAccount) && (entry.roleAccount === null || entry.callerAccount !== entry.roleAccount)) {
      kind = 'third-party-account';
    }
    if (kind === null) continue;
    if (isAllowlisted(entry, settings)) {
      scan.allowlisted++;
      continue;
    }
    if (!success) {
      scan.attempts.push(primary);
      continue;
    }
    scan.entries.push({
      ...entry,
      kind,
      owners: { principal: kind === 'third-party-idp' ? `idp:${entry.identityProvider}` : `acct:${entry.callerAccount}`, role: roleKey(entry.roleArn) },
    });
  }
  return scan;
}

function toEntry(primary: CorrEvent, views: CorrEvent[], vendors: VendorDirectory): Omit<Entry, 'kind' | 'owners'> {
  const pick = <K extends keyof CorrEvent>(k: K) => views.map((v) => v[k]).find((x) => x !== null && x !== undefined) ?? null;
  const issuedPrincipal = pick('issuedPrincipal') as string | null;
  const roleArn = (pick('targetResource') as string | null) ?? roleOfSession(issuedPrincipal);
  const callerAccount = (views.find((v) => v.principalType === 'AWSAccount')?.principalAccount ?? primary.principalAccount) || null;
  return {
    provider: 'aws',
    primary,
    views,
    timeMs: primary.timeMs,
    callerAccount,
    callerPrincipalId: primary.principalId,
    identityProvider: pick('identityProvider') as string | null,
    roleArn,
    roleAccount: accountOfArn(roleArn) ?? accountOfArn(issuedPrincipal),
    issuedCredential: pick('issuedCredentialId') as string | null,
    issuedPrincipal,
    vendor: callerAccount ? vendors.vendorOf(callerAccount) : null,
    sourceIp: primary.sourceIp ?? (pick('sourceIp') as string | null),
  };
}

/** The caller's and the role owner's record of one cross-account call share a sharedEventID (Entra: both tenants' copy of a sign-in). */
export function* groupViews(issuing: CorrEvent[]): Generator<CorrEvent[]> {
  const byShared = new Map<string, CorrEvent[]>();
  const order: (CorrEvent[] | CorrEvent)[] = [];
  for (const e of issuing) {
    if (!e.sharedEventId) {
      order.push(e);
      continue;
    }
    let group = byShared.get(e.sharedEventId);
    if (!group) {
      group = [];
      byShared.set(e.sharedEventId, group);
      order.push(group);
    }
    group.push(e);
  }
  for (const item of order) yield Array.isArray(item) ? item : [item];
}

function isAllowlisted(entry: Omit<Entry, 'kind' | 'owners'>, settings: CorrelationSettings): boolean {
  const a = settings.allowlist;
  if (entry.callerAccount && a.accounts.includes(entry.callerAccount)) return true;
  if (entry.identityProvider && a.identityProviders.includes(entry.identityProvider)) return true;
  const key = roleKey(entry.roleArn);
  return a.roles.some((r) => r === entry.roleArn || roleKey(r) === key || r === entry.roleArn?.split('/').pop());
}

/** Federations seen so far per identity provider: an established provider is the organisation's own SSO or CI. */
export class IdpHistory {
  private readonly uses = new Map<string, { count: number; days: Set<number> }>();

  add(idp: string, timeMs: number): void {
    const u = this.uses.get(idp) ?? { count: 0, days: new Set<number>() };
    u.count++;
    u.days.add(Math.floor(timeMs / 86_400_000));
    this.uses.set(idp, u);
  }

  established(idp: string): boolean {
    const u = this.uses.get(idp);
    return u !== undefined && u.count >= ESTABLISHED_IDP.uses && u.days.size >= ESTABLISHED_IDP.days;
  }
}
