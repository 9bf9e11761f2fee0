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
 *
 * | column            | source (first present wins)                                                                       |
 * |-------------------|---------------------------------------------------------------------------------------------------|
 * | nativeId          | eventDataId / EventDataId / event_data_id, else the REST `id`; else '' (the importer hashes the raw) |
 * | timeMs, timeText  | eventTimestamp / time / TimeGenerated                                                              |
 * | action            | operationName.value / OperationNameValue / operationName (text), case kept as logged               |
 * | service           | namespace of the action (`Microsoft.Authorization/…`), resourceProviderName.value, resourceId's provider |
 * | eventType         | properties.eventCategory, category.value / CategoryValue / category (Write/Delete/Action → Administrative) |
 * | outcome           | status.value / ActivityStatusValue / resultType: Succeeded/Success → success, Failed/Failure → failure, else unknown; resource logs: statusCode (HTTP) |
 * | errorCode         | failures only: properties.statusMessage error.code, subStatus.value / ActivitySubstatusValue / resultSignature, properties.statusCode, statusText |
 * | readOnly          | action ends `/read` → true; `/write`, `/delete`, `/action` → false; Storage categories; else null |
 * | principalId       | claims objectidentifier (oid), identity.authorization.evidence.principalId (not a group), caller when a GUID |
 * | principalName     | caller, claims upn / name / emailaddress / spn, appid; resource logs identity.requester.upn |
 * | principalType     | claims idtyp (user → User, app → ServicePrincipal), xms_mirid → ManagedIdentity, evidence.principalType; resource logs identity.type |
 * | principalAccount  | claims tenantid (tid): the tenant of the token                                                    |
 * | targetAccount     | subscriptionId, else the subscription in resourceId, else the record's tenantId (tenant-level calls) |
 * | sourceIp / sourceService | callerIpAddress / httpRequest.clientIpAddress (`ip:port` accepted); non-IP text → sourceService |
 * | credentialId      | claims uti (the token's unique id = the sign-in's uniqueTokenIdentifier); resource logs identity.tokenHash |
 * | sessionCreatedMs  | claims iat (when the token was issued)                                                            |
 * | identityProvider  | claims idp (identityprovider), else iss                                                            |
 * | sessionIssuer     | claims xms_mirid (the resource a managed identity belongs to)                                      |
 * | requestId         | correlationId                                                                                      |
 * | targetResource    | resourceId (properties.objectKey for storage resource logs)                                        |
 * | userAgent, region | properties.userAgentHeader; location                                                               |
 */
import type { NormalizedEvent, Outcome } from '../../../../shared/domain/event';
import type { NormalizeResult } from '../cloudtrail/normalize-cloudtrail';
import { field, jsonObject, obj, parseIp, parseTimestamp, text } from '../values';
import { azureTime, guid, isGuid, localized, nested, pick, pickFirst, providerOf, subscriptionOf } from './azure-fields';

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

export function normalizeAzureActivity(record: Obj): NormalizeResult {
  const category = localized(pickFirst(record, 'CategoryValue', 'category'));
  if (category && KUBE_AUDIT.test(category)) {
    return { ok: false, reason: kubeAuditRefusal(category) };
  }
  const action = localized(pickFirst(record, 'OperationNameValue', 'operationName'));
  if (!action) return { ok: false, reason: 'Azure Activity record has no operationName' };
  const timeRaw = pickFirst(record, 'eventTimestamp', 'time', 'TimeGenerated');
  const timeMs = azureTime(timeRaw);
  if (timeMs === null) {
    return { ok: false, reason: timeRaw === undefined ? 'Azure Activity record has no time (time, eventTimestamp or TimeGenerated)' : `unreadable Azure Activity time ${JSON.stringify(timeRaw)}` };
  }

  const props = nested(record, 'properties', 'Properties_d', 'Properties');
  const identity = nested(record, 'identity');
  const claims = nested(record, 'claims', 'Claims_d', 'Claims') ?? nested(identity, 'claims');
  const authorization = nested(record, 'authorization', 'Authorization_d', 'Authorization') ?? nested(identity, 'authorization');
  const evidence = nested(authorization, 'evidence');
  const requester = nested(identity, 'requester');
  const httpRequest = nested(record, 'httpRequest', 'HTTPRequest');
  const resourceId = text(pickFirst(record, 'resourceId', '_ResourceId')) ?? text(field(authorization, 'scope'));

  const outcome = outcomeOf(record, props);
  const ipText = text(pickFirst(record, 'callerIpAddress')) ?? text(pick(httpRequest, 'clientIpAddress'));
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
  return { ok: true, event };
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

function outcomeOf(record: Obj, props: Obj | null): Outcome {
  const status = localized(pickFirst(record, 'ActivityStatusValue', 'status', 'resultType'));
  const word = statusWord(status);
  if (word !== null) return word;
  // Resource logs (Storage …) carry an HTTP status instead.
  const http = Number(text(field(record, 'statusCode')));
  if (Number.isFinite(http) && http >= 100) return http < 400 ? 'success' : 'failure';
  const metric = text(field(props, 'metricResponseType'));
  if (metric) return metric.toLowerCase() === 'success' ? 'success' : 'failure';
  return 'unknown';
}

function errorCodeOf(record: Obj, props: Obj | null): string | null {
  // ARM puts the API error in properties.statusMessage: {"error":{"code":"AuthorizationFailed",…}} (as text).
  const message = jsonObject(field(props, 'statusMessage'));
  const armCode = text(field(obj(field(message, 'error')), 'code'));
  if (armCode) return armCode;
  return (
    localized(pickFirst(record, 'ActivitySubstatusValue', 'subStatus', 'resultSignature'))
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
