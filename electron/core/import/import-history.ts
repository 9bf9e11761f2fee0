// The import history of a case with its problems grouped by reason, for the app's import screen and the report. A
// case can hold thousands of problem lines (up to 20 a file, plus a folded line per reason), so the groups are
// bounded and each keeps only its first few places.
import type Database from 'better-sqlite3';
import type { ImportHistory, ProblemGroup, RunProblems } from '../../../shared/domain/evidence';
import { isArchiveFormat, readEvidence, type EvidenceItem } from '../../db/repos/evidence-repo';
import { readImportRuns, readProblems, type ProblemRow } from '../../db/repos/import-history-repo';
import { problemKind, unfoldReason } from './problem-kinds';

/** Groups listed; the rest are counted in the totals. */
export const MAX_PROBLEM_GROUPS = 40;
/** Places kept per group. */
export const EXAMPLES_PER_GROUP = 3;

/** The problems grouped by reason, the most records first, with totals over all of them. */
export function groupProblems(rows: ProblemRow[], limits = { groups: MAX_PROBLEM_GROUPS, examples: EXAMPLES_PER_GROUP }): Pick<ImportHistory, 'problems' | 'problemTotals'> {
  const byReason = new Map<string, ProblemGroup & { fileSet: Set<string> }>();
  const totals = { damaged: 0, outOfScope: 0, notes: 0, groups: 0 };
  for (const row of rows) {
    const { reason, records } = unfoldReason(row.reason);
    let group = byReason.get(reason);
    if (!group) {
      group = { reason, kind: problemKind(reason), count: 0, files: 0, examples: [], fileSet: new Set() };
      byReason.set(reason, group);
    }
    group.count += records;
    group.fileSet.add(row.file);
    // A folded line has no place of its own: it names its file only when no line of that file did.
    const named = records > 1 && group.examples.some((e) => e.file === row.file);
    if (group.examples.length < limits.examples && !named) group.examples.push({ file: row.file, position: row.position });
    if (group.kind === 'damaged') totals.damaged += records;
    else if (group.kind === 'out-of-scope') totals.outOfScope += records;
    else totals.notes += 1;
  }
  totals.groups = byReason.size;
  const groups = [...byReason.values()]
    .map(({ fileSet, ...g }) => ({ ...g, files: fileSet.size }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, limits.groups);
  return { problems: groups, problemTotals: totals };
}

/** Records of each file left out by design (out of scope; the rest of its errors are damaged input), by file label. */
export function outOfScopeByFile(rows: ProblemRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) {
    const { reason, records } = unfoldReason(row.reason);
    if (problemKind(reason) === 'out-of-scope') out.set(row.file, (out.get(row.file) ?? 0) + records);
  }
  return out;
}

/** An evidence file with its import errors split: records out of scope, and input that could not be read. */
export interface EvidenceWithProblems extends EvidenceItem {
  /** An archive's own row (its members are rows of their own). */
  archive: boolean;
  outOfScope: number;
  unreadable: number;
}

/**
 * Every evidence file once (evidence-repo.ts), its errors split by the problems recorded under its path: what the
 * report's evidence list and the evidence export both show. `problems` defaults to the case's.
 */
export function readEvidenceWithProblems(db: Database.Database, problems: ProblemRow[] = readProblems(db)): EvidenceWithProblems[] {
  const outOfScope = outOfScopeByFile(problems);
  return readEvidence(db).map((e) => {
    const left = Math.min(e.errors, outOfScope.get(e.path) ?? 0);
    return { ...e, archive: isArchiveFormat(e.format), outOfScope: left, unreadable: e.errors - left };
  });
}

/** Each run's own problem lines, counted in records of each kind as groupProblems counts the case's. */
export function problemsByRun(db: Database.Database): RunProblems[] {
  const rows = db.prepare('SELECT import_id importId, reason, count(*) lines FROM import_problems GROUP BY import_id, reason').all() as { importId: number; reason: string; lines: number }[];
  const byRun = new Map<number, RunProblems>();
  for (const row of rows) {
    const run = byRun.get(row.importId) ?? { importId: row.importId, outOfScope: 0, damaged: 0, lines: 0 };
    const { reason, records } = unfoldReason(row.reason);
    const kind = problemKind(reason);
    if (kind === 'damaged') run.damaged += records * row.lines;
    else if (kind === 'out-of-scope') run.outOfScope += records * row.lines;
    run.lines += row.lines;
    byRun.set(row.importId, run);
  }
  return [...byRun.values()].sort((a, b) => a.importId - b.importId);
}

export function readImportHistory(db: Database.Database): ImportHistory {
  return { runs: readImportRuns(db), ...groupProblems(readProblems(db)), runProblems: problemsByRun(db) };
}
