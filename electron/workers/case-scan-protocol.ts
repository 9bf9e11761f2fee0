import type { CaseScanName } from '../core/correlate/case-scans';

/** workerData of a case-scan helper: one scan of one case, on its own read-only connection. */
export interface CaseScanJob {
  caseFile: string;
  scan: CaseScanName;
}

/** Case-scan helper → correlation worker: the scan's rows, or why there are none. */
export type CaseScanMessage = { type: 'done'; rows: unknown[] } | { type: 'error'; message: string };
