/**
 * Microsoft Entra ID sign-in logs (interactive, non-interactive, service principal, managed identity) → NormalizedEvent.
 *
 * Field sources:
 * - Microsoft Graph `signIn` resource (v1.0 and beta: /auditLogs/signIns, `{"value":[…]}` pages): id,
 *   createdDateTime, userId, userPrincipalName, userDisplayName, userType, appId, appDisplayName, ipAddress,
 *   status {errorCode, failureReason}, correlationId, resourceId, resourceDisplayName, resourceTenantId,
 *   homeTenantId, crossTenantAccessType, uniqueTokenIdentifier, sessionId, servicePrincipalId,
 *   servicePrincipalName, servicePrincipalCredentialKeyId, federatedCredentialId, managedIdentityType,
 *   signInEventTypes, isInteractive, incomingTokenType, tokenIssuerType, tokenIssuerName, userAgent.
 * - Entra admin center download (Sign-in logs → Download → JSON: an array of those objects; "Microsoft Entra
 *   sign-in logs schema reference"), and the CSV download, whose Title Case columns ("Date (UTC)", "Request ID",
 *   "Username", "IP address", "Unique token identifier", "Home tenant ID", "Resource tenant ID", "Service principal
 *   ID", "Credential key ID", …) csv-row.ts maps back onto the Graph names before this runs.
 * - Diagnostic settings (storage `insights-logs-signinlogs/…/PT1H.json`, Event Hubs `{"records":[…]}`): the Graph
 *   object inside `properties`, with time, category (SignInLogs, NonInteractiveUserSignInLogs,
 *   ServicePrincipalSignInLogs, ManagedIdentitySignInLogs), resultType, callerIpAddress, correlationId, tenantId
 *   around it.
 * - Log Analytics / Sentinel tables SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs,
 *   AADManagedIdentitySignInLogs: the same names in PascalCase (IPAddress, UserPrincipalName, ResourceIdentity,
 *   Status as JSON text), TimeGenerated, Type. Their TenantId is the workspace, never read here.
 * - Microsoft Graph PowerShell (`Get-MgBetaAuditLogSignIn | ConvertTo-Json`): the Graph names in PascalCase
 *   (IPAddress, CreatedDateTime, Status.ErrorCode, AdditionalProperties); Windows PowerShell 5.1 writes
 *   CreatedDateTime as `"\/Date(ms)\/"` (UTC epoch ms, values.ts). Every linking field is at the top level, so
 *   its default `-Depth 2` loses none of them.
 *
 * | column             | source (first present wins)                                                                 |
 * |--------------------|---------------------------------------------------------------------------------------------|
 * | nativeId           | id (portal "Request ID"); else '' (the importer hashes the raw)                            |
 * | timeMs, timeText   | createdDateTime ("Date (UTC)"), else the record's time / TimeGenerated; `/Date(ms)/` read; a day-first Log Analytics date refused with why |
 * | service / action   | `Microsoft.aadiam` (the provider every sign-in record names in its resourceId) / `SignIn`  |
 * | eventType          | the category (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,         |
 * |                    | ManagedIdentitySignInLogs), from category / Type / signInEventTypes / isInteractive; null when the export does not say |
 * | outcome, errorCode | status.errorCode ("Sign-in error code"; 0 = success), else resultType; errorCode only on failure |
 * | principalType      | User / GuestUser (userType Guest) / ServicePrincipal / ManagedIdentity                     |
 * | principalId        | userId; servicePrincipalId for service principals and managed identities                  |
 * | principalName      | userPrincipalName; for service principals and managed identities the app: appDisplayName, servicePrincipalName, appId |
 * | principalAccount   | homeTenantId (the identity's tenant); the log's tenant when crossTenantAccessType is none   |
 * | targetAccount      | resourceTenantId (the tenant signed into), else the record's tenant                        |
 * | sourceIp           | ipAddress / IPAddress / "IP address"                                                       |
 * | credentialId       | servicePrincipalCredentialKeyId ("Credential key ID"), federatedCredentialId               |
 * | issuedCredentialId | uniqueTokenIdentifier, on success (the `uti` claim of the token, which Azure Activity records carry) |
 * | issuedPrincipal    | on success: the object id the token was issued to (userId / servicePrincipalId)            |
 * | identityProvider   | federatedTokenIssuer, tokenIssuerName, else homeTenantId                                   |
 * | requestId          | correlationId                                                                              |
 * | sharedEventId      | id, when the sign-in crosses tenants (both tenants log it under the same id)               |
 * | targetResource     | resourceId (the resource app id; ResourceIdentity in Log Analytics), else resourceDisplayName |
 * | sourceIdentity     | sessionId (the sign-in session the token belongs to)                                       |
 * | userAgent          | userAgent                                                                                  |
 */
import type { NormalizedEvent, Outcome } from '../../../../shared/domain/event';
import type { NormalizeResult } from '../cloudtrail/normalize-cloudtrail';
import { bool, field, obj, parseIp, text } from '../values';
import { azureTime, guid, nested, pick, pickFirst, unreadableTimeReason } from './azure-fields';

type Obj = Record<string, unknown>;

export const ENTRA_SIGNIN_SERVICE = 'Microsoft.aadiam';

const CATEGORY_BY_TABLE: Record<string, string> = {
  signinlogs: 'SignInLogs',
  aadnoninteractiveusersigninlogs: 'NonInteractiveUserSignInLogs',
  aadserviceprincipalsigninlogs: 'ServicePrincipalSignInLogs',
  aadmanagedidentitysigninlogs: 'ManagedIdentitySignInLogs',
};

const CATEGORY_BY_EVENT_TYPE: Record<string, string> = {
  interactiveuser: 'SignInLogs',
  noninteractiveuser: 'NonInteractiveUserSignInLogs',
  serviceprincipal: 'ServicePrincipalSignInLogs',
  managedidentity: 'ManagedIdentitySignInLogs',
};

/** Keys only the sign-in object itself has: when `properties` holds them, the record is a diagnostic envelope. */
const SIGNIN_KEYS = ['createdDateTime', 'userPrincipalName', 'appId', 'ipAddress', 'servicePrincipalId', 'status', 'id'];

/** Said once per file of sign-ins without tenant ids (importer: `N records <notice>`). */
export const NO_TENANTS_NOTICE =
  'without home or resource tenant ids (Microsoft Graph v1.0 signIns, Get-MgAuditLogSignIn): guest and cross-tenant sign-ins, which start Azure chains, cannot be told from the tenant\'s own; export with the beta endpoint (Get-MgBetaAuditLogSignIn), the Entra admin center or diagnostic settings';

export function normalizeEntraSignIn(record: Obj): NormalizeResult {
  const inner = obj(field(record, 'properties'));
  const envelope = inner !== null && SIGNIN_KEYS.some((k) => field(inner, k) !== undefined);
  const p: Obj = envelope ? inner! : record;
  const get = (...names: string[]) => pickFirst(p, ...names) ?? (envelope ? pickFirst(record, ...names) : undefined);

  const timeRaw = pickFirst(p, 'createdDateTime') ?? pickFirst(record, 'time', 'TimeGenerated');
  const timeMs = azureTime(timeRaw);
  if (timeMs === null) {
    return { ok: false, reason: timeRaw === undefined ? 'Entra sign-in record has no time (createdDateTime, time or TimeGenerated)' : unreadableTimeReason('Entra sign-in time', timeRaw) };
  }

  const category = categoryOf(record, p);
  const managedIdentity = category === 'ManagedIdentitySignInLogs' || isSet(text(pick(p, 'managedIdentityType')));
  const servicePrincipal = !managedIdentity && (category === 'ServicePrincipalSignInLogs'
    || (pick(p, 'servicePrincipalId') !== undefined && !text(pick(p, 'userPrincipalName')) && !text(pick(p, 'userId'))));
  const app = !!(managedIdentity || servicePrincipal);

  const { outcome, errorCode } = outcomeOf(p, record);
  const ipText = text(get('ipAddress')) ?? text(pick(record, 'callerIpAddress'));
  const sourceIp = parseIp(ipText);
  const id = text(pick(p, 'id'));
  const homeTenant = guid(pick(p, 'homeTenantId'));
  const logTenant = guid(pick(p, 'resourceTenantId')) ?? guid(pick(p, 'AADTenantId')) ?? (envelope ? guid(pick(record, 'tenantId')) : null);
  const crossTenantType = text(pick(p, 'crossTenantAccessType'));
  const crossTenant = (crossTenantType !== null && crossTenantType.toLowerCase() !== 'none') || (homeTenant !== null && logTenant !== null && homeTenant !== logTenant);
  const principalId = app ? guid(pick(p, 'servicePrincipalId')) ?? guid(pick(p, 'userId')) : guid(pick(p, 'userId'));

  const event: NormalizedEvent = {
    provider: 'azure',
    nativeId: id ?? '',
    fingerprint: 0,
    timeMs,
    timeText: typeof timeRaw === 'string' ? timeRaw : String(timeRaw),
    service: ENTRA_SIGNIN_SERVICE,
    action: 'SignIn',
    eventType: category,
    outcome,
    errorCode,
    readOnly: null,
    principalType: managedIdentity ? 'ManagedIdentity' : servicePrincipal ? 'ServicePrincipal'
      : text(pick(p, 'userType'))?.toLowerCase() === 'guest' ? 'GuestUser' : 'User',
    principalId,
    principalName: app
      ? text(pick(p, 'appDisplayName')) ?? text(pick(p, 'servicePrincipalName')) ?? text(pick(p, 'appId'))
      : text(pick(p, 'userPrincipalName')) ?? text(pick(p, 'userDisplayName')),
    principalAccount: homeTenant ?? (crossTenantType?.toLowerCase() === 'none' ? logTenant : null),
    sessionIssuer: null,
    targetAccount: logTenant,
    sourceIp,
    sourceService: sourceIp === null ? ipText : null,
    userAgent: text(pick(p, 'userAgent')),
    region: null,
    credentialId: text(pick(p, 'servicePrincipalCredentialKeyId')) ?? text(pick(p, 'federatedCredentialId')),
    issuedCredentialId: outcome === 'success' ? text(pick(p, 'uniqueTokenIdentifier')) : null,
    issuedPrincipal: outcome === 'success' ? principalId : null,
    sharedEventId: crossTenant ? id : null,
    requestId: text(get('correlationId')),
    targetResource: resourceOf(p),
    identityProvider: text(pick(p, 'federatedTokenIssuer')) ?? text(pick(p, 'tokenIssuerName')) ?? homeTenant,
    sourceIdentity: text(pick(p, 'sessionId')),
    sessionCreatedMs: null,
  };
  // Graph v1.0 signIns (Get-MgAuditLogSignIn) carry no tenant of either side: such a sign-in imports, but cannot be
  // told cross-tenant or guest, which is what starts an Azure chain.
  if (homeTenant === null && logTenant === null && crossTenantType === null) return { ok: true, event, notice: NO_TENANTS_NOTICE };
  return { ok: true, event };
}

function isSet(value: string | null): boolean {
  return value !== null && value.toLowerCase() !== 'none';
}

function categoryOf(record: Obj, p: Obj): string | null {
  const table = text(pick(record, 'Type'));
  if (table && CATEGORY_BY_TABLE[table.toLowerCase()]) return CATEGORY_BY_TABLE[table.toLowerCase()]!;
  const category = text(pick(record, 'category'));
  if (category && /signin/i.test(category)) return category;
  const types = pick(p, 'signInEventTypes');
  const first = Array.isArray(types) ? text(types[0]) : text(types);
  if (first && CATEGORY_BY_EVENT_TYPE[first.toLowerCase()]) return CATEGORY_BY_EVENT_TYPE[first.toLowerCase()]!;
  if (isSet(text(pick(p, 'managedIdentityType')))) return 'ManagedIdentitySignInLogs';
  if (pick(p, 'servicePrincipalId') !== undefined && !text(pick(p, 'userPrincipalName')) && !text(pick(p, 'userId'))) return 'ServicePrincipalSignInLogs';
  const interactive = bool(pick(p, 'isInteractive'));
  if (interactive === true) return 'SignInLogs';
  if (interactive === false) return 'NonInteractiveUserSignInLogs';
  return null;
}

function outcomeOf(p: Obj, record: Obj): { outcome: Outcome; errorCode: string | null } {
  const status = nested(p, 'status', 'Status');
  const code = text(field(status, 'errorCode')) ?? text(pickFirst(p, 'ResultType')) ?? text(pickFirst(record, 'resultType'));
  if (code !== null) {
    if (/^\d+$/.test(code.trim())) return Number(code) === 0 ? { outcome: 'success', errorCode: null } : { outcome: 'failure', errorCode: code.trim() };
    const word = code.trim().toLowerCase();
    if (word === 'success' || word === 'succeeded') return { outcome: 'success', errorCode: null };
    if (word === 'failure' || word === 'failed') return { outcome: 'failure', errorCode: text(field(status, 'failureReason')) };
  }
  return { outcome: 'unknown', errorCode: null };
}

/** The resource signed into: its app id (never the `/tenants/…/providers/Microsoft.aadiam` path of the log). */
function resourceOf(p: Obj): string | null {
  for (const name of ['resourceId', 'ResourceIdentity', 'resourceDisplayName']) {
    const v = text(pick(p, name));
    if (v && !v.startsWith('/')) return name === 'resourceDisplayName' ? v : guid(v);
  }
  return null;
}
