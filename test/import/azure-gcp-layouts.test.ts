// Every layout Azure Activity, Entra ID sign-in and GCP Cloud Audit Log evidence arrives in imports to the same
// provider-neutral rows: normalized values the correlator can use, the record's original text byte for byte, and
// an evidence row whose format names the layout. Records are constructed here, complete and realistic, from the
// providers' documented schemas; nothing is shared with the importer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  cloudTrailRecord, csvLine, importInto, jsonLines, sha256, sourceEndingWith, storedEvents, tempDir, writeEvidence,
  type EventRow,
} from '../support/evidence-fixtures';

type Row = EventRow & { target_resource: string | null; identity_provider: string | null; source_identity: string | null; session_created_ms: number | null };
type Rec = Record<string, unknown>;

const T = Date.UTC(2024, 5, 2, 20, 27, 12);
const SUB = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const PARTNER = 'c7b2d5e1-9a0f-4b7e-8c31-5d2e6f7a8b90';
const GUEST_OID = 'd3e4f5a6-b7c8-4d9e-8f01-a2b3c4d5e6f7';
const UTI = 'Xy7QkV2nE0aZ9p1c3dLwAA';
const ROLE_ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/0f8fad5b-d9cb-469f-a165-70867728950e`;

function rows(db: Parameters<typeof storedEvents>[0], file?: string): Row[] {
  return (storedEvents(db) as Row[]).filter((r) => file === undefined || r.source_path === file);
}

function one(list: Row[], pred: (r: Row) => boolean, what: string): Row {
  const found = list.filter(pred);
  assert.equal(found.length, 1, `one stored event: ${what}`);
  return found[0]!;
}

/** Records without an id of their own are identified by the hash of their raw bytes. */
function hashId(raw: string): string {
  return `sha256:${sha256(raw).slice(0, 32)}`;
}

/** Element text inside `JSON.stringify(array, null, 2)`: how a pretty-printed download holds each record. */
function prettyElement(record: unknown): string {
  return JSON.stringify(record, null, 2).split('\n').join('\n  ');
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Activity builders

function armClaims(over: Rec = {}): Rec {
  return {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${PARTNER}/`,
    iat: String(T / 1000 - 600),
    nbf: String(T / 1000 - 600),
    exp: String(T / 1000 + 4200),
    'http://schemas.microsoft.com/claims/authnclassreference': '1',
    aio: 'AVQAq/8WAAAAx3+9m0u0Zb9fJ2o=',
    'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd,mfa',
    appid: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    appidacr: '2',
    'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${PARTNER}/`,
    idtyp: 'user',
    ipaddr: '203.0.113.77',
    name: 'Mallory Partner',
    'http://schemas.microsoft.com/identity/claims/objectidentifier': GUEST_OID,
    puid: '10032003A1B2C3D4',
    'http://schemas.microsoft.com/identity/claims/scope': 'user_impersonation',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier': 'b-24Jf94A3FH2sHWVIFqO3-RSJEiv24Jnif3gj7s',
    'http://schemas.microsoft.com/identity/claims/tenantid': PARTNER,
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': 'mallory@partner.example',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'mallory@partner.example',
    uti: UTI,
    ver: '1.0',
    xms_tcdt: '1589465280',
    ...over,
  };
}

/** Diagnostic settings (Event Hubs / storage): the common resource-log schema. */
function diagActivity(over: Rec = {}): Rec {
  return {
    time: '2024-06-02T20:27:12.3456789Z',
    resourceId: ROLE_ASSIGNMENT.toUpperCase(),
    operationName: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
    category: 'Administrative',
    resultType: 'Success',
    resultSignature: 'Succeeded.Created',
    durationMs: '1123',
    callerIpAddress: '203.0.113.77',
    correlationId: '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f',
    identity: {
      authorization: {
        scope: ROLE_ASSIGNMENT,
        action: 'Microsoft.Authorization/roleAssignments/write',
        evidence: { role: 'User Access Administrator', roleAssignmentScope: `/subscriptions/${SUB}`, roleAssignmentId: '5a1b2c3d4e5f40718293a4b5c6d7e8f9', roleDefinitionId: '18d7d88dd35e4fb5a5c37773c20a72d9', principalId: GUEST_OID.replace(/-/g, ''), principalType: 'User' },
      },
      claims: armClaims(),
    },
    level: 'Information',
    location: 'global',
    properties: {
      statusCode: 'Created',
      serviceRequestId: 'a4c11dbd-697e-47c5-9663-12362307157d',
      eventCategory: 'Administrative',
      entity: ROLE_ASSIGNMENT,
      message: 'Microsoft.Authorization/roleAssignments/write',
      hierarchy: `${TENANT}/${SUB}`,
      requestbody: '{"Id":"0f8fad5b-d9cb-469f-a165-70867728950e","Properties":{"PrincipalId":"d3e4f5a6b7c84d9e8f01a2b3c4d5e6f7","RoleDefinitionId":"/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","Scope":"/subscriptions/3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"}}',
    },
    ...over,
  };
}

/** REST / portal JSON / az CLI (EventData). */
function restActivity(over: Rec = {}): Rec {
  const eventDataId = (over.eventDataId as string | undefined) ?? 'd0d36f97-b29c-4cd9-9d3d-ea2b92af3e9d';
  const resourceId = `/subscriptions/${SUB}/resourceGroups/prod-rg/providers/Microsoft.Compute/virtualMachines/web-01`;
  return {
    authorization: { action: 'Microsoft.Compute/virtualMachines/runCommand/action', scope: resourceId },
    caller: 'mallory@partner.example',
    channels: 'Operation',
    claims: armClaims(),
    correlationId: 'b5768deb-836b-41cc-803e-3f4de2f9e40b',
    description: '',
    eventDataId,
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    eventTimestamp: '2024-06-02T20:29:44.1234567Z',
    id: `${resourceId}/events/${eventDataId}/ticks/638529281841234567`,
    level: 'Informational',
    operationId: '04e575f8-48d0-4c43-a8b3-78c4eb01d287',
    operationName: { value: 'Microsoft.Compute/virtualMachines/runCommand/action', localizedValue: 'Run Command on Virtual Machine' },
    resourceGroupName: 'prod-rg',
    resourceProviderName: { value: 'Microsoft.Compute', localizedValue: 'Microsoft.Compute' },
    resourceType: { value: 'Microsoft.Compute/virtualMachines', localizedValue: 'Microsoft.Compute/virtualMachines' },
    resourceId,
    status: { value: 'Succeeded', localizedValue: 'Succeeded' },
    subStatus: { value: 'OK', localizedValue: 'OK (HTTP Status Code: 200)' },
    submissionTimestamp: '2024-06-02T20:30:11.0724829Z',
    subscriptionId: SUB,
    tenantId: TENANT,
    httpRequest: { clientRequestId: '3b5e4a5c-1c1d-4f2e-9a8b-7c6d5e4f3a2b', clientIpAddress: '203.0.113.77', method: 'POST' },
    properties: { statusCode: 'OK', serviceRequestId: '7c1f2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', eventCategory: 'Administrative', entity: resourceId, message: 'Microsoft.Compute/virtualMachines/runCommand/action', hierarchy: `${TENANT}/${SUB}` },
    relatedEvents: [],
    ...over,
  };
}

/** Log Analytics / Sentinel AzureActivity row: dynamic columns as JSON text. */
function laActivity(over: Rec = {}): Rec {
  return {
    TenantId: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
    SourceSystem: 'Azure',
    CallerIpAddress: '203.0.113.77',
    CategoryValue: 'Administrative',
    CorrelationId: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
    Authorization: JSON.stringify({ action: 'Microsoft.KeyVault/vaults/accessPolicies/write', scope: `/subscriptions/${SUB}/resourceGroups/prod-rg/providers/Microsoft.KeyVault/vaults/prod-kv` }),
    Claims: JSON.stringify(armClaims()),
    Level: 'Informational',
    OperationNameValue: 'Microsoft.KeyVault/vaults/accessPolicies/write',
    Properties: JSON.stringify({ statusCode: 'OK', eventCategory: 'Administrative', entity: `/subscriptions/${SUB}/resourceGroups/prod-rg/providers/Microsoft.KeyVault/vaults/prod-kv` }),
    Caller: 'mallory@partner.example',
    EventDataId: 'e6a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b',
    EventSubmissionTimestamp: '2024-06-02T20:31:40.0724829Z',
    HTTPRequest: JSON.stringify({ clientRequestId: '1a2b', clientIpAddress: '203.0.113.77', method: 'PUT' }),
    OperationId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    ResourceGroup: 'PROD-RG',
    ResourceProviderValue: 'MICROSOFT.KEYVAULT',
    ActivityStatusValue: 'Success',
    ActivitySubstatusValue: 'OK',
    Hierarchy: `${TENANT}/${SUB}`,
    TimeGenerated: '2024-06-02T20:31:12.3456789Z',
    SubscriptionId: SUB,
    OperationName: 'Update Key Vault Access Policy',
    ActivityStatus: 'Succeeded',
    ActivitySubstatus: 'OK',
    Category: 'Administrative',
    ResourceId: `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/PROD-KV`,
    ResourceProvider: 'Microsoft.KeyVault',
    Resource: 'PROD-KV',
    Type: 'AzureActivity',
    _ResourceId: `/subscriptions/${SUB}/resourcegroups/prod-rg/providers/microsoft.keyvault/vaults/prod-kv`,
    ...over,
  };
}

/** Azure SDK for Python EventData.as_dict() (as plaso's tests hold it): snake_case. */
function sdkActivity(over: Rec = {}): Rec {
  const resourceId = `/subscriptions/${SUB}/resourceGroups/prod-rg/providers/Microsoft.Compute/disks/web-01_OsDisk`;
  return {
    authorization: { action: 'Microsoft.Compute/disks/beginGetAccess/action', scope: resourceId },
    claims: armClaims(),
    caller: 'mallory@partner.example',
    description: '',
    id: `${resourceId}/events/587eda65-125e-48c2-9b04-ab5e8d3a1d8e/ticks/638529282000000000`,
    event_data_id: '587eda65-125e-48c2-9b04-ab5e8d3a1d8e',
    correlation_id: 'c0c54eb6-3a17-42e2-b6f6-37484ac276c4',
    event_name: { value: 'EndRequest', localized_value: 'End request' },
    category: { value: 'Administrative', localized_value: 'Administrative' },
    http_request: { client_request_id: 'a3237fe2-5fca-4cfd-9d1f-b96312320428', client_ip_address: '203.0.113.77', method: 'POST' },
    level: 'Informational',
    resource_group_name: 'prod-rg',
    resource_provider_name: { value: 'Microsoft.Compute', localized_value: 'Microsoft.Compute' },
    resource_id: resourceId,
    resource_type: { value: 'Microsoft.Compute/disks', localized_value: 'Microsoft.Compute/disks' },
    operation_id: '80287633-d288-49d7-b25e-7ba8cf6bf1da',
    operation_name: { value: 'Microsoft.Compute/disks/beginGetAccess/action', localized_value: 'Get Disk SAS URI' },
    properties: { eventCategory: 'Administrative', entity: resourceId, message: 'Microsoft.Compute/disks/beginGetAccess/action', hierarchy: `${TENANT}/${SUB}` },
    status: { value: 'Succeeded', localized_value: 'Succeeded' },
    sub_status: { value: 'Accepted', localized_value: 'Accepted (HTTP Status Code: 202)' },
    event_timestamp: '2024-06-02T20:35:00.250000+00:00',
    submission_timestamp: '2024-06-02T20:36:01.182686+00:00',
    subscription_id: SUB,
    tenant_id: TENANT,
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Entra sign-in builders

/** A Graph signIn (beta) of a B2B guest from the partner tenant, interactive. */
function guestSignIn(over: Rec = {}): Rec {
  return {
    id: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
    createdDateTime: '2024-06-02T20:17:12.1234567Z',
    userDisplayName: 'Mallory Partner',
    userPrincipalName: 'mallory@partner.example',
    userId: GUEST_OID,
    userType: 'guest',
    appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    appDisplayName: 'Azure Portal',
    ipAddress: '203.0.113.77',
    ipAddressFromResourceProvider: null,
    clientAppUsed: 'Browser',
    correlationId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
    conditionalAccessStatus: 'success',
    originalRequestId: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
    isInteractive: true,
    tokenIssuerName: '',
    tokenIssuerType: 'AzureAD',
    clientCredentialType: 'none',
    processingTimeInMilliseconds: 312,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    resourceDisplayName: 'Windows Azure Service Management API',
    resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    resourceTenantId: TENANT,
    homeTenantId: PARTNER,
    homeTenantName: 'Partner Ltd',
    crossTenantAccessType: 'b2bCollaboration',
    incomingTokenType: 'none',
    authenticationProtocol: 'none',
    uniqueTokenIdentifier: UTI,
    sessionId: '00baf379-e510-523f-1c0e-346163d4a768',
    signInEventTypes: ['interactiveUser'],
    autonomousSystemNumber: 64500,
    authenticationRequirement: 'multiFactorAuthentication',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: 'MFA requirement satisfied by claim in the token' },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows10', browser: 'Chrome 125.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL', geoCoordinates: { altitude: null, latitude: 52.37, longitude: 4.89 } },
    appliedConditionalAccessPolicies: [],
    ...over,
  };
}

function servicePrincipalSignIn(over: Rec = {}): Rec {
  return {
    id: '55270060-d8fe-435e-9bf2-219a1d456b60',
    createdDateTime: '2024-06-02T20:40:00.5Z',
    appId: '3b245ca3-dcce-4a54-a070-49ad8de02963',
    appDisplayName: 'partner-sync',
    ipAddress: '198.51.100.23',
    correlationId: '52d1e530-786c-443c-8dc8-aa7b1317608e',
    resourceDisplayName: 'Microsoft Graph',
    resourceId: '00000003-0000-0000-c000-000000000000',
    resourceTenantId: TENANT,
    homeTenantId: PARTNER,
    crossTenantAccessType: 'none',
    servicePrincipalId: '4b6986ec-c49c-40c0-89ce-b2ac51213e39',
    servicePrincipalName: 'partner-sync',
    servicePrincipalCredentialKeyId: '2afc776a-4e79-4588-b2ad-f62c94d6bea8',
    servicePrincipalCredentialThumbprint: '',
    clientCredentialType: 'clientSecret',
    managedIdentityType: 'none',
    signInEventTypes: ['servicePrincipal'],
    uniqueTokenIdentifier: 'CXq2dYp8Z0mN1lKjHgFeDA',
    status: { errorCode: 0 },
    location: { city: 'Dublin', state: 'Dublin', countryOrRegion: 'IE' },
    ...over,
  };
}

function managedIdentitySignIn(over: Rec = {}): Rec {
  return {
    id: '2c9e1f7a-0b3d-4e5f-8a6b-7c8d9e0f1a2b',
    createdDateTime: '2024-06-02T20:41:00Z',
    appId: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    appDisplayName: null,
    ipAddress: '',
    correlationId: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b',
    resourceDisplayName: 'Azure Key Vault',
    resourceId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
    resourceTenantId: TENANT,
    homeTenantId: TENANT,
    servicePrincipalId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    servicePrincipalName: 'vm-web-01',
    managedIdentityType: 'systemAssigned',
    signInEventTypes: ['managedIdentity'],
    uniqueTokenIdentifier: 'MIq2dYp8Z0mN1lKjHgFeDA',
    status: { errorCode: 0 },
    ...over,
  };
}

/** Diagnostic settings wrap the Graph object: category, time, resultType around it. */
function diagSignIn(category: string, signIn: Rec): Rec {
  return {
    time: '2024-06-02T20:45:01.0000000Z',
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category,
    tenantId: TENANT,
    resultType: String((signIn.status as Rec).errorCode),
    resultSignature: 'None',
    resultDescription: (signIn.status as Rec).failureReason ?? '',
    durationMs: 0,
    callerIpAddress: signIn.ipAddress,
    correlationId: signIn.correlationId,
    identity: signIn.userDisplayName ?? signIn.servicePrincipalName,
    Level: 4,
    location: 'NL',
    properties: signIn,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// GCP builders

function gcpEntry(over: Rec = {}, payload: Rec = {}): Rec {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: { principalEmail: 'ops@acme.example', principalSubject: 'user:ops@acme.example' },
      requestMetadata: {
        callerIp: '192.0.2.10',
        callerSuppliedUserAgent: 'google-cloud-sdk gcloud/478.0.0 command/gcloud.compute.instances.delete,gzip(gfe)',
        requestAttributes: { time: '2024-06-02T20:50:00.512345Z', auth: {} },
        destinationAttributes: {},
      },
      serviceName: 'compute.googleapis.com',
      methodName: 'v1.compute.instances.delete',
      authorizationInfo: [{ permission: 'compute.instances.delete', granted: true, resourceAttributes: { service: 'compute', name: 'projects/acme-prod/zones/us-central1-a/instances/web-01', type: 'compute.instances' } }],
      resourceName: 'projects/acme-prod/zones/us-central1-a/instances/web-01',
      request: { '@type': 'type.googleapis.com/compute.instances.delete' },
      response: { '@type': 'type.googleapis.com/operation', id: '4913472903847562', name: 'operation-1717361400000-61a2b3c4d5e6f', status: 'RUNNING' },
      resourceLocation: { currentLocations: ['us-central1-a'] },
      ...payload,
    },
    insertId: '-q1w2e3r4t5y6',
    resource: { type: 'gce_instance', labels: { instance_id: '4913472903847562331', project_id: 'acme-prod', zone: 'us-central1-a' } },
    timestamp: '2024-06-02T20:50:00.512345678Z',
    severity: 'NOTICE',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
    operation: { id: 'operation-1717361400000-61a2b3c4d5e6f', producer: 'compute.googleapis.com', first: true },
    receiveTimestamp: '2024-06-02T20:50:01.104937152Z',
    ...over,
  };
}

function gcpImpersonation(): Rec {
  return gcpEntry(
    {
      insertId: 'hbk2yye1l3c8',
      logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
      resource: { type: 'service_account', labels: { email_id: 'deployer@acme-prod.iam.gserviceaccount.com', project_id: 'acme-prod', unique_id: '104917375129480126743' } },
      timestamp: '2024-06-02T20:48:00.000001Z',
      operation: undefined,
      severity: 'INFO',
    },
    {
      authenticationInfo: { principalEmail: 'mallory@partner.example', principalSubject: 'user:mallory@partner.example' },
      requestMetadata: { callerIp: '203.0.113.77', callerSuppliedUserAgent: 'python-requests/2.32.3', requestAttributes: { time: '2024-06-02T20:48:00Z', auth: {} }, destinationAttributes: {} },
      serviceName: 'iamcredentials.googleapis.com',
      methodName: 'GenerateAccessToken',
      authorizationInfo: [{ permission: 'iam.serviceAccounts.getAccessToken', granted: true, resourceAttributes: {} }],
      resourceName: 'projects/-/serviceAccounts/104917375129480126743',
      request: { '@type': 'type.googleapis.com/google.iam.credentials.v1.GenerateAccessTokenRequest', name: 'projects/-/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com' },
      response: undefined,
      resourceLocation: undefined,
    },
  );
}

function gcpImpersonatedCall(): Rec {
  return gcpEntry(
    { insertId: '-4kq8m1e2x9aa', timestamp: '2024-06-02T20:49:30.25Z' },
    {
      authenticationInfo: {
        principalEmail: 'deployer@acme-prod.iam.gserviceaccount.com',
        serviceAccountDelegationInfo: [{ firstPartyPrincipal: { principalEmail: 'mallory@partner.example' } }],
        principalSubject: 'serviceAccount:deployer@acme-prod.iam.gserviceaccount.com',
      },
      requestMetadata: { callerIp: '203.0.113.77', callerSuppliedUserAgent: 'python-requests/2.32.3', requestAttributes: {}, destinationAttributes: {} },
      serviceName: 'cloudresourcemanager.googleapis.com',
      methodName: 'SetIamPolicy',
      resourceName: 'projects/acme-prod',
      authorizationInfo: [{ resource: 'projects/acme-prod', permission: 'resourcemanager.projects.setIamPolicy', granted: true, resourceAttributes: {} }],
      request: { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: 'acme-prod', policy: { bindings: [{ role: 'roles/owner', members: ['user:mallory@partner.example'] }] } },
      response: { '@type': 'type.googleapis.com/google.iam.v1.Policy', etag: 'BwYb3Z5mK9w=' },
      serviceData: { '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData', policyDelta: { bindingDeltas: [{ action: 'ADD', role: 'roles/owner', member: 'user:mallory@partner.example' }] } },
      resourceLocation: undefined,
    },
  );
}

/** A BigQuery sink row: `protopayload_auditlog`, JSON columns as text, TIMESTAMPs in BigQuery's text form. */
function bigQueryRow(): Rec {
  return {
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
    resource: { type: 'gcs_bucket', labels: { method: null, location: 'us', project_id: 'acme-prod', bucket_name: 'acme-backups', service: null } },
    protopayload_auditlog: {
      serviceName: 'storage.googleapis.com',
      methodName: 'storage.objects.get',
      resourceName: 'projects/_/buckets/acme-backups/objects/db/2024-06-01.sql.gz',
      resourceLocation: { currentLocations: ['us'], originalLocations: [] },
      numResponseItems: null,
      status: null,
      authenticationInfo: {
        principalEmail: 'deployer@acme-prod.iam.gserviceaccount.com',
        authoritySelector: null,
        serviceAccountKeyName: null,
        serviceAccountDelegationInfo: [{ firstPartyPrincipal: { principalEmail: 'mallory@partner.example', serviceMetadata: null }, thirdPartyPrincipal: null, principalSubject: null }],
        principalSubject: 'serviceAccount:deployer@acme-prod.iam.gserviceaccount.com',
      },
      authorizationInfo: [{ resource: 'projects/_/buckets/acme-backups/objects/db/2024-06-01.sql.gz', permission: 'storage.objects.get', granted: true, resourceAttributes: {} }],
      requestMetadata: { callerIp: '203.0.113.77', callerSuppliedUserAgent: 'python-requests/2.32.3,gzip(gfe)', callerNetwork: null, requestAttributes: { time: '2024-06-02 20:52:10.001 UTC', auth: {} }, destinationAttributes: {} },
      requestJson: null,
      responseJson: null,
      metadataJson: null,
      servicedata_v1_bigquery: null,
      servicedata_v1_iam: null,
      policyViolationInfo: null,
    },
    textPayload: null,
    timestamp: '2024-06-02 20:52:10.123456 UTC',
    receiveTimestamp: '2024-06-02 20:52:11.002003 UTC',
    severity: 'INFO',
    insertId: '1cbd8zme1rx2q',
    httpRequest: null,
    operation: null,
    trace: null,
    spanId: null,
    traceSampled: null,
    sourceLocation: null,
    split: null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Activity

test('Azure Activity diagnostic settings: Event Hubs {"records":[…]} and storage PT1H.json import every record', async () => {
  const dir = tempDir();
  const write = diagActivity();
  const failed = diagActivity({
    time: '2024-06-02T20:28:02.7654321Z',
    operationName: 'Microsoft.Authorization/roleAssignments/write',
    category: 'Write',
    resultType: 'Failure',
    resultSignature: 'Forbidden',
    callerIpAddress: '198.51.100.99',
    properties: { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action"}}' },
  });
  const hub = writeEvidence(dir, 'eventhub/insights-activity-logs/0/2024/06/02/20/27/12.json', JSON.stringify({ records: [write, failed] }));
  // Storage: JSON lines since November 2018; the same operation written in another case.
  const lower = diagActivity({ time: '2024-06-02T20:30:00.1000000Z', operationName: 'microsoft.authorization/roleassignments/write', correlationId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9' });
  const read = diagActivity({ time: '2024-06-02T20:31:00Z', operationName: 'Microsoft.Authorization/roleAssignments/read', resultType: 'Success', identity: { claims: armClaims() } });
  const blobPath = `insights-activity-logs/resourceId=/SUBSCRIPTIONS/${SUB.toUpperCase()}/y=2024/m=06/d=02/h=20/m=00/PT1H.json`;
  const blob = writeEvidence(dir, blobPath, `${jsonLines([lower, read])}\n`);

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 4);
  const hubSource = sourceEndingWith(db, '27/12.json');
  assert.equal(hubSource.format, 'azure-activity:records');
  assert.equal(hubSource.sha256, sha256(readFileSync(hub)));
  assert.equal(sourceEndingWith(db, 'PT1H.json').format, 'azure-activity:blob');

  const hubRows = rows(db, hub);
  const w = one(hubRows, (r) => r.raw === JSON.stringify(write), 'the write');
  assert.equal(w.provider, 'azure');
  assert.equal(w.native_id, hashId(JSON.stringify(write)), 'no eventDataId in this layout: the raw bytes identify it');
  assert.equal(w.time_ms, T + 345);
  assert.equal(w.time_text, '2024-06-02T20:27:12.3456789Z');
  assert.equal(w.service, 'MICROSOFT.AUTHORIZATION');
  assert.equal(w.action, 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE');
  assert.equal(w.event_type, 'Administrative');
  assert.equal(w.outcome, 'success');
  assert.equal(w.read_only, 0);
  assert.equal(w.principal_type, 'User');
  assert.equal(w.principal_id, GUEST_OID);
  assert.equal(w.principal_name, 'mallory@partner.example');
  assert.equal(w.principal_account, PARTNER);
  assert.equal(w.target_account, SUB);
  assert.equal(w.source_ip, '203.0.113.77');
  assert.equal(w.credential_id, UTI);
  assert.equal(w.request_id, '9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f');
  assert.equal(w.target_resource, ROLE_ASSIGNMENT.toUpperCase());
  assert.equal(w.identity_provider, `https://sts.windows.net/${PARTNER}/`);
  assert.equal(w.session_created_ms, T - 600_000);

  const f = one(hubRows, (r) => r.raw === JSON.stringify(failed), 'the failure');
  assert.equal(f.outcome, 'failure');
  assert.equal(f.error_code, 'AuthorizationFailed');
  assert.equal(f.event_type, 'Administrative', 'category Write, no eventCategory');
  assert.equal(f.time_ms, Date.UTC(2024, 5, 2, 20, 28, 2, 765));

  const blobRows = rows(db, blob);
  assert.deepEqual(blobRows.map((r) => r.raw), [JSON.stringify(lower), JSON.stringify(read)], 'each line verbatim');
  assert.deepEqual(blobRows.map((r) => r.action), ['microsoft.authorization/roleassignments/write', 'Microsoft.Authorization/roleAssignments/read'], 'case as logged');
  assert.deepEqual(blobRows.map((r) => r.read_only), [0, 1]);
  assert.equal(
    (db.prepare("SELECT count(*) n FROM events_v WHERE lower(action) = 'microsoft.authorization/roleassignments/write'").get() as { n: number }).n,
    3,
    'mixed case operation names meet when compared case-insensitively',
  );
});

test('Azure Activity REST {"value":[…]}, az CLI arrays and the SDK snake_case shape keep eventDataId', async () => {
  const dir = tempDir();
  const run = restActivity();
  const deny = restActivity({
    eventDataId: 'f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b',
    eventTimestamp: '2024-06-02T22:29:50.5+02:00',
    status: { value: 'Failed', localizedValue: 'Failed' },
    subStatus: { value: 'Forbidden', localizedValue: 'Forbidden (HTTP Status Code: 403)' },
    properties: { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"denied"}}' },
  });
  const rest = writeEvidence(dir, 'rest/eventtypes-management-values.json', JSON.stringify({ value: [run, deny], nextLink: null }));
  const cli = [restActivity({ eventDataId: 'aa11bb22-cc33-4d44-8e55-ff6677889900', eventTimestamp: '2024-06-02T20:33:00.0000001Z' })];
  const cliFile = writeEvidence(dir, 'cli/activitylog.json', JSON.stringify(cli, null, 2));
  const sdk = sdkActivity();
  const sdkStart = sdkActivity({ event_data_id: '11f2e3d4-c5b6-4a79-8a8b-9c0d1e2f3a4b', status: { value: 'Started', localized_value: 'Started' }, event_timestamp: '2024-06-02T20:34:59.900000+00:00' });
  const sdkFile = writeEvidence(dir, 'plaso/azure_activity_log.jsonl', `${jsonLines([sdk, sdkStart])}\n`);

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'eventtypes-management-values.json').format, 'azure-activity:value');
  assert.equal(sourceEndingWith(db, 'activitylog.json').format, 'azure-activity:array');
  assert.equal(sourceEndingWith(db, 'azure_activity_log.jsonl').format, 'azure-activity:lines');

  const r = one(rows(db, rest), (x) => x.native_id === 'd0d36f97-b29c-4cd9-9d3d-ea2b92af3e9d', 'REST event');
  assert.equal(r.raw, JSON.stringify(run));
  assert.equal(r.action, 'Microsoft.Compute/virtualMachines/runCommand/action');
  assert.equal(r.service, 'Microsoft.Compute');
  assert.equal(r.read_only, 0);
  assert.equal(r.principal_name, 'mallory@partner.example');
  assert.equal(r.target_account, SUB);
  assert.equal(r.source_ip, '203.0.113.77', 'httpRequest.clientIpAddress');
  assert.equal(r.request_id, 'b5768deb-836b-41cc-803e-3f4de2f9e40b');
  const d = one(rows(db, rest), (x) => x.native_id === 'f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b', 'REST failure');
  assert.equal(d.time_ms, Date.UTC(2024, 5, 2, 20, 29, 50, 500), 'offset applied');
  assert.equal(d.time_text, '2024-06-02T22:29:50.5+02:00');
  assert.equal(d.outcome, 'failure');
  assert.equal(d.error_code, 'AuthorizationFailed');

  const c = one(rows(db, cliFile), () => true, 'CLI event');
  assert.equal(c.native_id, 'aa11bb22-cc33-4d44-8e55-ff6677889900');
  assert.equal(c.raw, prettyElement(cli[0]), 'the pretty-printed record, indentation and all');

  assert.equal(one(rows(db, sdkFile), (x) => x.native_id === '11f2e3d4-c5b6-4a79-8a8b-9c0d1e2f3a4b', 'SDK start').outcome, 'unknown', 'Started: neither');
  const s = one(rows(db, sdkFile), (x) => x.native_id === '587eda65-125e-48c2-9b04-ab5e8d3a1d8e', 'SDK event');
  assert.equal(s.native_id, '587eda65-125e-48c2-9b04-ab5e8d3a1d8e');
  assert.equal(s.time_ms, Date.UTC(2024, 5, 2, 20, 35, 0, 250));
  assert.equal(s.action, 'Microsoft.Compute/disks/beginGetAccess/action');
  assert.equal(s.source_ip, '203.0.113.77');
  assert.equal(s.principal_id, GUEST_OID);
  assert.equal(s.credential_id, UTI);
  assert.equal(s.raw, JSON.stringify(sdk));
});

test('Log Analytics / Sentinel AzureActivity exports, JSON and CSV (`TimeGenerated [UTC]`, JSON-text columns)', async () => {
  const dir = tempDir();
  const row = laActivity();
  const laJson = writeEvidence(dir, 'sentinel/AzureActivity.json', JSON.stringify([row]));
  const header = ['TenantId', 'SourceSystem', 'CallerIpAddress', 'CategoryValue', 'CorrelationId', 'Authorization', 'Claims', 'Level', 'OperationNameValue', 'Properties', 'Caller', 'EventDataId', 'EventSubmissionTimestamp [UTC]', 'HTTPRequest', 'OperationId', 'ResourceGroup', 'ResourceProviderValue', 'ActivityStatusValue', 'ActivitySubstatusValue', 'Hierarchy', 'TimeGenerated [UTC]', 'SubscriptionId', 'OperationName', 'ActivityStatus', 'ActivitySubstatus', 'Category', 'ResourceId', 'ResourceProvider', 'Resource', 'Type', '_ResourceId'];
  const csvRow = {
    ...laActivity({ EventDataId: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f', OperationNameValue: 'MICROSOFT.KEYVAULT/VAULTS/ACCESSPOLICIES/WRITE', ActivityStatusValue: 'Failure', ActivitySubstatusValue: 'Forbidden' }),
    'EventSubmissionTimestamp [UTC]': '6/2/2024, 8:33:40.072 PM',
    'TimeGenerated [UTC]': '6/2/2024, 8:33:12.345 PM',
  };
  const lines = [csvLine(header), csvLine(header.map((h) => (csvRow as Rec)[h]))];
  const csv = writeEvidence(dir, 'sentinel/query_data.csv', `${lines.join('\r\n')}\r\n`);

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'AzureActivity.json').format, 'azure-activity:array');
  assert.equal(sourceEndingWith(db, 'query_data.csv').format, 'azure-activity:csv');
  const j = one(rows(db, laJson), () => true, 'LA JSON row');
  assert.equal(j.native_id, 'e6a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b');
  assert.equal(j.raw, JSON.stringify(row));
  assert.equal(j.time_ms, Date.UTC(2024, 5, 2, 20, 31, 12, 345));
  assert.equal(j.action, 'Microsoft.KeyVault/vaults/accessPolicies/write', 'OperationNameValue, not the localized OperationName');
  assert.equal(j.principal_id, GUEST_OID, 'from the Claims JSON text');
  assert.equal(j.principal_account, PARTNER);
  assert.equal(j.credential_id, UTI);
  assert.equal(j.target_account, SUB, 'SubscriptionId; TenantId is the workspace');
  const c = one(rows(db, csv), () => true, 'LA CSV row');
  assert.equal(c.native_id, '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f');
  assert.equal(c.raw, lines[1], 'the CSV row verbatim');
  assert.equal(c.time_ms, Date.UTC(2024, 5, 2, 20, 33, 12, 345));
  assert.equal(c.time_text, '6/2/2024, 8:33:12.345 PM');
  assert.equal(c.outcome, 'failure');
  assert.equal(c.error_code, 'Forbidden');
  assert.equal(c.service, 'MICROSOFT.KEYVAULT');
  assert.equal(c.principal_id, GUEST_OID);
});

// ---------------------------------------------------------------------------------------------------------------
// Entra ID sign-ins

test('Entra sign-ins from Graph ({"value":[…]}) and the admin center JSON download', async () => {
  const dir = tempDir();
  const guest = guestSignIn();
  const nonInteractive = guestSignIn({ id: '77fb65fc-7412-4ff6-bf73-005b860c0211', createdDateTime: '2024-06-02T20:47:00Z', isInteractive: false, signInEventTypes: ['nonInteractiveUser'], uniqueTokenIdentifier: 'NIq2dYp8Z0mN1lKjHgFeDA' });
  const page = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', '@odata.nextLink': 'https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=9b1c', value: [guest, nonInteractive] };
  const graph = writeEvidence(dir, 'graph/signIns-page1.json', JSON.stringify(page));
  const failed = guestSignIn({ id: '88ac76ad-8523-4007-c084-116c971d1322', createdDateTime: '2024-06-02T20:10:00Z', status: { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.' }, uniqueTokenIdentifier: 'FAq2dYp8Z0mN1lKjHgFeDA' });
  const sp = servicePrincipalSignIn();
  const portal = writeEvidence(dir, 'portal/SignIns_2024-06-02.json', JSON.stringify([failed, sp], null, 2));

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'signIns-page1.json').format, 'entra-signin:value');
  assert.equal(sourceEndingWith(db, 'SignIns_2024-06-02.json').format, 'entra-signin:array');

  const g = one(rows(db, graph), (r) => r.native_id === guest.id, 'guest sign-in');
  assert.equal(g.raw, JSON.stringify(guest));
  assert.equal(g.provider, 'azure');
  assert.equal(g.time_ms, Date.UTC(2024, 5, 2, 20, 17, 12, 123));
  assert.equal(g.service, 'Microsoft.aadiam');
  assert.equal(g.action, 'SignIn');
  assert.equal(g.event_type, 'SignInLogs');
  assert.equal(g.outcome, 'success');
  assert.equal(g.principal_type, 'GuestUser');
  assert.equal(g.principal_id, GUEST_OID);
  assert.equal(g.principal_name, 'mallory@partner.example');
  assert.equal(g.principal_account, PARTNER);
  assert.equal(g.target_account, TENANT);
  assert.equal(g.source_ip, '203.0.113.77');
  assert.equal(g.issued_credential_id, UTI, 'the token whose uti the Azure Activity records carry');
  assert.equal(g.issued_principal, GUEST_OID);
  assert.equal(g.shared_event_id, guest.id);
  assert.equal(g.request_id, '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b');
  assert.equal(g.target_resource, '797f4846-ba00-4fd7-ba43-dac1f8f63013');
  assert.equal(g.identity_provider, PARTNER);
  assert.equal(g.source_identity, '00baf379-e510-523f-1c0e-346163d4a768');
  assert.equal(one(rows(db, graph), (r) => r.native_id === nonInteractive.id, 'non-interactive').event_type, 'NonInteractiveUserSignInLogs');

  const f = one(rows(db, portal), (r) => r.native_id === failed.id, 'failed sign-in');
  assert.equal(f.raw, prettyElement(failed));
  assert.equal(f.outcome, 'failure');
  assert.equal(f.error_code, '50126');
  assert.equal(f.issued_credential_id, null);
  const s = one(rows(db, portal), (r) => r.native_id === sp.id, 'service principal');
  assert.equal(s.event_type, 'ServicePrincipalSignInLogs');
  assert.equal(s.principal_type, 'ServicePrincipal');
  assert.equal(s.principal_id, '4b6986ec-c49c-40c0-89ce-b2ac51213e39');
  assert.equal(s.principal_name, 'partner-sync', 'the app');
  assert.equal(s.principal_account, PARTNER);
  assert.equal(s.credential_id, '2afc776a-4e79-4588-b2ad-f62c94d6bea8');
  assert.equal(s.shared_event_id, sp.id, 'home and resource tenant differ');
});

test('Entra diagnostic records of all four categories ({"records":[…]} and storage); audit records are refused with a reason', async () => {
  const dir = tempDir();
  const interactive = diagSignIn('SignInLogs', guestSignIn());
  const nonInteractive = diagSignIn('NonInteractiveUserSignInLogs', guestSignIn({ id: '77fb65fc-7412-4ff6-bf73-005b860c0211', isInteractive: false, signInEventTypes: ['nonInteractiveUser'] }));
  const sp = diagSignIn('ServicePrincipalSignInLogs', servicePrincipalSignIn());
  const mi = diagSignIn('ManagedIdentitySignInLogs', managedIdentitySignIn());
  const audit = {
    time: '2024-06-02T20:46:00.0000000Z',
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Add member to role',
    operationVersion: '1.0',
    category: 'AuditLogs',
    tenantId: TENANT,
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: '203.0.113.77',
    correlationId: 'a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d',
    Level: 4,
    properties: { id: 'Directory_A9B8C7D6_1', category: 'RoleManagement', correlationId: 'a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d', result: 'success', resultReason: '', activityDisplayName: 'Add member to role', activityDateTime: '2024-06-02T20:46:00.0000000+00:00', loggedByService: 'Core Directory', operationType: 'Assign', initiatedBy: { user: { id: GUEST_OID, userPrincipalName: 'mallory@partner.example', ipAddress: '203.0.113.77' } }, targetResources: [] },
  };
  const hub = writeEvidence(dir, 'eventhub/aad.json', JSON.stringify({ records: [interactive, nonInteractive, sp, mi, audit] }));
  const blobPath = `insights-logs-signinlogs/resourceId=/tenants/${TENANT}/providers/Microsoft.aadiam/y=2024/m=06/d=02/h=20/m=00/PT1H.json`;
  const blobRecord = diagSignIn('SignInLogs', guestSignIn({ id: '99bd87be-9634-4118-d195-227d082e2433' }));
  writeEvidence(dir, blobPath, `${JSON.stringify(blobRecord)}\n`);

  const { db, result } = await importInto([dir]);

  assert.equal(result.stats.events, 5);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0]!.reason, /Entra ID audit .* not imported; AN1348 reads sign-ins/);
  assert.match(result.problems[0]!.position ?? '', /record 5/);
  const hubSource = sourceEndingWith(db, 'aad.json');
  assert.equal(hubSource.format, 'entra-signin:records');
  assert.equal(hubSource.events, 4);
  assert.equal(hubSource.errors, 1);
  assert.equal(sourceEndingWith(db, 'PT1H.json').format, 'entra-signin:blob');

  const hubRows = rows(db, hub);
  assert.deepEqual(
    hubRows.map((r) => [r.event_type, r.principal_type]).sort(),
    [['ManagedIdentitySignInLogs', 'ManagedIdentity'], ['NonInteractiveUserSignInLogs', 'GuestUser'], ['ServicePrincipalSignInLogs', 'ServicePrincipal'], ['SignInLogs', 'GuestUser']],
  );
  const i = one(hubRows, (r) => r.event_type === 'SignInLogs', 'interactive');
  assert.equal(i.raw, JSON.stringify(interactive));
  assert.equal(i.native_id, '66ea54eb-6301-4ee5-be62-ff5a759b0100', 'properties.id');
  assert.equal(i.time_ms, Date.UTC(2024, 5, 2, 20, 17, 12, 123), 'properties.createdDateTime, not the record time');
  assert.equal(i.target_resource, '797f4846-ba00-4fd7-ba43-dac1f8f63013');
  const m = one(hubRows, (r) => r.event_type === 'ManagedIdentitySignInLogs', 'managed identity');
  assert.equal(m.principal_name, 'vm-web-01');
  assert.equal(m.source_ip, null);
  assert.equal(m.principal_account, TENANT);
});

test('the Entra admin center CSV downloads: Title Case columns, interactive and service principal files', async () => {
  const dir = tempDir();
  const userHeader = ['Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type', 'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Unique token identifier', 'Original transfer method', 'Client credential type', 'Token Protection - Sign In Session', 'Application', 'Application ID ', 'Resource', 'Resource ID ', 'Resource tenant ID', 'Home tenant ID', 'Home tenant name', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Device ID', 'Browser', 'Operating System', 'Compliant', 'Managed', 'Join Type', 'Multifactor authentication result', 'Multifactor authentication auth method', 'Multifactor authentication auth detail', 'Authentication requirement', 'Sign-in identifier', 'Session ID', 'IP address (seen by resource)', 'Through Global Secure Access', 'Global Secure Access IP address', 'Autonomous system  number', 'Flagged for review', 'Token issuer type', 'Incoming token type', 'Token issuer name', 'Latency', 'Conditional Access', 'Managed Identity type', 'Associated Resource Id', 'Federated Token Id', 'Federated Token Issuer'];
  const cells: Record<string, string> = {
    'Date (UTC)': '2024-06-02T20:17:12Z', 'Request ID': '66ea54eb-6301-4ee5-be62-ff5a759b0100', 'User agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Correlation ID': '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
    'User ID': GUEST_OID, User: 'Mallory Partner', Username: 'mallory@partner.example', 'User type': 'Guest', 'Cross tenant access type': 'B2B collaboration', 'Incoming token type': 'None', 'Authentication Protocol': 'None',
    'Unique token identifier': UTI, 'Client credential type': 'None', Application: 'Azure Portal', 'Application ID ': 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', Resource: 'Windows Azure Service Management API',
    'Resource ID ': '797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Resource tenant ID': TENANT, 'Home tenant ID': PARTNER, 'Home tenant name': 'Partner Ltd', 'IP address': '203.0.113.77', Location: 'Amsterdam, Noord-Holland, NL',
    Status: 'Success', 'Sign-in error code': '0', 'Client app': 'Browser', Browser: 'Chrome 125.0.0', 'Operating System': 'Windows10', Compliant: 'No', Managed: 'No', 'Multifactor authentication result': 'MFA requirement satisfied by claim in the token',
    'Authentication requirement': 'Multifactor authentication', 'Session ID': '00baf379-e510-523f-1c0e-346163d4a768', 'Autonomous system  number': '64500', 'Flagged for review': 'No', 'Token issuer type': 'AzureAD', Latency: '312', 'Conditional Access': 'Success', 'Managed Identity type': '',
  };
  const userLines = [csvLine(userHeader), csvLine(userHeader.map((h) => cells[h] ?? ''))];
  const userCsv = writeEvidence(dir, 'portal/InteractiveSignIns_2024-06-01_2024-06-03.csv', `\ufeff${userLines.join('\n')}\n`);
  const spHeader = ['Date (UTC)', 'Request ID', 'Correlation ID', 'Service principal ID', 'Service principal name', 'Credential key ID', 'Credential thumbprint', 'Application', 'Application ID ', 'App owner tenant ID', 'Resource', 'Resource ID ', 'Resource tenant ID', 'Resource owner tenant ID', 'Home tenant ID', 'Home tenant name', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Conditional Access'];
  const spCells = ['2024-06-02T20:40:00Z', '55270060-d8fe-435e-9bf2-219a1d456b60', '52d1e530-786c-443c-8dc8-aa7b1317608e', '4b6986ec-c49c-40c0-89ce-b2ac51213e39', 'partner-sync', '2afc776a-4e79-4588-b2ad-f62c94d6bea8', '', 'partner-sync', '3b245ca3-dcce-4a54-a070-49ad8de02963', PARTNER, 'Microsoft Graph', '00000003-0000-0000-c000-000000000000', TENANT, TENANT, PARTNER, 'Partner Ltd', '198.51.100.23', 'Dublin, Dublin, IE', 'Failure', '7000215', 'Invalid client secret provided.', 'Not Applied'];
  const spLines = [csvLine(spHeader), csvLine(spCells)];
  const spCsv = writeEvidence(dir, 'portal/ApplicationSignIns_2024-06-01_2024-06-03.csv', `${spLines.join('\n')}\n`);

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'InteractiveSignIns_2024-06-01_2024-06-03.csv').format, 'entra-signin:csv');
  assert.equal(sourceEndingWith(db, 'ApplicationSignIns_2024-06-01_2024-06-03.csv').format, 'entra-signin:csv');
  const u = one(rows(db, userCsv), () => true, 'user row');
  assert.equal(u.raw, userLines[1]);
  assert.equal(u.native_id, '66ea54eb-6301-4ee5-be62-ff5a759b0100');
  assert.equal(u.time_ms, Date.UTC(2024, 5, 2, 20, 17, 12));
  assert.equal(u.event_type, 'SignInLogs', 'the file name says interactive');
  assert.equal(u.outcome, 'success');
  assert.equal(u.principal_type, 'GuestUser');
  assert.equal(u.principal_id, GUEST_OID);
  assert.equal(u.principal_name, 'mallory@partner.example');
  assert.equal(u.principal_account, PARTNER);
  assert.equal(u.target_account, TENANT);
  assert.equal(u.source_ip, '203.0.113.77');
  assert.equal(u.issued_credential_id, UTI);
  assert.equal(u.shared_event_id, '66ea54eb-6301-4ee5-be62-ff5a759b0100');
  assert.equal(u.request_id, '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b');
  assert.equal(u.source_identity, '00baf379-e510-523f-1c0e-346163d4a768');
  const s = one(rows(db, spCsv), () => true, 'service principal row');
  assert.equal(s.raw, spLines[1]);
  assert.equal(s.event_type, 'ServicePrincipalSignInLogs');
  assert.equal(s.principal_type, 'ServicePrincipal');
  assert.equal(s.principal_name, 'partner-sync');
  assert.equal(s.credential_id, '2afc776a-4e79-4588-b2ad-f62c94d6bea8');
  assert.equal(s.outcome, 'failure');
  assert.equal(s.error_code, '7000215');
});

test('an Entra CSV re-saved by Excel: semicolons (a German or French locale) and tab-separated UTF-16 "Unicode text" import the same row', async () => {
  const dir = tempDir();
  const header = ['Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type', 'Cross tenant access type', 'Unique token identifier', 'Application', 'Application ID ', 'Resource', 'Resource ID ', 'Resource tenant ID', 'Home tenant ID', 'IP address', 'Status', 'Sign-in error code', 'Session ID'];
  const cells = ['2024-06-02T20:17:12Z', '66ea54eb-6301-4ee5-be62-ff5a759b0100', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', GUEST_OID, 'Mallory Partner', 'mallory@partner.example', 'Guest', 'B2B collaboration', UTI, 'Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Windows Azure Service Management API', '797f4846-ba00-4fd7-ba43-dac1f8f63013', TENANT, PARTNER, '203.0.113.77', 'Success', '0', '00baf379-e510-523f-1c0e-346163d4a768'];
  // Excel quotes a cell holding the delimiter: the user agent holds semicolons.
  const line = (values: string[], d: string) => values.map((v) => (v.includes(d) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v)).join(d);
  const semicolon = writeEvidence(dir, 'excel-de/InteractiveSignIns.csv', `\ufeff${line(header, ';')}\r\n${line(cells, ';')}\r\n`);
  const unicodeText = writeEvidence(dir, 'excel-unicode/InteractiveSignIns.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line(header, '\t')}\r\n${line(cells, '\t')}\r\n`, 'utf16le')]));

  for (const [file, format] of [[semicolon, 'entra-signin:csv'], [unicodeText, 'entra-signin:csv:utf-16le']] as const) {
    const { db, result } = await importInto([file]);
    assert.deepEqual(result.problems, []);
    assert.equal(sourceEndingWith(db, file).format, format);
    const u = one(rows(db, file), () => true, file);
    assert.equal(u.native_id, '66ea54eb-6301-4ee5-be62-ff5a759b0100');
    assert.equal(u.user_agent, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
    assert.equal(u.principal_account, PARTNER);
    assert.equal(u.target_account, TENANT);
    assert.equal(u.issued_credential_id, UTI);
    assert.equal(u.source_ip, '203.0.113.77');
    assert.equal(u.raw, line(cells, file === semicolon ? ';' : '\t'));
  }
});

// ---------------------------------------------------------------------------------------------------------------
// GCP Cloud Audit Logs

test('GCP Logs Explorer and gcloud downloads (JSON arrays) and the Logging API {"entries":[…]}', async () => {
  const dir = tempDir();
  const del = gcpEntry();
  const mint = gcpImpersonation();
  const use = gcpImpersonatedCall();
  const explorer = writeEvidence(dir, 'explorer/downloaded-logs-20240602-205500.json', JSON.stringify([del, mint], null, 2));
  const gcloud = writeEvidence(dir, 'gcloud/logging-read.json', JSON.stringify([use], null, 2));
  const denied = gcpEntry(
    { insertId: '1p2o3i4u5y', logName: 'organizations/412345678901/logs/cloudaudit.googleapis.com%2Fpolicy', resource: { type: 'audited_resource', labels: { service: 'storage.googleapis.com', method: 'google.storage.objects.get' } }, timestamp: '2024-06-02T20:53:00Z' },
    { authenticationInfo: { principalEmail: 'mallory@partner.example' }, methodName: 'google.storage.objects.get', serviceName: 'storage.googleapis.com', status: { code: 7, message: 'Request is prohibited by organization\'s policy. vpcServiceControlsUniqueIdentifier: 1a2b3c' }, requestMetadata: { callerIp: '203.0.113.77' } },
  );
  const api = writeEvidence(dir, 'api/entries-list.json', JSON.stringify({ entries: [denied], nextPageToken: 'EAE4kq' }));

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'downloaded-logs-20240602-205500.json').format, 'gcp-audit:array');
  assert.equal(sourceEndingWith(db, 'logging-read.json').format, 'gcp-audit:array');
  assert.equal(sourceEndingWith(db, 'entries-list.json').format, 'gcp-audit:entries');

  const d = one(rows(db, explorer), (r) => r.native_id === '-q1w2e3r4t5y6', 'instance delete');
  assert.equal(d.raw, prettyElement(del));
  assert.equal(d.provider, 'gcp');
  assert.equal(d.time_ms, Date.UTC(2024, 5, 2, 20, 50, 0, 512));
  assert.equal(d.time_text, '2024-06-02T20:50:00.512345678Z');
  assert.equal(d.service, 'compute.googleapis.com');
  assert.equal(d.action, 'v1.compute.instances.delete');
  assert.equal(d.event_type, 'activity');
  assert.equal(d.outcome, 'success');
  assert.equal(d.read_only, 0);
  assert.equal(d.principal_type, 'User');
  assert.equal(d.principal_id, 'ops@acme.example');
  assert.equal(d.principal_account, null);
  assert.equal(d.target_account, 'acme-prod');
  assert.equal(d.source_ip, '192.0.2.10');
  assert.equal(d.region, 'us-central1-a');
  assert.equal(d.request_id, 'operation-1717361400000-61a2b3c4d5e6f');
  assert.match(d.user_agent ?? '', /^google-cloud-sdk gcloud\/478/);

  const m = one(rows(db, explorer), (r) => r.native_id === 'hbk2yye1l3c8', 'GenerateAccessToken');
  assert.equal(m.event_type, 'data_access');
  assert.equal(m.service, 'iamcredentials.googleapis.com');
  assert.equal(m.issued_principal, 'deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(m.target_resource, 'deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(m.issued_credential_id, 'mallory@partner.example>deployer@acme-prod.iam.gserviceaccount.com');
  const u = one(rows(db, gcloud), () => true, 'impersonated call');
  assert.equal(u.raw, prettyElement(use));
  assert.equal(u.principal_type, 'ServiceAccount');
  assert.equal(u.principal_account, 'acme-prod');
  assert.equal(u.credential_id, m.issued_credential_id, 'the impersonation chain links the call to the token');
  assert.equal(u.time_ms, Date.UTC(2024, 5, 2, 20, 49, 30, 250));

  const p = one(rows(db, api), () => true, 'policy denial');
  assert.equal(p.event_type, 'policy');
  assert.equal(p.outcome, 'failure');
  assert.equal(p.error_code, 'PERMISSION_DENIED');
  assert.equal(p.target_account, 'organizations/412345678901');
  assert.equal(p.read_only, null);
});

test('GCP Cloud Storage sink objects (JSON lines under cloudaudit.googleapis.com/<log>/YYYY/MM/DD/) and BigQuery exports', async () => {
  const dir = tempDir();
  const act = [gcpEntry(), gcpImpersonatedCall()];
  const sink = writeEvidence(dir, 'acme-audit-sink/cloudaudit.googleapis.com/activity/2024/06/02/20:00:00_20:59:59_S0.json', `${jsonLines(act)}\n`);
  const da = [gcpImpersonation(), gcpEntry({ insertId: 'r3ad0nly', logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access', timestamp: '2024-06-02T20:51:00Z' }, { methodName: 'v1.compute.instances.get', requestMetadata: { callerIp: 'private' } })];
  const daSink = writeEvidence(dir, 'acme-audit-sink/cloudaudit.googleapis.com/data_access/2024/06/02/20:00:00_20:59:59_S1.json', `${jsonLines(da)}\n`);
  const bq = bigQueryRow();
  const bqList = { ...bigQueryRow(), insertId: '1cbd8zme1rx2r', timestamp: '2024-06-02 20:52:09.5 UTC', protopayload_auditlog: { ...(bigQueryRow().protopayload_auditlog as Rec), methodName: 'storage.objects.list', status: { code: 7, message: 'PERMISSION_DENIED' } } };
  const bqFile = writeEvidence(dir, 'bq/cloudaudit_googleapis_com_data_access_20240602.json', `${jsonLines([bq, bqList])}\n`);

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, '20:00:00_20:59:59_S0.json').format, 'gcp-audit:gcs');
  assert.equal(sourceEndingWith(db, '20:00:00_20:59:59_S1.json').format, 'gcp-audit:gcs');
  assert.equal(sourceEndingWith(db, 'cloudaudit_googleapis_com_data_access_20240602.json').format, 'gcp-audit:lines');
  assert.deepEqual(rows(db, sink).map((r) => r.raw).sort(), act.map((r) => JSON.stringify(r)).sort());
  const get = one(rows(db, daSink), (r) => r.native_id === 'r3ad0nly', 'a read in data_access');
  assert.equal(get.read_only, 1);
  assert.equal(get.source_ip, null);
  assert.equal(get.source_service, 'private', 'GCP hides private callers; never an address');

  const denied = one(rows(db, bqFile), (r) => r.native_id === '1cbd8zme1rx2r', 'BigQuery denied list');
  assert.equal(denied.outcome, 'failure');
  assert.equal(denied.error_code, 'PERMISSION_DENIED');
  assert.equal(denied.read_only, 1);
  const b = one(rows(db, bqFile), (r) => r.native_id === '1cbd8zme1rx2q', 'BigQuery row');
  assert.equal(b.raw, JSON.stringify(bq));
  assert.equal(b.native_id, '1cbd8zme1rx2q');
  assert.equal(b.time_ms, Date.UTC(2024, 5, 2, 20, 52, 10, 123));
  assert.equal(b.time_text, '2024-06-02 20:52:10.123456 UTC');
  assert.equal(b.action, 'storage.objects.get');
  assert.equal(b.service, 'storage.googleapis.com');
  assert.equal(b.read_only, 1);
  assert.equal(b.outcome, 'success');
  assert.equal(b.principal_id, 'deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(b.credential_id, 'mallory@partner.example>deployer@acme-prod.iam.gserviceaccount.com');
  assert.equal(b.target_account, 'acme-prod');
  assert.equal(b.region, 'us');
});

test('GCP logs that are not audit logs (VPC flow, load balancer) are refused with a reason; the audit entries beside them import', async () => {
  const dir = tempDir();
  const flow = {
    insertId: 'd1i39zftx389b',
    jsonPayload: { reporter: 'SRC', connection: { src_ip: '10.10.0.2', dest_port: 50604, dest_ip: '203.0.113.255', src_port: 80, protocol: 6 }, bytes_sent: '5342', packets_sent: '32', start_time: '2024-06-02T20:50:48.419716230Z', end_time: '2024-06-02T20:50:48.419716230Z' },
    resource: { type: 'gce_subnetwork', labels: { location: 'us-central1-f', subnetwork_name: 'subnet-1', subnetwork_id: '1234567891234567891', project_id: 'acme-prod' } },
    timestamp: '2024-06-02T20:50:51.990209956Z',
    logName: 'projects/acme-prod/logs/compute.googleapis.com%2Fvpc_flows',
    receiveTimestamp: '2024-06-02T20:50:51.990209956Z',
  };
  const lb = {
    insertId: '19sfqf2fzis4js',
    jsonPayload: { '@type': 'type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry', statusDetails: 'response_sent_by_backend' },
    httpRequest: { requestMethod: 'GET', requestUrl: 'https://app.acme.example/', status: 200, remoteIp: '192.0.2.33', latency: '0.081634s' },
    resource: { type: 'http_load_balancer', labels: { project_id: 'acme-prod', url_map_name: 'app-map' } },
    timestamp: '2024-06-02T20:50:52.710562Z',
    logName: 'projects/acme-prod/logs/requests',
  };
  const file = writeEvidence(dir, 'mixed-gcp.jsonl', `${jsonLines([flow, gcpEntry(), lb])}\n`);

  const { db, result } = await importInto([file]);

  assert.equal(result.stats.events, 1);
  assert.equal(result.problems.length, 2);
  for (const p of result.problems) assert.match(p.reason, /not a Cloud Audit Log \(VPC flow, load balancer/);
  const source = sourceEndingWith(db, 'mixed-gcp.jsonl');
  assert.equal(source.events, 1);
  assert.equal(source.errors, 2);
  assert.equal(source.format, 'gcp-other-log:lines', 'named after what most of the file is');
});

// ---------------------------------------------------------------------------------------------------------------
// Per-record detection, duplicate keys

test('one file may mix providers: each record is detected on its own', async () => {
  const dir = tempDir();
  const ct = cloudTrailRecord();
  const az = diagActivity();
  const si = guestSignIn();
  const gc = gcpEntry();
  const file = writeEvidence(dir, 'siem-export.jsonl', `${jsonLines([ct, az, si, gc, gcpImpersonatedCall()])}\n`);

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 5);
  const stored = rows(db, file);
  assert.deepEqual(stored.map((r) => r.provider).sort(), ['aws', 'azure', 'azure', 'gcp', 'gcp']);
  assert.equal(one(stored, (r) => r.raw === JSON.stringify(si), 'sign-in').action, 'SignIn');
  assert.equal(one(stored, (r) => r.raw === JSON.stringify(ct), 'cloudtrail').native_id, ct.eventID);
  assert.equal(sourceEndingWith(db, 'siem-export.jsonl').format, 'gcp-audit:lines', 'the most common kind names the file');
});

test('duplicate JSON keys: the last one counts (JSON.parse), the raw record keeps both', async () => {
  const dir = tempDir();
  const text = JSON.stringify(diagActivity()).replace('"operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE"', '"operationName":"Microsoft.Authorization/roleAssignments/read","operationName":"Microsoft.Authorization/roleAssignments/delete"');
  const file = writeEvidence(dir, 'dupkeys.jsonl', `${text}\n`);

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  const r = one(rows(db, file), () => true, 'the record');
  assert.equal(r.action, 'Microsoft.Authorization/roleAssignments/delete');
  assert.equal(r.raw, text);
});

test('the Azure portal Activity log CSV download is refused with what to export instead', async () => {
  const dir = tempDir();
  const header = ['Correlation id', 'Operation name', 'Status', 'Event category', 'Level', 'Time', 'Subscription', 'Event initiated by', 'Resource type', 'Resource group', 'Resource'];
  const cells = ['9d2f3c1e-7a4b-4c5d-8e6f-0a1b2c3d4e5f', 'Create role assignment', 'Succeeded', 'Administrative', 'Informational', '2024-06-02T20:27:12.345Z', 'Production', 'mallory@partner.example', 'Microsoft.Authorization/roleAssignments', '', '0f8fad5b-d9cb-469f-a165-70867728950e'];
  const file = writeEvidence(dir, 'AzureActivityLog.csv', `${csvLine(header)}\n${csvLine(cells)}\n`);

  const { result } = await importInto([file]);

  assert.equal(result.stats.events, 0);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0]!.reason, /Azure portal Activity log CSV download .* export the activity log as JSON/);
});
