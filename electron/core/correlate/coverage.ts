// Coverage warnings: gaps in the evidence that hide AN1348 entries or weaken familiarity, found before the analysis
// and stored with each correlation run (correlation_runs.coverage), where the CLI, the app and the report read them.
import type Database from 'better-sqlite3';
import { type CorrelationSettings, type CoverageKind, type CoverageWarning } from '../../../shared/domain/correlation';
import type { CoverageHour } from '../../db/repos/rollups-repo';
import { CorrelateRepo, type TokenTenantRow } from '../../db/repos/correlate-repo';
import { resolveSubscriptionTenants } from './azure-entries';
import { plural } from '../../../shared/text/plural';
import { evidenceFormats } from '../../db/repos/evidence-repo';

/** A log scope whose events span less than this is "only a few hours of data". */
const SHORT_SPAN_HOURS = 24;
/** A CloudTrail account/region silent for at least this many whole hours … */
const GAP_HOURS = 3;
/**
 * … while it has events in at least this share of its other hours (and at least a day of them), and falls silent at
 * most once a week, logs continuously: a region that is quiet every night is not reported, a trail stopped once is.
 */
const CONTINUOUS_SHARE = 0.95;
const CONTINUOUS_MIN_HOURS = 24;
const GAPS_PER_WEEK = 1;
/** Warnings of one kind listed one by one; the rest are counted in one closing warning. */
const MAX_PER_KIND = 10;

const ORDER: CoverageKind[] = ['azure-no-signins', 'entra-no-noninteractive', 'entra-no-service-principal', 'azure-subscription-tenant-unknown', 'gcp-no-data-access', 'cloudtrail-gap', 'thin-export', 'short-coverage'];

const isoHour = (hour: number) => new Date(hour * 3_600_000).toISOString().replace(':00:00.000Z', ':00Z');

/**
 * The coverage warnings of a case: GCP projects with Admin Activity but no Data Access logs (impersonation and
 * federation are invisible), Entra sign-in exports without non-interactive or service-principal sign-ins, Azure Activity
 * without any sign-in logs, Azure subscriptions whose own tenant the evidence does not settle, CloudTrail accounts /
 * regions that log every hour but fall silent for hours, and log scopes with less than a day of events.
 * `hours` are the rows of the grouped pass over the events (rollups-repo.ts, kept by the import), plus the Azure token
 * tenants when Azure is present.
 */
export function assessCoverage(db: Database.Database, settings: CorrelationSettings, hours: CoverageHour[], tokenRows?: TokenTenantRow[]): CoverageWarning[] {
  const azure = hours.some((h) => h.provider === 'azure');
  return coverageWarnings(hours, azure ? tokenRows ?? new CorrelateRepo(db).azureTokenTenants() : [], settings, evidenceFormats(db));
}

/** The warnings from the hourly counts and the evidence formats (pure: the tests feed it rows). */
export function coverageWarnings(hours: CoverageHour[], tokenRows: TokenTenantRow[], settings: CorrelationSettings, formats: EvidenceFormat[] = []): CoverageWarning[] {
  const out: CoverageWarning[] = [];
  out.push(...thinExports(formats));
  out.push(...azureWarnings(hours.filter((h) => h.provider === 'azure'), tokenRows, settings));
  out.push(...gcpWarnings(hours.filter((h) => h.provider === 'gcp')));
  out.push(...cloudTrailGaps(hours.filter((h) => h.provider === 'aws')));
  out.push(...shortScopes(hours));
  return capped(out);
}

function group<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

function azureWarnings(rows: CoverageHour[], tokenRows: TokenTenantRow[], settings: CorrelationSettings): CoverageWarning[] {
  const out: CoverageWarning[] = [];
  const signIns = rows.filter((r) => r.signIn);
  const activity = rows.filter((r) => !r.signIn);
  if (activity.length > 0 && signIns.length === 0) {
    const subscriptions = new Set(activity.map((r) => r.account).filter((a) => a !== null)).size;
    out.push({
      kind: 'azure-no-signins',
      scope: 'provider:azure',
      message: `Azure Activity logs (${plural(subscriptions, 'subscription')}) are in the case but no Entra ID sign-in logs: cross-tenant, guest and foreign service principal sign-ins, the entries of most Azure chains, cannot be seen; only calls made with another tenant's token on a subscription whose tenant is known can. Export the sign-in logs (interactive, non-interactive, service principal) of the same period.`,
    });
  }
  // Tenants whose own sign-in logs are here: those with same-tenant sign-ins (an outbound cross-tenant sign-in names
  // someone else's tenant as its target).
  const own = new Set(signIns.filter((r) => !r.crossTenant && r.account !== null).map((r) => r.account!));
  for (const [tenant, list] of group(signIns.filter((r) => r.account !== null && own.has(r.account)), (r) => r.account!)) {
    const categories = new Set(list.map((r) => r.category).filter((c): c is string => c !== null));
    if (categories.size === 0) continue; // the export does not say which kinds it holds
    if (!categories.has('NonInteractiveUserSignInLogs')) {
      out.push({
        kind: 'entra-no-noninteractive',
        scope: `tenant:${tenant}`,
        message: `The Entra ID sign-in logs of tenant ${tenant} hold no non-interactive user sign-ins (only ${[...categories].sort().join(', ')}): token refreshes, and the sessions of guests and partners that go on without a prompt, are missing, so chains that start with one cannot be seen and later tokens of a session cannot be linked. Export NonInteractiveUserSignInLogs too.`,
      });
    }
    if (!categories.has('ServicePrincipalSignInLogs')) {
      out.push({
        kind: 'entra-no-service-principal',
        scope: `tenant:${tenant}`,
        message: `The Entra ID sign-in logs of tenant ${tenant} hold no service principal sign-ins: another tenant's app signing in (a foreign service principal) cannot be seen. Export ServicePrincipalSignInLogs too.`,
      });
    }
  }
  const known = new Set([...own, ...settings.organisationAccounts.map((a) => a.trim().toLowerCase())]);
  for (const u of resolveSubscriptionTenants(tokenRows, known).unknown) {
    out.push({
      kind: 'azure-subscription-tenant-unknown',
      scope: `subscription:${u.subscription}`,
      message: `Subscription ${u.subscription} is called with tokens of tenants ${u.tenants.join(', ')}, and the evidence does not settle which is its own (no managed identity calls, sign-in logs of none or several of them): calls made with another tenant's token (Azure Lighthouse) cannot be told apart. Add the subscription's tenant to the organisation accounts.`,
    });
  }
  return out;
}

function gcpWarnings(rows: CoverageHour[]): CoverageWarning[] {
  const out: CoverageWarning[] = [];
  for (const [project, list] of group(rows.filter((r) => r.account !== null), (r) => r.account!)) {
    const logs = new Set(list.map((r) => r.category));
    if (logs.has('activity') && !logs.has('data_access')) {
      out.push({
        kind: 'gcp-no-data-access',
        scope: gcpScope(project),
        message: `${gcpName(project)} has Admin Activity audit logs but no Data Access logs: service account impersonation (GenerateAccessToken, GenerateIdToken, SignJwt, SignBlob), workload identity federation (ExchangeToken) and secret reads are written only there, so those entries are invisible; calls made with an impersonated token still name the original caller (serviceAccountDelegationInfo). Enable and export Data Access logs (at least for IAM, IAM Credentials and STS).`,
      });
    }
  }
  return out;
}

const gcpScope = (id: string) => (id.includes('/') ? id : `project:${id}`);
const gcpName = (id: string) => (id.includes('/') ? id.replace(/^organizations\//, 'Organization ').replace(/^folders\//, 'Folder ') : `Project ${id}`);

function cloudTrailGaps(rows: CoverageHour[]): CoverageWarning[] {
  const out: CoverageWarning[] = [];
  for (const [key, list] of group(rows.filter((r) => r.account !== null), (r) => `${r.account}\u0001${r.region ?? ''}`)) {
    const [account, region] = key.split('\u0001') as [string, string];
    const active = [...new Set(list.map((r) => r.hour))].sort((a, b) => a - b);
    if (active.length < CONTINUOUS_MIN_HOURS) continue;
    const gaps: [number, number][] = [];
    let silent = 0;
    for (let i = 1; i < active.length; i++) {
      const empty = active[i]! - active[i - 1]! - 1;
      if (empty >= GAP_HOURS) {
        gaps.push([active[i - 1]! + 1, active[i]!]);
        silent += empty;
      }
    }
    const span = active[active.length - 1]! - active[0]! + 1;
    if (gaps.length === 0 || active.length / (span - silent) < CONTINUOUS_SHARE || gaps.length > Math.max(1, Math.floor((span / 168) * GAPS_PER_WEEK))) continue;
    const where = `account ${account}${region ? ` in ${region}` : ''}`;
    for (const [from, to] of gaps) {
      out.push({
        kind: 'cloudtrail-gap',
        scope: `account:${account}${region ? `/${region}` : ''}`,
        message: `CloudTrail of ${where} has no events from ${isoHour(from)} to ${isoHour(to)} (${to - from} h), although it has events in ${active.length} of its other ${span - silent} hours: that window is missing from the evidence (logging stopped, delivery failed, or files not collected), and chains in it cannot be seen.`,
      });
    }
  }
  return out;
}

function shortScopes(hours: CoverageHour[]): CoverageWarning[] {
  const out: CoverageWarning[] = [];
  // The organisation's own log scopes only: an Entra tenant met only as the target of cross-tenant sign-ins is not one.
  const scoped = hours.filter((h) => h.account !== null && !(h.signIn && h.crossTenant));
  for (const [key, list] of group(scoped, (h) => `${h.provider}\u0001${h.account}\u0001${h.signIn ? 'tenant' : ''}`)) {
    const [provider, account, tenant] = key.split('\u0001') as [string, string, string];
    const first = Math.min(...list.map((h) => h.hour));
    const last = Math.max(...list.map((h) => h.hour));
    const span = last - first + 1;
    if (span >= SHORT_SPAN_HOURS) continue;
    const events = list.reduce((n, h) => n + h.events, 0);
    const scope = provider === 'aws' ? `account:${account}` : provider === 'gcp' ? gcpScope(account) : `${tenant ? 'tenant' : 'subscription'}:${account}`;
    const name = provider === 'aws' ? `AWS account ${account}` : provider === 'gcp' ? gcpName(account) : `${tenant ? 'Entra tenant' : 'Azure subscription'} ${account}`;
    out.push({
      kind: 'short-coverage',
      scope,
      message: `${name} has only ${plural(span, 'hour')} of events (${plural(events, 'event')}, ${isoHour(first)} to ${isoHour(last + 1)}): too little history to tell familiar networks from new ones there.`,
    });
  }
  return out;
}

type EvidenceFormat = { format: string; files: number; events: number };

/**
 * Export layouts that import but lack what the analysis follows. The console's Event history CSV download has a row
 * per event with its name, user name, access key, source and region, and no account ids, request parameters or
 * response elements: a role assumption in it names no role, no account and no issued key, so it cannot start a chain,
 * and a case of only such files has no findings because it cannot have any, not because nothing happened.
 */
function thinExports(formats: EvidenceFormat[]): CoverageWarning[] {
  const consoleCsv = formats.filter((f) => /^cloudtrail:csv(:|$)/.test(f.format));
  if (consoleCsv.length === 0) return [];
  const files = consoleCsv.reduce((n, f) => n + f.files, 0);
  const events = consoleCsv.reduce((n, f) => n + f.events, 0);
  return [{
    kind: 'thin-export',
    scope: 'provider:aws',
    message: `${plural(events, 'event')} in ${plural(files, 'file')} come from the CloudTrail console's Event history CSV download, which has no account ids, request parameters or response elements: a role assumption in it names no role, account or issued key, so it cannot start a finding, and its calls join one only when the assumption that issued their key is in other evidence. Download the same events as JSON (the console's JSON download or aws cloudtrail lookup-events), or import the trail's S3 logs.`,
  }];
}

/** Orders the warnings and folds the long tail of each kind into one closing warning. */
function capped(warnings: CoverageWarning[]): CoverageWarning[] {
  const out: CoverageWarning[] = [];
  for (const kind of ORDER) {
    const of = warnings.filter((w) => w.kind === kind);
    out.push(...of.slice(0, MAX_PER_KIND));
    if (of.length > MAX_PER_KIND) {
      out.push({ kind, scope: 'case', message: `… and ${of.length - MAX_PER_KIND} more ${kind} warnings (${[...new Set(of.slice(MAX_PER_KIND).map((w) => w.scope))].slice(0, 5).join(', ')}, …).` });
    }
  }
  return out;
}
