// The report's ATT&CK mapping per privileged call, against the shipped catalogs: each cloud's own catalog, the
// operation's techniques over its category's list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryTitles, loadReportCatalogs, techniquesInRecord, techniquesOfCall } from './attack-mapping';

const catalogs = loadReportCatalogs();
const ids = (r: { attack: { id: string }[] }) => r.attack.map((a) => a.id);

test('Azure and GCP calls get the techniques their own catalog gives the operation, not an AWS category list', () => {
  const run = techniquesOfCall(catalogs, 'azure', 'Microsoft.Compute', 'Microsoft.Compute/virtualMachines/runCommand/action', 'execution-and-lateral-movement');
  assert.deepEqual(ids(run), ['T1651'], 'run command is a cloud administration command, not Deploy Container or serverless execution');
  assert.equal(run.title, 'Execution and lateral movement');
  const diag = techniquesOfCall(catalogs, 'azure', 'Microsoft.Insights', 'Microsoft.Insights/diagnosticSettings/delete', 'defense-evasion');
  assert.deepEqual(ids(diag), ['T1562.008'], 'deleting diagnostic settings disables cloud logs; no unused regions, no resource hierarchy');
  const key = techniquesOfCall(catalogs, 'gcp', 'iam.googleapis.com', 'google.iam.admin.v1.CreateServiceAccountKey', 'credential-minting');
  assert.deepEqual(ids(key), ['T1098.001'], 'a service account key is an additional cloud credential, not an MFA change');
  const policy = techniquesOfCall(catalogs, 'gcp', 'cloudresourcemanager.googleapis.com', 'SetIamPolicy', 'permission-escalation');
  assert.deepEqual(ids(policy), ['T1098.003'], 'a project IAM policy grants roles; switching audit logs off is in the record, not every call');
});

test("a category's techniques only when it names one; otherwise none rather than all of them", () => {
  // No techniques of its own; its category names exactly one.
  const grant = techniquesOfCall(catalogs, 'azure', 'Microsoft.Authorization', 'Microsoft.Authorization/roleAssignments/write', 'permission-escalation');
  assert.deepEqual(ids(grant), ['T1098.003']);
  // No techniques of its own; data exposure lists four, which the call is not all of.
  const kms = techniquesOfCall(catalogs, 'gcp', 'cloudkms.googleapis.com', 'SetIamPolicy', 'data-exposure');
  assert.deepEqual(ids(kms), []);
  assert.equal(kms.title, 'Data exposure');
  // AWS keeps its mapping.
  assert.deepEqual(ids(techniquesOfCall(catalogs, 'aws', 'cloudtrail.amazonaws.com', 'StopLogging', 'defense-evasion')), ['T1562.008']);
  assert.deepEqual(ids(techniquesOfCall(catalogs, 'aws', 'iam.amazonaws.com', 'AttachRolePolicy', 'permission-escalation')), ['T1098.003']);
});

test('a cloud without a readable catalog maps nothing and shows the category id', () => {
  const none = techniquesOfCall({ aws: catalogs.aws }, 'gcp', 'iam.googleapis.com', 'google.iam.admin.v1.CreateServiceAccountKey', 'credential-minting');
  assert.deepEqual(none, { title: 'credential-minting', attack: [] });
  assert.equal(categoryTitles(catalogs, 'azure')['permission-escalation'], 'Permission escalation');
  assert.deepEqual(categoryTitles({}, 'azure'), {});
});

test('a GCP SetIamPolicy that switches Data Access logs off or exempts a member is named T1562.008 from its own record', () => {
  const record = (deltas: unknown[]) => JSON.stringify({
    protoPayload: { methodName: 'SetIamPolicy', serviceData: { '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData', policyDelta: { bindingDeltas: [], auditConfigDeltas: deltas } } },
  });
  const removed = record([{ action: 'REMOVE', service: 'allServices', logType: 'DATA_READ' }]);
  assert.deepEqual(techniquesInRecord('gcp', 'SetIamPolicy', removed).map((t) => t.id), ['T1562.008']);
  const exempted = record([{ action: 'ADD', service: 'storage.googleapis.com', logType: 'DATA_READ', exemptedMember: 'user:mallory@example.com' }]);
  assert.deepEqual(techniquesInRecord('gcp', 'SetIamPolicy', exempted).map((t) => t.id), ['T1562.008']);
  // Turning logs on, a plain role grant, another cloud, or a record that cannot be read: nothing added.
  assert.deepEqual(techniquesInRecord('gcp', 'SetIamPolicy', record([{ action: 'ADD', service: 'allServices', logType: 'DATA_WRITE' }])), []);
  assert.deepEqual(techniquesInRecord('gcp', 'SetIamPolicy', record([])), []);
  assert.deepEqual(techniquesInRecord('aws', 'SetIamPolicy', removed), []);
  assert.deepEqual(techniquesInRecord('gcp', 'SetIamPolicy', '{"auditConfigDeltas": [truncated'), []);
  // Newer entries carry the delta under metadata instead of serviceData.
  const inMetadata = JSON.stringify({ protoPayload: { metadata: { policyDelta: { auditConfigDeltas: [{ action: 'REMOVE', service: 'allServices', logType: 'DATA_WRITE' }] } } } });
  assert.deepEqual(techniquesInRecord('gcp', 'google.iam.v1.IAMPolicy.SetIamPolicy', inMetadata).map((t) => t.id), ['T1562.008']);
});
