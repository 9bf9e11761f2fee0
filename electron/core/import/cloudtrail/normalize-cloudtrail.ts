/**
 * AWS CloudTrail → NormalizedEvent.
 *
 * Field sources (AWS documentation):
 * - "CloudTrail record contents" and "CloudTrail userIdentity element": eventVersion, eventTime, eventSource,
 *   eventName, awsRegion, sourceIPAddress, userAgent, errorCode, requestParameters, responseElements, requestID,
 *   eventID, readOnly, eventType, recipientAccountId, sharedEventID; userIdentity {type, principalId, arn, accountId,
 *   accessKeyId, userName, invokedBy, identityProvider, sessionContext {sessionIssuer, attributes.creationDate,
 *   sourceIdentity}}. `type = AWSAccount` is the caller's side of a cross-account call: it has principalId
 *   (`AROA…:session`) and accountId, no arn or userName, so principalName stays null (see principalName below).
 * - STS API reference: AssumeRole* / GetFederationToken / GetSessionToken responseElements {credentials
 *   {accessKeyId, expiration}, assumedRoleUser {arn}, federatedUser {arn}}; expiration is written
 *   `Jul 18, 2023, 4:07:39 PM`.
 * - Layouts: S3 delivery (`{"Records":[…]}`), `lookup-events` / console Event history (the record as JSON text in
 *   `CloudTrailEvent`, plus `Username`, `AccessKeyId`, `EventTime`), Logstash copies (`@timestamp`), Panther
 *   (`p_event_time`), CSV rows (csv-row.ts expands their cells first), and CloudTrail Lake `get-query-results` JSON:
 *   the API's QueryResultColumn is map<string,string>, so every cell is a string and nested columns (userIdentity,
 *   requestParameters, responseElements) are Trino text `{type=AssumedRole, principalid=…}` or JSON text, read here
 *   with trino-map.ts as the CSV path reads them; keys arrive lowercase (`accountid`), read case-insensitively.
 *
 * | column             | source (first present wins)                                                               |
 * |--------------------|-------------------------------------------------------------------------------------------|
 * | nativeId           | eventID (lookup-events EventId); else '' (the importer hashes the raw)                     |
 * | timeMs, timeText   | eventTime, @timestamp, EventTime, p_event_time                                             |
 * | service / action   | eventSource / eventName                                                                    |
 * | eventType, readOnly| eventType; readOnly (`true` / `"true"`)                                                    |
 * | outcome, errorCode | errorCode → failure; ConsoleLogin / CheckMfa responseElements `Failure` → failure; else success |
 * | principalType/Id   | userIdentity.type / principalId                                                            |
 * | principalName      | userIdentity.arn, invokedBy, userName, lookup-events Username; null for AWSAccount callers (part of the stored identity, so not invented: displays fall back to the account) |
 * | principalAccount   | userIdentity.accountId (12 digits, zero-padded when a number)                               |
 * | targetAccount      | recipientAccountId, else principalAccount                                                  |
 * | sessionIssuer      | userIdentity.sessionContext.sessionIssuer.arn                                              |
 * | sourceIp / sourceService | sourceIPAddress when an address / otherwise (`sts.amazonaws.com`, `AWS Internal`)   |
 * | credentialId       | userIdentity.accessKeyId (lookup-events AccessKeyId)                                       |
 * | issuedCredentialId | credential-issuing calls: responseElements.credentials.accessKeyId                         |
 * | issuedPrincipal    | assumedRoleUser.arn / federatedUser.arn; GetSessionToken: the caller's arn                 |
 * | targetResource     | credential-issuing calls: requestParameters.roleArn                                        |
 * | identityProvider   | AssumeRoleWithSAML: principalArn; AssumeRoleWithWebIdentity: identityProvider / providerId  |
 * | sourceIdentity     | sessionContext.sourceIdentity, requestParameters / responseElements sourceIdentity          |
 * | sessionCreatedMs   | sessionContext.attributes.creationDate                                                     |
 * | sharedEventId, requestId, userAgent, region | sharedEventID, requestID, userAgent, awsRegion                   |
 */
import type { NormalizedEvent, Outcome } from '../../../../shared/domain/event';
import { parseTrinoValue } from '../trino-map';
import { awsAccountId, bool, field, obj, parseIp, parseTimestamp, path, text } from '../values';

type Obj = Record<string, unknown>;

/** STS / federation calls that hand out a new credential; the correlator follows it to the calls made with it. */
export const CREDENTIAL_ISSUING_ACTIONS = new Set([
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetFederationToken', 'GetSessionToken', 'AssumeRoot',
]);

/**
 * A normalizer's answer. `notice`: the event imports, but the export lost something the analyst can get back by
 * exporting again (Windows PowerShell's `ConvertTo-Json` depth cut the token claims): the same text for every such
 * record, so the importer can report it once per file with how many records it concerns, not once per record.
 */
export type NormalizeResult =
  | { ok: true; event: NormalizedEvent; notice?: string }
  | { ok: false; reason: string };

/**
 * Maps one CloudTrail record to the neutral model. Accepts the record as S3 delivery writes it, the
 * lookup-events / console shape (record as a JSON string in `CloudTrailEvent`), Logstash copies
 * (`@timestamp`), and CSV rows whose nested cells were already expanded (lowercase keys are fine).
 * `nativeId` is left empty when the record has none; the caller derives one from the raw bytes.
 */
export function normalizeCloudTrail(record: Obj): NormalizeResult {
  let r = record;
  const wrapped = field(record, 'CloudTrailEvent');
  if (typeof wrapped === 'string') {
    try {
      const inner = obj(JSON.parse(wrapped));
      if (!inner) return { ok: false, reason: 'CloudTrailEvent is not a JSON object' };
      r = inner;
    } catch (err) {
      return { ok: false, reason: `CloudTrailEvent is not valid JSON (${(err as Error).message})` };
    }
  }

  const action = text(field(r, 'eventName')) ?? text(field(record, 'EventName'));
  if (!action) return { ok: false, reason: 'record has no eventName' };
  // p_event_time: a record re-exported from Panther (its normalised copy of the event's time) that lost eventTime.
  const timeRaw = field(r, 'eventTime') ?? field(r, '@timestamp') ?? field(record, 'EventTime') ?? field(r, 'p_event_time');
  const timeMs = parseTimestamp(timeRaw);
  if (timeMs === null) return { ok: false, reason: timeRaw === undefined || timeRaw === null ? 'record has no eventTime' : `unreadable eventTime ${JSON.stringify(timeRaw)}` };

  const ui = nestedObj(field(r, 'userIdentity'));
  const principalType = text(field(ui, 'type'));
  const principalAccount = awsAccountId(field(ui, 'accountId'));
  const sourceText = text(field(r, 'sourceIPAddress'));
  const sourceIp = parseIp(sourceText);
  const errorCode = text(field(r, 'errorCode'));
  const response = nestedObj(field(r, 'responseElements'));
  const request = nestedObj(field(r, 'requestParameters'));
  const issues = CREDENTIAL_ISSUING_ACTIONS.has(action);

  const event: NormalizedEvent = {
    provider: 'aws',
    nativeId: text(field(r, 'eventID')) ?? text(field(record, 'EventId')) ?? '',
    fingerprint: 0,
    timeMs,
    timeText: typeof timeRaw === 'string' ? timeRaw : String(timeRaw),
    service: text(field(r, 'eventSource')) ?? text(field(record, 'EventSource')),
    action,
    eventType: text(field(r, 'eventType')),
    outcome: outcomeOf(action, errorCode, response),
    errorCode,
    readOnly: bool(field(r, 'readOnly') ?? field(record, 'ReadOnly')),
    principalType,
    principalId: text(field(ui, 'principalId')),
    principalName: text(field(ui, 'arn')) ?? text(field(ui, 'invokedBy')) ?? text(field(ui, 'userName')) ?? text(field(record, 'Username')),
    principalAccount,
    sessionIssuer: text(path(ui, 'sessionContext', 'sessionIssuer', 'arn')),
    targetAccount: awsAccountId(field(r, 'recipientAccountId')) ?? principalAccount,
    sourceIp,
    sourceService: sourceIp === null ? sourceText : null,
    userAgent: text(field(r, 'userAgent')),
    region: text(field(r, 'awsRegion')),
    credentialId: text(field(ui, 'accessKeyId')) ?? text(field(record, 'AccessKeyId')),
    issuedCredentialId: issues ? text(path(response, 'credentials', 'accessKeyId')) : null,
    issuedPrincipal: issues
      ? text(path(response, 'assumedRoleUser', 'arn')) ?? text(path(response, 'federatedUser', 'arn')) ?? (action === 'GetSessionToken' ? text(field(ui, 'arn')) : null)
      : null,
    sharedEventId: text(field(r, 'sharedEventID')),
    requestId: text(field(r, 'requestID')),
    targetResource: issues ? text(path(request, 'roleArn')) : null,
    identityProvider: issues ? identityProviderOf(action, ui, request) : null,
    sourceIdentity: text(path(ui, 'sessionContext', 'sourceIdentity')) ?? text(path(request, 'sourceIdentity')) ?? text(path(response, 'sourceIdentity')),
    sessionCreatedMs: parseTimestamp(path(ui, 'sessionContext', 'attributes', 'creationDate')),
  };
  return { ok: true, event };
}

/**
 * A nested element as an object: as delivered, or as text in a CloudTrail Lake `get-query-results` cell (Trino's
 * `{k=v, …}` form, or JSON text). Anything else is null.
 */
function nestedObj(value: unknown): Obj | null {
  if (typeof value !== 'string') return obj(value);
  const t = value.trim();
  if (!t.startsWith('{')) return null;
  try {
    return obj(JSON.parse(t));
  } catch {
    return obj(parseTrinoValue(t));
  }
}

/** Who vouched for a federated caller: the SAML provider ARN or the OIDC issuer. */
function identityProviderOf(action: string, ui: Obj | null, request: Obj | null): string | null {
  if (action === 'AssumeRoleWithSAML') return text(field(request, 'principalArn')) ?? text(field(ui, 'identityProvider'));
  if (action === 'AssumeRoleWithWebIdentity') return text(field(ui, 'identityProvider')) ?? text(field(request, 'providerId'));
  return null;
}

function outcomeOf(action: string, errorCode: string | null, response: Obj | null): Outcome {
  if (errorCode) return 'failure';
  // Console sign-in failures carry no errorCode, only responseElements.ConsoleLogin = "Failure".
  if (action === 'ConsoleLogin' || action === 'CheckMfa') {
    const result = text(field(response, action));
    if (result) return result.toLowerCase() === 'failure' ? 'failure' : 'success';
  }
  return 'success';
}
