// The case's import runs and problems, and what they mean for its findings: an import that stopped part way, or
// events stored after the last correlation run, leave findings that may be missing chains; no run at all leaves a
// case that is not analysed, which the app and the report must not present as "nothing found".
import type Database from 'better-sqlite3';
import type { CaseAnalysis, ImportRun, ImportStats } from '../../../shared/domain/evidence';

export function readImportRuns(db: Database.Database): ImportRun[] {
  const rows = db.prepare('SELECT id, started_at startedAt, finished_at finishedAt, status, inputs, stats FROM imports ORDER BY id').all() as (Omit<ImportRun, 'inputs' | 'stats'> & {
    inputs: string;
    stats: string | null;
  })[];
  return rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as string[], stats: r.stats ? (JSON.parse(r.stats) as ImportStats) : null }));
}

/**
 * Runs that did not read all their evidence and whose paths no complete run covers: a re-run stores what is missing
 * and completes the files, and a run stopped while re-reading evidence a complete run had already stored lost
 * nothing. Paths compare as given: the app gives full paths, and the command line whatever was typed.
 */
export function unfinishedImports(runs: ImportRun[]): ImportRun[] {
  const complete = runs.filter((r) => r.status === 'complete');
  return runs.filter((run) => run.status !== 'complete' && !complete.some((done) => run.inputs.every((p) => done.inputs.includes(p))));
}

/** When the latest correlation run finished, or null: the correlator never ran on this case. */
export function lastCorrelationMs(db: Database.Database): number | null {
  return db.prepare('SELECT max(finished_at) FROM correlation_runs').pluck().get() as number | null;
}

/**
 * Imports that stored events after the latest correlation run began, so its findings leave them out. A run without a
 * recorded end may have stored some: counted too.
 */
export function importsAfterCorrelation(db: Database.Database): number {
  return db
    .prepare(
      `SELECT count(*) FROM imports
        WHERE coalesce(finished_at, started_at) > (SELECT started_at FROM correlation_runs ORDER BY id DESC LIMIT 1)
          AND (stats IS NULL OR json_extract(stats, '$.events') > 0)`,
    )
    .pluck()
    .get() as number;
}

export function readCaseAnalysis(db: Database.Database, runs: ImportRun[] = readImportRuns(db)): CaseAnalysis {
  return { unfinishedImports: unfinishedImports(runs), importsAfterCorrelation: importsAfterCorrelation(db) };
}

/** A problem as recorded: the file, where in it, and why. */
export interface ProblemRow {
  file: string;
  position: string | null;
  reason: string;
}

/**
 * Every problem once, in the order first recorded: re-importing a file records its problems again under the new
 * import, and they are the same problems (GROUP BY puts a missing position with a missing position).
 */
export function readProblems(db: Database.Database): ProblemRow[] {
  return db.prepare('SELECT file, position, reason FROM import_problems GROUP BY file, position, reason ORDER BY min(id)').all() as ProblemRow[];
}

export function countProblems(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM (SELECT 1 FROM import_problems GROUP BY file, position, reason)').pluck().get() as number;
}
