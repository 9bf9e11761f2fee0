import type { FileSummary, FingerprintScheme } from '../core/import/parse-evidence-file';
import type { ImportLimits } from '../core/import/limits';
import type { EventBatch } from '../db/repos/event-batch';

/** Main → parse worker. */
export type ParseRequest =
  /** Parse a file on disk (`path`), in memory (`bytes`), or streamed in `chunk` messages the worker pulls (`streamed`). */
  | { type: 'parse'; jobId: number; label: string; path?: string; bytes?: Uint8Array; streamed?: boolean; limits: ImportLimits; scheme: FingerprintScheme }
  /** The writer stored one batch of this job: the worker may send another. */
  | { type: 'ack'; jobId: number }
  /** The next bytes of a streamed file, answering one `pull`. */
  | { type: 'chunk'; jobId: number; bytes: Uint8Array }
  /** A streamed file has no more bytes; `error` (for the analyst) when they stopped being readable. */
  | { type: 'end'; jobId: number; error?: string };

/** Parse worker → main. Events travel as an EventBatch: flat values, raw records in compressed blocks. */
export type ParseMessage =
  | (EventBatch & {
      type: 'batch';
      jobId: number;
      /** Present on the job's last message. */
      summary?: FileSummary;
    })
  /** A streamed file's parse wants its next chunk. */
  | { type: 'pull'; jobId: number }
  | { type: 'error'; jobId: number; message: string };

/** Events per batch, and raw bytes per batch: big enough to amortise messaging, small enough to bound memory. */
export const BATCH_EVENTS = 4000;
export const BATCH_RAW_BYTES = 8 * 1024 * 1024;
/** Batches a worker may have in flight before it waits for the writer. */
export const BATCH_CREDITS = 2;
/** A streamed file travels in chunks of about this size (the walker's own are ~16 KiB: too many messages)… */
export const STREAM_CHUNK_BYTES = 1024 * 1024;
/** …and at most this many are asked for ahead of the parse, so reading and parsing overlap in bounded memory. */
export const STREAM_CHUNKS_AHEAD = 2;
