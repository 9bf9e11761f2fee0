import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalizedEvent } from '../../../../shared/domain/event';
import { normalizeGcpAudit, projectOfServiceAccount } from './normalize-gcp-audit';
import { recordKind } from '../record-kind';

function ok(record: Record<string, unknown>): NormalizedEvent {
  const r = normalizeGcpAudit(record);
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

const WIF_SUBJECT = 'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci-pool/subject/repo:acme/deploy:ref:refs/heads/main';

test('an Admin Activity entry by a service account key maps every column', () => {
  const entry = {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: {
        principalEmail: 'deployer@acme-prod.iam.gserviceaccount.com',
        principalSubject: 'serviceAccount:deployer@acme-prod.iam.gserviceaccount.com',
        serviceAccountKeyName: '//iam.googleapis.com/projects/acme-prod/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com/keys/4f2a9c1e0b7d',
      },
      requestMetadata: { callerIp: '203.0.113.77', callerSuppliedUserAgent: 'google-cloud-sdk gcloud/478.0.0,gzip(gfe)', requestAttributes: { time: '2024-06-02T20:27:12.301Z', auth: {} }, destinationAttributes: {} },
      serviceName: 'cloudresourcemanager.googleapis.com',
      methodName: 'SetIamPolicy',
      authorizationInfo: [{ resource: 'projects/acme-prod', permission: 'resourcemanager.projects.setIamPolicy', granted: true, resourceAttributes: {} }],
      resourceName: 'projects/acme-prod',
      serviceData: { '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData', policyDelta: { bindingDeltas: [{ action: 'ADD', role: 'roles/owner', member: 'user:mallory@partner.example' }] } },
      request: { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: 'acme-prod', policy: {} },
      response: { '@type': 'type.googleapis.com/google.iam.v1.Policy', etag: 'BwYb3Z5mK9w=' },
    },
    insertId: '1x5k2ofe3m7qa',
    resource: { type: 'project', labels: { project_id: 'acme-prod' } },
    timestamp: '2024-06-02T20:27:12.345678912Z',
    severity: 'NOTICE',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
    receiveTimestamp: '2024-06-02T20:27:13.101948313Z',
  };
  assert.equal(recordKind(entry), 'gcp-audit');
  const e = ok(entry);
  assert.equal(e.provider, 'gcp');
  assert.equal(e.nativeId, '1x5k2ofe3m7qa');
  assert.equal(e.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 345), 'nanosecond fraction');
  assert.equal(e.service, 'cloudresourcemanager.googleapis.com');
  assert.equal(e.action, 'SetIamPolicy');
  assert.equal(e.eventType, 'activity');
  assert.equal(e.outcome, 'success');
  assert.equal(e.readOnly, false);
  assert.equal(e.principalType, 'ServiceAccount');
  assert.equal(e.principalId, 'deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(e.principalAccount, 'acme-prod');
  assert.equal(e.targetAccount, 'acme-prod');
  assert.equal(e.sourceIp, '203.0.113.77');
  assert.equal(e.userAgent, 'google-cloud-sdk gcloud/478.0.0,gzip(gfe)');
  assert.equal(e.credentialId, '//iam.googleapis.com/projects/acme-prod/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com/keys/4f2a9c1e0b7d');
  assert.equal(e.issuedCredentialId, null);
});

test('impersonation: GenerateAccessToken issues the credential the impersonated calls carry', () => {
  const mint = ok({
    insertId: 'hbk2yye1l3c8',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
    timestamp: '2024-06-02T20:27:12Z',
    resource: { type: 'service_account', labels: { email_id: 'deployer@acme-prod.iam.gserviceaccount.com', project_id: 'acme-prod', unique_id: '104917375129480126743' } },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: 'mallory@partner.example', principalSubject: 'user:mallory@partner.example' },
      authorizationInfo: [{ permission: 'iam.serviceAccounts.getAccessToken', granted: true, resourceAttributes: {} }],
      methodName: 'GenerateAccessToken',
      request: { '@type': 'type.googleapis.com/google.iam.credentials.v1.GenerateAccessTokenRequest', name: 'projects/-/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com' },
      requestMetadata: { callerIp: '203.0.113.77', callerSuppliedUserAgent: 'python-requests/2.32.3' },
      resourceName: 'projects/-/serviceAccounts/104917375129480126743',
      serviceName: 'iamcredentials.googleapis.com',
      status: {},
    },
  });
  assert.equal(mint.issuedPrincipal, 'deployer@acme-prod.iam.gserviceaccount.com', 'from request.name, not the numeric resourceName');
  assert.equal(mint.targetResource, 'deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(mint.issuedCredentialId, 'mallory@partner.example>deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(mint.readOnly, false);
  assert.equal(mint.principalAccount, null, 'a user, not a service account');

  const use = ok({
    insertId: '-4kq8m1e2x9aa',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com/activity',
    timestamp: '2024-06-02T20:31:40.5Z',
    resource: { type: 'gcs_bucket', labels: { project_id: 'acme-prod', bucket_name: 'acme-backups', location: 'us-central1' } },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: {
        principalEmail: 'deployer@acme-prod.iam.gserviceaccount.com',
        serviceAccountDelegationInfo: [{ firstPartyPrincipal: { principalEmail: 'mallory@partner.example' } }],
      },
      methodName: 'storage.setIamPermissions',
      requestMetadata: { callerIp: '203.0.113.77' },
      resourceName: 'projects/_/buckets/acme-backups',
      serviceName: 'storage.googleapis.com',
      status: { code: 7, message: 'PERMISSION_DENIED' },
    },
  });
  assert.equal(use.credentialId, mint.issuedCredentialId, 'the link the correlator follows');
  assert.equal(use.outcome, 'failure');
  assert.equal(use.errorCode, 'PERMISSION_DENIED');
  assert.equal(use.eventType, 'activity', 'an unescaped logName too');
  assert.equal(use.region, 'us-central1');
});

test('workload identity federation: ExchangeToken and the calls of the federated principal', () => {
  const exchange = ok({
    insertId: '1b2c3d4e5f6g',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
    timestamp: '2024-06-02T20:27:10Z',
    resource: { type: 'audited_resource', labels: { service: 'sts.googleapis.com', method: 'google.identity.sts.v1.SecurityTokenService.ExchangeToken', project_id: 'acme-prod' } },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalSubject: 'repo:acme/deploy:ref:refs/heads/main' },
      metadata: { mapped_principal: WIF_SUBJECT },
      methodName: 'google.identity.sts.v1.SecurityTokenService.ExchangeToken',
      resourceName: 'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github',
      request: { '@type': 'type.googleapis.com/google.identity.sts.v1.ExchangeTokenRequest', grantType: 'urn:ietf:params:oauth:grant-type:token-exchange' },
      requestMetadata: { callerIp: '198.51.100.20', callerSuppliedUserAgent: 'google-github-actions/auth' },
      serviceName: 'sts.googleapis.com',
    },
  });
  assert.equal(exchange.principalType, 'FederatedSubject');
  assert.equal(exchange.principalId, 'repo:acme/deploy:ref:refs/heads/main');
  assert.equal(exchange.issuedPrincipal, WIF_SUBJECT);
  assert.equal(exchange.identityProvider, 'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github');
  assert.equal(exchange.targetResource, exchange.identityProvider);
  assert.equal(exchange.readOnly, false);

  const federated = ok({
    insertId: 'x9y8z7',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
    timestamp: '2024-06-02T20:27:11Z',
    resource: { type: 'service_account', labels: { email_id: 'deployer@acme-prod.iam.gserviceaccount.com', project_id: 'acme-prod' } },
    protoPayload: {
      authenticationInfo: { principalSubject: WIF_SUBJECT },
      methodName: 'SignJwt',
      request: { name: 'projects/-/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com' },
      requestMetadata: { callerIp: 'gce-internal-ip' },
      serviceName: 'iamcredentials.googleapis.com',
    },
  });
  assert.equal(federated.principalType, 'FederatedPrincipal');
  assert.equal(federated.principalId, exchange.issuedPrincipal);
  assert.equal(federated.identityProvider, 'projects/123456789012/locations/global/workloadIdentityPools/ci-pool');
  assert.equal(federated.sourceIp, null, 'gce-internal-ip is not an address');
  assert.equal(federated.sourceService, 'gce-internal-ip');
  assert.equal(federated.issuedCredentialId, `${WIF_SUBJECT}>deployer@acme-prod.iam.gserviceaccount.com`);
});

test('BigQuery sink rows, renamed @type, flattened columns, read methods in data_access', () => {
  const bq = {
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
    resource: { type: 'bigquery_dataset', labels: { project_id: 'acme-prod', dataset_id: 'finance' } },
    protopayload_auditlog: {
      serviceName: 'bigquery.googleapis.com',
      methodName: 'google.cloud.bigquery.v2.JobService.InsertJob',
      resourceName: 'projects/acme-prod/datasets/finance/tables/payroll',
      status: null,
      authenticationInfo: { principalEmail: 'analyst@acme.example', authoritySelector: null, serviceAccountKeyName: null, serviceAccountDelegationInfo: [], principalSubject: null },
      authorizationInfo: [{ resource: 'projects/acme-prod/datasets/finance/tables/payroll', permission: 'bigquery.tables.getData', granted: 'true', resourceAttributes: null }],
      requestMetadata: { callerIp: '192.0.2.10', callerSuppliedUserAgent: 'bq/2.1.4', callerNetwork: null, requestAttributes: null, destinationAttributes: null },
      requestJson: null,
      metadataJson: '{"@type":"type.googleapis.com/google.cloud.audit.BigQueryAuditMetadata","tableDataRead":{"jobName":"projects/acme-prod/jobs/bquxjob_1","reason":"JOB"}}',
    },
    timestamp: '2024-06-02 20:27:12.345678 UTC',
    receiveTimestamp: '2024-06-02 20:27:13.001 UTC',
    severity: 'INFO',
    insertId: '2ihezydi73o',
    operation: null,
  };
  assert.equal(recordKind(bq), 'gcp-audit');
  const e = ok(bq);
  assert.equal(e.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 345));
  assert.equal(e.outcome, 'success', 'a null status');
  assert.equal(e.readOnly, true, 'tableDataRead');
  assert.equal(e.principalId, 'analyst@acme.example');

  const renamed = { insertId: 'a1', timestamp: '2024-06-02T20:27:12Z', logName: 'projects/p1/logs/cloudaudit.googleapis.com%2Fdata_access', protoPayload: { at_sign_type: 'type.googleapis.com/google.cloud.audit.AuditLog', methodName: 'storage.objects.get', serviceName: 'storage.googleapis.com', authenticationInfo: { principalEmail: 'service-123456789012@gcp-sa-cloudbuild.iam.gserviceaccount.com' }, requestMetadata: { callerIP: 'private' } } };
  assert.equal(recordKind(renamed), 'gcp-audit');
  const r = ok(renamed);
  assert.equal(r.readOnly, true);
  assert.equal(r.principalType, 'ServiceAgent');
  assert.equal(r.principalAccount, null, 'a Google-managed agent is not a project of ours');
  assert.equal(r.sourceService, 'private');
  assert.equal(r.targetAccount, 'p1', 'from logName');

  const flat = { insertId: 'f1', timestamp: '2024-06-02T20:27:12Z', 'protoPayload.methodName': 'v1.compute.instances.delete', 'protoPayload.serviceName': 'compute.googleapis.com', 'protoPayload.authenticationInfo.principalEmail': 'ops@acme.example', 'resource.labels.project_id': 'acme-prod' };
  assert.equal(recordKind(flat), 'gcp-audit');
  const f = ok(flat);
  assert.equal(f.action, 'v1.compute.instances.delete');
  assert.equal(f.principalId, 'ops@acme.example');
  assert.equal(f.targetAccount, 'acme-prod');
  assert.equal(f.readOnly, false);
});

test('service accounts name their project; agents and users do not', () => {
  assert.equal(projectOfServiceAccount('deployer@acme-prod.iam.gserviceaccount.com'), 'acme-prod');
  assert.equal(projectOfServiceAccount('acme-prod@appspot.gserviceaccount.com'), 'acme-prod');
  assert.equal(projectOfServiceAccount('123456789012-compute@developer.gserviceaccount.com'), null);
  assert.equal(projectOfServiceAccount('service-123456789012@compute-system.iam.gserviceaccount.com'), null);
  assert.equal(projectOfServiceAccount('service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com'), null);
  assert.equal(projectOfServiceAccount('alice@acme.example'), null);
  const noTime = normalizeGcpAudit({ protoPayload: { methodName: 'io.k8s.core.v1.pods.create' } });
  assert.match(!noTime.ok ? noTime.reason : '', /no timestamp/);
});

test('a caller named by principalSubject only (`user:` / `serviceAccount:`) meets the same caller named by email', () => {
  const e = ok({
    insertId: 's1',
    timestamp: '2024-06-02T20:27:12Z',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      methodName: 'google.iam.admin.v1.CreateServiceAccountKey',
      serviceName: 'iam.googleapis.com',
      authenticationInfo: {
        principalSubject: 'serviceAccount:deployer@acme-prod.iam.gserviceaccount.com',
        serviceAccountDelegationInfo: [{ principalSubject: 'user:mallory@partner.example' }],
      },
    },
  });
  assert.equal(e.principalId, 'deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(e.principalType, 'ServiceAccount');
  assert.equal(e.principalAccount, 'acme-prod');
  assert.equal(e.credentialId, 'mallory@partner.example>deployer@acme-prod.iam.gserviceaccount.com');
});
