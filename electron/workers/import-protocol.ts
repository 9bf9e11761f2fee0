import type { ImportProgress, ImportResult } from '../core/import/import-evidence';

/** workerData of the import worker. */
export interface ImportJob {
  caseFile: string;
  paths: string[];
  /** Parse workers (default: one per core). */
  workers?: number;
}

/** Main → import worker. */
export type ImportRequest = { type: 'cancel' };

/** Import worker → main. */
export type ImportMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: ImportResult }
  | { type: 'error'; message: string };
