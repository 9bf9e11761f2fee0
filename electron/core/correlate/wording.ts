// The plain-language sentences of a finding, in each provider's own words (account and role; tenant, subscription
// and identity; project and service account). Scoring is the same for every provider; only the words differ.
import type { ChainLink } from '../../../shared/domain/correlation';
import type { Entry, EntryKind } from './entries';
import type { Member } from './session-graph';
import type { Level } from './familiarity-index';
import { roleName } from './arn';
import { utcText } from '../../../shared/time/utc-text';
import { plural } from '../../../shared/text/plural';

export interface EntryWording {
  /** Condition (1): who came in, how, where, when, from where. */
  entry: string;
  /** A context sentence about role hops / later sign-ins / impersonation hops, or null when there are none. */
  hops: (members: Member[]) => { text: string; members: Member[] } | null;
  /** What a level is called in "… new to the <level>". */
  level: (level: Level) => string;
  /** "This is the first activity of <who> in the evidence." */
  firstActivity: string;
  /** The allowlist entries that would remove the finding. */
  suppress: string[];
}

/**
 * What a finding's source and target accounts are in its cloud's words, and the credentials its calls were made
 * with (the report's T1078.004 row), by entry kind. An Azure sign-in issues tokens, not the credentials of a role
 * assumption; a GCP impersonation mints a service account's token.
 */
export const ENTRY_TERMS: Readonly<Record<EntryKind, { source: string; target: string; credentials: string }>> = {
  'third-party-account': { source: 'caller account', target: 'account', credentials: 'temporary credentials issued by the role assumption (AWS)' },
  'third-party-idp': { source: 'caller account', target: 'account', credentials: 'temporary credentials issued by the federation through an identity provider (AWS)' },
  'cross-tenant-sign-in': { source: 'home tenant', target: 'tenant', credentials: 'tokens issued by the cross-tenant Entra ID sign-in and its session (Azure)' },
  'guest-sign-in': { source: 'home tenant', target: 'tenant', credentials: "tokens issued by the guest's Entra ID sign-in and its session (Azure)" },
  'foreign-service-principal': { source: 'home tenant', target: 'tenant', credentials: "tokens issued by the sign-in of another tenant's service principal (Azure)" },
  'foreign-tenant-token': { source: 'token tenant', target: 'subscription', credentials: "another tenant's token used on the subscription (Azure)" },
  'service-account-impersonation': { source: "caller's project or domain", target: 'project', credentials: "the service account's short-lived token minted by the impersonation (GCP)" },
  'delegated-calls': { source: "caller's project or domain", target: 'project', credentials: "the impersonated service account's token (GCP)" },
  'workload-identity-federation': { source: 'caller', target: 'project', credentials: 'the federated token exchanged through the workload identity pool (GCP)' },
};

/** ENTRY_TERMS of a kind read back from a stored finding; a kind this version does not know gets neutral words. */
export function entryTerms(kind: string): { source: string; target: string; credentials: string } {
  return (ENTRY_TERMS as Record<string, { source: string; target: string; credentials: string }>)[kind] ?? { source: 'source account', target: 'target account', credentials: 'credentials issued at the entry' };
}

/** Resource apps a sign-in names by app id, for the sentences (Entra logs the id; people know the name). */
const RESOURCE_APPS: Record<string, string> = {
  '797f4846-ba00-4fd7-ba43-dac1f8f63013': 'Azure Resource Manager',
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '00000002-0000-0000-c000-000000000000': 'Azure AD Graph',
  'cfa8b339-82a2-471a-a3c9-0fc0be7a4093': 'Azure Key Vault',
  'e406a681-f3d4-42a8-90b6-c2b029497af1': 'Azure Storage',
  '00000002-0000-0ff1-ce00-000000000000': 'Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'SharePoint Online',
};

/** Why a weaker link is weaker, per link kind. */
const WEAK_LINKS: Partial<Record<ChainLink, (n: number) => string>> = {
  'session-name': (n) => `${plural(n, 'call')} linked by session name and creation time only (no access key id in the logs): weaker evidence.`,
  'session-id': (n) => `${plural(n, 'event')} linked through later sign-ins of the same Entra sign-in session (sessionId), not the entry's own token: weaker evidence.`,
  'correlation-id': (n) => `${plural(n, 'record')} linked by the sign-in's correlationId only: weaker evidence.`,
  principal: (n) => `${plural(n, 'call')} linked by the identity within the window only (a federated principal, or a token without its uti in the logs): weaker evidence.`,
};

/**
 * The sentences about weakly linked members, one per link kind present. They count calls (an Azure operation's
 * Started record is counted with the operation) and cite every record.
 */
export function weakLinkReasons(members: Member[]): { text: string; members: Member[] }[] {
  const out: { text: string; members: Member[] }[] = [];
  for (const [link, say] of Object.entries(WEAK_LINKS) as [ChainLink, (n: number) => string][]) {
    const weak = members.filter((m) => m.link === link);
    // Events, as the sentence says, and as many as it cites (an Azure operation's Started record is one too).
    if (weak.length > 0) out.push({ text: say(weak.length), members: weak });
  }
  return out;
}

export function describeEntry(entry: Entry): EntryWording {
  if (entry.provider === 'azure') return azureWording(entry);
  if (entry.provider === 'gcp') return gcpWording(entry);
  return awsWording(entry);
}

function from(entry: Entry): string {
  return entry.sourceIp ?? entry.primary.sourceService ?? 'an unrecorded source';
}

function awsWording(entry: Entry): EntryWording {
  const idp = entry.kind === 'third-party-idp';
  const who = idp
    ? `A federation through identity provider ${entry.identityProvider}, which the organisation had not used routinely before,`
    : `Account ${entry.callerAccount}${entry.vendor ? ` (${entry.vendor})` : ' (not in the organisation, not a known vendor)'}`;
  const suppress: string[] = [];
  if (entry.callerAccount) suppress.push(`allowlisting account ${entry.callerAccount}`);
  if (entry.identityProvider) suppress.push(`allowlisting identity provider ${entry.identityProvider}`);
  // The role's ARN, not its name: a name such as OrganizationAccountAccessRole is in every account of an organisation,
  // and allowlisting the name would silence all of them.
  if (entry.roleArn) suppress.push(`allowlisting role ${entry.roleArn}`);
  return {
    entry: `${who} assumed role ${roleName(entry.roleArn) ?? entry.roleArn ?? 'unknown'} in account ${entry.roleAccount ?? 'unknown'} at ${utcText(entry.timeMs)} from ${from(entry)}${entry.views.length > 1 ? ` (caller's and role owner's records merged by sharedEventID)` : ''}.`,
    hops: (members) => {
      const hops = members.filter((m) => m.role === 'assume' && m.event.principalType !== 'AWSAccount');
      if (hops.length === 0) return null;
      return {
        text: `Role chain: ${[roleName(entry.roleArn), ...hops.map((h) => roleName(h.event.targetResource) ?? h.event.issuedPrincipal)].join(' → ')}${entry.primary.sourceIdentity ? `, sourceIdentity ${entry.primary.sourceIdentity}` : ''}.`,
        members: hops,
      };
    },
    level: (level) => (level === 'principal' ? (idp ? 'identity provider' : 'caller account') : level),
    firstActivity: idp ? `identity provider ${entry.identityProvider}` : `account ${entry.callerAccount}`,
    suppress,
  };
}

function azureWording(entry: Entry): EntryWording {
  const p = entry.primary;
  const name = entry.principal ?? p.principalName ?? p.principalId ?? 'an unnamed identity';
  const home = entry.callerAccount;
  const app = p.targetResource ? RESOURCE_APPS[p.targetResource.toLowerCase()] ?? `resource ${p.targetResource}` : null;
  const merged = entry.views.length > 1 ? ' (both tenants\' copies of the sign-in merged by its id)' : '';
  const tail = `at ${utcText(entry.timeMs)} from ${from(entry)}${merged}.`;
  const outside = `${entry.vendor ? ` (${entry.vendor})` : ''}, outside the organisation`;
  let text: string;
  switch (entry.kind) {
    case 'guest-sign-in':
      text = `Guest user ${name}${home ? ` from tenant ${home}${outside},` : ''} signed in to tenant ${entry.roleAccount ?? 'unknown'}${app ? ` for ${app}` : ''} ${tail}`;
      break;
    case 'foreign-service-principal':
      text = `Service principal ${name}, of an app owned by tenant ${home ?? 'unknown'}${outside}, signed in to tenant ${entry.roleAccount ?? 'unknown'}${app ? ` for ${app}` : ''} ${tail}`;
      break;
    case 'foreign-tenant-token':
      text = `${name} called subscription ${entry.roleAccount ?? 'unknown'} with a token of tenant ${home ?? 'unknown'}${outside}, not the subscription's own tenant (an Azure Lighthouse delegation or another cross-tenant grant): first call ${p.action} ${tail}`;
      break;
    default:
      text = `${name}, a user of tenant ${home ?? 'unknown'}${outside}, signed in across tenants (B2B collaboration, service provider or passthrough) to tenant ${entry.roleAccount ?? 'unknown'}${app ? ` for ${app}` : ''} ${tail}`;
  }
  const suppress: string[] = [];
  if (home) suppress.push(`allowlisting tenant ${home}`);
  if (p.principalName ?? p.principalId) suppress.push(`allowlisting identity ${p.principalName ?? p.principalId}`);
  return {
    entry: text,
    hops: (members) => {
      const later = members.filter((m) => m.role === 'assume');
      if (later.length === 0) return null;
      return { text: `${plural(later.length, 'later sign-in')} of the same sign-in session${p.sourceIdentity ? ` ${p.sourceIdentity}` : ''} issued tokens whose calls belong to this chain.`, members: later };
    },
    level: (level) => (level === 'principal' ? (home ? 'home tenant' : 'identity') : level === 'role' ? (entry.kind === 'foreign-service-principal' ? 'service principal' : 'identity') : level),
    firstActivity: home ? `tenant ${home}` : `identity ${name}`,
    suppress,
  };
}

/** `project:acme` → "project acme" …, the words for a GCP caller's home. */
function gcpHome(owner: string): { noun: string; id: string } {
  const colon = owner.indexOf(':');
  const kind = owner.slice(0, colon);
  const id = owner.slice(colon + 1);
  return { noun: kind === 'project' ? 'project' : kind === 'domain' ? 'domain' : kind === 'idp' ? 'identity pool' : kind, id };
}

function gcpWording(entry: Entry): EntryWording {
  const p = entry.primary;
  const home = gcpHome(entry.owners.principal);
  const caller = entry.principal ?? p.principalId ?? 'an unnamed caller';
  const sa = entry.issuedPrincipal;
  const where = `project ${entry.roleAccount ?? 'unknown'}`;
  const callerIs = home.noun === 'project'
    ? `a service account of project ${home.id}, outside the organisation`
    : home.noun === 'domain'
      ? `a user of domain ${home.id}, not one the organisation uses routinely`
      : `a federated identity of ${home.noun} ${home.id}`;
  let text: string;
  switch (entry.kind) {
    case 'workload-identity-federation':
      text = `A workload identity federation through pool provider ${entry.identityProvider}, which the organisation had not used routinely before, exchanged an outside token of ${caller} for ${sa ?? 'a federated principal'} in ${where} at ${utcText(entry.timeMs)} from ${from(entry)}.`;
      break;
    case 'delegated-calls':
      text = `${caller} (${callerIs}) acted as service account ${sa ?? 'unknown'} in ${where} (serviceAccountDelegationInfo), first ${p.action} at ${utcText(entry.timeMs)} from ${from(entry)}; the call that minted the token (GenerateAccessToken and the like, a Data Access log) is not in the evidence.`;
      break;
    default:
      text = `${caller} (${callerIs}) impersonated service account ${sa ?? 'unknown'} of ${where} with ${p.action} at ${utcText(entry.timeMs)} from ${from(entry)}.`;
  }
  const suppress: string[] = [];
  if (entry.kind === 'workload-identity-federation' && entry.identityProvider) suppress.push(`allowlisting identity provider ${entry.identityProvider}`);
  else suppress.push(`allowlisting ${home.noun === 'identity pool' ? 'identity provider' : home.noun} ${home.id}`);
  if (entry.roleArn) suppress.push(`allowlisting service account ${entry.roleArn}`);
  return {
    entry: text,
    hops: (members) => {
      const hops = members.filter((m) => m.role === 'assume');
      if (hops.length === 0) return null;
      return { text: `Impersonation chain: ${[sa ?? caller, ...hops.map((h) => h.event.issuedPrincipal ?? h.event.targetResource)].join(' → ')}.`, members: hops };
    },
    level: (level) => (level === 'principal' ? `caller's ${home.noun}` : level === 'role' ? 'service account' : level),
    firstActivity: `${home.noun} ${home.id}`,
    suppress,
  };
}
