import type { NormalizedEvent, Outcome } from '../../../../shared/domain/event';
import { awsAccountId, bool, field, obj, parseIp, parseTimestamp, path, text } from '../values';

type Obj = Record<string, unknown>;

/** STS / federation calls that hand out a new credential; the correlator follows it to the calls made with it. */
export const CREDENTIAL_ISSUING_ACTIONS = new Set([
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetFederationToken', 'GetSessionToken', 'AssumeRoot',
]);

export type NormalizeResult =
  | { ok: true; event: NormalizedEvent }
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

  const ui = obj(field(r, 'userIdentity'));
  const principalType = text(field(ui, 'type'));
  const principalAccount = awsAccountId(field(ui, 'accountId'));
  const sourceText = text(field(r, 'sourceIPAddress'));
  const sourceIp = parseIp(sourceText);
  const errorCode = text(field(r, 'errorCode'));
  const response = obj(field(r, 'responseElements'));
  const request = obj(field(r, 'requestParameters'));
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
