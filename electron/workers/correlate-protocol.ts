import type { CorrelateProgress, CorrelateStats } from '../core/correlate/correlate';

/** workerData of the correlation worker. */
export interface CorrelateJob {
  caseFile: string;
}

/** Correlation worker → main. */
export type CorrelateMessage =
  | { type: 'progress'; progress: CorrelateProgress }
  | { type: 'done'; stats: CorrelateStats }
  | { type: 'error'; message: string };
