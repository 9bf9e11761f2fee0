// Export layouts that used to import with wrong or missing values (QA, .scratch/qa-layouts.md), checked by the values a
// user sees: action, principal, account, credential, source IP, time; and, where a layout carried a chain's links,
// that the chain is found. Records are built here from the providers' documented shapes and the tools' serializers
// (Az.Monitor's PSEventData, Windows PowerShell 5.1's ConvertTo-Json, CloudTrail Lake's get-query-results, the Logs
// Explorer CSV download, BigQuery's REST encoding); nothing is shared with the importer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvLine, importInto, storedEvents, tempDir, writeEvidence, type EventRow } from '../support/evidence-fixtures';
import { analyseWritten } from '../support/analyse-evidence';
import { AZ, AzureScenario, azAt, serviceProviderTakeover } from '../support/azure-scenario';
import { GcpScenario, foreignImpersonation, EVIL_SA, GCP } from '../support/gcp-scenario';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { CLAIMS_CUT_NOTICE, LOCALIZED_STATUS_NOTICE, normalizeAzureActivity } from '../../electron/core/import/azure/normalize-azure-activity';
import { problemKind } from '../../electron/core/import/problem-kinds';
import { NO_TENANTS_NOTICE } from '../../electron/core/import/azure/normalize-entra-signin';
import { readImportHistory } from '../../electron/core/import/import-history';
import { problemTotalsSentence } from '../../shared/domain/analysis-words';
import { principalLabel } from '../../shared/domain/principal-label';

type Rec = Record<string, unknown>;

const SUB = 'aaaabbbb-0000-1111-2222-333344445555';
const HOME = '11111111-2222-3333-4444-555555555555';
const PARTNER = '99999999-8888-7777-6666-555555555555';
const OID = '0a0a0a0a-1111-2222-3333-444444444444';
const UTI = 'AbCdEfGhIjKlMnOpQrStUv';
const ASSIGNMENT = `/subscriptions/${SUB}/resourceGroups/prod-rg/providers/Microsoft.Authorization/roleAssignments/5b3f0c0e-0000-0000-0000-000000000001`;

function only(rows: EventRow[], what: string): EventRow {
  assert.equal(rows.length, 1, `one stored event: ${what}`);
  return rows[0]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Azure PowerShell: Az.Monitor's PSEventData (Get-AzLog / Get-AzActivityLog | ConvertTo-Json)

/** Display names the Activity log shows for the operations these tests use (what PSEventData keeps as OperationName). */
const DISPLAY: Record<string, string> = {
  'Microsoft.Authorization/roleAssignments/write': 'Create role assignment',
  'Microsoft.Storage/storageAccounts/listKeys/action': 'List Storage Account Keys',
  'Microsoft.Compute/virtualMachines/read': 'Get Virtual Machine',
  'Microsoft.Resources/subscriptions/resourceGroups/read': 'Get Resource Group',
  'Microsoft.Web/sites/write': 'Create or Update Web App',
  'Microsoft.KeyVault/vaults/read': 'Get Key Vault',
  'Microsoft.Storage/storageAccounts/read': 'Get Storage Account',
  'Microsoft.Insights/metrics/read': 'Read Metrics',
};
const displayOf = (op: string) => DISPLAY[op] ?? `Run ${op.split('/').slice(-2).join(' ')}`;
const providerDisplay = (ns: string) => ns.replace(/^Microsoft\./, 'Microsoft ');

/**
 * A REST EventData record as Az.Monitor's PSEventData holds it: every LocalizableString flattened to its localized
 * value (OperationName, Category, Status, SubStatus, EventName, ResourceProviderName), Authorization {Action, Role,
 * Scope, Condition}, Claims and Properties wrapped as PSDictionaryElement {Content}, HttpRequest {ClientId, Method,
 * Url, ClientIpAddress}, Level an enum number.
 */
function psEventData(r: Rec): Rec {
  const loc = (v: unknown) => (v as { localizedValue?: string } | null)?.localizedValue ?? null;
  const auth = r.authorization as Rec;
  const http = r.httpRequest as Rec;
  return {
    Authorization: { Action: auth.action, Role: null, Scope: auth.scope, Condition: null },
    Caller: r.caller,
    Claims: { Content: r.claims },
    CorrelationId: r.correlationId,
    Description: r.description,
    EventDataId: r.eventDataId,
    EventName: loc(r.eventName),
    Category: loc(r.category),
    EventTimestamp: r.eventTimestamp,
    HttpRequest: { ClientId: http.clientRequestId, Method: http.method, Url: null, ClientIpAddress: http.clientIpAddress },
    Id: r.id,
    Level: 4,
    OperationId: r.operationId,
    OperationName: displayOf(String(auth.action)),
    Properties: { Content: r.properties },
    ResourceGroupName: r.resourceGroupName,
    ResourceProviderName: providerDisplay(String(auth.action).split('/')[0]!),
    ResourceId: r.resourceId,
    Status: loc(r.status),
    SubmissionTimestamp: r.submissionTimestamp,
    SubscriptionId: r.subscriptionId,
    SubStatus: loc(r.subStatus) || (r.subStatus as Rec).value,
    TenantId: r.tenantId,
    ResourceType: null,
    EventChannels: 1,
  };
}

const claims: Rec = {
  aud: 'https://management.core.windows.net/',
  iss: `https://sts.windows.net/${HOME}/`,
  iat: '1714644900',
  'http://schemas.microsoft.com/identity/claims/objectidentifier': OID,
  'http://schemas.microsoft.com/identity/claims/tenantid': PARTNER,
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'mallory@partner.example',
  idtyp: 'user',
  ipaddr: '185.220.101.45',
  uti: UTI,
  appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
};

function psRecord(over: Rec = {}): Rec {
  return {
    Authorization: { Action: 'Microsoft.Authorization/roleAssignments/write', Role: null, Scope: ASSIGNMENT, Condition: null },
    Caller: 'mallory@partner.example',
    Claims: { Content: claims },
    CorrelationId: 'c0c0c0c0-0000-4000-8000-000000000001',
    Description: '',
    EventDataId: 'e0e0e0e0-0000-4000-8000-000000000001',
    EventName: 'End request',
    Category: 'Administrative',
    EventTimestamp: '2024-05-02T10:20:01.1234567Z',
    HttpRequest: { ClientId: 'r1', Method: 'PUT', Url: null, ClientIpAddress: '185.220.101.45' },
    Id: `${ASSIGNMENT}/events/e0e0e0e0-0000-4000-8000-000000000001/ticks/638502420011234567`,
    Level: 4,
    OperationId: 'c0c0c0c0-0000-4000-8000-000000000001',
    OperationName: 'Create role assignment',
    Properties: { Content: { statusCode: 'Created', entity: ASSIGNMENT, message: 'Microsoft.Authorization/roleAssignments/write', hierarchy: `${HOME}/${SUB}` } },
    ResourceGroupName: 'prod-rg',
    ResourceProviderName: 'Microsoft Authorization',
    ResourceId: ASSIGNMENT,
    Status: 'Succeeded',
    SubmissionTimestamp: '2024-05-02T10:21:40Z',
    SubscriptionId: SUB,
    SubStatus: 'Created (HTTP Status Code: 201)',
    TenantId: HOME,
    ResourceType: null,
    EventChannels: 1,
    ...over,
  };
}

test('Get-AzLog from a German session: a localized Status takes its outcome from the HTTP status, else stays unknown with a notice', async () => {
  const dir = tempDir();
  const granted = psRecord({ OperationName: 'Rollenzuweisung erstellen', Status: 'Erfolgreich', SubStatus: 'Erstellt (HTTP-Statuscode: 201)' });
  const denied = psRecord({
    EventDataId: 'e0e0e0e0-0000-4000-8000-000000000002', EventTimestamp: '2024-05-02T10:22:00.0000000Z', Status: 'Fehlgeschlagen', SubStatus: 'Verboten',
    Properties: { Content: { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"nein"}}' } },
  });
  const started = psRecord({ EventDataId: 'e0e0e0e0-0000-4000-8000-000000000004', EventTimestamp: '2024-05-02T10:20:00.0000000Z', Status: 'Gestartet', SubStatus: '', Properties: { Content: {} } });
  const file = writeEvidence(dir, 'Get-AzLog-de.json', JSON.stringify([granted, denied, started], null, 2));

  const { db, result } = await importInto([dir]);

  const byId = new Map(storedEvents(db).map((e) => [e.native_id, e]));
  assert.equal(byId.get('e0e0e0e0-0000-4000-8000-000000000001')!.outcome, 'success', 'Created: 201');
  assert.equal(byId.get('e0e0e0e0-0000-4000-8000-000000000002')!.outcome, 'failure', 'Forbidden: 403');
  assert.equal(byId.get('e0e0e0e0-0000-4000-8000-000000000004')!.outcome, 'unknown', 'a start stage has no HTTP status');
  assert.deepEqual(result.problems.filter((p) => p.file === file).map((p) => p.reason), [`1 record ${LOCALIZED_STATUS_NOTICE}`]);
  // A note: neither damaged input nor records left out, and the case's totals say so.
  assert.equal(problemKind(`1 record ${LOCALIZED_STATUS_NOTICE}`), 'note');
  assert.deepEqual(readImportHistory(db).problemTotals, { damaged: 0, outOfScope: 0, notes: 1, groups: 1 });
  assert.equal(problemTotalsSentence(readImportHistory(db).problemTotals), '1 note on files that lost no record');
});

test('Get-AzLog | ConvertTo-Json -Depth 10 (PSEventData): the operation from Authorization.Action, claims from Claims.Content', async () => {
  const dir = tempDir();
  const denied = psRecord({
    EventDataId: 'e0e0e0e0-0000-4000-8000-000000000002', EventTimestamp: '2024-05-02T10:22:00.0000000Z', Status: 'Failed', SubStatus: 'Forbidden',
    Properties: { Content: { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"no"}}' } },
  });
  // Events of no authorization (service health, some system events) have only the display name: refused, not stored as an action.
  const noAuth = psRecord({ EventDataId: 'e0e0e0e0-0000-4000-8000-000000000003', Authorization: null, OperationName: 'Health Event Activated' });
  writeEvidence(dir, 'Get-AzLog.json', JSON.stringify([psRecord(), denied, noAuth], null, 2));

  const { db, result } = await importInto([dir]);

  const [ok, failed] = storedEvents(db);
  assert.equal(storedEvents(db).length, 2);
  assert.equal(ok!.action, 'Microsoft.Authorization/roleAssignments/write', 'the invariant operation, never "Create role assignment"');
  assert.equal(ok!.service, 'Microsoft.Authorization', 'from the operation, not "Microsoft Authorization"');
  assert.equal(ok!.time_ms, Date.UTC(2024, 4, 2, 10, 20, 1, 123));
  assert.equal(ok!.outcome, 'success');
  assert.equal(ok!.read_only, 0);
  assert.equal(ok!.principal_name, 'mallory@partner.example');
  assert.equal(ok!.principal_id, OID, 'oid claim, from Claims.Content');
  assert.equal(ok!.principal_type, 'User');
  assert.equal(ok!.principal_account, PARTNER, 'tid claim');
  assert.equal(ok!.credential_id, UTI, 'uti claim: the link to the sign-in');
  assert.equal(ok!.target_account, SUB);
  assert.equal(ok!.source_ip, '185.220.101.45');
  assert.equal((ok as EventRow & { target_resource: string | null }).target_resource, ASSIGNMENT);
  assert.equal(failed!.outcome, 'failure');
  assert.equal(failed!.error_code, 'AuthorizationFailed', 'Properties.Content.statusMessage');
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0]!.reason, /only the localized operation name "Health Event Activated".*export with az monitor activity-log list/);
  assert.match(result.problems[0]!.position ?? '', /record 3/);
});

test('autorest Az.Monitor (Get-AzActivityLog ≥ 5): flattened OperationNameValue, StatusValue, HttpRequestClientIPAddress, Claim', async () => {
  const dir = tempDir();
  const record = {
    AuthorizationAction: 'Microsoft.Authorization/roleAssignments/write', AuthorizationScope: ASSIGNMENT, AuthorizationRole: null,
    Caller: 'mallory@partner.example', CategoryLocalizedValue: 'Administrative', CategoryValue: 'Administrative',
    Claim: claims, CorrelationId: 'c0c0c0c0-0000-4000-8000-000000000009', Description: '',
    EventDataId: 'e0e0e0e0-0000-4000-8000-000000000009', EventNameLocalizedValue: 'End request', EventNameValue: 'EndRequest',
    EventTimestamp: '2024-05-02T10:20:01.1234567Z', HttpRequestClientIPAddress: '185.220.101.45', HttpRequestClientRequestId: 'r1', HttpRequestMethod: 'PUT',
    Id: `${ASSIGNMENT}/events/e0e0e0e0-0000-4000-8000-000000000009/ticks/638502420011234567`, Level: 'Informational', OperationId: 'o9',
    OperationNameLocalizedValue: 'Create role assignment', OperationNameValue: 'Microsoft.Authorization/roleAssignments/write',
    Property: { statusCode: 'Created' }, ResourceGroupName: 'prod-rg', ResourceId: ASSIGNMENT,
    ResourceProviderNameLocalizedValue: 'Microsoft Authorization', ResourceProviderNameValue: 'Microsoft.Authorization',
    StatusLocalizedValue: 'Succeeded', StatusValue: 'Succeeded', SubStatusLocalizedValue: 'Created (HTTP Status Code: 201)', SubStatusValue: 'Created',
    SubmissionTimestamp: '2024-05-02T10:21:40Z', SubscriptionId: SUB, TenantId: HOME,
  };
  writeEvidence(dir, 'activity.json', JSON.stringify([record], null, 2));
  const { db, result } = await importInto([dir]);
  assert.deepEqual(result.problems, []);
  const e = only(storedEvents(db), 'autorest EventData');
  assert.equal(e.action, 'Microsoft.Authorization/roleAssignments/write');
  assert.equal(e.service, 'Microsoft.Authorization');
  assert.equal(e.outcome, 'success');
  assert.equal(e.principal_account, PARTNER);
  assert.equal(e.credential_id, UTI);
  assert.equal(e.source_ip, '185.220.101.45');
  assert.equal(e.time_ms, Date.UTC(2024, 4, 2, 10, 20, 1, 123));
});

test('a service provider takeover exported with Get-AzLog | ConvertTo-Json -Depth 10 is found as from the REST API', async () => {
  const s = new AzureScenario().baseline();
  const { signIn, grant, keys } = serviceProviderTakeover(s, s.t0 + azAt.HOUR);
  const dir = s.write();
  writeFileSync(join(dir, 'evidence', 'azure-activity.json'), JSON.stringify(s.activity.map(psEventData), null, 2));

  const { findings, links } = await analyseWritten(dir);

  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  const f = findings[0]!;
  assert.equal(f.entry.eventId, signIn.id);
  assert.equal(f.entry.sourceAccount, AZ.attacker);
  assert.deepEqual(f.privilegedEventIds, [grant.done, keys.done]);
  assert.deepEqual(f.privileged.map((p) => p.action), ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Storage/storageAccounts/listKeys/action']);
  for (const id of [grant.done, keys.done]) assert.equal(links.get(id), 'credential', 'linked by the uti claim read from Claims.Content');
});

// ---------------------------------------------------------------------------------------------------------------
// Windows PowerShell 5.1: /Date(ms)/ and the -Depth 2 cut

test('Windows PowerShell 5.1 ConvertTo-Json: "\\/Date(ms)\\/" times; claims cut to a type name keep the event, with a notice', async () => {
  const dir = tempDir();
  const cut = 'System.Collections.Generic.Dictionary`2[System.String,System.String]';
  const activity = psRecord({ EventTimestamp: '/Date(1714645201123)/', SubmissionTimestamp: '/Date(1714645300000)/', Claims: { Content: cut }, Properties: { Content: cut } });
  // JSON.stringify writes `/`; Windows PowerShell writes `\/` (the same JSON string): the file is written as it does.
  writeEvidence(dir, 'azlog-ps51.json', JSON.stringify([activity], null, 4).replace(/"\/Date\((\d+)\)\/"/g, '"\\/Date($1)\\/"'));
  const signIn = {
    Id: '66666666-aaaa-4bbb-8ccc-000000000001', CreatedDateTime: '/Date(1714644930000)/', UserDisplayName: 'Mallory',
    UserPrincipalName: 'mallory@partner.example', UserId: OID, AppId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', AppDisplayName: 'Microsoft Azure CLI',
    IPAddress: '185.220.101.45', CorrelationId: 'cccccccc-0000-4000-8000-000000000001', IsInteractive: true,
    ResourceDisplayName: 'Windows Azure Service Management API', ResourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    Status: { ErrorCode: 0, FailureReason: 'Other.', AdditionalDetails: null, AdditionalProperties: 'System.Collections.Generic.Dictionary`2[System.String,System.Object]' },
    HomeTenantId: PARTNER, ResourceTenantId: HOME, CrossTenantAccessType: 'b2bCollaboration', UserType: 'guest',
    UniqueTokenIdentifier: UTI, SessionId: 'sess-1', SignInEventTypes: ['interactiveUser'], AdditionalProperties: {},
  };
  writeEvidence(dir, 'signins-ps51.json', JSON.stringify([signIn], null, 4).replace(/"\/Date\((\d+)\)\/"/g, '"\\/Date($1)\\/"'));

  const { db, result } = await importInto([dir]);

  const events = storedEvents(db);
  const sign = only(events.filter((e) => e.action === 'SignIn'), 'sign-in');
  assert.equal(sign.time_ms, 1714644930000);
  assert.equal(sign.time_text, '/Date(1714644930000)/');
  assert.equal(sign.principal_account, PARTNER);
  assert.equal(sign.issued_credential_id, UTI);
  assert.equal(sign.source_ip, '185.220.101.45');
  const call = only(events.filter((e) => e.action !== 'SignIn'), 'activity');
  assert.equal(call.time_ms, Date.UTC(2024, 4, 2, 10, 20, 1, 123));
  assert.equal(call.action, 'Microsoft.Authorization/roleAssignments/write');
  assert.equal(call.principal_name, 'mallory@partner.example');
  assert.equal(call.source_ip, '185.220.101.45');
  assert.equal(call.principal_account, null, 'the claims are not in the file');
  assert.equal(call.credential_id, null);
  assert.ok(!result.problems.some((p) => /unreadable/.test(p.reason)), JSON.stringify(result.problems));
  // Said once for the file, with how many records it concerns, and not counted as an error: the events are in.
  assert.deepEqual(
    result.problems.filter((p) => p.file.endsWith('azlog-ps51.json')).map((p) => [p.position, p.reason]),
    [[null, `1 record ${CLAIMS_CUT_NOTICE}`]],
  );
  assert.equal(result.stats.errors, 0);
  // The normalizer names what was lost and what to do once per record; the importer reports it once per file.
  const normalized = normalizeAzureActivity(activity);
  assert.ok(normalized.ok);
  assert.match(normalized.notice ?? '', /ConvertTo-Json -Depth 10/);
  const whole = normalizeAzureActivity(psRecord());
  assert.ok(whole.ok);
  assert.equal(whole.notice, undefined, 'a -Depth 10 export has its claims: no notice');
});

// ---------------------------------------------------------------------------------------------------------------
// Log Analytics CSV in a day-first locale

test('a Log Analytics CSV with day-first 24-hour dates is refused saying why and what to do', async () => {
  const dir = tempDir();
  const header = ['TenantId', 'CallerIpAddress', 'CategoryValue', 'CorrelationId', 'Claims', 'OperationNameValue', 'Caller', 'EventDataId', 'ActivityStatusValue', 'TimeGenerated [UTC]', 'SubscriptionId', 'OperationName', 'ResourceId', 'Type'];
  const row = [HOME, '185.220.101.45', 'Administrative', 'c0', JSON.stringify(claims), 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE', 'mallory@partner.example', 'e0e0e0e0-0000-4000-8000-00000000000a', 'Success', '02/05/2024, 10:20:01.123', SUB, 'Create role assignment', ASSIGNMENT, 'AzureActivity'];
  writeEvidence(dir, 'query_data.csv', `${csvLine(header)}\r\n${csvLine(row)}\r\n`);
  const { result } = await importInto([dir]);
  assert.equal(result.stats.events, 0);
  assert.equal(result.problems.length, 1);
  assert.equal(
    result.problems[0]!.reason,
    'unreadable Azure Activity time "02/05/2024, 10:20:01.123": a day-first or 24-hour Log Analytics date (day and month cannot be told apart): export with ISO times or from an en-US locale',
  );
});

// ---------------------------------------------------------------------------------------------------------------
// CloudTrail Lake get-query-results JSON: every cell a string, nested ones in Trino text

/** Trino's text form, as Lake prints struct and map cells: `{k=v, …}`, lists `[a, b]`, values unquoted. */
function trino(value: unknown, lower: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => trino(v, lower)).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as Rec).map(([k, v]) => `${lower ? k.toLowerCase() : k}=${trino(v, lower)}`).join(', ')}}`;
  return String(value);
}

/** One `SELECT *` row of get-query-results: a list of one-key objects, every value a string (QueryResultColumn is map<string,string>). */
function lakeQueryRow(record: Rec): Rec[] {
  return Object.entries(record)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => {
      if (k === 'eventTime') return { eventTime: String(v).replace('T', ' ').replace(/Z$/, '.000') };
      // userIdentity is a struct (Lake lowercases its field names); requestParameters / responseElements are maps.
      if (typeof v === 'object') return { [k]: trino(v, k === 'userIdentity') };
      return { [k]: String(v) };
    });
}

test('CloudTrail Lake get-query-results JSON: identity, account, access key and the issued key read from Trino text; the chain is found', async () => {
  const s = new Scenario().baseline(3);
  const evil = '999988887777';
  const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: evil, roleArn: `arn:aws:iam::${ORG.prod}:role/VendorAccess`, sessionName: 'vendor-sess', sourceIp: IPS.torDe });
  const stop = s.call({ at: s.t0 + at.HOUR + 2 * at.MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe, readOnly: false });
  const key = s.call({ at: s.t0 + at.HOUR + 4 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe, readOnly: false });
  const dir = s.write();
  rmSync(join(dir, 'evidence', 'cloudtrail.jsonl'));
  const page = { QueryStatus: 'FINISHED', QueryStatistics: { ResultsCount: s.records.length, TotalResultsCount: s.records.length, BytesScanned: 1234 }, QueryResultRows: s.records.map(lakeQueryRow) };
  writeFileSync(join(dir, 'evidence', 'lake-results.json'), JSON.stringify(page, null, 4));
  // The STS expiration is text with commas of its own: `expiration=Oct 10, 2026, 10:00:00 AM`.
  assert.match(JSON.stringify(page), /expiration=Oct 10, 2026, 10:00:00 AM/);

  const { db } = await importInto([join(dir, 'evidence')]);
  const events = storedEvents(db);
  const assume = only(events.filter((e) => e.native_id === entry.eventIds[0]), 'the AssumeRole');
  assert.equal(assume.principal_type, 'AWSAccount');
  assert.equal(assume.principal_id, `AIDA${evil}`);
  assert.equal(assume.principal_name, null, 'AWSAccount carries no name: kept null (it is part of the stored identity); displays use the account');
  assert.equal(principalLabel({ principalName: assume.principal_name, principalType: assume.principal_type, principalId: assume.principal_id, principalAccount: assume.principal_account }), evil);
  assert.equal(assume.principal_account, evil);
  assert.equal(assume.target_account, ORG.prod);
  assert.equal(assume.issued_credential_id, entry.session.credential, 'responseElements.credentials.accessKeyId despite the commas in expiration');
  assert.equal(assume.issued_principal, entry.session.sessionArn);
  assert.equal(assume.source_ip, IPS.torDe);
  assert.equal(assume.time_ms, s.t0 + at.HOUR);
  const stopped = only(events.filter((e) => e.native_id === stop), 'StopLogging');
  assert.equal(stopped.principal_name, entry.session.sessionArn);
  assert.equal(stopped.principal_account, ORG.prod);
  assert.equal(stopped.credential_id, entry.session.credential);
  assert.equal(stopped.session_issuer, `arn:aws:iam::${ORG.prod}:role/VendorAccess`);
  db.close();

  const { findings } = await analyseWritten(dir);
  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  assert.equal(findings[0]!.entry.eventId, entry.eventIds[0]);
  assert.equal(findings[0]!.entry.sourceAccount, evil);
  assert.deepEqual(findings[0]!.privilegedEventIds, [stop, key]);
});

// ---------------------------------------------------------------------------------------------------------------
// GCP: the Logs Explorer CSV download, BigQuery REST timestamps

/** A LogEntry flattened to dotted columns as the Logs Explorer CSV download writes it; repeated fields as JSON text or indexed. */
function flatten(value: unknown, prefix: string, out: Record<string, string>, arrays: 'json' | 'indexed'): void {
  if (Array.isArray(value)) {
    if (arrays === 'json') out[prefix] = JSON.stringify(value);
    else value.forEach((v, i) => flatten(v, `${prefix}.${i}`, out, arrays));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Rec)) flatten(v, prefix ? `${prefix}.${k}` : k, out, arrays);
  } else if (value !== null && value !== undefined) {
    out[prefix] = String(value);
  }
}

function logsExplorerCsv(entries: Rec[], arrays: 'json' | 'indexed'): string {
  const rows = entries.map((e) => {
    const out: Record<string, string> = {};
    flatten(e, '', out, arrays);
    return out;
  });
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  return `${[csvLine(header), ...rows.map((r) => csvLine(header.map((h) => r[h] ?? '')))].join('\n')}\n`;
}

for (const arrays of ['json', 'indexed'] as const) {
  test(`GCP Logs Explorer CSV (serviceAccountDelegationInfo ${arrays === 'json' ? 'as JSON text' : 'in .0. columns'}): the delegation is read; the chain is found`, async () => {
    const s = new GcpScenario().baseline(7);
    const { mint, look, grant, key } = foreignImpersonation(s);
    const dir = s.write();
    rmSync(join(dir, 'evidence', 'gcp-audit.json'));
    writeFileSync(join(dir, 'evidence', 'downloaded-logs-20261010.csv'), logsExplorerCsv(s.entries, arrays));

    const { db, result } = await importInto([join(dir, 'evidence')]);
    assert.deepEqual(result.problems, []);
    const grantRow = only(storedEvents(db).filter((e) => e.native_id === grant), 'SetIamPolicy');
    assert.equal(grantRow.action, 'SetIamPolicy');
    assert.equal(grantRow.principal_name, GCP.deployer);
    assert.equal(grantRow.credential_id, `${EVIL_SA}>${GCP.deployer}`, 'the delegation, as from JSON');
    assert.equal(grantRow.source_ip, IPS.volumeNl);
    assert.equal(grantRow.target_account, GCP.project);
    const mintRow = only(storedEvents(db).filter((e) => e.native_id === mint.insertId), 'GenerateAccessToken');
    assert.equal(mintRow.issued_credential_id, `${EVIL_SA}>${GCP.deployer}`);
    db.close();

    const { findings, links } = await analyseWritten(dir);
    assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
    assert.equal(findings[0]!.entry.eventId, mint.insertId);
    assert.deepEqual(findings[0]!.eventIds, [mint.insertId, look, grant, key]);
    for (const id of [look, grant, key]) assert.equal(links.get(id), 'credential');
  });
}

test('BigQuery REST float-epoch timestamps ("1.714645201118E9") are read exactly, to the millisecond', async () => {
  const dir = tempDir();
  const row = (insertId: string, timestamp: string) => ({
    logName: 'projects/victim-proj/logs/cloudaudit.googleapis.com%2Factivity',
    resource: { type: 'project', labels: { project_id: 'victim-proj' } },
    protopayload_auditlog: {
      serviceName: 'cloudresourcemanager.googleapis.com', methodName: 'SetIamPolicy', resourceName: 'projects/victim-proj',
      authenticationInfo: { principalEmail: 'deployer@victim-proj.iam.gserviceaccount.com', serviceAccountDelegationInfo: [{ firstPartyPrincipal: { principalEmail: 'evil@other-org.iam.gserviceaccount.com', serviceMetadataJson: null }, thirdPartyPrincipal: null }] },
      requestMetadata: { callerIp: '185.220.101.45', callerSuppliedUserAgent: 'google-cloud-sdk' },
      status: { code: null, message: null },
    },
    textPayload: null, timestamp, receiveTimestamp: '1.714645202345E9', severity: 'NOTICE', insertId,
  });
  // 1714645201.118 × 1000 in binary floating point is 1714645201117.9998: multiplying would need rounding to be right.
  writeEvidence(dir, 'bq-results.json', JSON.stringify([row('-a1', '1.714645201118E9'), row('-a2', '1.714645201118999E9'), row('-a3', '1.7146452E9')], null, 2));
  const { db, result } = await importInto([dir]);
  assert.deepEqual(result.problems, []);
  const byId = new Map(storedEvents(db).map((e) => [e.native_id, e]));
  assert.equal(byId.get('-a1')!.time_ms, 1714645201118);
  assert.equal(byId.get('-a2')!.time_ms, 1714645201118, 'microseconds dropped, not rounded up');
  assert.equal(byId.get('-a3')!.time_ms, 1714645200000);
  assert.equal(byId.get('-a1')!.credential_id, 'evil@other-org.iam.gserviceaccount.com>deployer@victim-proj.iam.gserviceaccount.com');
  assert.equal(byId.get('-a1')!.source_ip, '185.220.101.45');
});

test('principalLabel: an AWSAccount caller is shown as its account and session; named principals as named', () => {
  assert.equal(principalLabel({ principalName: null, principalType: 'AWSAccount', principalId: 'AROAEXAMPLEID:vendor-sess', principalAccount: '999988887777' }), '999988887777 (vendor-sess)');
  assert.equal(principalLabel({ principalName: null, principalType: 'AWSAccount', principalId: 'AIDA999988887777', principalAccount: '999988887777' }), '999988887777');
  assert.equal(principalLabel({ principalName: 'vendor-user', principalType: 'AWSAccount', principalId: 'AROA:x', principalAccount: '999988887777' }), 'vendor-user', 'lookup-events names it (Username)');
  assert.equal(principalLabel({ principalName: 'arn:aws:sts::111122223333:assumed-role/VendorAccess/s', principalType: 'AssumedRole', principalId: 'AROA:s', principalAccount: '111122223333' }), 'arn:aws:sts::111122223333:assumed-role/VendorAccess/s');
  assert.equal(principalLabel({ principalName: null, principalType: 'AWSService', principalId: null, principalAccount: null }), null);
});

test('Graph v1.0 sign-ins (Get-MgAuditLogSignIn: no tenant ids) import with a note that they cannot show guest or cross-tenant sign-ins', async () => {
  const dir = tempDir();
  const v1 = {
    Id: '66666666-aaaa-4bbb-8ccc-000000000009', CreatedDateTime: '2024-05-02T10:15:30Z', UserDisplayName: 'Mallory', UserPrincipalName: 'mallory@partner.example',
    UserId: OID, AppId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', AppDisplayName: 'Microsoft Azure CLI', IPAddress: '185.220.101.45', ClientAppUsed: 'Mobile Apps and Desktop clients',
    CorrelationId: 'cccccccc-0000-4000-8000-000000000009', ConditionalAccessStatus: 'notApplied', IsInteractive: true, ResourceDisplayName: 'Windows Azure Service Management API',
    ResourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', Status: { ErrorCode: 0, FailureReason: 'Other.' }, Location: { City: null, CountryOrRegion: 'DE' },
  };
  const file = writeEvidence(dir, 'Get-MgAuditLogSignIn.json', JSON.stringify([v1, { ...v1, Id: '66666666-aaaa-4bbb-8ccc-00000000000a', CreatedDateTime: '2024-05-02T10:45:30Z' }], null, 2));

  const { db, result } = await importInto([dir]);

  assert.equal(storedEvents(db).length, 2);
  assert.deepEqual(result.problems.filter((p) => p.file === file).map((p) => p.reason), [`2 records ${NO_TENANTS_NOTICE}`]);
  assert.equal(problemKind(`2 records ${NO_TENANTS_NOTICE}`), 'note');
});
