// Deduplication for a bulk import into an empty case, without the unique index. Maintaining
// events_identity(provider, native_id, fingerprint) row by row costs the writer about 4 µs per event (random
// inserts into a B-tree keyed by UUIDs); building it once at the end is a sorted pass. In between, this table
// answers "was this identity stored already?" exactly: it maps a 53-bit hash of the identity to the row ids stored
// under it, and a hit is confirmed against the row itself, so a hash collision never drops an event.
import { cyrb53 } from '../../../shared/hash/cyrb53';

/** Open addressing over typed arrays: 16 bytes a slot, at most half full (about 32 MiB per million events). */
export class IdentitySet {
  private keys: Float64Array;
  private rows: Float64Array;
  private used = 0;

  /** `capacity` is rounded up to a power of two (slots are picked by masking). */
  constructor(capacity = 1 << 16) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.keys = new Float64Array(size);
    this.rows = new Float64Array(size);
  }

  get size(): number {
    return this.used;
  }

  /**
   * The identity's hash; never 0 (0 marks an empty slot). The native id is hashed with the fingerprint's low bits
   * and the provider as the seed (no string is built per event); identities that still collide are told apart by
   * the confirmation in `has`.
   */
  static hash(provider: string, nativeId: string, fingerprint: number): number {
    return cyrb53(nativeId, (fingerprint % 4294967296) ^ (PROVIDER_SEED[provider] ?? 0)) || 1;
  }

  /** Whether a row stored under this hash passes `confirm` (the caller compares the row with the identity). */
  has(key: number, confirm: (rowId: number) => boolean): boolean {
    const mask = this.keys.length - 1;
    for (let i = slotOf(key, mask); this.keys[i] !== 0; i = (i + 1) & mask) if (this.keys[i] === key && confirm(this.rows[i]!)) return true;
    return false;
  }

  add(key: number, rowId: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = slotOf(key, mask);
    while (this.keys[i] !== 0) i = (i + 1) & mask;
    this.keys[i] = key;
    this.rows[i] = rowId;
    this.used++;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Float64Array(keys.length * 2);
    this.used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.add(keys[i]!, rows[i]!);
  }
}

/** A seed per provider, so the same native id under two providers hashes apart. */
const PROVIDER_SEED: Record<string, number> = { aws: 0x9e3779b9, azure: 0x85ebca6b, gcp: 0xc2b2ae35 };

/** The low bits of a 53-bit key pick the slot (they are as well mixed as the high ones). */
function slotOf(key: number, mask: number): number {
  return (key % 4294967296) & mask;
}
