import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalizedEvent } from '../../../../shared/domain/event';
import { normalizeAzureActivity } from './normalize-azure-activity';
import { recordKind } from '../record-kind';

const SUB = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const HOME = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const PARTNER = 'c7b2d5e1-9a0f-4b7e-8c31-5d2e6f7a8b90';
const OID = '4e2c9a71-3b5d-4f6e-a1c2-d3e4f5a6b7c8';

function claims(over: Record<string, string> = {}): Record<string, string> {
  return {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${PARTNER}/`,
    iat: '1717359000',
    nbf: '1717359000',
    exp: '1717363800',
    'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd,mfa',
    appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    appidacr: '0',
    'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${PARTNER}/`,
    idtyp: 'user',
    ipaddr: '203.0.113.77',
    name: 'Mallory Partner',
    'http://schemas.microsoft.com/identity/claims/objectidentifier': OID,
    'http://schemas.microsoft.com/identity/claims/scope': 'user_impersonation',
    'http://schemas.microsoft.com/identity/claims/tenantid': PARTNER,
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'mallory@partner.example',
    uti: 'Xy7QkV2nE0aZ9p1c3dLwAA',
    ver: '1.0',
    ...over,
  };
}

function ok(record: Record<string, unknown>): NormalizedEvent {
  const r = normalizeAzureActivity(record);
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

test('a diagnostic-settings record (Event Hubs / storage) maps every column', () => {
  const record = {
    time: '2024-06-02T20:27:12.3456789Z',
    resourceId: `/SUBSCRIPTIONS/${SUB.toUpperCase()}/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/0F8FAD5B-D9CB-469F-A165-70867728950E`,
    operationName: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
    category: 'Write',
    resultType: 'Success',
    resultSignature: 'Succeeded.Created',
    durationMs: 1123,
    callerIpAddress: '203.0.113.77',
    correlationId: '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f',
    identity: {
      authorization: { scope: `/subscriptions/${SUB}`, action: 'Microsoft.Authorization/roleAssignments/write', evidence: { role: 'Owner', principalId: OID.replace(/-/g, ''), principalType: 'User' } },
      claims: claims(),
    },
    level: 'Information',
    location: 'global',
    properties: { statusCode: 'Created', serviceRequestId: 'a4c11dbd-697e-47c5-9663-12362307157d' },
  };
  assert.equal(recordKind(record), 'azure-activity');
  const e = ok(record);
  assert.equal(e.provider, 'azure');
  assert.equal(e.nativeId, '', 'diagnostic records carry no eventDataId: the importer hashes the raw record');
  assert.equal(e.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 345), '7-digit fraction');
  assert.equal(e.timeText, '2024-06-02T20:27:12.3456789Z');
  assert.equal(e.action, 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE', 'case kept as logged');
  assert.equal(e.service, 'MICROSOFT.AUTHORIZATION');
  assert.equal(e.eventType, 'Administrative', 'Write/Delete/Action categories are Administrative events');
  assert.equal(e.outcome, 'success');
  assert.equal(e.errorCode, null);
  assert.equal(e.readOnly, false);
  assert.equal(e.principalType, 'User');
  assert.equal(e.principalId, OID);
  assert.equal(e.principalName, 'mallory@partner.example');
  assert.equal(e.principalAccount, PARTNER, 'the token tenant (tid), not the subscription tenant');
  assert.equal(e.targetAccount, SUB, 'the subscription in resourceId, lowercased');
  assert.equal(e.sourceIp, '203.0.113.77');
  assert.equal(e.sourceService, null);
  assert.equal(e.region, 'global');
  assert.equal(e.credentialId, 'Xy7QkV2nE0aZ9p1c3dLwAA', 'the uti claim');
  assert.equal(e.sessionCreatedMs, 1717359000 * 1000, 'iat');
  assert.equal(e.identityProvider, `https://sts.windows.net/${PARTNER}/`);
  assert.equal(e.requestId, '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f');
  assert.equal(e.targetResource, record.resourceId);
});

test('REST EventData: eventDataId, localized values, status and subStatus; failures carry the ARM error code', () => {
  const e = ok({
    authorization: { action: 'Microsoft.Compute/virtualMachines/delete', scope: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1` },
    caller: 'mallory@partner.example',
    channels: 'Operation',
    claims: claims(),
    correlationId: 'b5768deb-836b-41cc-803e-3f4de2f9e40b',
    eventDataId: 'd0d36f97-b29c-4cd9-9d3d-ea2b92af3e9d',
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    eventTimestamp: '2024-06-02T22:27:12.381+02:00',
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/events/d0d36f97-b29c-4cd9-9d3d-ea2b92af3e9d/ticks/638529280323810000`,
    level: 'Error',
    operationId: '04e575f8-48d0-4c43-a8b3-78c4eb01d287',
    operationName: { value: 'Microsoft.Compute/virtualMachines/delete', localizedValue: 'Delete Virtual Machine' },
    resourceGroupName: 'rg',
    resourceProviderName: { value: 'Microsoft.Compute', localizedValue: 'Microsoft.Compute' },
    resourceType: { value: 'Microsoft.Compute/virtualMachines', localizedValue: 'Microsoft.Compute/virtualMachines' },
    resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
    status: { value: 'Failed', localizedValue: 'Failed' },
    subStatus: { value: 'Forbidden', localizedValue: 'Forbidden (HTTP Status Code: 403)' },
    submissionTimestamp: '2024-06-02T20:27:40.0724829Z',
    subscriptionId: SUB,
    tenantId: HOME,
    httpRequest: { clientRequestId: '3b5e4a5c-1c1d-4f2e-9a8b-7c6d5e4f3a2b', clientIpAddress: '2001:DB8::7', method: 'DELETE' },
    properties: { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization"}}' },
    relatedEvents: [],
  });
  assert.equal(e.nativeId, 'd0d36f97-b29c-4cd9-9d3d-ea2b92af3e9d');
  assert.equal(e.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 381), 'offset applied');
  assert.equal(e.action, 'Microsoft.Compute/virtualMachines/delete');
  assert.equal(e.service, 'Microsoft.Compute');
  assert.equal(e.eventType, 'Administrative');
  assert.equal(e.outcome, 'failure');
  assert.equal(e.errorCode, 'AuthorizationFailed');
  assert.equal(e.readOnly, false);
  assert.equal(e.principalName, 'mallory@partner.example');
  assert.equal(e.targetAccount, SUB);
  assert.equal(e.sourceIp, '2001:db8::7', 'httpRequest.clientIpAddress');
});

test('status words: Started and Accepted are neither success nor failure; /read is read-only', () => {
  const base = { time: '2024-06-02T20:27:12Z', resourceId: `/subscriptions/${SUB}/resourceGroups/rg`, operationName: 'Microsoft.Resources/subscriptions/resourceGroups/read', category: 'Administrative', callerIpAddress: '198.51.100.4' };
  assert.equal(ok({ ...base, resultType: 'Start' }).outcome, 'unknown');
  assert.equal(ok({ ...base, resultType: 'Accept' }).outcome, 'unknown');
  assert.equal(ok({ ...base, resultType: 'Succeeded' }).outcome, 'success');
  assert.equal(ok({ ...base, resultType: 'Failed' }).outcome, 'failure');
  assert.equal(ok({ ...base, resultType: 'Success' }).readOnly, true);
  assert.equal(ok({ ...base, operationName: 'Microsoft.Storage/storageAccounts/listKeys/action', resultType: 'Success' }).readOnly, false);
  assert.equal(ok({ ...base, operationName: 'Microsoft.Network/networkSecurityGroups/delete', resultType: 'Success' }).readOnly, false);
});

test('Log Analytics AzureActivity rows: PascalCase columns, JSON-text Claims / Authorization / Properties; TenantId is the workspace', () => {
  const row = {
    TenantId: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
    SourceSystem: 'Azure',
    TimeGenerated: '2024-06-02T20:27:12.3456789Z',
    CallerIpAddress: '203.0.113.77',
    CategoryValue: 'Administrative',
    CorrelationId: '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f',
    Authorization: JSON.stringify({ action: 'Microsoft.Authorization/roleAssignments/write', scope: `/subscriptions/${SUB}` }),
    Claims: JSON.stringify(claims()),
    Level: 'Informational',
    OperationNameValue: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
    Properties: JSON.stringify({ statusCode: 'Created', eventCategory: 'Administrative' }),
    Caller: 'mallory@partner.example',
    EventDataId: 'e6a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b',
    EventSubmissionTimestamp: '2024-06-02T20:27:40.0724829Z',
    HTTPRequest: JSON.stringify({ clientRequestId: 'x', clientIpAddress: '203.0.113.77', method: 'PUT' }),
    OperationId: '04e575f8-48d0-4c43-a8b3-78c4eb01d287',
    ResourceGroup: '',
    ResourceProviderValue: 'MICROSOFT.AUTHORIZATION',
    ActivityStatusValue: 'Success',
    ActivitySubstatusValue: 'Created',
    Hierarchy: `${HOME}/${SUB}`,
    SubscriptionId: SUB,
    OperationName: 'Create role assignment',
    ActivityStatus: 'Succeeded',
    ActivitySubstatus: 'Created',
    Category: 'Administrative',
    ResourceId: `/SUBSCRIPTIONS/${SUB.toUpperCase()}/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/0F8FAD5B`,
    ResourceProvider: 'Microsoft.Authorization',
    Resource: '0F8FAD5B',
    Type: 'AzureActivity',
    _ResourceId: `/subscriptions/${SUB}/providers/microsoft.authorization/roleassignments/0f8fad5b`,
  };
  assert.equal(recordKind(row), 'azure-activity');
  const e = ok(row);
  assert.equal(e.nativeId, 'e6a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b');
  assert.equal(e.action, 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE', 'OperationNameValue, not the localized OperationName');
  assert.equal(e.outcome, 'success');
  assert.equal(e.principalId, OID);
  assert.equal(e.principalAccount, PARTNER);
  assert.equal(e.credentialId, 'Xy7QkV2nE0aZ9p1c3dLwAA');
  assert.equal(e.targetAccount, SUB);
});

test('Log Analytics CSV datetime cells and the SDK snake_case shape', () => {
  const csvRow = { 'TimeGenerated': '6/2/2024, 8:27:12.345 PM', OperationNameValue: 'Microsoft.Storage/storageAccounts/listKeys/action', ActivityStatusValue: 'Failure', ActivitySubstatusValue: 'Forbidden', SubscriptionId: SUB, CallerIpAddress: '198.51.100.4', Caller: OID };
  const e = ok(csvRow);
  assert.equal(e.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 345));
  assert.equal(e.timeText, '6/2/2024, 8:27:12.345 PM');
  assert.equal(e.errorCode, 'Forbidden');
  assert.equal(e.principalId, OID, 'a GUID caller is the object id');

  const sdk = {
    caller: 'mallory@partner.example',
    claims: claims({ idtyp: 'app', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': '' }),
    event_data_id: '587eda65-125e-48c2-9b04-ab5e8d3a1d8e',
    correlation_id: 'c0c54eb6-3a17-42e2-b6f6-37484ac276c4',
    category: { value: 'Administrative', localized_value: 'Administrative' },
    http_request: { client_request_id: 'a3237fe2', client_ip_address: '192.0.2.44', method: 'DELETE' },
    resource_provider_name: { value: 'Microsoft.Compute', localized_value: 'Microsoft.Compute' },
    resource_id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/disks/d1`,
    operation_name: { value: 'Microsoft.Compute/disks/delete', localized_value: 'Delete disk' },
    status: { value: 'Started', localized_value: 'Started' },
    event_timestamp: '2022-02-09T03:04:54.297853+00:00',
    subscription_id: SUB,
    tenant_id: HOME,
  };
  assert.equal(recordKind(sdk), 'azure-activity');
  const s = ok(sdk);
  assert.equal(s.nativeId, '587eda65-125e-48c2-9b04-ab5e8d3a1d8e');
  assert.equal(s.timeMs, Date.UTC(2022, 1, 9, 3, 4, 54, 297));
  assert.equal(s.sourceIp, '192.0.2.44');
  assert.equal(s.principalType, 'ServicePrincipal');
  assert.equal(s.outcome, 'unknown');
  assert.equal(s.requestId, 'c0c54eb6-3a17-42e2-b6f6-37484ac276c4');
});

test('storage resource logs: HTTP status, key hash as the credential, object key; kube-audit is refused', () => {
  const e = ok({
    time: '2024-12-19T19:15:07.295Z',
    resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default`,
    category: 'StorageRead',
    operationName: 'GetBlob',
    statusCode: 403,
    statusText: 'AuthorizationPermissionMismatch',
    callerIpAddress: '198.51.100.9:57485',
    identity: { type: 'SAS', tokenHash: 'key1(0A1B2C)' },
    properties: { accountName: 'acct', objectKey: '/acct/secrets/key.txt', userAgentHeader: 'curl/8.4.0' },
  });
  assert.equal(e.outcome, 'failure');
  assert.equal(e.errorCode, 'AuthorizationPermissionMismatch');
  assert.equal(e.readOnly, true);
  assert.equal(e.sourceIp, '198.51.100.9', 'port dropped');
  assert.equal(e.credentialId, 'key1(0A1B2C)');
  assert.equal(e.principalType, 'SAS');
  assert.equal(e.targetResource, '/acct/secrets/key.txt');
  assert.equal(e.service, 'Microsoft.Storage');
  const kube = normalizeAzureActivity({ category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: { log: '{}' } });
  assert.equal(kube.ok, false);
  assert.match(!kube.ok ? kube.reason : '', /kube-audit .*not an Azure control-plane call/);
  const noTime = normalizeAzureActivity({ category: 'Administrative', operationName: 'Microsoft.Compute/virtualMachines/write' });
  assert.match(!noTime.ok ? noTime.reason : '', /no time/);
});
