import type { FileSummary } from '../core/import/parse-evidence-file';
import type { ImportLimits } from '../core/import/limits';
import type { EventBatch } from '../db/repos/event-batch';

/** Main → parse worker. */
export type ParseRequest =
  | { type: 'parse'; jobId: number; label: string; path?: string; bytes?: Uint8Array; limits: ImportLimits }
  /** The writer stored one batch of this job: the worker may send another. */
  | { type: 'ack'; jobId: number };

/** Parse worker → main. Events travel as an EventBatch: flat values, raw records in compressed blocks. */
export type ParseMessage =
  | (EventBatch & {
      type: 'batch';
      jobId: number;
      /** Present on the job's last message. */
      summary?: FileSummary;
    })
  | { type: 'error'; jobId: number; message: string };

/** Events per batch, and raw bytes per batch: big enough to amortise messaging, small enough to bound memory. */
export const BATCH_EVENTS = 4000;
export const BATCH_RAW_BYTES = 8 * 1024 * 1024;
/** Batches a worker may have in flight before it waits for the writer. */
export const BATCH_CREDITS = 2;
