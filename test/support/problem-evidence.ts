// Evidence whose import has problems of both kinds: records left out by design (Entra audit, AKS kube-audit) and
// damaged lines, beside good CloudTrail in S3 deliveries and a zip.
import { cloudTrailRecord, jsonLines, tempDir, writeEvidence, writeS3Delivery, zipBuffer } from './evidence-fixtures';

const TENANT = '6f1c3a2e-8b4d-4e7a-9c15-2d3e4f5a6b7c';
/** An Entra audit record as diagnostic settings write it: recognised, and not imported (it is not a sign-in). */
const entraAudit = (n: number) => ({
  time: '2024-06-02T20:46:00.0000000Z', resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`, operationName: 'Add member to role', category: 'AuditLogs', tenantId: TENANT,
  correlationId: `a9b8c7d6-e5f4-4a3b-8c2d-${String(n).padStart(12, '0')}`,
  properties: { id: `Directory_${n}`, category: 'RoleManagement', activityDisplayName: 'Add member to role', activityDateTime: '2024-06-02T20:46:00.0000000+00:00', loggedByService: 'Core Directory' },
});
/** An AKS kube-audit resource log: an Azure record, refused as a Kubernetes API call. */
const kubeAudit = (n: number) => ({
  time: '2024-06-02T20:47:00Z', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', category: 'kube-audit',
  resourceId: '/SUBSCRIPTIONS/B1F0C2D3-4E5F-4A6B-8C7D-9E0F1A2B3C4D/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1',
  properties: { log: `{"kind":"Event","auditID":"${n}"}` },
});

/**
 * Two S3 deliveries, a zip of JSON lines, and a JSON-lines export that mixes 3 CloudTrail events with 3 damaged lines,
 * 25 Entra audit records and 2 kube-audit records (past the 20 problems kept in full per file, so some are folded).
 */
export function mixedEvidence(): string {
  const dir = tempDir();
  writeS3Delivery(dir, [cloudTrailRecord(), cloudTrailRecord()]);
  writeS3Delivery(dir, [cloudTrailRecord({ awsRegion: 'eu-west-1' })], { region: 'eu-west-1' });
  writeEvidence(dir, 'exports/siem.zip', zipBuffer([{ name: 'events.jsonl', data: jsonLines([cloudTrailRecord(), cloudTrailRecord()]) }]));
  const lines = [
    ...[1, 2, 3].map(() => '{"eventVersion": oops}'),
    ...[cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()].map((r) => JSON.stringify(r)),
    ...Array.from({ length: 25 }, (_, i) => JSON.stringify(entraAudit(i))),
    ...[1, 2].map((i) => JSON.stringify(kubeAudit(i))),
  ];
  writeEvidence(dir, 'azure/azure-signin-audit.jsonl', `${lines.join('\n')}\n`);
  return dir;
}
