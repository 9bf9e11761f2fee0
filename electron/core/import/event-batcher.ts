import { EVENT_COLUMNS, type NormalizedEvent } from '../../../shared/domain/event';

/** A batch ready to cross a thread boundary: flat values, ordinals, and the raw bytes cut at `rawEnds`. */
export interface EventBatch {
  values: unknown[];
  ordinals: Uint32Array;
  raw: Uint8Array;
  rawEnds: Uint32Array;
  problems: { position: string | null; reason: string }[];
}

/**
 * Packs normalized events and their raw bytes into transferable batches. Flat arrays clone far faster than
 * an array of objects, and the raw bytes move as one ArrayBuffer without copying.
 */
export class EventBatcher {
  private values: unknown[] = [];
  private ordinals: number[] = [];
  private rawEnds: number[] = [];
  private raw = Buffer.allocUnsafe(1 << 20);
  private rawLength = 0;
  private problems: { position: string | null; reason: string }[] = [];

  get size(): number {
    return this.ordinals.length;
  }

  get rawBytes(): number {
    return this.rawLength;
  }

  add(event: NormalizedEvent, raw: Buffer, ordinal: number): void {
    for (const column of EVENT_COLUMNS) this.values.push(event[column]);
    this.ordinals.push(ordinal);
    if (this.rawLength + raw.length > this.raw.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.raw.length * 2, this.rawLength + raw.length));
      this.raw.copy(grown, 0, 0, this.rawLength);
      this.raw = grown;
    }
    raw.copy(this.raw, this.rawLength);
    this.rawLength += raw.length;
    this.rawEnds.push(this.rawLength);
  }

  problem(position: string | null, reason: string): void {
    this.problems.push({ position, reason });
  }

  /** Hands the batch over and starts a new one; the raw buffer is a fresh copy that may be transferred. */
  take(): EventBatch {
    const raw = new Uint8Array(this.rawLength);
    raw.set(this.raw.subarray(0, this.rawLength));
    const batch: EventBatch = {
      values: this.values,
      ordinals: Uint32Array.from(this.ordinals),
      raw,
      rawEnds: Uint32Array.from(this.rawEnds),
      problems: this.problems,
    };
    this.values = [];
    this.ordinals = [];
    this.rawEnds = [];
    this.rawLength = 0;
    this.problems = [];
    return batch;
  }
}
