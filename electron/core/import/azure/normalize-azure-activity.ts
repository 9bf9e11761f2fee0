/**
 * Azure Activity log (and resource logs in the same common schema) → NormalizedEvent.
 *
 * Field sources (Microsoft Learn):
 * - "Azure Activity Log event schema" (azure-monitor/essentials/activity-log-schema): the REST / portal JSON /
 *   `az monitor activity-log list` shape (EventData: eventDataId, eventTimestamp, caller, claims, authorization
 *   {action, scope}, operationName {value, localizedValue}, status {value}, subStatus {value}, category {value},
 *   resourceProviderName {value}, subscriptionId, httpRequest.clientIpAddress, correlationId, properties), and its
 *   last section, the mapping to the diagnostic-settings schema written to storage (`PT1H.json`, JSON lines since
 *   1 Nov 2018) and Event Hubs (`{"records":[…]}`): time ← eventTimestamp, operationName ← operationName.value,
 *   category ← Write/Delete/Action (then properties.eventCategory holds the real category; absent means
 *   Administrative), resultType ← status.value, resultSignature ← subStatus.value, callerIpAddress ←
 *   httpRequest.clientIpAddress, identity ← {claims, authorization}.
 * - "Common and service-specific schemas for Azure resource logs": the same top level for resource logs (Storage
 *   StorageRead/Write/Delete: statusCode, statusText, identity {type, tokenHash, requester}, properties.objectKey,
 *   properties.userAgentHeader). AKS `kube-audit` records (a Kubernetes audit event as text in properties.log) are
 *   refused: they are Kubernetes API calls, not Azure control-plane calls.
 * - Azure Monitor data reference, table AzureActivity (Log Analytics / Sentinel exports): TimeGenerated, EventDataId,
 *   OperationNameValue, ResourceProviderValue, CategoryValue, ActivityStatusValue, ActivitySubstatusValue, Caller,
 *   CallerIpAddress, SubscriptionId, ResourceId / _ResourceId, CorrelationId, Claims(_d), Authorization(_d),
 *   Properties(_d), HTTPRequest — dynamic columns as JSON text. Its TenantId is the workspace, never read here.
 * - Azure SDK for Python EventData.as_dict() (plaso test data): the REST shape in snake_case.
 * - Az.Monitor PowerShell, `Get-AzLog` / `Get-AzActivityLog | ConvertTo-Json` (azure-powershell
 *   src/Monitor/Monitor/OutputClasses/PSEventData.cs, PSDictionaryElement.cs, PSEventDataAuthorization.cs):
 *   PascalCase; OperationName, Category, Status, SubStatus, EventName and ResourceProviderName are flattened to their
 *   *localized* display text ("Create role assignment", "Microsoft Authorization"), so the operation is read from
 *   Authorization.Action (the record is refused when it has no invariant name at all); Claims and Properties are
 *   `{"Content": {…}}`; HttpRequest {ClientId, Method, Url, ClientIpAddress}. Older releases kept
 *   OperationName {Value, LocalizedValue}. The autorest Az.Monitor (≥ 5) flattens nested names instead:
 *   OperationNameValue / OperationNameLocalizedValue, StatusValue, SubStatusValue, CategoryValue, AuthorizationAction,
 *   AuthorizationScope, HttpRequestClientIPAddress, Claim / Property (bags, also `{"AdditionalProperties": {…}}`).
 *   Windows PowerShell 5.1's ConvertTo-Json writes DateTime as `"\/Date(ms)\/"` and anything deeper than
 *   `-Depth` (2 by default) as its .NET type name (`System.Collections.Generic.Dictionary…`): such a record imports
 *   without its claims and carries a notice (re-export with `-Depth 10`), reported once per file.
 *
 * | column            | source (first present wins)                                                                       |
 * |-------------------|---------------------------------------------------------------------------------------------------|
 * | nativeId          | eventDataId / EventDataId / event_data_id, else the REST `id`; else '' (the importer hashes the raw) |
 * | timeMs, timeText  | eventTimestamp / time / TimeGenerated (`/Date(ms)/` read; a day-first Log Analytics date refused with why) |
 * | action            | OperationNameValue / operationName.value / operationName (text), case kept as logged; PSEventData's localized OperationName → Authorization.Action / AuthorizationAction, else refused |
 * | service           | namespace of the action (`Microsoft.Authorization/…`), resourceProviderName.value, resourceId's provider |
 * | eventType         | properties.eventCategory, category.value / CategoryValue / category (Write/Delete/Action → Administrative) |
 * | outcome           | status.value / ActivityStatusValue / StatusValue / Status (text) / resultType: Succeeded/Success → success, Failed/Failure → failure, else unknown; resource logs: statusCode (HTTP) |
 * | errorCode         | failures only: properties.statusMessage error.code, subStatus.value / ActivitySubstatusValue / SubStatusValue / resultSignature, properties.statusCode, statusText |
 * | readOnly          | action ends `/read` → true; `/write`, `/delete`, `/action` → false; Storage categories; else null |
 * | principalId       | claims objectidentifier (oid), identity.authorization.evidence.principalId (not a group), caller when a GUID |
 * | principalName     | caller, claims upn / name / emailaddress / spn, appid; resource logs identity.requester.upn |
 * | principalType     | claims idtyp (user → User, app → ServicePrincipal), xms_mirid → ManagedIdentity, evidence.principalType; resource logs identity.type |
 * | principalAccount  | claims tenantid (tid): the tenant of the token. Claims: claims / Claims(_d) / Claim, as an object, JSON text, `{Content}` or `{AdditionalProperties}` |
 * | targetAccount     | subscriptionId, else the subscription in resourceId, else the record's tenantId (tenant-level calls) |
 * | sourceIp / sourceService | callerIpAddress / httpRequest.clientIpAddress / HttpRequestClientIPAddress (`ip:port` accepted); non-IP text → sourceService |
 * | credentialId      | claims uti (the token's unique id = the sign-in's uniqueTokenIdentifier); resource logs identity.tokenHash |
 * | sessionCreatedMs  | claims iat (when the token was issued)                                                            |
 * | identityProvider  | claims idp (identityprovider), else iss                                                            |
 * | sessionIssuer     | claims xms_mirid (the resource a managed identity belongs to)                                      |
 * | requestId         | correlationId                                                                                      |
 * | targetResource    | resourceId, else authorization.scope / AuthorizationScope (properties.objectKey for storage resource logs) |
 * | userAgent, region | properties.userAgentHeader; location                                                               |
 */
import type { NormalizedEvent, Outcome } from '../../../../shared/domain/event';
import type { NormalizeResult } from '../cloudtrail/normalize-cloudtrail';
import { field, jsonObject, obj, parseIp, parseTimestamp, text } from '../values';
import { azureTime, bagOf, cutByJsonDepth, guid, isGuid, localized, nested, pick, pickFirst, providerOf, subscriptionOf, unreadableTimeReason } from './azure-fields';

type Obj = Record<string, unknown>;

const CLAIM = {
  oid: ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'],
  tid: ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'],
  upn: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'upn'],
  name: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'unique_name', 'name'],
  email: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'email'],
  spn: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn'],
  idp: ['http://schemas.microsoft.com/identity/claims/identityprovider', 'idp'],
} as const;

function claim(claims: Obj | null, names: readonly string[]): string | null {
  for (const n of names) {
    const v = text(field(claims, n))?.trim();
    if (v) return v;
  }
  return null;
}

/** Resource-log categories that are Kubernetes audit events, not Azure control-plane calls. */
const KUBE_AUDIT = /^kube-audit/i;

/** Why a kube-audit record is not imported (problem-kinds.ts recognises this text as a refusal by design). */
export const kubeAuditRefusal = (category: string) =>
  `an AKS ${category} resource log (a Kubernetes API audit event inside properties.log): not an Azure control-plane call, not imported`;

/** An operation as ARM names it, `Microsoft.Authorization/roleAssignments/write` (any case), not a display name. */
const INVARIANT_OPERATION = /^[A-Za-z][\w-]*(?:\.[\w-]+)+\/\S+$/;

/** Why a PSEventData record whose operation name is only its localized display name is refused. */
export const localizedOperationRefusal = (name: string) =>
  `Azure Activity record has only the localized operation name ${JSON.stringify(name)} (Get-AzLog / Get-AzActivityLog output with no Authorization.Action), not the operation itself (Microsoft.<provider>/…/write): export with az monitor activity-log list, the REST API or Log Analytics, or keep Authorization in the PowerShell export`;

/** Why the importer notes records whose status is in another language and whose outcome nothing else gives (once per file). */
export const LOCALIZED_STATUS_NOTICE =
  'with a status in another language than English and no HTTP status beside it (Get-AzLog / Get-AzActivityLog run in a non-English session): their outcome is unknown, neither succeeded nor failed; re-export with az monitor activity-log list, the REST API or Log Analytics, or from an English PowerShell session';

/** Why the importer notes a Windows PowerShell export whose claims its `ConvertTo-Json` depth cut off (once per file). */
export const CLAIMS_CUT_NOTICE =
  'imported without the token claims (tenant, token id uti, object id): ConvertTo-Json wrote Claims.Content as a .NET type name because it was deeper than -Depth (2 by default in Windows PowerShell 5.1), so these calls cannot be linked to their sign-ins; re-export with ConvertTo-Json -Depth 10';

export function normalizeAzureActivity(record: Obj): NormalizeResult {
  const category = localized(pickFirst(record, 'CategoryValue', 'category'));
  if (category && KUBE_AUDIT.test(category)) {
    return { ok: false, reason: kubeAuditRefusal(category) };
  }
  const identity = nested(record, 'identity');
  const authorization = nested(record, 'authorization', 'Authorization_d', 'Authorization') ?? nested(identity, 'authorization');
  const operation = pickFirst(record, 'OperationNameValue', 'operationName');
  let action = localized(operation);
  if (!action) return { ok: false, reason: 'Azure Activity record has no operationName' };
  if (typeof operation === 'string' && !INVARIANT_OPERATION.test(action) && isEventData(record)) {
    // Az.Monitor's PSEventData (Get-AzLog / Get-AzActivityLog) flattens operationName to its localized display name
    // ("Create role assignment"); the operation itself is the authorization's action.
    const invariant = text(field(authorization, 'action')) ?? text(pickFirst(record, 'AuthorizationAction'));
    if (!invariant || !INVARIANT_OPERATION.test(invariant)) return { ok: false, reason: localizedOperationRefusal(action) };
    action = invariant;
  }
  const timeRaw = pickFirst(record, 'eventTimestamp', 'time', 'TimeGenerated');
  const timeMs = azureTime(timeRaw);
  if (timeMs === null) {
    return { ok: false, reason: timeRaw === undefined ? 'Azure Activity record has no time (time, eventTimestamp or TimeGenerated)' : unreadableTimeReason('Azure Activity time', timeRaw) };
  }

  const props = bagOf(record, 'properties', 'Properties_d', 'Properties', 'Property');
  const claims = bagOf(record, 'claims', 'Claims_d', 'Claims', 'Claim') ?? bagOf(identity, 'claims');
  const evidence = nested(authorization, 'evidence');
  const requester = nested(identity, 'requester');
  const httpRequest = nested(record, 'httpRequest', 'HTTPRequest');
  const resourceId = text(pickFirst(record, 'resourceId', '_ResourceId')) ?? text(field(authorization, 'scope')) ?? text(pickFirst(record, 'AuthorizationScope'));

  const { outcome, localizedStatus } = outcomeOf(record, props);
  const ipText = text(pickFirst(record, 'callerIpAddress')) ?? text(pick(httpRequest, 'clientIpAddress')) ?? text(pickFirst(record, 'HttpRequestClientIpAddress'));
  const sourceIp = parseIp(ipText);
  const caller = text(pick(record, 'caller'))?.trim() || null;
  const oid = guid(claim(claims, CLAIM.oid));
  const evidencePrincipal = text(field(evidence, 'principalType'))?.toLowerCase() === 'group' ? null : guid(field(evidence, 'principalId'));

  const event: NormalizedEvent = {
    provider: 'azure',
    nativeId: text(pickFirst(record, 'eventDataId')) ?? text(field(record, 'id')) ?? '',
    fingerprint: 0,
    timeMs,
    timeText: typeof timeRaw === 'string' ? timeRaw : String(timeRaw),
    service: serviceOf(action, record, resourceId, category),
    action,
    eventType: eventTypeOf(category, props),
    outcome,
    errorCode: outcome === 'failure' ? errorCodeOf(record, props) : null,
    readOnly: readOnlyOf(action, category),
    principalType: principalTypeOf(claims, evidence, identity, caller),
    principalId: oid ?? evidencePrincipal ?? (isGuid(caller) ? guid(caller) : null) ?? guid(field(requester, 'objectId')),
    principalName:
      caller ?? claim(claims, CLAIM.upn) ?? claim(claims, CLAIM.name) ?? claim(claims, CLAIM.email) ?? claim(claims, CLAIM.spn)
      ?? text(field(claims, 'appid')) ?? text(field(requester, 'upn')) ?? text(field(requester, 'appId')),
    principalAccount: guid(claim(claims, CLAIM.tid)) ?? guid(field(requester, 'tenantId')),
    sessionIssuer: text(field(claims, 'xms_mirid')),
    targetAccount: targetAccountOf(record, resourceId),
    sourceIp,
    sourceService: sourceIp === null ? ipText : null,
    userAgent: text(field(props, 'userAgentHeader')) ?? text(field(props, 'userAgent')),
    region: text(field(record, 'location')),
    credentialId: text(field(claims, 'uti')) ?? text(field(identity, 'tokenHash')),
    issuedCredentialId: null,
    issuedPrincipal: null,
    sharedEventId: null,
    requestId: text(pickFirst(record, 'correlationId')),
    targetResource: text(field(props, 'objectKey')) ?? resourceId,
    identityProvider: claim(claims, CLAIM.idp) ?? text(field(claims, 'iss')),
    sourceIdentity: null,
    sessionCreatedMs: parseTimestamp(text(field(claims, 'iat'))),
  };
  if (claims === null && cutByJsonDepth(record, 'claims', 'Claims', 'Claim')) return { ok: true, event, notice: CLAIMS_CUT_NOTICE };
  return localizedStatus ? { ok: true, event, notice: LOCALIZED_STATUS_NOTICE } : { ok: true, event };
}

/** The REST EventData shape (and PowerShell's copies of it): eventTimestamp, where diagnostic records and Log Analytics rows have time / TimeGenerated. */
function isEventData(record: Obj): boolean {
  return pick(record, 'eventTimestamp') !== undefined && pick(record, 'time') === undefined && pick(record, 'TimeGenerated') === undefined;
}

function serviceOf(action: string, record: Obj, resourceId: string | null, category: string | null): string | null {
  const slash = action.indexOf('/');
  if (slash > 0) return action.slice(0, slash);
  const provider = localized(pickFirst(record, 'ResourceProviderValue', 'resourceProviderName'));
  if (provider) return provider.split('/')[0]!;
  return providerOf(resourceId) ?? (category && /^storage/i.test(category) ? 'Microsoft.Storage' : null);
}

/** Diagnostic settings write Write/Delete/Action as the category and the real one in properties.eventCategory. */
function eventTypeOf(category: string | null, props: Obj | null): string | null {
  const fromProps = text(field(props, 'eventCategory'));
  if (fromProps) return fromProps;
  if (category && /^(write|delete|action)$/i.test(category)) return 'Administrative';
  return category;
}

function statusWord(value: string | null): Outcome | null {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (v === 'succeeded' || v === 'success') return 'success';
  if (v === 'failed' || v === 'failure') return 'failure';
  return 'unknown';
}

/** The stages and outcomes ARM writes in `status`, in English (the REST API, az, Log Analytics, diagnostic settings). */
const ENGLISH_STATUS = /^(succeeded|success|failed|failure|started|accepted|canceled|cancelled|active|resolved|in ?progress|updated|deleted)$/i;

/**
 * HTTP statuses by the names ARM writes in `properties.statusCode` ("Created", "Forbidden"), with 202 Accepted left
 * unknown: an operation accepted to run later, as its "Accepted" stage is.
 */
function httpOutcome(code: string | null): Outcome | null {
  if (code === null) return null;
  const n = Number(code);
  const status = Number.isInteger(n) ? n : HTTP_STATUS[code.replace(/\s+/g, '').toLowerCase()];
  if (status === undefined || status < 100) return null;
  if (status === 202) return 'unknown';
  return status < 400 ? 'success' : 'failure';
}

const HTTP_STATUS: Record<string, number> = {
  ok: 200, created: 201, accepted: 202, nocontent: 204, badrequest: 400, unauthorized: 401, forbidden: 403, notfound: 404,
  methodnotallowed: 405, conflict: 409, preconditionfailed: 412, toomanyrequests: 429, internalservererror: 500,
  notimplemented: 501, badgateway: 502, serviceunavailable: 503, gatewaytimeout: 504,
};

/**
 * The outcome, and whether `status` was written in another language than English: Az.Monitor's PSEventData flattens
 * it to its localized text ("Erfolgreich", "Réussi"), which says nothing here. Such a record's outcome comes from the
 * HTTP status in its properties when it has one (a final record does), and is otherwise unknown, with a notice.
 */
function outcomeOf(record: Obj, props: Obj | null): { outcome: Outcome; localizedStatus: boolean } {
  const status = localized(pickFirst(record, 'ActivityStatusValue', 'StatusValue', 'status', 'resultType'));
  const word = statusWord(status);
  if (status !== null && word === 'unknown' && !ENGLISH_STATUS.test(status.trim())) {
    const http = httpOutcome(text(field(props, 'statusCode')));
    return { outcome: http ?? 'unknown', localizedStatus: http === null };
  }
  if (word !== null) return { outcome: word, localizedStatus: false };
  // Resource logs (Storage …) carry an HTTP status instead.
  const http = Number(text(field(record, 'statusCode')));
  if (Number.isFinite(http) && http >= 100) return { outcome: http < 400 ? 'success' : 'failure', localizedStatus: false };
  const metric = text(field(props, 'metricResponseType'));
  if (metric) return { outcome: metric.toLowerCase() === 'success' ? 'success' : 'failure', localizedStatus: false };
  return { outcome: 'unknown', localizedStatus: false };
}

function errorCodeOf(record: Obj, props: Obj | null): string | null {
  // ARM puts the API error in properties.statusMessage: {"error":{"code":"AuthorizationFailed",…}} (as text).
  const message = jsonObject(field(props, 'statusMessage'));
  const armCode = text(field(obj(field(message, 'error')), 'code'));
  if (armCode) return armCode;
  return (
    localized(pickFirst(record, 'ActivitySubstatusValue', 'SubStatusValue', 'subStatus', 'resultSignature'))
    ?? text(field(props, 'statusCode'))
    ?? text(field(record, 'statusText'))
    ?? text(field(props, 'metricResponseType'))
    ?? text(field(record, 'statusCode'))
  );
}

function readOnlyOf(action: string, category: string | null): boolean | null {
  const a = action.toLowerCase();
  if (a.endsWith('/read')) return true;
  if (a.endsWith('/write') || a.endsWith('/delete') || a.endsWith('/action')) return false;
  if (category && /^storageread$/i.test(category)) return true;
  if (category && /^storage(write|delete)$/i.test(category)) return false;
  return null;
}

function principalTypeOf(claims: Obj | null, evidence: Obj | null, identity: Obj | null, caller: string | null): string | null {
  if (text(field(claims, 'xms_mirid'))) return 'ManagedIdentity';
  const idtyp = text(field(claims, 'idtyp'))?.toLowerCase();
  if (idtyp === 'user') return 'User';
  if (idtyp === 'app') return 'ServicePrincipal';
  const fromEvidence = text(field(evidence, 'principalType'));
  if (fromEvidence && fromEvidence.toLowerCase() !== 'group') return fromEvidence;
  if (claim(claims, CLAIM.upn) || claim(claims, CLAIM.email)?.includes('@') || caller?.includes('@')) return 'User';
  if (text(field(claims, 'appid')) && !claim(claims, CLAIM.name)) return 'ServicePrincipal';
  return text(field(identity, 'type'));
}

function targetAccountOf(record: Obj, resourceId: string | null): string | null {
  const sub = guid(pickFirst(record, 'subscriptionId'));
  if (sub) return sub;
  const fromResource = subscriptionOf(resourceId);
  if (fromResource) return fromResource;
  // Tenant-level operations (elevateAccess, management groups) have no subscription. Log Analytics' TenantId is
  // the workspace, so the tenant is only read from records that are not Log Analytics rows.
  if (pick(record, 'TimeGenerated') !== undefined) return null;
  return guid(pickFirst(record, 'tenantId'));
}
