// The case's import runs and problems, and what they mean for its findings: an import that stopped part way, or
// events stored after the last correlation run, leave findings that may be missing chains; no run at all leaves a
// case that is not analysed, which the app and the report must not present as "nothing found".
import type Database from 'better-sqlite3';
import type { CaseAnalysis, ImportRun, ImportStats } from '../../../shared/domain/evidence';
import { isWithinPath } from '../real-paths';

export function readImportRuns(db: Database.Database): ImportRun[] {
  const rows = db.prepare('SELECT id, started_at startedAt, finished_at finishedAt, status, inputs, stats FROM imports ORDER BY id').all() as (Omit<ImportRun, 'inputs' | 'stats'> & {
    inputs: string;
    stats: string | null;
  })[];
  return rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as string[], stats: r.stats ? (JSON.parse(r.stats) as ImportStats) : null }));
}

/**
 * Records the real path of each input of an import (absolute, symlinks resolved; null where it could not be resolved),
 * in the order of its `inputs`, so that what it read can be compared with other imports however they were spelled.
 */
export function recordRealInputs(db: Database.Database, importId: number, reals: (string | null)[]): void {
  db.prepare('UPDATE imports SET real_inputs = ? WHERE id = ?').run(JSON.stringify(reals), importId);
}

/** Each import's inputs by real path where recorded (migration 0009 on), else as given. */
function readRealInputs(db: Database.Database): Map<number, (string | null)[]> {
  const out = new Map<number, (string | null)[]>();
  let rows: { id: number; real_inputs: string }[];
  try {
    rows = db.prepare('SELECT id, real_inputs FROM imports WHERE real_inputs IS NOT NULL').all() as typeof rows;
  } catch {
    return out; // a case before migration 0009, opened read-only (and so not upgraded)
  }
  for (const r of rows) {
    try {
      const reals = JSON.parse(r.real_inputs) as unknown;
      if (Array.isArray(reals)) out.set(r.id, reals.map((p) => (typeof p === 'string' ? p : null)));
    } catch {
      // unreadable: compared as given
    }
  }
  return out;
}

/**
 * Runs that did not read all their evidence (cancelled, failed, or with no recorded end) and that complete runs
 * started after them do not cover: a later complete run of the same place read every file there, stopped part way or
 * not, whereas an earlier one says nothing of files added since (an analyst adds logs to a folder and re-imports it).
 * Each input is matched on its own (inputs cancelled together may be completed one at a time), by real path where
 * both runs recorded one (`logs` typed in a shell and its full path given in the app are the same folder; two folders
 * both typed as `logs` from different places are not), a subfolder being covered by its folder; otherwise as given.
 * `realInputs` maps a run's id to its inputs' real paths (see recordRealInputs).
 */
export function unfinishedImports(runs: ImportRun[], realInputs: Map<number, (string | null)[]> = new Map()): ImportRun[] {
  const places = (run: ImportRun) => run.inputs.map((given, i) => ({ given, real: realInputs.get(run.id)?.[i] ?? null }));
  const covers = (done: { given: string; real: string | null }, input: { given: string; real: string | null }) =>
    done.real !== null && input.real !== null ? isWithinPath(input.real, done.real) : done.given === input.given;
  const complete = runs.filter((r) => r.status === 'complete').map((r) => ({ id: r.id, places: places(r) }));
  return runs.filter((run) => {
    if (run.status === 'complete') return false;
    const later = complete.filter((done) => done.id > run.id);
    return !places(run).every((input) => later.some((done) => done.places.some((p) => covers(p, input))));
  });
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
  return { unfinishedImports: unfinishedImports(runs, readRealInputs(db)), importsAfterCorrelation: importsAfterCorrelation(db) };
}

/** A problem as recorded: the file, where in it, and why. */
export interface ProblemRow {
  file: string;
  position: string | null;
  reason: string;
}

/**
 * Every problem once, in the order first recorded: re-importing a file records its problems again under the new
 * import, and they are the same problems (GROUP BY puts a missing position with a missing position). Grouped in the
 * order of the index on (file, position, reason) (migration 0009), without sorting every row.
 */
export const PROBLEMS_SQL = 'SELECT file, position, reason FROM import_problems GROUP BY file, position, reason ORDER BY min(id)';
export const PROBLEM_COUNT_SQL = 'SELECT count(*) FROM (SELECT 1 FROM import_problems GROUP BY file, position, reason)';

export function readProblems(db: Database.Database): ProblemRow[] {
  return db.prepare(PROBLEMS_SQL).all() as ProblemRow[];
}

export function countProblems(db: Database.Database): number {
  return db.prepare(PROBLEM_COUNT_SQL).pluck().get() as number;
}
