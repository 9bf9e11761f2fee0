import type Database from 'better-sqlite3';
import { gunzipSync, inflateRawSync } from 'node:zlib';

/**
 * Reads events' original records back, byte for byte. Keeps the last inflated block, because neighbouring
 * events (a timeline, a chain) usually share one.
 */
export class RawRecords {
  private readonly locate: Database.Statement;
  private readonly block: Database.Statement;
  private cached: { id: number; bytes: Buffer } | null = null;

  constructor(db: Database.Database) {
    this.locate = db.prepare('SELECT raw_block b, raw_offset o, raw_length n FROM events WHERE id = ?');
    this.block = db.prepare('SELECT codec, data FROM raw_blocks WHERE id = ?');
  }

  /** The record of event `eventId` (the case's row id) as it stood in the evidence, or null. */
  bytes(eventId: number): Buffer | null {
    const at = this.locate.get(eventId) as { b: number; o: number; n: number } | undefined;
    if (!at) return null;
    if (this.cached?.id !== at.b) {
      const row = this.block.get(at.b) as { codec: string; data: Buffer };
      const bytes = row.codec === 'deflate-raw' ? inflateRawSync(row.data) : row.codec === 'gzip' ? gunzipSync(row.data) : row.data;
      this.cached = { id: at.b, bytes };
    }
    return this.cached.bytes.subarray(at.o, at.o + at.n);
  }

  text(eventId: number): string | null {
    return this.bytes(eventId)?.toString('utf8') ?? null;
  }
}
