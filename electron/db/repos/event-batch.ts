// The shape in which parsed events reach the single writer (CaseWriter.writeEvents).

/**
 * A batch ready to cross a thread boundary: flat values and ordinals, and the raw records packed into
 * deflated blocks of consecutive records; event i's bytes are `rawLengths[i]` bytes at `rawOffsets[i]` of
 * block `rawBlocks[i]` once inflated.
 */
export interface EventBatch {
  /**
   * EVENT_COLUMNS values, event after event, ready to bind: null for a missing value, 1/0 for `readOnly`, and for an
   * INTERNED_COLUMNS value an index into `strings` (so each distinct string crosses the thread boundary and is
   * looked up by the writer once per batch, not per event).
   */
  values: unknown[];
  strings: string[];
  /** Each event's IdentitySet.hash, worked out in the parsing thread (the writer's is the busier one). */
  identityKeys: Float64Array;
  ordinals: Uint32Array;
  blocks: Uint8Array[];
  rawBlocks: Uint32Array;
  rawOffsets: Uint32Array;
  rawLengths: Uint32Array;
  problems: { position: string | null; reason: string }[];
  /** The file's own bytes as the block of events marked SHARED_BLOCK; sent with the job's first batch only. */
  sharedBlock?: { codec: 'gzip'; data: Uint8Array };
}

/** Columns stored once in the `strings` table and referenced by id (see migration 0001). */
export const INTERNED_COLUMNS: ReadonlySet<string> = new Set(['service', 'action', 'eventType', 'principalType', 'principalId', 'principalName', 'sessionIssuer', 'userAgent', 'region']);

/** `rawBlocks` value of an event whose bytes are in the job's shared block (the evidence file itself). */
export const SHARED_BLOCK = 0xffffffff;
