// Builds GCP evidence for correlator tests: Cloud Audit Log entries (LogEntry with an AuditLog protoPayload) as
// `gcloud logging read --format=json` writes them, Admin Activity and Data Access logs, on top of a realistic baseline:
// the organisation's people working in their projects, CI impersonating the deployer service account with a key, and
// GitHub Actions federating through a workload identity pool and impersonating the deployer.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPS } from './cloudtrail-scenario';

export const GCP = {
  project: 'acme-prod',
  dev: 'acme-dev',
  projectNumber: '123456789012',
  deployer: 'deployer@acme-prod.iam.gserviceaccount.com',
  ci: 'ci@acme-prod.iam.gserviceaccount.com',
  githubProvider: 'projects/123456789012/locations/global/workloadIdentityPools/github/providers/github-actions',
};
export const githubPrincipal = (repo: string) => `principal://iam.googleapis.com/projects/${GCP.projectNumber}/locations/global/workloadIdentityPools/github/subject/repo:${repo}:ref:refs/heads/main`;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let counter = 0;
const insertId = () => `-${(++counter * 7_919_993).toString(36).padStart(10, 'q')}e${counter % 10}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1482913Z');

type Log = 'activity' | 'data_access';

export class GcpScenario {
  readonly entries: Record<string, unknown>[] = [];
  constructor(readonly t0 = Date.UTC(2026, 9, 10, 9, 0, 0)) {}

  /** One audit log entry. `delegatedBy`: the original caller of an impersonated call (serviceAccountDelegationInfo). */
  entry(o: {
    at: number; log: Log; project?: string; service: string; method: string; principal: string; ip: string; delegatedBy?: string;
    resourceName?: string; resource?: Record<string, unknown>; request?: Record<string, unknown>; metadata?: Record<string, unknown>;
    serviceData?: Record<string, unknown>; denied?: boolean; userAgent?: string; keyName?: string;
  }): string {
    const id = insertId();
    const project = o.project ?? GCP.project;
    const federated = o.principal.startsWith('principal://') || !o.principal.includes('@');
    const delegation = o.delegatedBy
      ? [o.delegatedBy.startsWith('principal://') ? { principalSubject: o.delegatedBy } : { firstPartyPrincipal: { principalEmail: o.delegatedBy } }]
      : undefined;
    this.entries.push({
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        status: o.denied ? { code: 7, message: 'PERMISSION_DENIED' } : {},
        authenticationInfo: {
          ...(federated ? { principalSubject: o.principal } : { principalEmail: o.principal, principalSubject: `${/gserviceaccount\.com$/.test(o.principal) ? 'serviceAccount' : 'user'}:${o.principal}` }),
          ...(o.keyName ? { serviceAccountKeyName: o.keyName } : {}),
          ...(delegation ? { serviceAccountDelegationInfo: delegation } : {}),
        },
        requestMetadata: {
          callerIp: o.ip,
          callerSuppliedUserAgent: o.userAgent ?? 'google-cloud-sdk gcloud/478.0.0 command/gcloud,gzip(gfe)',
          requestAttributes: { time: iso(o.at), auth: {} },
          destinationAttributes: {},
        },
        serviceName: o.service,
        methodName: o.method,
        authorizationInfo: [{ resource: o.resourceName ?? `projects/${project}`, permission: `${o.service.split('.')[0]}.${o.method.split('.').pop()}`, granted: !o.denied, resourceAttributes: {} }],
        resourceName: o.resourceName ?? `projects/${project}`,
        ...(o.serviceData ? { serviceData: o.serviceData } : {}),
        ...(o.request ? { request: o.request } : {}),
        ...(o.metadata ? { metadata: o.metadata } : {}),
      },
      insertId: id,
      resource: o.resource ?? { type: 'project', labels: { project_id: project } },
      timestamp: iso(o.at),
      severity: o.denied ? 'ERROR' : o.log === 'activity' ? 'NOTICE' : 'INFO',
      logName: `projects/${project}/logs/cloudaudit.googleapis.com%2F${o.log}`,
      receiveTimestamp: iso(o.at + 800),
    });
    return id;
  }

  /** GenerateAccessToken (IAM Credentials, a Data Access log in the service account's project). */
  impersonate(o: { at: number; caller: string; sa: string; ip: string; denied?: boolean; keyName?: string }): { insertId: string; credential: string } {
    const project = o.sa.split('@')[1]!.split('.')[0]!;
    const insert = this.entry({
      at: o.at, log: 'data_access', project, service: 'iamcredentials.googleapis.com', method: 'GenerateAccessToken', principal: o.caller, ip: o.ip, denied: o.denied, keyName: o.keyName,
      resourceName: `projects/-/serviceAccounts/1049173751294801${String(counter).padStart(5, '0')}`,
      resource: { type: 'service_account', labels: { email_id: o.sa, project_id: project, unique_id: '104917375129480126743' } },
      request: { '@type': 'type.googleapis.com/google.iam.credentials.v1.GenerateAccessTokenRequest', name: `projects/-/serviceAccounts/${o.sa}`, lifetime: '3600s' },
    });
    return { insertId: insert, credential: `${o.caller}>${o.sa}` };
  }

  /** STS ExchangeToken of workload identity federation (a Data Access log of the pool's project). */
  exchange(o: { at: number; provider: string; subject: string; mapped: string; ip: string }): string {
    return this.entry({
      at: o.at, log: 'data_access', service: 'sts.googleapis.com', method: 'google.identity.sts.v1.SecurityTokenService.ExchangeToken', principal: o.subject, ip: o.ip,
      resourceName: o.provider,
      resource: { type: 'audited_resource', labels: { service: 'sts.googleapis.com', method: 'google.identity.sts.v1.SecurityTokenService.ExchangeToken', project_id: GCP.project } },
      request: { '@type': 'type.googleapis.com/google.identity.sts.v1.ExchangeTokenRequest', grantType: 'urn:ietf:params:oauth:grant-type:token-exchange', audience: `//iam.googleapis.com/${o.provider}` },
      metadata: { '@type': 'type.googleapis.com/google.identity.sts.v1.ExchangeTokenMetadata', mapped_principal: o.mapped },
      userAgent: 'google-github-actions/auth',
    });
  }

  /** A project IAM change (cloudresourcemanager SetIamPolicy, Admin Activity). */
  setIamPolicy(o: { at: number; principal: string; ip: string; delegatedBy?: string; member: string; role: string }): string {
    return this.entry({
      at: o.at, log: 'activity', service: 'cloudresourcemanager.googleapis.com', method: 'SetIamPolicy', principal: o.principal, ip: o.ip, delegatedBy: o.delegatedBy,
      serviceData: { '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData', policyDelta: { bindingDeltas: [{ action: 'ADD', role: o.role, member: o.member }] } },
      request: { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: GCP.project, policy: { bindings: [] } },
    });
  }

  /** A service account key (IAM, Admin Activity). */
  createKey(o: { at: number; principal: string; ip: string; delegatedBy?: string; sa: string }): string {
    return this.entry({
      at: o.at, log: 'activity', service: 'iam.googleapis.com', method: 'google.iam.admin.v1.CreateServiceAccountKey', principal: o.principal, ip: o.ip, delegatedBy: o.delegatedBy,
      resourceName: `projects/-/serviceAccounts/${o.sa}`,
      resource: { type: 'service_account', labels: { email_id: o.sa, project_id: GCP.project } },
      request: { '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest', name: `projects/-/serviceAccounts/${o.sa}`, private_key_type: 2 },
    });
  }

  /** A read (Data Access): listing instances or reading an object. */
  read(o: { at: number; principal: string; ip: string; delegatedBy?: string; project?: string }): string {
    return this.entry({
      at: o.at, log: 'data_access', project: o.project, service: 'compute.googleapis.com', method: 'v1.compute.instances.list', principal: o.principal, ip: o.ip, delegatedBy: o.delegatedBy,
      resourceName: `projects/${o.project ?? GCP.project}/zones/europe-west2-a/instances`,
      resource: { type: 'gce_instance', labels: { project_id: o.project ?? GCP.project, zone: 'europe-west2-a', instance_id: '' } },
    });
  }

  /** A Cloud Run deployment (Admin Activity). */
  deploy(o: { at: number; principal: string; ip: string; delegatedBy?: string }): string {
    return this.entry({
      at: o.at, log: 'activity', service: 'run.googleapis.com', method: 'google.cloud.run.v1.Services.ReplaceService', principal: o.principal, ip: o.ip, delegatedBy: o.delegatedBy,
      resourceName: `namespaces/${GCP.project}/services/web`,
      resource: { type: 'cloud_run_revision', labels: { project_id: GCP.project, service_name: 'web', location: 'europe-west2' } },
    });
  }

  /**
   * Two weeks of the organisation's projects: Alice and Bob (acme.example) read in both projects from the office and
   * Alice changes IAM now and then; CI (a key of ci@acme-prod) impersonates the deployer and deploys; GitHub Actions
   * federates through the github pool, impersonates the deployer and deploys.
   */
  baseline(days = 14): this {
    for (let d = days; d >= 1; d--) {
      const day = this.t0 - d * DAY;
      for (const [i, user] of ['alice@acme.example', 'bob@acme.example'].entries()) {
        const ip = d % 2 ? IPS.office : IPS.office2;
        this.read({ at: day + (i + 1) * HOUR, principal: user, ip });
        this.read({ at: day + (i + 1) * HOUR + 5 * MIN, principal: user, ip, project: GCP.dev });
        if (user.startsWith('alice') && d % 4 === 0) this.setIamPolicy({ at: day + (i + 1) * HOUR + 9 * MIN, principal: user, ip, member: 'user:bob@acme.example', role: 'roles/viewer' });
      }
      const key = `//iam.googleapis.com/projects/${GCP.project}/serviceAccounts/${GCP.ci}/keys/4f2a9c1e0b7d`;
      this.impersonate({ at: day + 3 * HOUR, caller: GCP.ci, sa: GCP.deployer, ip: IPS.github, keyName: key });
      this.deploy({ at: day + 3 * HOUR + 2 * MIN, principal: GCP.deployer, ip: IPS.github, delegatedBy: GCP.ci });
      const subject = 'repo:acme/web:ref:refs/heads/main';
      const mapped = githubPrincipal('acme/web');
      this.exchange({ at: day + 4 * HOUR, provider: GCP.githubProvider, subject, mapped, ip: IPS.github });
      this.impersonate({ at: day + 4 * HOUR + 10_000, caller: mapped, sa: GCP.deployer, ip: IPS.github });
      this.deploy({ at: day + 4 * HOUR + MIN, principal: GCP.deployer, ip: IPS.github, delegatedBy: mapped });
    }
    return this;
  }

  /**
   * Writes the entries as one `gcloud logging read --format=json` array into `dir/folder`; without Data Access logs
   * when `dataAccess` is false. Returns `dir`.
   */
  write(o: { dataAccess?: boolean } = {}, dir = mkdtempSync(join(tmpdir(), 'crossline-gcp-')), folder = 'evidence'): string {
    mkdirSync(join(dir, folder), { recursive: true });
    const kept = o.dataAccess === false ? this.entries.filter((e) => !String(e.logName).endsWith('data_access')) : this.entries;
    writeFileSync(join(dir, folder, 'gcp-audit.json'), JSON.stringify(kept, null, 1));
    return dir;
  }
}

export const gcpAt = { MIN, HOUR, DAY };

/** A service account of another organisation's project. */
export const EVIL_SA = 'runner@evil-corp-prod.iam.gserviceaccount.com';

/** At `at` (an hour in by default): `caller` impersonates the deployer, looks around, grants EVIL_SA owner and mints a key. */
export function foreignImpersonation(s: GcpScenario, caller = EVIL_SA, ip = IPS.volumeNl, at = s.t0 + HOUR) {
  const mint = s.impersonate({ at, caller, sa: GCP.deployer, ip });
  const look = s.read({ at: at + MIN, principal: GCP.deployer, delegatedBy: caller, ip });
  const grant = s.setIamPolicy({ at: at + 3 * MIN, principal: GCP.deployer, delegatedBy: caller, ip, member: `serviceAccount:${EVIL_SA}`, role: 'roles/owner' });
  const key = s.createKey({ at: at + 5 * MIN, principal: GCP.deployer, delegatedBy: caller, ip, sa: GCP.deployer });
  return { mint, look, grant, key };
}
