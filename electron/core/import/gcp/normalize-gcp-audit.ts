/**
 * GCP Cloud Audit Logs (LogEntry with an AuditLog payload) → NormalizedEvent.
 *
 * Field sources (Google Cloud documentation):
 * - LogEntry (Cloud Logging API): insertId, timestamp, receiveTimestamp, logName (`projects/<p>/logs/
 *   cloudaudit.googleapis.com%2F{activity,data_access,system_event,policy}`, also organizations/, folders/,
 *   billingAccounts/), resource {type, labels.project_id, labels.location/zone/region, labels.email_id},
 *   operation {id, producer, first, last}, protoPayload.
 * - AuditLog (google.cloud.audit.AuditLog): serviceName, methodName, resourceName, status {code, message}
 *   (google.rpc.Status), authenticationInfo {principalEmail, principalSubject, serviceAccountKeyName,
 *   serviceAccountDelegationInfo[] {firstPartyPrincipal {principalEmail}, thirdPartyPrincipal {thirdPartyClaims},
 *   principalSubject}}, authorizationInfo[], requestMetadata {callerIp, callerSuppliedUserAgent,
 *   requestAttributes.time}, request, response, metadata, resourceLocation.currentLocations.
 * - "Example logs for Workload Identity Federation" (IAM docs): ExchangeToken (sts.googleapis.com) has the IdP
 *   subject in authenticationInfo.principalSubject, the federated principal in metadata.mapped_principal and the
 *   pool provider in resourceName; GenerateAccessToken names the service account in request.name /
 *   resource.labels.email_id while resourceName may hold its numeric id; calls made with the token show the
 *   service account as principalEmail and the original caller in serviceAccountDelegationInfo.
 * - "Cloud Audit Logs: caller IP": callerIp may be `private`, `gce-internal-ip` or a service name, not an address.
 * - Export layouts: Logs Explorer download and `gcloud logging read --format=json` (a JSON array of LogEntry),
 *   entries.list (`{"entries":[…]}`), Cloud Storage sinks (JSON lines under `cloudaudit.googleapis.com/<log>/YYYY/MM/DD/`),
 *   BigQuery sinks (`protopayload_auditlog` instead of protoPayload, requestJson / responseJson / metadataJson as
 *   text, timestamps like `2024-01-02 03:04:05.123456 UTC`; BigQuery's REST API (tabledata.list,
 *   jobs.getQueryResults) writes TIMESTAMP cells as epoch seconds in exponent form, `"1.714645201118E9"`, read exactly
 *   to the millisecond), and copies that renamed `@type` (`at_sign_type`).
 * - The Logs Explorer CSV download: one dotted column per leaf (`protoPayload.authenticationInfo.principalEmail`),
 *   nested in unflatten(); repeated fields (serviceAccountDelegationInfo, currentLocations) arrive as JSON text in one
 *   column or as indexed columns (`…serviceAccountDelegationInfo.0.firstPartyPrincipal.principalEmail`), and objects
 *   (authenticationInfo, requestMetadata, status, request) may be JSON text: all read as from JSON.
 *
 * | column             | source (first present wins)                                                                   |
 * |--------------------|-----------------------------------------------------------------------------------------------|
 * | nativeId           | insertId; else '' (the importer hashes the raw)                                              |
 * | timeMs, timeText   | timestamp, else requestMetadata.requestAttributes.time, else receiveTimestamp (also BigQuery REST `1.714645201118E9`) |
 * | service / action   | serviceName (else operation.producer) / methodName, case kept                                |
 * | eventType          | the audit log: activity, data_access, system_event, policy (from logName)                   |
 * | outcome, errorCode | status.code absent / 0 → success, else failure with the google.rpc.Code name (PERMISSION_DENIED …) |
 * | readOnly           | activity → false; data_access: read verbs (get, list, …, tableDataRead) → true, write verbs → false; else null |
 * | principalId/Name   | principalEmail, else principalSubject (`user:` / `serviceAccount:` prefix dropped; federated principals kept whole) |
 * | principalType      | User, ServiceAccount, ServiceAgent (Google-managed), FederatedPrincipal, GoogleSystem        |
 * | principalAccount   | the project of a user-managed service account (`…@<project>.iam.gserviceaccount.com`, `<project>@appspot…`) |
 * | targetAccount      | resource.labels.project_id, else the project (or organizations/…, folders/…) in logName       |
 * | sourceIp / sourceService | requestMetadata.callerIp when an address / otherwise (`private`, `gce-internal-ip`, services) |
 * | userAgent, region  | callerSuppliedUserAgent; resource.labels location/region/zone, resourceLocation.currentLocations[0] |
 * | credentialId       | `<original caller>><service account>` when the call came through impersonation (first entry of serviceAccountDelegationInfo: an array, JSON text or `.0.` columns), else serviceAccountKeyName |
 * | issuedPrincipal, targetResource | GenerateAccessToken / GenerateIdToken / SignJwt / SignBlob: the target service account email; ExchangeToken: metadata.mapped_principal / the pool provider |
 * | issuedCredentialId | the same `<original caller>><service account>` the issued token's calls will carry as credentialId |
 * | identityProvider   | ExchangeToken: the pool provider (resourceName); federated callers: the pool in their principal:// subject |
 * | requestId          | operation.id                                                                                  |
 */
import type { NormalizedEvent, Outcome } from '../../../../shared/domain/event';
import type { NormalizeResult } from '../cloudtrail/normalize-cloudtrail';
import { field, jsonObject, obj, parseExponentEpochSeconds, parseIp, parseTimestamp, text } from '../values';

type Obj = Record<string, unknown>;

/** Methods that mint a credential for a service account (iamcredentials.googleapis.com, and the older iam.googleapis.com names). */
export const GCP_IMPERSONATION_METHODS = /(^|\.)(GenerateAccessToken|GenerateIdToken|SignJwt|SignBlob)$/i;
/** Security Token Service: exchanges an external IdP token for a federated Google token. */
export const GCP_TOKEN_EXCHANGE_METHODS = /(^|\.)ExchangeToken$/i;

/** google.rpc.Code names, as the Cloud Console shows them. */
const RPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS',
  'UNAUTHENTICATED',
];

const READ_VERB = /^(get|list|search|lookup|query|read|fetch|describe|check|testiampermissions|batchget|aggregatedlist|watch|view|export|download|retrieve)/i;
const WRITE_VERB = /^(create|insert|update|patch|delete|remove|set|add|put|write|move|copy|rename|undelete|enable|disable|start|stop|reset|resize|attach|detach|deploy|run|execute|import|upload|rotate|destroy|restore|cancel|publish|acknowledge|grant|revoke|approve|deny|undeploy|migrate)/i;

/** `a.b.c` keys (a flattened copy, a CSV download) become nested objects, so one reader serves every layout. */
function unflatten(record: Obj): Obj {
  if (!Object.keys(record).some((k) => k.includes('.') && !k.startsWith('@'))) return record;
  const out: Obj = {};
  for (const [key, value] of Object.entries(record)) {
    const parts = key.split('.');
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = obj(cur[parts[i]!]) ?? {};
      cur[parts[i]!] = next;
      cur = next;
    }
    const last = parts[parts.length - 1]!;
    if (obj(cur[last]) === null) cur[last] = value;
  }
  return out;
}

/** The AuditLog payload wherever the layout put it. */
function payloadOf(record: Obj): Obj | null {
  return obj(field(record, 'protoPayload')) ?? obj(field(record, 'protopayload_auditlog'));
}

export function normalizeGcpAudit(input: Obj): NormalizeResult {
  const record = unflatten(input);
  const pp = payloadOf(record);
  if (!pp) return { ok: false, reason: 'GCP log entry has no protoPayload' };
  const action = text(field(pp, 'methodName'));
  if (!action) return { ok: false, reason: 'GCP audit entry has no protoPayload.methodName' };
  const meta = jsonObject(field(pp, 'requestMetadata'));
  const timeRaw = [field(record, 'timestamp'), field(obj(field(meta, 'requestAttributes')), 'time'), field(record, 'receiveTimestamp')]
    .find((v) => v !== undefined && v !== null && v !== '');
  const timeMs = parseTimestamp(timeRaw) ?? parseExponentEpochSeconds(timeRaw);
  if (timeMs === null) {
    return { ok: false, reason: timeRaw === undefined ? 'GCP audit entry has no timestamp (nor receiveTimestamp)' : `unreadable GCP audit timestamp ${JSON.stringify(timeRaw)}` };
  }

  const auth = jsonObject(field(pp, 'authenticationInfo'));
  const resource = obj(field(record, 'resource'));
  const labels = obj(field(resource, 'labels'));
  const logName = text(field(record, 'logName'));
  const logType = logTypeOf(logName);
  const request = jsonObject(field(pp, 'request')) ?? jsonObject(field(pp, 'requestJson'));
  const metadata = jsonObject(field(pp, 'metadata')) ?? jsonObject(field(pp, 'metadataJson'));
  const resourceName = text(field(pp, 'resourceName'));

  const principalSubject = text(field(auth, 'principalSubject'));
  const principalEmail = text(field(auth, 'principalEmail')) ?? emailOfSubject(principalSubject);
  const principal = principalEmail ?? principalSubject;
  const authority = delegationAuthority(auth);
  const { outcome, errorCode } = statusOf(field(pp, 'status'), action);
  const ipText = text(field(meta, 'callerIp'));
  const sourceIp = parseIp(ipText);

  const impersonation = GCP_IMPERSONATION_METHODS.test(action);
  const exchange = GCP_TOKEN_EXCHANGE_METHODS.test(action);
  const targetSa = impersonation ? serviceAccountOf(request, labels, resourceName) : null;
  const poolProvider = exchange ? resourceName : null;
  // What later calls made with the issued token will show: the service account, vouched for by the original caller.
  const issuerAuthority = authority ?? principal;

  const event: NormalizedEvent = {
    provider: 'gcp',
    nativeId: text(field(record, 'insertId')) ?? '',
    fingerprint: 0,
    timeMs,
    timeText: typeof timeRaw === 'string' ? timeRaw : String(timeRaw),
    service: text(field(pp, 'serviceName')) ?? text(field(obj(field(record, 'operation')), 'producer')),
    action,
    eventType: logType,
    outcome,
    errorCode,
    readOnly: readOnlyOf(logType, action, metadata),
    principalType: principalTypeOf(principalEmail, principalSubject),
    principalId: principal,
    principalName: principal,
    principalAccount: projectOfServiceAccount(principalEmail),
    sessionIssuer: null,
    targetAccount: text(field(labels, 'project_id')) ?? containerOf(logName),
    sourceIp,
    sourceService: sourceIp === null ? ipText : null,
    userAgent: text(field(meta, 'callerSuppliedUserAgent')),
    region: regionOf(labels, pp),
    credentialId: authority && principalEmail ? `${authority}>${principalEmail}` : text(field(auth, 'serviceAccountKeyName')),
    issuedCredentialId: targetSa && issuerAuthority && outcome !== 'failure' ? `${issuerAuthority}>${targetSa}` : null,
    issuedPrincipal: targetSa ?? (exchange ? text(field(metadata, 'mapped_principal')) ?? text(field(metadata, 'mappedPrincipal')) : null),
    sharedEventId: null,
    requestId: text(field(obj(field(record, 'operation')), 'id')),
    targetResource: targetSa ?? poolProvider,
    identityProvider: poolProvider ?? poolOf(principalSubject) ?? poolOf(authority),
    sourceIdentity: null,
    sessionCreatedMs: null,
  };
  return { ok: true, event };
}

/** `projects/p/logs/cloudaudit.googleapis.com%2Factivity` → `activity` (also unescaped, and BigQuery's `cloudaudit_googleapis_com_activity`). */
function logTypeOf(logName: string | null): string | null {
  if (!logName) return null;
  const m = /cloudaudit[._]googleapis[._]com(?:%2F|\/|_)([a-z_]+)$/i.exec(logName);
  return m ? m[1]!.toLowerCase() : null;
}

/** The project (or organization, folder, billing account) a logName belongs to. */
function containerOf(logName: string | null): string | null {
  const m = logName ? /^(projects|organizations|folders|billingAccounts)\/([^/]+)\/logs\//.exec(logName) : null;
  if (!m) return null;
  return m[1] === 'projects' ? m[2]! : `${m[1]}/${m[2]}`;
}

/** Google Workspace login audit: the call that records a failed sign-in succeeds, the sign-in did not. */
const LOGIN_FAILURE = /(^|\.)loginFailure$/i;

function statusOf(value: unknown, action: string): { outcome: Outcome; errorCode: string | null } {
  const status = jsonObject(value);
  const raw = field(status, 'code');
  if (raw === undefined || raw === null || raw === '') {
    return LOGIN_FAILURE.test(action) ? { outcome: 'failure', errorCode: 'loginFailure' } : { outcome: 'success', errorCode: null };
  }
  const code = Number(raw);
  if (Number.isInteger(code)) return code === 0 ? { outcome: 'success', errorCode: null } : { outcome: 'failure', errorCode: RPC_CODES[code] ?? String(code) };
  const name = text(raw);
  return name && name.toUpperCase() === 'OK' ? { outcome: 'success', errorCode: null } : { outcome: 'failure', errorCode: name };
}

function readOnlyOf(logType: string | null, action: string, metadata: Obj | null): boolean | null {
  if (logType === 'activity') return false; // Admin Activity: calls that change configuration or metadata
  if (logType === 'system_event' || logType === 'policy') return null;
  if (GCP_IMPERSONATION_METHODS.test(action) || GCP_TOKEN_EXCHANGE_METHODS.test(action)) return false; // mints a credential
  if (field(metadata, 'tableDataRead') !== undefined) return true; // BigQuery data read
  const verb = action.split('.').pop() ?? action;
  if (READ_VERB.test(verb)) return true;
  if (WRITE_VERB.test(verb)) return false;
  return null;
}

const SERVICE_ACCOUNT = /^[^@\s]+@[a-z0-9.-]*gserviceaccount\.com$/i;
/** Google-managed service agents: `service-<number>@…`, `<number>@cloudservices…`, `…@gcp-sa-….iam…`. */
const SERVICE_AGENT = /^(service-\d+|\d+)@|@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$|@(system|cloudservices|cloudbuild|[a-z-]+-system|container-engine-robot)\.(iam\.)?gserviceaccount\.com$/i;

function principalTypeOf(email: string | null, subject: string | null): string | null {
  if (email) {
    if (/^system@google\.com$/i.test(email)) return 'GoogleSystem';
    if (SERVICE_ACCOUNT.test(email)) return SERVICE_AGENT.test(email) ? 'ServiceAgent' : 'ServiceAccount';
    return 'User';
  }
  if (!subject) return null;
  if (/^serviceAccount:/i.test(subject)) return 'ServiceAccount';
  if (/^user:/i.test(subject)) return 'User';
  if (/^principal(Set)?:\/\//i.test(subject)) return 'FederatedPrincipal';
  return 'FederatedSubject';
}

/** The project a user-managed service account lives in; null for users and Google-managed agents (numbers, not project ids). */
export function projectOfServiceAccount(email: string | null): string | null {
  if (!email || SERVICE_AGENT.test(email)) return null;
  const iam = /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/i.exec(email);
  if (iam) return iam[1]!;
  const appspot = /^([a-z][a-z0-9-]{4,28}[a-z0-9])@appspot\.gserviceaccount\.com$/i.exec(email);
  return appspot ? appspot[1]! : null;
}

/** `user:alice@example.com` / `serviceAccount:sa@p.iam.gserviceaccount.com` → the email, so both spellings of one caller meet. */
function emailOfSubject(subject: string | null): string | null {
  const m = subject ? /^(?:user|serviceAccount):(.+@.+)$/.exec(subject) : null;
  return m ? m[1]! : null;
}

/** The original caller behind an impersonated service account: the first entry of serviceAccountDelegationInfo. */
function delegationAuthority(auth: Obj | null): string | null {
  const chain = listOf(field(auth, 'serviceAccountDelegationInfo'));
  if (!chain) return null;
  for (const entry of chain) {
    const e = jsonObject(entry);
    if (!e) continue;
    const subject = text(field(e, 'principalSubject'));
    const who = text(field(jsonObject(field(e, 'firstPartyPrincipal')), 'principalEmail')) ?? emailOfSubject(subject) ?? subject;
    if (who) return who;
    const claims = jsonObject(field(jsonObject(field(e, 'thirdPartyPrincipal')), 'thirdPartyClaims'));
    const third = text(field(claims, 'sub')) ?? text(field(claims, 'email'));
    if (third) return third;
  }
  return null;
}

/**
 * A repeated field however the layout kept it: an array; JSON text (a Logs Explorer CSV cell holding
 * `[{"firstPartyPrincipal":…}]`); or, from columns flattened with indexes (`…serviceAccountDelegationInfo.0.
 * firstPartyPrincipal.principalEmail`), the object unflatten() built with keys `0`, `1`, … (in index order).
 */
function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (!t.startsWith('[')) return null;
    try {
      const parsed: unknown = JSON.parse(t);
      return Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  const o = obj(value);
  if (!o) return null;
  const keys = Object.keys(o);
  if (keys.length === 0 || !keys.every((k) => /^\d+$/.test(k))) return null;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => o[k]);
}

/** The service account a credential was minted for: request.name, resource.labels.email_id, or an email in resourceName. */
function serviceAccountOf(request: Obj | null, labels: Obj | null, resourceName: string | null): string | null {
  for (const candidate of [text(field(request, 'name')), text(field(labels, 'email_id')), resourceName]) {
    const m = candidate ? /(?:^|\/)serviceAccounts\/([^/]+@[^/]+)$/.exec(candidate) ?? /^([^/\s]+@[^/\s]+)$/.exec(candidate) : null;
    if (m) return m[1]!;
  }
  // Only a numeric unique id: keep the resource name so the event still says which account.
  return resourceName && /serviceAccounts\//.test(resourceName) ? resourceName : null;
}

/** `principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/s` → the pool. */
function poolOf(subject: string | null): string | null {
  const m = subject ? /^principal(?:Set)?:\/\/iam\.googleapis\.com\/(.+?\/(?:workloadIdentityPools|workforcePools)\/[^/]+)\//.exec(subject) : null;
  return m ? m[1]! : null;
}

function regionOf(labels: Obj | null, pp: Obj): string | null {
  const fromLabels = text(field(labels, 'location')) ?? text(field(labels, 'region')) ?? text(field(labels, 'zone'));
  if (fromLabels) return fromLabels;
  const current = listOf(field(jsonObject(field(pp, 'resourceLocation')), 'currentLocations'));
  return current ? text(current[0]) : null;
}

