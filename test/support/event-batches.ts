// Event batches as a parse worker hands them to the writer, built from CloudTrail records (writer-level tests).
import { normalizeCloudTrail } from '../../electron/core/import/cloudtrail/normalize-cloudtrail';
import { EventBatcher } from '../../electron/core/import/event-batcher';
import { fingerprintOf } from '../../electron/core/import/parse-evidence-file';
import type { EventBatch } from '../../electron/db/repos/event-batch';

/** The batch of `records`, each stored with its JSON text as its raw bytes. */
export function batchOf(records: Record<string, unknown>[]): EventBatch {
  const batcher = new EventBatcher();
  records.forEach((r, i) => {
    const n = normalizeCloudTrail(r);
    if (!n.ok) throw new Error(n.reason);
    n.event.fingerprint = fingerprintOf(n.event, 2);
    batcher.add(n.event, Buffer.from(JSON.stringify(r)), i, 0);
  });
  return batcher.take();
}
