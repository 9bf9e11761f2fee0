/** Cloud providers a case can hold; one case may mix all three. */
export type Provider = 'aws' | 'azure' | 'gcp';

/** Whether a call succeeded, was refused, or the log does not say. */
export type Outcome = 'success' | 'failure' | 'unknown';

/**
 * One audit event in the provider-neutral model every correlator and view reads.
 * Times are UTC epoch milliseconds; the original text of the timestamp is kept beside it.
 */
export interface NormalizedEvent {
  provider: Provider;
  /** The provider's own id (CloudTrail eventID, Azure eventDataId / sign-in id, GCP insertId). */
  nativeId: string;
  /** 53-bit hash of the other normalized fields: with nativeId, the identity used to drop duplicate deliveries. */
  fingerprint: number;
  /** UTC epoch ms. */
  timeMs: number;
  /** The timestamp exactly as the log wrote it. */
  timeText: string;
  /** e.g. `sts.amazonaws.com`, `Microsoft.Authorization`, `iam.googleapis.com`. */
  service: string | null;
  /** e.g. `AssumeRole`, `Microsoft.Authorization/roleAssignments/write`, `SetIamPolicy`. */
  action: string;
  /** Provider category of the record (CloudTrail eventType: AwsApiCall, AwsConsoleSignIn, …). */
  eventType: string | null;
  outcome: Outcome;
  errorCode: string | null;
  /** null when the log does not say. */
  readOnly: boolean | null;
  principalType: string | null;
  /** Stable principal id (AWS principalId, Azure object id, GCP principalEmail). */
  principalId: string | null;
  /** Human-readable name or ARN of the caller. */
  principalName: string | null;
  /** Account / tenant / project the caller belongs to. */
  principalAccount: string | null;
  /** For role sessions: the role (issuer) ARN the session belongs to. */
  sessionIssuer: string | null;
  /** Account / tenant / project / subscription the call was made in. */
  targetAccount: string | null;
  /** A literal IPv4/IPv6 address, or null when the caller is a service or the log hides it. */
  sourceIp: string | null;
  /** The source when it is not an IP: `lambda.amazonaws.com`, `AWS Internal`, … */
  sourceService: string | null;
  userAgent: string | null;
  region: string | null;
  /** The credential the call was made with (AWS access key id, Azure token id, GCP delegation key). */
  credentialId: string | null;
  /** For role assumption / federation events: the credential it issued. */
  issuedCredentialId: string | null;
  /** For role assumption / federation events: the identity it issued (assumed-role ARN …). */
  issuedPrincipal: string | null;
  /** Links the two views of one cross-account call (CloudTrail sharedEventID). */
  sharedEventId: string | null;
  /** CloudTrail requestID, Azure correlationId, GCP operation id. */
  requestId: string | null;
  /** The resource acted on when it matters for linking: the role ARN an AssumeRole asked for, … */
  targetResource: string | null;
  /** Federation: the identity provider (SAML provider ARN, OIDC issuer such as token.actions.githubusercontent.com). */
  identityProvider: string | null;
  /** AWS sourceIdentity, handed down a role chain. */
  sourceIdentity: string | null;
  /** UTC epoch ms the session behind the credential was created (CloudTrail sessionContext.attributes.creationDate). */
  sessionCreatedMs: number | null;
}

/** The column order in which workers ship normalized events to the single writer. */
export const EVENT_COLUMNS = [
  'provider', 'nativeId', 'fingerprint', 'timeMs', 'timeText', 'service', 'action', 'eventType', 'outcome', 'errorCode',
  'readOnly', 'principalType', 'principalId', 'principalName', 'principalAccount', 'sessionIssuer',
  'targetAccount', 'sourceIp', 'sourceService', 'userAgent', 'region', 'credentialId', 'issuedCredentialId',
  'issuedPrincipal', 'sharedEventId', 'requestId', 'targetResource', 'identityProvider', 'sourceIdentity',
  'sessionCreatedMs',
] as const satisfies readonly (keyof NormalizedEvent)[];
