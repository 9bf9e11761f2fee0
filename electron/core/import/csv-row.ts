import { parseTrinoValue } from './trino-map';
import { UNSUPPORTED_KIND } from './record-kind';

/** Header names folded so `Event time` (console), `eventtime` (Lake) and `eventTime` meet. */
export function foldHeader(name: string): string {
  return name.replace(/[\s_]/g, '').toLowerCase();
}

/** Folded CSV header → CloudTrail record key, for the columns whose names differ from the record's. */
const CONSOLE_COLUMNS: Record<string, string[]> = {
  username: ['userIdentity', 'userName'],
  awsaccesskey: ['userIdentity', 'accessKeyId'],
  sourceipaddress: ['sourceIPAddress'],
  eventid: ['eventID'],
  requestid: ['requestID'],
  sharedeventid: ['sharedEventID'],
};

const NESTED = new Set(['useridentity', 'requestparameters', 'responseelements', 'additionaleventdata', 'resources', 'tlsdetails', 'serviceeventdetails']);

/** Recognises CloudTrail CSV exports: CloudTrail Lake results and the console's Event history download. */
export function isCloudTrailCsvHeader(headers: string[]): boolean {
  const folded = new Set(headers.map(foldHeader));
  return folded.has('eventname') && folded.has('eventtime');
}

/**
 * Turns one CSV row into a CloudTrail-shaped record: nested cells (JSON or Trino text) are expanded, console
 * column names are mapped. When a cell holds the full event JSON (the console's "CloudTrail event" column),
 * that record is used as it is.
 */
export function csvRowToRecord(row: Record<string, string>): Record<string, unknown> {
  for (const value of Object.values(row)) {
    if (value.startsWith('{"') && value.includes('"eventName"')) {
      try {
        const full = JSON.parse(value);
        if (full && typeof full === 'object') return full as Record<string, unknown>;
      } catch {
        // not the full record after all; fall through to column mapping
      }
    }
  }
  const record: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(row)) {
    if (value === '') continue;
    const key = foldHeader(header);
    const target = CONSOLE_COLUMNS[key];
    const parsed = NESTED.has(key) && (value.startsWith('{') || value.startsWith('[')) ? parseTrinoValue(value) : value;
    if (target && target.length === 2) {
      const parent = (record[target[0]!] ??= {}) as Record<string, unknown>;
      parent[target[1]!] = parsed;
    } else if (target) {
      record[target[0]!] = parsed;
    } else if (key === 'useridentity' && typeof parsed === 'object' && parsed !== null) {
      record.userIdentity = { ...(record.userIdentity as object | undefined), ...(parsed as object) };
    } else {
      record[key] = parsed;
    }
  }
  return record;
}

/** The CSV exports the importer reads, recognised by their header line. */
export type CsvLayout = 'cloudtrail' | 'azure-activity' | 'entra-signin' | 'gcp-audit' | 'splunk';

/** Header names reduced to letters and digits: `Date (UTC)` → `dateutc`, `Sign-in error code` → `signinerrorcode`. */
function foldLoose(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Log Analytics CSV exports name datetime columns `TimeGenerated [UTC]`. */
function stripUtcSuffix(name: string): string {
  return name.replace(/\s*\[UTC\]\s*$/i, '');
}

/**
 * Which export a CSV header line belongs to, or null. CloudTrail comes first and is unchanged (eventName and
 * eventTime); then the Entra admin center sign-in download (`Date (UTC)`, `Request ID`), Log Analytics / Sentinel
 * exports of AzureActivity (`OperationNameValue`) and of the sign-in tables (`TimeGenerated`, `AppId`,
 * `UserPrincipalName` or `ServicePrincipalId`), and GCP entries flattened to dotted columns (`protoPayload.methodName`).
 */
export function csvLayoutOf(headers: string[]): CsvLayout | null {
  // A Splunk export keeps the event as indexed in `_raw`, whatever fields it extracted beside it: that is the record.
  if (headers.includes('_raw')) return 'splunk';
  if (isCloudTrailCsvHeader(headers)) return 'cloudtrail';
  const folded = new Set(headers.map((h) => foldLoose(stripUtcSuffix(h))));
  if (folded.has('protopayloadmethodname') || folded.has('protopayloadauditlogmethodname')) return 'gcp-audit';
  if (folded.has('dateutc') && folded.has('requestid')) return 'entra-signin';
  if (folded.has('operationnamevalue') || (folded.has('operationname') && (folded.has('eventdataid') || folded.has('resourceprovidervalue')))) return 'azure-activity';
  if (folded.has('timegenerated') && folded.has('appid') && (folded.has('userprincipalname') || folded.has('serviceprincipalid'))) return 'entra-signin';
  return null;
}

/**
 * A CSV we recognise but do not import, with what to export instead; null when the header is simply unknown. The
 * Azure portal's Activity log "Download as CSV" holds localized operation names, subscription display names and
 * no event ids or token claims: nothing that identifies the call, the token or the caller's tenant.
 */
export function unsupportedCsvReason(headers: string[]): string | null {
  const folded = new Set(headers.map(foldLoose));
  if (folded.has('operationname') && folded.has('eventinitiatedby')) {
    return 'the Azure portal Activity log CSV download (localized operation names, no event ids, no token claims) is not imported: export the activity log as JSON (az monitor activity-log list, the REST API, diagnostic settings) or from Log Analytics';
  }
  if (folded.has('classuid') && folded.has('metadata')) return UNSUPPORTED_KIND.ocsf!;
  return null;
}

/**
 * A CSV that holds no events by design, so the file is skipped (as a CloudTrail digest is), not refused: the Entra
 * admin center's authentication details file (`InteractiveSignIns_AuthDetails_….csv`: Request ID, Authentication
 * Method, Succeeded …, one row per authentication step of the sign-ins in the file beside it). Null for any other.
 */
export function companionCsvFormat(headers: string[]): string | null {
  const folded = new Set(headers.map(foldLoose));
  if (folded.has('requestid') && folded.has('authenticationmethod') && !folded.has('dateutc')) return 'entra-signin-auth-details:csv';
  return null;
}

/** Entra admin center CSV columns (folded) → the Graph signIn property each one shows. */
const ENTRA_PORTAL_COLUMNS: Record<string, string> = {
  dateutc: 'createdDateTime',
  requestid: 'id',
  useragent: 'userAgent',
  correlationid: 'correlationId',
  userid: 'userId',
  user: 'userDisplayName',
  username: 'userPrincipalName',
  usertype: 'userType',
  crosstenantaccesstype: 'crossTenantAccessType',
  incomingtokentype: 'incomingTokenType',
  authenticationprotocol: 'authenticationProtocol',
  uniquetokenidentifier: 'uniqueTokenIdentifier',
  clientcredentialtype: 'clientCredentialType',
  application: 'appDisplayName',
  applicationid: 'appId',
  appownertenantid: 'appOwnerTenantId',
  resource: 'resourceDisplayName',
  resourceid: 'resourceId',
  resourcetenantid: 'resourceTenantId',
  resourceownertenantid: 'resourceOwnerTenantId',
  hometenantid: 'homeTenantId',
  hometenantname: 'homeTenantName',
  ipaddress: 'ipAddress',
  location: 'location',
  clientapp: 'clientAppUsed',
  sessionid: 'sessionId',
  serviceprincipalid: 'servicePrincipalId',
  serviceprincipalname: 'servicePrincipalName',
  credentialkeyid: 'servicePrincipalCredentialKeyId',
  credentialthumbprint: 'servicePrincipalCredentialThumbprint',
  managedidentitytype: 'managedIdentityType',
  tokenissuertype: 'tokenIssuerType',
  tokenissuername: 'tokenIssuerName',
  federatedtokenid: 'federatedCredentialId',
  federatedtokenissuer: 'federatedTokenIssuer',
  autonomoussystemnumber: 'autonomousSystemNumber',
  authenticationrequirement: 'authenticationRequirement',
  signinidentifier: 'signInIdentifier',
};

/**
 * One CSV row as the record its layout's normalizer reads. CloudTrail rows go through csvRowToRecord. Entra admin
 * center rows get their Graph property names back (`Username` → userPrincipalName, `Sign-in error code` →
 * status.errorCode); the download does not say whether user sign-ins were interactive, so the file name the portal
 * gives (`InteractiveSignIns_…`, `NonInteractiveSignIns_…`, `ApplicationSignIns_…`, `MSISignIns_…`) does. Log
 * Analytics rows keep their column names without the ` [UTC]` suffix; GCP rows keep their dotted names (the
 * normalizer nests them). Empty cells are dropped.
 */
export function csvRowFor(layout: CsvLayout, row: Record<string, string>, label = ''): Record<string, unknown> {
  if (layout === 'cloudtrail') return csvRowToRecord(row);
  if (layout === 'splunk') return { ...row };
  const portal = layout === 'entra-signin' && Object.keys(row).some((h) => foldLoose(h) === 'dateutc');
  const record: Record<string, unknown> = {};
  if (!portal) {
    for (const [header, value] of Object.entries(row)) if (value !== '') record[stripUtcSuffix(header).trim()] = value;
    return record;
  }
  const status: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(row)) {
    if (value === '') continue;
    const key = foldLoose(header);
    if (key === 'signinerrorcode') status.errorCode = value;
    else if (key === 'failurereason') status.failureReason = value;
    else if (key === 'status') status.result = value;
    else record[ENTRA_PORTAL_COLUMNS[key] ?? header.trim()] = value;
  }
  if (status.errorCode === undefined && typeof status.result === 'string') record.resultType = status.result;
  if (Object.keys(status).length > 0) record.status = status;
  const file = label.split(/[/\\!]/).pop() ?? '';
  if (/noninteractive/i.test(file)) record.isInteractive = false;
  else if (/interactive/i.test(file)) record.isInteractive = true;
  else if (/applicationsignins|serviceprincipal/i.test(file)) record.signInEventTypes = ['servicePrincipal'];
  else if (/msisignins|managedidentit/i.test(file)) record.signInEventTypes = ['managedIdentity'];
  return record;
}
