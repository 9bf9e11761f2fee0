import { field, obj, path } from './values';

/** What a parsed record is, decided per record so one file (or one archive) may mix layouts. */
export type RecordKind =
  | 'cloudtrail'
  | 'cloudtrail-lookup'
  | 'cloudtrail-digest'
  | 'cloudtrail-insight'
  | 'cloudtrail-lake-sign'
  | 'azure-activity'
  | 'entra-signin'
  | 'entra-audit'
  | 'gcp-audit'
  | 'gcp-other-log'
  | 'office-activity'
  | 'ocsf'
  | 'cloudwatch-logs-control'
  | 'unknown';

type Obj = Record<string, unknown>;

/** Classifies a record by the fields each provider always writes. Cheap checks first: most records are CloudTrail. */
export function recordKind(r: Obj): RecordKind {
  if (r.eventName !== undefined && r.eventSource !== undefined) {
    return r.eventType === 'AwsCloudTrailInsight' ? 'cloudtrail-insight' : 'cloudtrail';
  }
  if (typeof field(r, 'CloudTrailEvent') === 'string') return 'cloudtrail-lookup';
  if (field(r, 'eventName') !== undefined && (field(r, 'eventSource') !== undefined || field(r, 'eventTime') !== undefined)) {
    return field(r, 'eventType') === 'AwsCloudTrailInsight' ? 'cloudtrail-insight' : 'cloudtrail';
  }
  if (field(r, 'eventType') === 'AwsCloudTrailInsight' || field(r, 'insightDetails') !== undefined) return 'cloudtrail-insight';
  if (r.digestStartTime !== undefined && r.logFiles !== undefined) return 'cloudtrail-digest';
  if (r.hashSignature !== undefined && Array.isArray(r.files)) return 'cloudtrail-lake-sign';
  // GCP: protoPayload (Logging API, GCS sinks), protopayload_auditlog (BigQuery sinks); copies rename `@type`.
  const proto = obj(field(r, 'protoPayload')) ?? obj(field(r, 'protopayload_auditlog'));
  if (proto) {
    const type = String(proto['@type'] ?? field(proto, 'at_sign_type') ?? field(proto, 'at_type') ?? '');
    if (type.includes('AuditLog')) return 'gcp-audit';
    const auditFields = ['methodName', 'serviceName', 'authenticationInfo', 'authorizationInfo', 'requestMetadata'];
    return type === '' && auditFields.some((k) => field(proto, k) !== undefined) ? 'gcp-audit' : 'gcp-other-log';
  }
  if (field(r, 'protoPayload.methodName') !== undefined || field(r, 'protopayload_auditlog.methodName') !== undefined) return 'gcp-audit';
  if (typeof field(r, 'logName') === 'string' || field(r, 'insertId') !== undefined) return 'gcp-other-log';
  // Entra: diagnostic records carry a category, Log Analytics rows a Type (table), Graph objects their own fields.
  const category = String(field(r, 'category') ?? field(r, 'Category') ?? '');
  const table = typeof field(r, 'Type') === 'string' ? String(field(r, 'Type')) : '';
  if (
    /signin/i.test(category) || /signin/i.test(table) || (field(r, 'userPrincipalName') !== undefined && field(r, 'appId') !== undefined)
    || (field(r, 'createdDateTime') !== undefined && ['appId', 'servicePrincipalId', 'userId', 'userPrincipalName'].some((k) => field(r, k) !== undefined))
    || path(r, 'properties', 'homeTenantId') !== undefined
  ) {
    return 'entra-signin';
  }
  if (
    /^audit/i.test(category) || /^auditlogs$/i.test(table) || field(r, 'activityDisplayName') !== undefined || field(r, 'OperationName') !== undefined && field(r, 'AADTenantId') !== undefined
    || path(r, 'properties', 'activityDisplayName') !== undefined || path(r, 'properties', 'loggedByService') !== undefined
    || /\/providers\/microsoft\.aadiam/i.test(String(field(r, 'resourceId') ?? ''))
  ) {
    return 'entra-audit';
  }
  if (r.operation_name !== undefined && (r.resource_id !== undefined || r.event_data_id !== undefined || r.correlation_id !== undefined)) return 'azure-activity';
  if (field(r, 'OperationNameValue') !== undefined) return 'azure-activity';
  if (
    field(r, 'operationName') !== undefined
    && (field(r, 'resourceId') !== undefined || field(r, 'eventDataId') !== undefined || field(r, 'correlationId') !== undefined || field(r, 'category') !== undefined)
  ) {
    return 'azure-activity';
  }
  if ((field(r, 'Workload') ?? field(r, 'OfficeWorkload')) !== undefined && field(r, 'RecordType') !== undefined) return 'office-activity';
  // OCSF (Amazon Security Lake and other OCSF sources): a class and the product that logged it.
  if (r.class_uid !== undefined && obj(r.metadata)?.product !== undefined) return 'ocsf';
  return 'unknown';
}

/** Why a recognised but unsupported kind is refused, in words an analyst can act on. */
export const UNSUPPORTED_KIND: Partial<Record<RecordKind, string>> = {
  'entra-audit': 'an Entra ID audit / directory record (directory changes, provisioning, risk, Graph activity …): not imported; AN1348 reads sign-ins and control-plane calls',
  'gcp-other-log': 'a GCP log entry that is not a Cloud Audit Log (VPC flow, load balancer, application log …): not an audit event',
  'office-activity': 'a Microsoft 365 (Office) activity record: not a cloud control-plane audit log',
  ocsf: 'an OCSF record (Amazon Security Lake or another OCSF source): not imported, Crossline reads the providers\' own schemas; export the raw CloudTrail events instead (the trail\'s S3 delivery, CloudTrail Lake or lookup-events), or the provider\'s own audit log',
  unknown: 'not a recognised cloud audit record (it has none of: eventName with eventSource or eventTime, operationName, sign-in fields, protoPayload)',
};
