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
  const proto = obj(field(r, 'protoPayload'));
  if (proto) return String(proto['@type'] ?? '').includes('AuditLog') ? 'gcp-audit' : 'gcp-other-log';
  if (typeof field(r, 'logName') === 'string' || field(r, 'insertId') !== undefined) return 'gcp-other-log';
  const category = String(field(r, 'category') ?? field(r, 'Category') ?? '');
  if (/signin/i.test(category) || (field(r, 'userPrincipalName') !== undefined && field(r, 'appId') !== undefined) || path(r, 'properties', 'homeTenantId') !== undefined) {
    return 'entra-signin';
  }
  if (/^audit/i.test(category) || field(r, 'activityDisplayName') !== undefined || field(r, 'OperationName') !== undefined && field(r, 'AADTenantId') !== undefined) {
    return 'entra-audit';
  }
  if (r.operation_name !== undefined && (r.resource_id !== undefined || r.event_data_id !== undefined || r.correlation_id !== undefined)) return 'azure-activity';
  if (field(r, 'operationName') !== undefined && (field(r, 'resourceId') !== undefined || field(r, 'eventDataId') !== undefined || field(r, 'correlationId') !== undefined)) {
    return 'azure-activity';
  }
  if ((field(r, 'Workload') ?? field(r, 'OfficeWorkload')) !== undefined && field(r, 'RecordType') !== undefined) return 'office-activity';
  return 'unknown';
}

/** Why a recognised but unsupported kind is refused, in words an analyst can act on. */
export const UNSUPPORTED_KIND: Partial<Record<RecordKind, string>> = {
  'azure-activity': 'an Azure Activity log record: Azure import is not supported yet',
  'entra-signin': 'an Entra ID sign-in record: Entra import is not supported yet',
  'entra-audit': 'an Entra ID audit record: not an AN1348 source, and not supported',
  'gcp-audit': 'a GCP Cloud Audit Log entry: GCP import is not supported yet',
  'gcp-other-log': 'a GCP log entry that is not a Cloud Audit Log (flow, load balancer, …): not an audit event',
  'office-activity': 'a Microsoft 365 (Office) activity record: not a cloud control-plane audit log',
  unknown: 'not a recognised cloud audit record (no eventName/eventSource, operationName or protoPayload)',
};
