import type Database from 'better-sqlite3';

/** Where an event's original record is: its block, and its offset and length there (length 0: the record at `position`). */
export interface RawLocation {
  block: number;
  offset: number;
  length: number;
  position: number;
}

/** The rows behind raw records: an event's location and a stored block (decoded by core/import/raw-records.ts). */
export class RawRepo {
  private readonly locate: Database.Statement;
  private readonly blockById: Database.Statement;

  constructor(db: Database.Database) {
    this.locate = db.prepare('SELECT raw_block block, raw_offset offset, raw_length length, position FROM events WHERE id = ?');
    this.blockById = db.prepare('SELECT codec, data FROM raw_blocks WHERE id = ?');
  }

  location(eventId: number): RawLocation | undefined {
    return this.locate.get(eventId) as RawLocation | undefined;
  }

  block(id: number): { codec: string; data: Buffer } {
    return this.blockById.get(id) as { codec: string; data: Buffer };
  }
}
