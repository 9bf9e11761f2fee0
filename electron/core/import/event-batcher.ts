import { deflateRawSync } from 'node:zlib';
import type { NormalizedEvent } from '../../../shared/domain/event';
import { INTERNED_COLUMNS, SHARED_BLOCK, type EventBatch } from '../../db/repos/event-batch';
import { IdentitySet } from '../../db/repos/identity-set';


export { SHARED_BLOCK, type EventBatch };

const EMPTY = Buffer.alloc(0);

/** Uncompressed size of a raw block: big enough to compress well, small enough to inflate for one record. */
export const RAW_BLOCK_BYTES = 128 * 1024;

/**
 * Packs normalized events and their raw bytes into transferable batches. Flat arrays clone far faster than
 * an array of objects, and the raw bytes move as one ArrayBuffer without copying.
 */
export class EventBatcher {
  private values: unknown[] = [];
  /** The batch's distinct interned strings, by first use. */
  private strings: string[] = [];
  private stringAt = new Map<string, number>();
  /** Each interned column's last value and its index in `strings` (see intern). */
  private readonly lastValues: (string | undefined)[] = new Array<string | undefined>(INTERNED_COLUMNS.size).fill(undefined);
  private readonly lastIndexes = new Int32Array(INTERNED_COLUMNS.size);
  private ordinals: number[] = [];
  private identityKeys: number[] = [];
  private rawEnds: number[] = [];
  /**
   * The copied raw records, allocated at the first one: most files are S3 deliveries whose events point into the
   * file's own bytes, and a megabyte allocated per file for nothing cost a parse worker 0.2 s on the bench.
   */
  private raw = EMPTY;
  private rawLength = 0;
  private problems: { position: string | null; reason: string }[] = [];
  private source: { data: Buffer; codec: 'gzip'; sent: boolean } | null = null;
  private sourceOffsets: number[] = [];
  private sourceLengths: number[] = [];

  get size(): number {
    return this.ordinals.length;
  }

  get rawBytes(): number {
    return this.rawLength;
  }

  /** From now on events point into the file's own bytes instead of copying theirs (call before any event). */
  useSourceBlock(data: Buffer, codec: 'gzip'): void {
    if (this.ordinals.length === 0 && this.source === null) this.source = { data, codec, sent: false };
  }

  /**
   * `raw` null: the record was not located in its file (parsed whole); it is stored with length 0 and found again
   * by its ordinal when read. Only an event in the file's own block can be stored that way.
   */
  add(event: NormalizedEvent, raw: Buffer | null, ordinal: number, offset: number): void {
    if (raw === null && this.source === null) throw new Error('an event without its raw bytes needs the file as its block');
    this.pushColumns(event);
    this.ordinals.push(ordinal);
    this.identityKeys.push(IdentitySet.hash(event.provider, event.nativeId, event.fingerprint));
    if (this.source) {
      this.sourceOffsets.push(offset);
      this.sourceLengths.push(raw === null ? 0 : raw.length);
      return;
    }
    const bytes = raw as Buffer; // not null: checked on entry
    if (this.rawLength + bytes.length > this.raw.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.raw.length * 2, this.rawLength + bytes.length, 1 << 20));
      this.raw.copy(grown, 0, 0, this.rawLength);
      this.raw = grown;
    }
    bytes.copy(this.raw, this.rawLength);
    this.rawLength += bytes.length;
    this.rawEnds.push(this.rawLength);
  }

  /**
   * The event's values in EVENT_COLUMNS order, spelled out field by field: reading `event[name]` in a loop over the
   * names cost twice as much (0.8 against 1.2-1.6 µs an event), V8 handling each name's load by the slow route.
   * The order must be EVENT_COLUMNS' (event-batcher.test.ts checks it); an interned column goes through `intern`.
   */
  private pushColumns(e: NormalizedEvent): void {
    const v = this.values;
    v.push(e.provider ?? null, e.nativeId ?? null, e.fingerprint ?? null, e.timeMs ?? null, e.timeText ?? null);
    v.push(this.intern(e.service, 0), this.intern(e.action, 1), this.intern(e.eventType, 2), e.outcome ?? null, e.errorCode ?? null);
    v.push(e.readOnly === null || e.readOnly === undefined ? null : e.readOnly ? 1 : 0);
    v.push(this.intern(e.principalType, 3), this.intern(e.principalId, 4), this.intern(e.principalName, 5), e.principalAccount ?? null, this.intern(e.sessionIssuer, 6));
    v.push(e.targetAccount ?? null, e.sourceIp ?? null, e.sourceService ?? null, this.intern(e.userAgent, 7), this.intern(e.region, 8));
    v.push(e.credentialId ?? null, e.issuedCredentialId ?? null, e.issuedPrincipal ?? null, e.sharedEventId ?? null, e.requestId ?? null);
    v.push(e.targetResource ?? null, e.identityProvider ?? null, e.sourceIdentity ?? null, e.sessionCreatedMs ?? null);
  }

  /**
   * An interned column's value: the string's index in the batch's `strings`, or null. `column` (0-8, one per interned
   * column) keys a one-entry cache of the column's last value: consecutive events of a delivery share their caller's
   * principal, role and user agent about half the time (the bench: 53-58%), and comparing with the last value skips
   * hashing a long string JSON.parse has just made (V8 hashes a string at its first Map lookup).
   */
  private intern(value: string | null | undefined, column: number): number | null {
    if (value === null || value === undefined) return null;
    if (value === this.lastValues[column]) return this.lastIndexes[column]!;
    let at = this.stringAt.get(value);
    if (at === undefined) {
      at = this.strings.push(value) - 1;
      this.stringAt.set(value, at);
    }
    this.lastValues[column] = value;
    this.lastIndexes[column] = at;
    return at;
  }

  problem(position: string | null, reason: string): void {
    this.problems.push({ position, reason });
  }

  /** Hands the batch over and starts a new one. Compression happens here, in the parsing thread. */
  take(): EventBatch {
    if (this.source) return this.takeShared(this.source);
    const n = this.ordinals.length;
    const blocks: Uint8Array[] = [];
    const rawBlocks = new Uint32Array(n);
    const rawOffsets = new Uint32Array(n);
    const rawLengths = new Uint32Array(n);
    let blockStart = 0;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const end = this.rawEnds[i]!;
      rawBlocks[i] = blocks.length;
      rawOffsets[i] = start - blockStart;
      rawLengths[i] = end - start;
      start = end;
      if (end - blockStart >= RAW_BLOCK_BYTES || i === n - 1) {
        blocks.push(deflateRawSync(this.raw.subarray(blockStart, end), { level: 1 }));
        blockStart = end;
      }
    }
    const batch: EventBatch = {
      values: this.values,
      strings: this.takeStrings(),
      identityKeys: this.takeIdentityKeys(),
      ordinals: Uint32Array.from(this.ordinals),
      blocks,
      rawBlocks,
      rawOffsets,
      rawLengths,
      problems: this.problems,
    };
    this.values = [];
    this.ordinals = [];
    this.rawEnds = [];
    this.rawLength = 0;
    this.problems = [];
    return batch;
  }

  private takeIdentityKeys(): Float64Array {
    const keys = Float64Array.from(this.identityKeys);
    this.identityKeys = [];
    return keys;
  }

  private takeStrings(): string[] {
    const strings = this.strings;
    this.strings = [];
    this.stringAt.clear();
    this.lastValues.fill(undefined); // their indexes were into the strings handed over
    return strings;
  }

  private takeShared(source: { data: Buffer; codec: 'gzip'; sent: boolean }): EventBatch {
    const n = this.ordinals.length;
    const batch: EventBatch = {
      values: this.values,
      strings: this.takeStrings(),
      identityKeys: this.takeIdentityKeys(),
      ordinals: Uint32Array.from(this.ordinals),
      blocks: [],
      rawBlocks: new Uint32Array(n).fill(SHARED_BLOCK),
      rawOffsets: Uint32Array.from(this.sourceOffsets),
      rawLengths: Uint32Array.from(this.sourceLengths),
      problems: this.problems,
      // Sent with the first batch that has events: a file of only skipped records (Insights) stores no block.
      ...(source.sent || n === 0 ? {} : { sharedBlock: { codec: source.codec, data: new Uint8Array(source.data.buffer, source.data.byteOffset, source.data.byteLength) } }),
    };
    if (n > 0) source.sent = true;
    this.values = [];
    this.ordinals = [];
    this.sourceOffsets = [];
    this.sourceLengths = [];
    this.problems = [];
    return batch;
  }
}
