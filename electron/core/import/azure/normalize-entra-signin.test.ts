import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalizedEvent } from '../../../../shared/domain/event';
import { normalizeEntraSignIn } from './normalize-entra-signin';
import { recordKind } from '../record-kind';
import { csvRowFor, csvLayoutOf } from '../csv-row';

const HOME = 'c7b2d5e1-9a0f-4b7e-8c31-5d2e6f7a8b90';
const RESOURCE_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function ok(record: Record<string, unknown>): NormalizedEvent {
  const r = normalizeEntraSignIn(record);
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

/** A Graph beta signIn of a B2B guest from a partner tenant. */
function guestSignIn(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
    createdDateTime: '2024-06-02T20:27:12.3456789Z',
    userDisplayName: 'Mallory Partner',
    userPrincipalName: 'mallory@partner.example',
    userId: 'D3E4F5A6-B7C8-4d9e-8f01-a2b3c4d5e6f7',
    userType: 'guest',
    appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    appDisplayName: 'Microsoft Azure CLI',
    ipAddress: '203.0.113.77',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    correlationId: '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f',
    conditionalAccessStatus: 'notApplied',
    isInteractive: true,
    riskDetail: 'none',
    resourceDisplayName: 'Windows Azure Service Management API',
    resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    resourceTenantId: RESOURCE_TENANT,
    homeTenantId: HOME,
    homeTenantName: 'Partner Ltd',
    crossTenantAccessType: 'b2bCollaboration',
    incomingTokenType: 'none',
    authenticationProtocol: 'none',
    uniqueTokenIdentifier: 'Xy7QkV2nE0aZ9p1c3dLwAA',
    sessionId: '00baf379-e510-523f-1c0e-346163d4a768',
    tokenIssuerType: 'AzureAD',
    tokenIssuerName: '',
    signInEventTypes: ['interactiveUser'],
    userAgent: 'python/3.11 azure-cli/2.61.0',
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: null },
    location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL' },
    ...over,
  };
}

test('a Graph signIn of a cross-tenant guest maps every column', () => {
  const record = guestSignIn();
  assert.equal(recordKind(record), 'entra-signin');
  const e = ok(record);
  assert.equal(e.provider, 'azure');
  assert.equal(e.nativeId, '66ea54eb-6301-4ee5-be62-ff5a759b0100');
  assert.equal(e.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 345));
  assert.equal(e.service, 'Microsoft.aadiam');
  assert.equal(e.action, 'SignIn');
  assert.equal(e.eventType, 'SignInLogs');
  assert.equal(e.outcome, 'success');
  assert.equal(e.errorCode, null);
  assert.equal(e.readOnly, null);
  assert.equal(e.principalType, 'GuestUser');
  assert.equal(e.principalId, 'd3e4f5a6-b7c8-4d9e-8f01-a2b3c4d5e6f7', 'object ids lowercased');
  assert.equal(e.principalName, 'mallory@partner.example');
  assert.equal(e.principalAccount, HOME);
  assert.equal(e.targetAccount, RESOURCE_TENANT);
  assert.equal(e.sourceIp, '203.0.113.77');
  assert.equal(e.issuedCredentialId, 'Xy7QkV2nE0aZ9p1c3dLwAA');
  assert.equal(e.issuedPrincipal, 'd3e4f5a6-b7c8-4d9e-8f01-a2b3c4d5e6f7');
  assert.equal(e.sharedEventId, '66ea54eb-6301-4ee5-be62-ff5a759b0100', 'cross-tenant: both tenants log this id');
  assert.equal(e.requestId, '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f');
  assert.equal(e.targetResource, '797f4846-ba00-4fd7-ba43-dac1f8f63013');
  assert.equal(e.identityProvider, HOME, 'no issuer name: the home tenant vouched for the user');
  assert.equal(e.sourceIdentity, '00baf379-e510-523f-1c0e-346163d4a768');
  assert.equal(e.userAgent, 'python/3.11 azure-cli/2.61.0');
});

test('failures carry status.errorCode and issue nothing; same-tenant sign-ins share no id', () => {
  const e = ok(guestSignIn({ status: { errorCode: 50126, failureReason: 'Invalid username or password' }, crossTenantAccessType: 'none', homeTenantId: RESOURCE_TENANT, userType: 'member' }));
  assert.equal(e.outcome, 'failure');
  assert.equal(e.errorCode, '50126');
  assert.equal(e.issuedCredentialId, null);
  assert.equal(e.issuedPrincipal, null);
  assert.equal(e.sharedEventId, null);
  assert.equal(e.principalType, 'User');
});

test('service principal and managed identity sign-ins put the app in principalName', () => {
  const sp = ok({
    id: '55270060-d8fe-435e-9bf2-219a1d456b60',
    createdDateTime: '2024-06-02T20:27:12Z',
    appId: '3b245ca3-dcce-4a54-a070-49ad8de02963',
    appDisplayName: 'build-pipeline',
    ipAddress: '198.51.100.23',
    correlationId: '52d1e530-786c-443c-8dc8-aa7b1317608e',
    resourceDisplayName: 'Microsoft Graph',
    resourceId: '00000003-0000-0000-c000-000000000000',
    resourceTenantId: RESOURCE_TENANT,
    homeTenantId: RESOURCE_TENANT,
    servicePrincipalId: '4b6986ec-c49c-40c0-89ce-b2ac51213e39',
    servicePrincipalName: 'build-pipeline',
    servicePrincipalCredentialKeyId: '2afc776a-4e79-4588-b2ad-f62c94d6bea8',
    clientCredentialType: 'clientSecret',
    signInEventTypes: ['servicePrincipal'],
    uniqueTokenIdentifier: 'CXXXXXXXXXXXXXXXXXXXXX',
    status: { errorCode: 0 },
  });
  assert.equal(sp.eventType, 'ServicePrincipalSignInLogs');
  assert.equal(sp.principalType, 'ServicePrincipal');
  assert.equal(sp.principalId, '4b6986ec-c49c-40c0-89ce-b2ac51213e39');
  assert.equal(sp.principalName, 'build-pipeline');
  assert.equal(sp.credentialId, '2afc776a-4e79-4588-b2ad-f62c94d6bea8');
  const mi = ok({
    id: '2c9e1f7a-0b3d-4e5f-8a6b-7c8d9e0f1a2b',
    createdDateTime: '2024-06-02T20:27:12Z',
    appId: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    servicePrincipalId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    servicePrincipalName: 'vm-web-01',
    managedIdentityType: 'systemAssigned',
    resourceDisplayName: 'Azure Key Vault',
    resourceId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
    status: { errorCode: 0 },
  });
  assert.equal(mi.eventType, 'ManagedIdentitySignInLogs');
  assert.equal(mi.principalType, 'ManagedIdentity');
  assert.equal(mi.principalName, 'vm-web-01');
  assert.equal(mi.sourceIp, null);
});

test('diagnostic records: the sign-in inside properties, the category outside; Log Analytics rows', () => {
  const diag = {
    time: '2024-06-02T20:29:01.1234567Z',
    resourceId: `/tenants/${RESOURCE_TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'NonInteractiveUserSignInLogs',
    tenantId: RESOURCE_TENANT,
    resultType: '0',
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: '203.0.113.77',
    correlationId: '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f',
    identity: 'Mallory Partner',
    Level: 4,
    location: 'NL',
    properties: guestSignIn({ isInteractive: false, signInEventTypes: ['nonInteractiveUser'] }),
  };
  assert.equal(recordKind(diag), 'entra-signin');
  const d = ok(diag);
  assert.equal(d.eventType, 'NonInteractiveUserSignInLogs');
  assert.equal(d.timeMs, Date.UTC(2024, 5, 2, 20, 27, 12, 345), 'createdDateTime, not the record time');
  assert.equal(d.targetResource, '797f4846-ba00-4fd7-ba43-dac1f8f63013', 'the inner resource app, not the /tenants path');

  const la = {
    TenantId: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
    TimeGenerated: '2024-06-02T20:29:01.1234567Z',
    ResourceId: `/tenants/${RESOURCE_TENANT}/providers/Microsoft.aadiam`,
    OperationName: 'Sign-in activity',
    Category: 'SignInLogs',
    ResultType: '50074',
    ResultDescription: 'Strong Authentication is required.',
    CreatedDateTime: '2024-06-02T20:27:12.3456789Z',
    Id: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
    UserPrincipalName: 'mallory@partner.example',
    UserId: 'd3e4f5a6-b7c8-4d9e-8f01-a2b3c4d5e6f7',
    AppId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    IPAddress: '203.0.113.77',
    Status: '{"errorCode":50074,"failureReason":"Strong Authentication is required."}',
    ResourceIdentity: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    HomeTenantId: HOME,
    ResourceTenantId: RESOURCE_TENANT,
    CrossTenantAccessType: 'b2bCollaboration',
    UniqueTokenIdentifier: 'Xy7QkV2nE0aZ9p1c3dLwAA',
    Type: 'SigninLogs',
  };
  assert.equal(recordKind(la), 'entra-signin');
  const l = ok(la);
  assert.equal(l.nativeId, '66ea54eb-6301-4ee5-be62-ff5a759b0100');
  assert.equal(l.eventType, 'SignInLogs');
  assert.equal(l.outcome, 'failure');
  assert.equal(l.errorCode, '50074');
  assert.equal(l.sourceIp, '203.0.113.77');
  assert.equal(l.targetResource, '797f4846-ba00-4fd7-ba43-dac1f8f63013');
  assert.equal(l.principalAccount, HOME);
  assert.equal(l.targetAccount, RESOURCE_TENANT);
});

test('the admin center CSV download maps back to Graph names; the file name says interactive or not', () => {
  const header = ['Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type', 'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Unique token identifier', 'Application', 'Application ID ', 'Resource', 'Resource ID ', 'Resource tenant ID', 'Home tenant ID', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Session ID'];
  assert.equal(csvLayoutOf(header), 'entra-signin');
  const cells = ['2024-06-02T20:27:12Z', '66ea54eb-6301-4ee5-be62-ff5a759b0100', 'Mozilla/5.0', '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f', 'd3e4f5a6-b7c8-4d9e-8f01-a2b3c4d5e6f7', 'Mallory Partner', 'mallory@partner.example', 'Guest', 'b2bCollaboration', 'none', 'none', 'Xy7QkV2nE0aZ9p1c3dLwAA', 'Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Windows Azure Service Management API', '797f4846-ba00-4fd7-ba43-dac1f8f63013', RESOURCE_TENANT, HOME, '203.0.113.77', 'Amsterdam, Noord-Holland, NL', 'Failure', '50126', 'Invalid username or password', ''];
  const row = Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  const record = csvRowFor('entra-signin', row, 'exports/NonInteractiveSignIns_2024-06-01_2024-06-03.csv');
  assert.equal(recordKind(record), 'entra-signin');
  const e = ok(record);
  assert.equal(e.nativeId, '66ea54eb-6301-4ee5-be62-ff5a759b0100');
  assert.equal(e.eventType, 'NonInteractiveUserSignInLogs');
  assert.equal(e.outcome, 'failure');
  assert.equal(e.errorCode, '50126');
  assert.equal(e.principalType, 'GuestUser');
  assert.equal(e.principalAccount, HOME);
  assert.equal(e.targetAccount, RESOURCE_TENANT);
  assert.equal(e.sourceIdentity, null, 'empty cells are absent');
  assert.equal(ok(csvRowFor('entra-signin', { ...row, Status: 'Interrupted', 'Sign-in error code': '' }, 'x.csv')).outcome, 'unknown');
});
