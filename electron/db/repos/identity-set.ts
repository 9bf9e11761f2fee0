// Deduplication for a bulk import into an empty case, without the unique index. Maintaining
// events_identity(provider, native_id, fingerprint) row by row costs the writer about 4 µs per event (random
// inserts into a B-tree keyed by UUIDs); building it once at the end is a sorted pass. In between, this table
// answers "was this identity stored already?" exactly: it maps a 53-bit hash of the identity to the row ids stored
// under it, and a hit is confirmed against the row itself, so a hash collision never drops an event.
import { cyrb53 } from '../../../shared/hash/cyrb53';

/**
 * Open addressing over typed arrays: 8 bytes a slot (a 32-bit tag of the hash and a 32-bit row id), at most half
 * full: 16 MiB per million events. Two identities whose hashes share the tag are told apart by the confirmation
 * in `has`, which costs one row read, for about one lookup in 2^32 / size.
 */
export class IdentitySet {
  private tags: Uint32Array;
  private rows: Uint32Array;
  private used = 0;

  /** `capacity` is rounded up to a power of two (slots are picked by masking). */
  constructor(capacity = 1 << 16) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.tags = new Uint32Array(size);
    this.rows = new Uint32Array(size);
  }

  get size(): number {
    return this.used;
  }

  /**
   * The identity's hash; never 0. The native id is hashed with the fingerprint's low bits and the provider as the
   * seed (no string is built per event); identities that still collide are told apart by the confirmation in `has`.
   */
  static hash(provider: string, nativeId: string, fingerprint: number): number {
    return cyrb53(nativeId, (fingerprint % 4294967296) ^ (PROVIDER_SEED[provider] ?? 0)) || 1;
  }

  /** Whether a row stored under this hash passes `confirm` (the caller compares the row with the identity). */
  has(key: number, confirm: (rowId: number) => boolean): boolean {
    const tag = tagOf(key);
    const mask = this.tags.length - 1;
    for (let i = tag & mask; this.tags[i] !== 0; i = (i + 1) & mask) if (this.tags[i] === tag && confirm(this.rows[i]!)) return true;
    return false;
  }

  /** `rowId` must fit 32 bits: a bulk import starts from an empty case and holds at most a few million. */
  add(key: number, rowId: number): void {
    if (rowId > 0xffffffff || rowId < 1) throw new RangeError(`IdentitySet: row id ${rowId} out of range`);
    if ((this.used + 1) * 2 > this.tags.length) this.grow();
    this.put(tagOf(key), rowId);
  }

  private put(tag: number, rowId: number): void {
    const mask = this.tags.length - 1;
    let i = tag & mask;
    while (this.tags[i] !== 0) i = (i + 1) & mask;
    this.tags[i] = tag;
    this.rows[i] = rowId;
    this.used++;
  }

  private grow(): void {
    const { tags, rows } = this;
    this.tags = new Uint32Array(tags.length * 2);
    this.rows = new Uint32Array(tags.length * 2);
    this.used = 0;
    for (let i = 0; i < tags.length; i++) if (tags[i] !== 0) this.put(tags[i]!, rows[i]!);
  }
}

/** A seed per provider, so the same native id under two providers hashes apart. */
const PROVIDER_SEED: Record<string, number> = { aws: 0x9e3779b9, azure: 0x85ebca6b, gcp: 0xc2b2ae35 };

/** The low 32 bits of a 53-bit key (as well mixed as the high ones): the stored tag, whose low bits pick the slot. */
function tagOf(key: number): number {
  return key % 4294967296 || 1; // 0 marks an empty slot
}
