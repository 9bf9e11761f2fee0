import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CORRELATION_SETTINGS } from '../../../shared/domain/correlation';
import type { CoverageHour } from '../../db/repos/rollups-repo';
import { coverageWarnings } from './coverage';
import { resolveSubscriptionTenants } from './azure-entries';
import { gcpHomeOf, poolOf } from './gcp-entries';

const H0 = Math.floor(Date.UTC(2026, 9, 1) / 3_600_000);
const hour = (o: Partial<CoverageHour> & { hour: number }): CoverageHour => ({ provider: 'aws', account: '111111111111', region: 'eu-west-1', category: 'AwsApiCall', signIn: false, crossTenant: false, events: 40, ...o });
const hours = (from: number, to: number, o: Partial<CoverageHour> = {}) => Array.from({ length: to - from }, (_, i) => hour({ ...o, hour: H0 + from + i }));
const warn = (rows: CoverageHour[]) => coverageWarnings(rows, [], DEFAULT_CORRELATION_SETTINGS);

test('CloudTrail gaps: a region that logs every hour and falls silent once is reported; nightly quiet is not', () => {
  const stopped = [...hours(0, 100), ...hours(105, 240)];
  const w = warn(stopped);
  assert.equal(w.length, 1, JSON.stringify(w));
  assert.equal(w[0]!.kind, 'cloudtrail-gap');
  assert.equal(w[0]!.scope, 'account:111111111111/eu-west-1');
  assert.match(w[0]!.message, /no events from 2026-10-05T04:00Z to 2026-10-05T09:00Z \(5 h\)/);
  // Silent every night from 22:00 to 06:00: a pattern, not a gap.
  const nightly = Array.from({ length: 10 }, (_, d) => hours(d * 24 + 6, d * 24 + 22)).flat();
  assert.deepEqual(warn(nightly), []);
  // Two quiet hours are not reported; sporadic regions never are.
  assert.deepEqual(warn([...hours(0, 100), ...hours(102, 240)]), []);
  assert.deepEqual(warn(Array.from({ length: 40 }, (_, i) => hour({ hour: H0 + i * 7 }))), []);
});

test('short coverage: a log scope with less than a day of events', () => {
  const w = warn([...hours(0, 72), ...hours(10, 13, { account: '222222222222' })]);
  assert.deepEqual(w.map((x) => [x.kind, x.scope]), [['short-coverage', 'account:222222222222']]);
  assert.match(w[0]!.message, /AWS account 222222222222 has only 3 hours of events \(120 events/);
});

test('GCP without Data Access, Entra without non-interactive or service principal sign-ins, Activity without sign-ins', () => {
  const gcp = warn([...hours(0, 48, { provider: 'gcp', account: 'acme-prod', region: null, category: 'activity' }), ...hours(0, 48, { provider: 'gcp', account: 'acme-dev', region: null, category: 'data_access' })]);
  assert.deepEqual(gcp.map((x) => [x.kind, x.scope]), [['gcp-no-data-access', 'project:acme-prod']]);
  const entra = warn(hours(0, 48, { provider: 'azure', account: 'tenant-a', region: null, category: 'SignInLogs', signIn: true }));
  assert.deepEqual(entra.map((x) => x.kind), ['entra-no-noninteractive', 'entra-no-service-principal']);
  const activity = warn(hours(0, 48, { provider: 'azure', account: 'sub-1', region: null, category: 'Administrative' }));
  assert.deepEqual(activity.map((x) => [x.kind, x.scope]), [['azure-no-signins', 'provider:azure']]);
  // A tenant met only as the target of cross-tenant sign-ins is someone else's: nothing is said about its logs.
  assert.deepEqual(warn(hours(0, 48, { provider: 'azure', account: 'partner', region: null, category: 'SignInLogs', signIn: true, crossTenant: true })), []);
});

test('the tail of one kind is folded into one warning', () => {
  const many = Array.from({ length: 15 }, (_, i) => hour({ hour: H0 + i, account: String(100000000000 + i) }));
  const w = warn(many);
  assert.equal(w.length, 11);
  assert.match(w[10]!.message, /… and 5 more short-coverage warnings/);
});

test('a subscription’s tenant: its managed identities’ tenant, else the one tenant with its own sign-in logs', () => {
  const rows = [
    { target: 'sub-1', tenant: 'home', records: 50, managedIdentity: 3 },
    { target: 'sub-1', tenant: 'msp', records: 20, managedIdentity: 0 },
    { target: 'sub-2', tenant: 'home', records: 5, managedIdentity: 0 },
    { target: 'sub-2', tenant: 'msp', records: 5, managedIdentity: 0 },
    { target: 'sub-3', tenant: 'a', records: 5, managedIdentity: 0 },
    { target: 'sub-3', tenant: 'b', records: 5, managedIdentity: 0 },
    { target: 'sub-4', tenant: 'only', records: 9, managedIdentity: 0 },
  ];
  const r = resolveSubscriptionTenants(rows, new Set(['home']));
  assert.deepEqual([...r.tenantOf], [['sub-1', 'home'], ['sub-2', 'home']]);
  assert.deepEqual(r.unknown, [{ subscription: 'sub-3', tenants: ['a', 'b'] }]);
});

test('GCP callers: project of a service account, domain of a user, pool of a federated principal; Google agents are nobody', () => {
  assert.equal(gcpHomeOf('runner@evil-corp-prod.iam.gserviceaccount.com'), 'project:evil-corp-prod');
  assert.equal(gcpHomeOf('Mallory@Partner.Example'), 'domain:partner.example');
  assert.equal(gcpHomeOf('principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/subject/repo:a/b'), 'idp:projects/1/locations/global/workloadIdentityPools/gh');
  assert.equal(gcpHomeOf('service-123456789@gcp-sa-cloudbuild.iam.gserviceaccount.com'), null);
  assert.equal(poolOf('projects/1/locations/global/workloadIdentityPools/gh/providers/actions'), 'projects/1/locations/global/workloadIdentityPools/gh');
});
