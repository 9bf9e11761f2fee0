import type Database from 'better-sqlite3';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { RawRepo } from '../../db/repos/raw-repo';
import { JsonRecordSplitter } from './json-record-splitter';

interface Block {
  id: number;
  bytes: Buffer;
  /** Start and end of each record in `bytes`, by ordinal, found by the splitter the first time one is asked for. */
  spans?: { starts: number[]; ends: number[] };
}

/**
 * Reads events' original records back, byte for byte. Keeps the last inflated block, because neighbouring
 * events (a timeline, a chain) usually share one.
 *
 * Most events point at their bytes by offset and length. An event of a CloudTrail S3 file parsed whole at import
 * (records-envelope.ts) has length 0 instead: its record is the one at its ordinal (`position`) in the file, found
 * here by the same splitter that would have located it at import, on the file's own bytes (its block).
 */
export class RawRecords {
  private readonly repo: RawRepo;
  private cached: Block | null = null;

  constructor(db: Database.Database) {
    this.repo = new RawRepo(db);
  }

  /** The record of event `eventId` (the case's row id) as it stood in the evidence, or null. */
  bytes(eventId: number): Buffer | null {
    const at = this.repo.location(eventId);
    if (!at) return null;
    if (this.cached?.id !== at.block) {
      const row = this.repo.block(at.block);
      const bytes = row.codec === 'deflate-raw' ? inflateRawSync(row.data) : row.codec === 'gzip' ? gunzipSync(row.data) : row.data;
      this.cached = { id: at.block, bytes };
    }
    const block = this.cached;
    if (at.length > 0) return block.bytes.subarray(at.offset, at.offset + at.length);
    block.spans ??= recordSpans(block.bytes);
    const start = block.spans.starts[at.position];
    return start === undefined ? null : block.bytes.subarray(start, block.spans.ends[at.position]);
  }

  text(eventId: number): string | null {
    return this.bytes(eventId)?.toString('utf8') ?? null;
  }
}

/** Where each record of a JSON file starts and ends, by ordinal, as the import's splitter sees them. */
export function recordSpans(bytes: Buffer): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const splitter = new JsonRecordSplitter({
    record(record, at) {
      starts[at.ordinal] = at.offset;
      ends[at.ordinal] = at.offset + record.length;
    },
    problem() {
      // the file was parsed whole at import, so it has none
    },
  });
  splitter.push(bytes);
  splitter.end();
  return { starts, ends };
}
