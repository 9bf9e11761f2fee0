// The last import's problems in the import history's own split (records out of scope, damaged or unreadable), so
// the summary, its list of problem lines and the history below all show the same numbers.
import type { ImportHistory, ImportStats, RunProblems } from '../../../shared/domain/evidence';

/**
 * The history's record of the run a summary describes: the latest run with exactly the summary's counts (the
 * finished job does not carry its run's id), or null while the history is not loaded or does not hold it yet.
 */
export function problemsOfRun(stats: ImportStats, history: ImportHistory | null): RunProblems | null {
  if (!history?.runProblems) return null;
  const same = (s: ImportStats | null) => s !== null && (Object.keys(stats) as (keyof ImportStats)[]).every((k) => s[k] === stats[k]);
  const run = [...history.runs].reverse().find((r) => same(r.stats));
  if (!run) return null;
  return history.runProblems.find((p) => p.importId === run.id) ?? { importId: run.id, outOfScope: 0, damaged: 0, lines: 0 };
}
