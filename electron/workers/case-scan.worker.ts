// A thin shell over core: one of the correlator's grouped passes (see case-scans.ts) on this thread's own read-only
// connection, beside the correlation that asked for it.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/connection';
import { runCaseScan } from '../core/correlate/case-scans';
import type { CaseScanJob, CaseScanMessage } from './case-scan-protocol';

const job = workerData as CaseScanJob;
const post = (m: CaseScanMessage) => parentPort!.postMessage(m);
try {
  const db = openCase(job.caseFile, { create: false, readonly: true });
  try {
    post({ type: 'done', rows: runCaseScan(db, job.scan) });
  } finally {
    db.close();
  }
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
