// The evidence of a case, each file once. evidence_sources holds one row per file per import, so a folder imported
// twice has every file twice, and a cancelled import leaves the files it had in flight as incomplete rows (no hash
// yet) that a later run completes in rows of their own. Every count of files and bytes (the app's header,
// `crossline info`, the report's summary and its evidence list) reads EVIDENCE below, so they cannot disagree.
import type Database from 'better-sqlite3';
import type { SourceTotals } from './case-writer';

const ARCHIVES = ['zip', 'tar', 'tar.gz'];
const ARCHIVE_FORMATS = `(${ARCHIVES.map((f) => `'${f}'`).join(',')})`;

/** Above any row id (2^52): `complete * FIRST_COMPLETE - id` is largest for the complete row with the lowest id. */
const FIRST_COMPLETE = 4503599627370496;

/** An archive's own row (its members have rows of their own). */
export const isArchiveFormat = (format: string | null) => format !== null && ARCHIVES.includes(format);

/**
 * One row per (path, SHA-256): the first complete import of it, whose counts are what that file brought the case (a
 * later re-import finds every record a duplicate). An incomplete row (no hash yet) is kept only while no import
 * completed its path: a path names one file, since evidence-labels.ts gives every place evidence came from labels of
 * its own. `given`: a top-level file or archive, whose bytes the analyst handed over (members are inside their
 * archive).
 *
 * Read in the order of the index on (path, sha256, complete) (migration 0009): one pass, and one index search per
 * incomplete row. The row of each group is picked by SQLite's documented bare-column rule (with a single max(), the
 * other columns come from the row holding the maximum): complete before incomplete, then the lowest id. A window
 * function did the same at three to four times the cost.
 */
export const EVIDENCE = `evidence AS (
  SELECT path, sha256, size, format, events, duplicates, skipped, errors, complete, given
    FROM (SELECT s.path, s.sha256, s.size, s.format, s.events, s.duplicates, s.skipped, s.errors, s.complete, s.parent_id IS NULL given,
                 max(s.complete * ${FIRST_COMPLETE} - s.id)
            FROM evidence_sources s
           WHERE s.complete = 1 OR NOT EXISTS (SELECT 1 FROM evidence_sources c WHERE c.path = s.path AND c.complete = 1)
           GROUP BY s.path, s.sha256))`;

export interface EvidenceTotals {
  /** Files and archive members (not the archives themselves). */
  files: number;
  archives: number;
  /** Files no import completed (a re-run of the import completes them). */
  incomplete: number;
  /** Bytes of the top-level files and archives. */
  bytes: number;
}

export function evidenceTotals(db: Database.Database): EvidenceTotals {
  return db
    .prepare(
      `WITH ${EVIDENCE}
       SELECT count(*) FILTER (WHERE format IS NULL OR format NOT IN ${ARCHIVE_FORMATS}) files,
              count(*) FILTER (WHERE format IN ${ARCHIVE_FORMATS}) archives,
              count(*) FILTER (WHERE complete = 0) incomplete,
              coalesce(sum(size) FILTER (WHERE given), 0) bytes
         FROM evidence`,
    )
    .get() as EvidenceTotals;
}

/** One evidence file as the report and the evidence export list it. */
export interface EvidenceItem extends SourceTotals {
  path: string;
  complete: boolean;
  /** A top-level file or archive (its bytes count toward the case's total), not an archive member. */
  given: boolean;
}

/** Every evidence file once (a re-import of the same file is one row), by path. */
export function readEvidence(db: Database.Database): EvidenceItem[] {
  return (
    db.prepare(`WITH ${EVIDENCE} SELECT path, size, sha256, format, events, duplicates, skipped, errors, complete, given FROM evidence ORDER BY path, sha256`).all() as (Omit<EvidenceItem, 'complete' | 'given'> & {
      complete: number;
      given: number;
    })[]
  ).map((e) => ({ ...e, complete: e.complete === 1, given: e.given === 1 }));
}

/** Files per detected format (archives left out), each file once. */
export function evidenceFormats(db: Database.Database): { format: string; files: number; events: number }[] {
  return db
    .prepare(`WITH ${EVIDENCE} SELECT coalesce(format, 'unrecognised') format, count(*) files, sum(events) events FROM evidence WHERE format IS NULL OR format NOT IN ${ARCHIVE_FORMATS} GROUP BY 1 ORDER BY files DESC, format`)
    .all() as { format: string; files: number; events: number }[];
}
