import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { EVENT_COLUMNS } from '../../../shared/domain/event';
import type { ImportStats } from '../../../shared/domain/evidence';
import { leaveWalForBulkImport, returnToWal } from '../bulk-journal';
import { dropEventIndexes, ensureEventIndexes, ensureIdentityIndex } from '../indexes';
import { INTERNED_COLUMNS, SHARED_BLOCK, type EventBatch } from './event-batch';
import { IdentitySet } from './identity-set';
import { RollupCollector } from './rollup-collector';

/** Parameters one event binds: source, position, raw block, offset, length, then EVENT_COLUMNS from here on. */
const VALUES_AT = 5;
/** Where the interned columns sit among the bound parameters. */
const INTERNED_PARAMS = EVENT_COLUMNS.flatMap((c, i) => (INTERNED_COLUMNS.has(c) ? [i + VALUES_AT] : []));
const TARGET_AT = EVENT_COLUMNS.indexOf('targetAccount');
const PROVIDER_AT = EVENT_COLUMNS.indexOf('provider');
/** Where an event's identity (provider, native id, fingerprint) sits among its bound parameters. */
const IDENTITY_AT = [PROVIDER_AT, EVENT_COLUMNS.indexOf('nativeId'), EVENT_COLUMNS.indexOf('fingerprint')].map((i) => i + VALUES_AT) as [number, number, number];
/** The `events` column of each EVENT_COLUMNS entry (an interned one holds the string's id). */
export const COLUMN_SQL = EVENT_COLUMNS.map((c) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`) + (INTERNED_COLUMNS.has(c) ? '_sid' : ''));
const ROW_WIDTH = VALUES_AT + EVENT_COLUMNS.length;

/**
 * Events per INSERT statement. Binding is most of what one row costs the writer (about 5 of its 7.5 µs with one row
 * per statement, against 2.6 µs for SQLite's own insert), and better-sqlite3 binds call arguments far faster than the
 * elements of an array: 16 rows a statement, their values spread as arguments, cost 4.6–4.9 µs an event instead of
 * 7.7–7.9 (scripts/bench-writer.ts prints both). Longer statements gained nothing more. (Since case schema 7, whose
 * checks SQLite evaluates more cheaply, SQLite's own insert is 1.8 µs and the writer's 3.5–3.6 µs an event.)
 */
export const ROWS_PER_INSERT = 16;

/**
 * The bulk import's index build, with SQLite's sorter on every core (the parse workers are done by now) and small
 * sort runs: on a million events 5.0–5.1 s instead of 6.7–7.5 s with one thread and a 16 MiB cache (in the import,
 * measured on two cores; a larger cache was slower still, its runs no longer fitting the CPU caches).
 */
function buildIndexesInParallel(db: Database.Database): void {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
  db.pragma('cache_size = -2048');
  try {
    ensureEventIndexes(db);
  } finally {
    db.pragma('threads = 0');
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/**
 * Identities a bulk import keeps in memory (IdentitySet: 32 MiB for two million, its table at most half full), so an
 * import of any size stays under its memory budget. Past this the unique index takes over (see dedupByIndex): on the
 * bench's million events with the switch at 300,000, the import took 36 s instead of 21–24 s, at the same peak RSS.
 */
export const MAX_IN_MEMORY_IDENTITIES = 2_000_000;

export interface WriterOptions {
  /** Overrides MAX_IN_MEMORY_IDENTITIES (tests). */
  maxInMemoryIdentities?: number;
}

/** Where a file sits in the evidence: its label and the archive it came from. */
export interface SourceRef {
  path: string;
  parentId: number | null;
}

/** What one evidence file brought (`errors`: records, or the file itself, that could not be imported, whatever the reason). */
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
  /** INSERT OR IGNORE statements by number of rows (ROWS_PER_INSERT, and shorter ones for a batch's last events). */
  private readonly insertStatements = new Map<number, Database.Statement>();
  /** The rows of the next INSERT, parameters laid out row after row, and their identity keys in a bulk import. */
  private readonly group: unknown[] = new Array(ROWS_PER_INSERT * ROW_WIDTH);
  private readonly groupKeys = new Float64Array(ROWS_PER_INSERT);
  private groupRows = 0;
  private readonly insertBlock: Database.Statement;
  private readonly findString: Database.Statement;
  private readonly insertString: Database.Statement;
  private readonly insertAccount: Database.Statement;
  private readonly accounts = new Set<string>();
  private readonly insertSource: Database.Statement;
  private readonly finishSource: Database.Statement;
  private readonly insertProblem: Database.Statement;
  private readonly findComplete: Database.Statement;
  /** value → strings.id, for every string this writer has met (a few thousand in a month of CloudTrail). */
  private readonly stringIds = new Map<string, number>();
  /** The inserted events rolled up for the correlator, written with each commit (rollups-repo.ts). */
  private readonly rollups: RollupCollector;
  private readonly previousCacheSize: number;
  /** Importing into an empty case: every index, the identity index too, is built once at the end. */
  readonly bulk: boolean;
  /**
   * The identities stored so far, in a bulk import (deduplication without the unique index); null once it would
   * outgrow `maxInMemoryIdentities`, from when on the unique index deduplicates.
   */
  private identities: IdentitySet | null;
  private readonly maxInMemoryIdentities: number;
  private readonly identityOf: Database.Statement;
  private readonly identitiesBetween: Database.Statement;
  private inTransaction = false;
  private pendingEvents = 0;
  readonly importId: number;
  /** A bulk import that could leave WAL for a rollback journal (see bulk-journal.ts); finish() goes back. */
  readonly rollbackJournal: boolean;

  constructor(private readonly db: Database.Database, inputs: string[], options: WriterOptions = {}) {
    this.maxInMemoryIdentities = options.maxInMemoryIdentities ?? MAX_IN_MEMORY_IDENTITIES;
    this.insertBlock = db.prepare('INSERT INTO raw_blocks (codec, data) VALUES (?, ?)');
    this.findString = db.prepare('SELECT id FROM strings WHERE value = ?').pluck();
    this.insertString = db.prepare('INSERT INTO strings (value) VALUES (?)');
    this.insertAccount = db.prepare('INSERT OR IGNORE INTO case_accounts (provider, account) VALUES (?, ?)');
    this.insertSource = db.prepare("INSERT INTO evidence_sources (import_id, parent_id, path, size, sha256, imported_at) VALUES (?, ?, ?, 0, '', ?)");
    this.finishSource = db.prepare(
      'UPDATE evidence_sources SET size = ?, sha256 = ?, format = ?, events = ?, duplicates = ?, skipped = ?, errors = ?, complete = 1 WHERE id = ?',
    );
    this.insertProblem = db.prepare('INSERT INTO import_problems (import_id, file, position, reason) VALUES (?, ?, ?, ?)');
    this.findComplete = db.prepare('SELECT id FROM evidence_sources WHERE sha256 = ? AND path = ? AND complete = 1 AND id <> ? LIMIT 1');
    this.identityOf = db.prepare('SELECT provider, native_id, fingerprint FROM events WHERE id = ?');
    this.identitiesBetween = db.prepare('SELECT id, provider, native_id, fingerprint, source_id, position FROM events WHERE id BETWEEN ? AND ?');
    this.rollups = new RollupCollector(db, (text) => this.stringIds.get(text));
    // Bulk only into an empty case with no other import in progress (another one would rely on the identity
    // index), decided and registered under one write lock so two imports starting together cannot both be bulk.
    const start = db.transaction(() => {
      const bulk = db.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined && db.prepare("SELECT 1 FROM imports WHERE status = 'running' LIMIT 1").get() === undefined;
      if (bulk) dropEventIndexes(db, { identity: true });
      const run = db.prepare("INSERT INTO imports (started_at, inputs, status) VALUES (?, ?, 'running')").run(Date.now(), JSON.stringify(inputs));
      return { bulk, importId: Number(run.lastInsertRowid) };
    });
    const started = start.immediate();
    this.bulk = started.bulk;
    this.importId = started.importId;
    this.identities = this.bulk ? new IdentitySet() : null;
    this.rollbackJournal = this.bulk && leaveWalForBulkImport(db);
    // In WAL, an import trades per-commit fsync for speed; a crash loses only uncommitted files, which a re-run
    // restores. (A rollback journal keeps FULL: it needs the sync to survive a power loss.)
    if (!this.rollbackJournal) db.pragma('synchronous = NORMAL');
    // Random-key index inserts (event ids) thrash SQLite's default page cache; 64 MiB keeps them in memory. A bulk
    // import only appends (no index until the end), so it needs less and leaves the memory to the identity table.
    this.previousCacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(this.bulk ? 'cache_size = -16384' : 'cache_size = -65536');
    // An event's source and raw block are the rows this writer has just inserted, so SQLite's own check of the two
    // references is redundant here, and it costs 0.4-0.5 µs an event (two B-tree lookups). Back on in finish(), as
    // openCase sets it, whatever another writer on the same connection did meanwhile.
    db.pragma('foreign_keys = OFF');
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
   * Writes a batch of events laid out flat in EVENT_COLUMNS order, with their raw records in blocks (see
   * EventBatch); `shared` remembers the job's own-file block across its batches. Returns how many events
   * were new (the rest were duplicates of stored events).
   */
  writeEvents(sourceId: number, batch: EventBatch, shared: { blockId: number | bigint | null }): number {
    this.begin();
    if (this.identities && this.identities.size + batch.ordinals.length > this.maxInMemoryIdentities) this.dedupByIndex();
    const { values, ordinals } = batch;
    const blockIds = batch.blocks.map((b) => this.insertBlock.run('deflate-raw', Buffer.from(b.buffer, b.byteOffset, b.byteLength)).lastInsertRowid);
    if (batch.sharedBlock) {
      const b = batch.sharedBlock.data;
      shared.blockId = this.insertBlock.run(batch.sharedBlock.codec, Buffer.from(b.buffer, b.byteOffset, b.byteLength)).lastInsertRowid;
    }
    const sids = batch.strings.map((value) => this.stringId(value));
    const width = EVENT_COLUMNS.length;
    const group = this.group;
    this.groupRows = 0; // nothing carries over from a call that threw halfway (the import then fails)
    let inserted = 0;
    let lastTarget: unknown = null;
    let lastProvider: unknown = null;
    for (let e = 0, v = 0; e < ordinals.length; e++, v += width) {
      const at = this.groupRows * ROW_WIDTH;
      const block = batch.rawBlocks[e]!;
      group[at] = sourceId;
      group[at + 1] = ordinals[e];
      group[at + 2] = block === SHARED_BLOCK ? shared.blockId : blockIds[block];
      group[at + 3] = batch.rawOffsets[e];
      group[at + 4] = batch.rawLengths[e];
      for (let c = 0; c < width; c++) group[at + VALUES_AT + c] = values[v + c];
      for (const p of INTERNED_PARAMS) if (group[at + p] !== null) group[at + p] = sids[group[at + p] as number];
      const target = values[v + TARGET_AT];
      const provider = values[v + PROVIDER_AT];
      // Consecutive events mostly share their account: one Set lookup per change, and no string built per event.
      if (typeof target === 'string' && (target !== lastTarget || provider !== lastProvider)) {
        const account = `${provider}|${target}`;
        if (!this.accounts.has(account)) {
          this.accounts.add(account);
          this.insertAccount.run(provider, target);
        }
        lastTarget = target;
        lastProvider = provider;
      }
      if (this.identities) {
        const key = batch.identityKeys[e]!;
        if (this.isStored(key, at)) continue;
        this.groupKeys[this.groupRows] = key;
      }
      if (++this.groupRows === ROWS_PER_INSERT) inserted += this.flushGroup();
    }
    inserted += this.flushGroup();
    this.pendingEvents += ordinals.length;
    return inserted;
  }

  /** Inserts the pending rows with one statement; returns how many were new. */
  private flushGroup(): number {
    const rows = this.groupRows;
    if (rows === 0) return 0;
    this.groupRows = 0;
    let statement = this.insertStatements.get(rows);
    if (!statement) {
      const row = `(${new Array(ROW_WIDTH).fill('?').join(', ')})`;
      statement = this.db.prepare(
        `INSERT OR IGNORE INTO events (source_id, position, raw_block, raw_offset, raw_length, ${COLUMN_SQL.join(', ')}) VALUES ${new Array(rows).fill(row).join(', ')}`,
      );
      this.insertStatements.set(rows, statement);
    }
    const result = rows === ROWS_PER_INSERT ? statement.run(...this.group) : statement.run(...this.group.slice(0, rows * ROW_WIDTH));
    if (result.changes === 0) return 0;
    // The rows one statement inserts get consecutive row ids (each max + 1, under this writer's lock), the last one
    // reported. Were a row refused (a duplicate, past the unique index), which rows went in is read back.
    const last = Number(result.lastInsertRowid);
    const first = last - result.changes + 1;
    if (result.changes === rows) {
      for (let r = 0; r < rows; r++) {
        this.identities?.add(this.groupKeys[r]!, first + r);
        this.rollups.add(this.group, r * ROW_WIDTH + VALUES_AT);
      }
    } else {
      this.recordInsertedBetween(first, last, rows);
    }
    return result.changes;
  }

  /**
   * The bookkeeping of rows first…last, some of the `rows` in the group (the others were duplicates). A group's rows are
   * told apart by their file and position: integers, which come back from SQLite exactly as bound (a string with a lone
   * surrogate would not).
   */
  private recordInsertedBetween(first: number, last: number, rows: number): void {
    const g = this.group;
    const inserted = new Set<string>();
    for (const row of this.identitiesBetween.all(first, last) as { id: number; provider: string; native_id: string; fingerprint: number; source_id: number; position: number }[]) {
      this.identities?.add(IdentitySet.hash(row.provider, row.native_id, row.fingerprint), row.id);
      inserted.add(`${row.source_id}:${row.position}`);
    }
    for (let r = 0, o = 0; r < rows; r++, o += ROW_WIDTH) {
      if (inserted.has(`${g[o] as number}:${g[o + 1] as number}`)) this.rollups.add(g, o + VALUES_AT);
    }
  }

  /**
   * Hands deduplication over to the unique identity index, built now over the events stored so far (they are
   * distinct: the in-memory set kept them so), and frees the in-memory set: memory stays bounded however many
   * events the evidence holds, at the price of index inserts at random for the rest. The other indexes still wait
   * for the end.
   */
  private dedupByIndex(): void {
    ensureIdentityIndex(this.db);
    this.identities = null;
    this.db.pragma('cache_size = -65536');
  }

  /**
   * In a bulk import, whether the event whose parameters start at `at` in the group is stored already or waits in
   * the group: confirmed on the row itself, never on the hash alone. `key` is the identity's IdentitySet.hash, worked
   * out in the parsing thread; were it ever wrong, a duplicate would be stored and then removed before the unique
   * index is built (ensureEventIndexes), never an event lost.
   */
  private isStored(key: number, at: number): boolean {
    this.candidateAt = at;
    if (this.identities!.has(key, this.isCandidate)) return true;
    const g = this.group;
    for (let r = 0, o = 0; r < this.groupRows; r++, o += ROW_WIDTH) {
      if (this.groupKeys[r] === key && this.isIdentityAt(at, g[o + IDENTITY_AT[0]], g[o + IDENTITY_AT[1]], g[o + IDENTITY_AT[2]])) return true;
    }
    return false;
  }

  /** Whether the event whose parameters start at `at` in the group has this identity. */
  private isIdentityAt(at: number, provider: unknown, nativeId: unknown, fingerprint: unknown): boolean {
    const g = this.group;
    return g[at + IDENTITY_AT[0]] === provider && g[at + IDENTITY_AT[1]] === nativeId && g[at + IDENTITY_AT[2]] === fingerprint;
  }

  /** Where in the group the event isStored is deciding on starts (read by isCandidate, bound once, not a closure per event). */
  private candidateAt = 0;

  private readonly isCandidate = (rowId: number): boolean => {
    const row = this.identityOf.get(rowId) as { provider: string; native_id: string; fingerprint: number };
    return this.isIdentityAt(this.candidateAt, row.provider, row.native_id, row.fingerprint);
  };

  private stringId(value: string): number {
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = (this.findString.get(value) as number | undefined) ?? Number(this.insertString.run(value).lastInsertRowid);
      this.stringIds.set(value, id);
    }
    return id;
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
      this.rollups.flush();
      this.db.exec('COMMIT');
      this.inTransaction = false;
      this.pendingEvents = 0;
    }
  }

  finish(status: 'complete' | 'cancelled' | 'failed', stats: ImportStats): void {
    if (status === 'failed' && this.inTransaction) {
      // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error): then there is
      // nothing to roll back, and a ROLLBACK would throw over the error that failed the import.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.inTransaction = false;
      this.rollups.discard();
    }
    try {
      this.commit();
    } finally {
      // (A no-op should the commit have failed inside its transaction: the callers then close the connection.)
      this.db.pragma('foreign_keys = ON');
    }
    if (this.bulk) buildIndexesInParallel(this.db);
    this.db.prepare('UPDATE imports SET finished_at = ?, status = ?, stats = ? WHERE id = ?').run(Date.now(), status, JSON.stringify(stats), this.importId);
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`cache_size = ${this.previousCacheSize}`);
    if (this.rollbackJournal) returnToWal(this.db);
    else this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
