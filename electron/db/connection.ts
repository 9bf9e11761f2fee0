import Database from 'better-sqlite3';
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate, CaseVersionError, type Migration } from './migrate';
import { ensureEventIndexes } from './indexes';

export { CaseVersionError };

/**
 * The case could not be opened because another connection holds it: it stayed locked past the busy timeout, or (read
 * only) it needs an interrupted import's journal rolled back first. The likeliest holder is a bulk import into a new
 * case run from the command line: it writes under a rollback journal (bulk-journal.ts), where no other connection
 * may open the case until it finishes.
 */
export class CaseBusyError extends Error {
  constructor(file: string, readonlyRollback = false) {
    super(
      readonlyRollback
        ? `${file} holds an interrupted import's journal, which only a writable open can roll back: open it once without read-only mode (crossline info ${file}), then again`
        : `${file} is locked by another process writing it (for example an import into a new case, which keeps the case to itself until it finishes); open it again when that is done`,
    );
  }
}

/** The file extension of a Crossline case. */
export const CASE_EXTENSION = '.crossline';

let cachedMigrations: Migration[] | undefined;

/** Where the numbered `.sql` migrations live, beside this module in source and in the build. */
export function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'migrations');
  return existsSync(beside) ? beside : join(here, '..', 'db', 'migrations');
}

function migrations(): Migration[] {
  cachedMigrations ??= loadMigrations(migrationsDir());
  return cachedMigrations;
}

export interface OpenOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  readonly?: boolean;
}

/** The page size of a case file created by this version (older cases keep theirs; SQLite reads either). */
export const CASE_PAGE_SIZE = 16384;

/**
 * Opens (and if needed creates and migrates) a case file. WAL so readers never block the single writer;
 * foreign keys on; synchronous FULL by default because settings and annotations are evidence-grade.
 */
export function openCase(file: string, options: OpenOptions = {}): Database.Database {
  const create = options.create ?? true;
  if (!existsSync(file)) {
    if (!create || options.readonly) throw new Error(`${file}: no such case file`);
  } else {
    assertSqliteFile(file);
  }
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: !create });
  try {
    db.pragma('busy_timeout = 5000');
    // Refuse a newer case before touching it: switching to WAL would already rewrite its header.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations().length) migrate(db, migrations(), file);
    // A new case (no page yet: also an empty file made beforehand) gets 16 KiB pages, SQLite's default being 4 KiB; it
    // must be set before the first table and WAL.
    // The import writes each page twice (WAL, then checkpoint) and a raw block (a 30 KB gzip) fits about one page
    // instead of a chain of eight: commits cost 0.8-0.9 µs an event instead of 1.4-2.4 (scripts/bench-writer.ts).
    if (!options.readonly && db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${CASE_PAGE_SIZE}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      migrate(db, migrations(), file);
      ensureEventIndexes(db);
    }
    if (!options.readonly) {
      db.prepare("INSERT OR IGNORE INTO case_meta (key, value) VALUES ('created_at', ?)").run(String(Date.now()));
    }
    return db;
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY') throw new CaseBusyError(file);
    if (code === 'SQLITE_READONLY_ROLLBACK') throw new CaseBusyError(file, true);
    throw err;
  }
}

/** A clear message beats SQLite's "file is not a database" when someone opens the wrong file. */
function assertSqliteFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 0) return; // an empty file becomes a new case
    if (head.toString('latin1', 0, 15) !== 'SQLite format 3') {
      throw new Error(`${file} is not a Crossline case file (it is not an SQLite database)`);
    }
  } finally {
    closeSync(fd);
  }
}
