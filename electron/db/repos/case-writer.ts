import type Database from 'better-sqlite3';
import { EVENT_COLUMNS } from '../../../shared/domain/event';
import type { ImportStats } from '../../../shared/domain/evidence';

const COLUMN_SQL = EVENT_COLUMNS.map((c) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`));

/** Where a file sits in the evidence: its label and the archive it came from. */
export interface SourceRef {
  path: string;
  parentId: number | null;
}

export interface SourceTotals {
  size: number;
  sha256: string;
  format: string | null;
  events: number;
  duplicates: number;
  skipped: number;
  errors: number;
}

/**
 * The one writer of an import: prepared statements, large transactions, and a commit only at file
 * boundaries where possible, so a killed import loses at most the files in flight. Takes `db` first so it
 * runs unchanged in the CLI, a worker or a test.
 */
export class CaseWriter {
  private readonly insertEvent: Database.Statement;
  private readonly insertRaw: Database.Statement;
  private readonly insertSource: Database.Statement;
  private readonly finishSource: Database.Statement;
  private readonly insertProblem: Database.Statement;
  private readonly findComplete: Database.Statement;
  private inTransaction = false;
  private pendingEvents = 0;
  readonly importId: number;

  constructor(private readonly db: Database.Database, inputs: string[]) {
    this.insertEvent = db.prepare(
      `INSERT OR IGNORE INTO events (source_id, position, ${COLUMN_SQL.join(', ')}) VALUES (?, ?, ${COLUMN_SQL.map(() => '?').join(', ')})`,
    );
    this.insertRaw = db.prepare('INSERT INTO event_raw (event_id, raw) VALUES (?, ?)');
    this.insertSource = db.prepare('INSERT INTO evidence_sources (import_id, parent_id, path, size, sha256, imported_at) VALUES (?, ?, ?, 0, \'\', ?)');
    this.finishSource = db.prepare(
      'UPDATE evidence_sources SET size = ?, sha256 = ?, format = ?, events = ?, duplicates = ?, skipped = ?, errors = ?, complete = 1 WHERE id = ?',
    );
    this.insertProblem = db.prepare('INSERT INTO import_problems (import_id, file, position, reason) VALUES (?, ?, ?, ?)');
    this.findComplete = db.prepare('SELECT id FROM evidence_sources WHERE sha256 = ? AND path = ? AND complete = 1 AND id <> ? LIMIT 1');
    const run = db
      .prepare("INSERT INTO imports (started_at, inputs, status) VALUES (?, ?, 'running')")
      .run(Date.now(), JSON.stringify(inputs));
    this.importId = Number(run.lastInsertRowid);
    // Bulk import trades per-commit fsync for speed; a crash loses only uncommitted files, which a re-run restores.
    db.pragma('synchronous = NORMAL');
  }

  private begin(): void {
    if (!this.inTransaction) {
      this.db.exec('BEGIN');
      this.inTransaction = true;
    }
  }

  /** Registers a file (or archive) and returns its evidence id. */
  openSource(ref: SourceRef): number {
    this.begin();
    return Number(this.insertSource.run(this.importId, ref.parentId, ref.path, Date.now()).lastInsertRowid);
  }

  /**
   * Writes a batch of events laid out flat in EVENT_COLUMNS order, with raw bytes cut at `rawEnds`.
   * Returns how many were new (the rest were duplicates of stored events).
   */
  writeEvents(sourceId: number, values: unknown[], ordinals: ArrayLike<number>, raw: Uint8Array, rawEnds: ArrayLike<number>): number {
    this.begin();
    const width = EVENT_COLUMNS.length;
    const readOnlyAt = EVENT_COLUMNS.indexOf('readOnly');
    const rawBuf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const params: unknown[] = new Array(width + 2);
    params[0] = sourceId;
    let inserted = 0;
    let rawStart = 0;
    for (let e = 0, v = 0; e < ordinals.length; e++, v += width) {
      params[1] = ordinals[e];
      for (let c = 0; c < width; c++) {
        const value = values[v + c];
        params[c + 2] = c === readOnlyAt ? (value === null || value === undefined ? null : value ? 1 : 0) : (value ?? null);
      }
      const end = rawEnds[e]!;
      const result = this.insertEvent.run(params);
      if (result.changes === 1) {
        this.insertRaw.run(result.lastInsertRowid, rawBuf.subarray(rawStart, end));
        inserted++;
      }
      rawStart = end;
    }
    this.pendingEvents += ordinals.length;
    return inserted;
  }

  /** Marks a file complete; true when the same file (path and hash) had already been fully imported. */
  finishSourceRow(sourceId: number, ref: SourceRef, totals: SourceTotals): boolean {
    this.begin();
    const already = totals.sha256 !== '' && this.findComplete.get(totals.sha256, ref.path, sourceId) !== undefined;
    this.finishSource.run(totals.size, totals.sha256, totals.format, totals.events, totals.duplicates, totals.skipped, totals.errors, sourceId);
    return already;
  }

  problem(file: string, position: string | null, reason: string): void {
    this.begin();
    this.insertProblem.run(this.importId, file, position, reason);
  }

  /** Commits when enough has piled up; callers pass `atBoundary` when no file is half-written. */
  maybeCommit(atBoundary: boolean): void {
    if (this.inTransaction && ((atBoundary && this.pendingEvents >= 50_000) || this.pendingEvents >= 1_000_000)) this.commit();
  }

  commit(): void {
    if (this.inTransaction) {
      this.db.exec('COMMIT');
      this.inTransaction = false;
      this.pendingEvents = 0;
    }
  }

  finish(status: 'complete' | 'cancelled' | 'failed', stats: ImportStats): void {
    if (status === 'failed' && this.inTransaction) {
      this.db.exec('ROLLBACK');
      this.inTransaction = false;
    }
    this.commit();
    this.db.prepare('UPDATE imports SET finished_at = ?, status = ?, stats = ? WHERE id = ?').run(Date.now(), status, JSON.stringify(stats), this.importId);
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
