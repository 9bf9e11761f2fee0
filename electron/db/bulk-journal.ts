import type Database from 'better-sqlite3';

/**
 * A bulk import into an empty case only appends pages. Under WAL each page is written twice (to the log, then by
 * the checkpoint into the case); under a rollback journal SQLite writes a page past the file's original end once,
 * straight into the case, and journals only the few pages that existed before (the schema, the evidence list).
 * On the bench's million events that saved 0.9-1.3 s of the import's 14-15 s (0.7 s of system time in the writer).
 *
 * The switch is only possible when the writer is the case's only connection: SQLite refuses to leave WAL while
 * another connection has the case open (the desktop app keeps its case open while it imports, and stays in WAL,
 * so its reads never wait). Meanwhile another open of the case fails with CaseBusyError while a transaction is under
 * way; one that falls between two transactions puts the case back in WAL, and the import goes on in WAL. A
 * read-only connection (which never switches modes) opened meanwhile and holding a read would make a commit wait
 * out the busy timeout and fail the import; none exists while the command line imports (the correlation's scan
 * helpers start after it). After an import killed in this mode only a writable open can roll its journal back; a
 * read-only one gets CaseBusyError saying so. Returns whether the case is now in rollback-journal mode.
 */
export function leaveWalForBulkImport(db: Database.Database): boolean {
  if (!switchJournal(db, 'truncate')) return false;
  // A rollback journal is only safe from power loss with a sync at every commit (WAL is with NORMAL); at one commit
  // per 50,000 events it cost nothing measurable.
  db.pragma('synchronous = FULL');
  return true;
}

/**
 * Back to WAL after a bulk import. Should a reader have opened the case meanwhile (read-only connections do not
 * switch modes) SQLite refuses; the case is then left in rollback mode, which is consistent, and the next
 * openCase puts it back in WAL, as it does after an import killed in that mode (its journal is rolled back first).
 */
export function returnToWal(db: Database.Database): boolean {
  return switchJournal(db, 'wal');
}

/** Whether the case is now in `mode`; false when another connection kept SQLite from switching (SQLITE_BUSY). */
function switchJournal(db: Database.Database, mode: 'truncate' | 'wal'): boolean {
  try {
    return db.pragma(`journal_mode = ${mode}`, { simple: true }) === mode;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw err;
  }
}
