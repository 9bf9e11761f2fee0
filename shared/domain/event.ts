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
  /**
   * The provider's own id: CloudTrail eventID, Azure Activity eventDataId (diagnostic-settings records have none),
   * Entra sign-in id (the portal's "Request ID"), GCP insertId. When the record has none, `sha256:` + the first 32
   * hex digits of the raw record's hash.
   */
  nativeId: string;
  /** 53-bit hash of the other normalized fields: with nativeId, the identity used to drop duplicate deliveries. */
  fingerprint: number;
  /** UTC epoch ms. */
  timeMs: number;
  /** The timestamp exactly as the log wrote it. */
  timeText: string;
  /**
   * e.g. `sts.amazonaws.com`; Azure: the resource provider namespace as logged (`Microsoft.Authorization`), Entra
   * sign-ins `Microsoft.aadiam`; GCP: serviceName (`iam.googleapis.com`).
   */
  service: string | null;
  /**
   * e.g. `AssumeRole`, `Microsoft.Authorization/roleAssignments/write`, `SignIn` (Entra), `SetIamPolicy`. Kept in the
   * case the log wrote (Azure writes the same operation in several cases); compare case-insensitively.
   */
  action: string;
  /**
   * Provider category of the record: CloudTrail eventType (AwsApiCall, AwsConsoleSignIn, …); Azure Activity category
   * (Administrative, Policy, … or a resource-log category such as StorageRead); Entra sign-in category (SignInLogs,
   * NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs); GCP audit log (activity,
   * data_access, system_event, policy).
   */
  eventType: string | null;
  outcome: Outcome;
  errorCode: string | null;
  /** null when the log does not say. */
  readOnly: boolean | null;
  principalType: string | null;
  /**
   * Stable principal id: AWS principalId; Azure the Entra object id (claims oid, sign-in userId / servicePrincipalId);
   * GCP principalEmail, else principalSubject (federated identities).
   */
  principalId: string | null;
  /** Human-readable name or ARN of the caller (Azure caller / UPN; for Entra service principals, the app). */
  principalName: string | null;
  /**
   * Account / tenant / project the caller belongs to: AWS account; Azure the token's tenant (claims tid), Entra
   * homeTenantId; GCP the project of a user-managed service account (null for users and Google-managed agents).
   */
  principalAccount: string | null;
  /** For role sessions: the role (issuer) ARN the session belongs to. Azure: the resource of a managed identity (claims xms_mirid). */
  sessionIssuer: string | null;
  /**
   * Account / tenant / project / subscription the call was made in: Azure subscriptionId (else the tenant for
   * tenant-level calls), Entra resourceTenantId, GCP resource.labels.project_id (else `organizations/<id>` …).
   */
  targetAccount: string | null;
  /** A literal IPv4/IPv6 address, or null when the caller is a service or the log hides it. */
  sourceIp: string | null;
  /** The source when it is not an IP: `lambda.amazonaws.com`, `AWS Internal`, GCP `private` / `gce-internal-ip`, … */
  sourceService: string | null;
  userAgent: string | null;
  region: string | null;
  /**
   * The credential the call was made with. AWS: access key id. Azure Activity: the token's `uti` claim (equal to
   * the issuing sign-in's uniqueTokenIdentifier); storage resource logs: identity.tokenHash (the key or SAS used).
   * Entra service-principal sign-ins: the credential key id (or federated credential id) the app signed in with.
   * GCP: `<original caller>><service account>` for calls made through impersonation (first entry of
   * serviceAccountDelegationInfo), else serviceAccountKeyName (the service account key).
   */
  credentialId: string | null;
  /**
   * For role assumption / federation events: the credential it issued. Entra: uniqueTokenIdentifier of a successful
   * sign-in. GCP GenerateAccessToken / GenerateIdToken / SignJwt / SignBlob: `<original caller>><service account>`,
   * the credentialId the calls made with the minted token will carry.
   */
  issuedCredentialId: string | null;
  /**
   * For role assumption / federation events: the identity it issued (assumed-role ARN …). Entra: the object id the
   * token was issued to; GCP: the impersonated service account, or ExchangeToken's metadata.mapped_principal.
   */
  issuedPrincipal: string | null;
  /** Links the two views of one cross-account call (CloudTrail sharedEventID; Entra: the sign-in id of a cross-tenant sign-in, logged by both tenants). */
  sharedEventId: string | null;
  /** CloudTrail requestID, Azure / Entra correlationId, GCP operation.id. */
  requestId: string | null;
  /**
   * The resource acted on when it matters for linking: the role ARN an AssumeRole asked for; Azure the resourceId;
   * Entra the resource app signed into; GCP the impersonated service account or the workload identity pool provider.
   */
  targetResource: string | null;
  /**
   * Federation: the identity provider (SAML provider ARN, OIDC issuer such as token.actions.githubusercontent.com).
   * Azure: the token's idp / iss claim; Entra: the federated token issuer, token issuer name, else homeTenantId;
   * GCP: the workload / workforce identity pool (provider) of a federated principal.
   */
  identityProvider: string | null;
  /** AWS sourceIdentity, handed down a role chain. Entra: the sign-in sessionId (shared by the sign-ins of one session). */
  sourceIdentity: string | null;
  /** UTC epoch ms the session behind the credential was created (CloudTrail sessionContext.attributes.creationDate; Azure claims iat). */
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
