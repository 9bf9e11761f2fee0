// What the app, `crossline info` and the report say about how far a case's findings can be relied on, in the same
// words. An empty list of findings means "nothing found" only after a correlation run over all the evidence: a case
// never correlated is not analysed, and an import that stopped part way may have left chains out.
import type { ImportHistory, ImportRun, ProblemKind } from './evidence';

const count = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export const NOT_ANALYSED_TITLE = 'Not analysed yet';

/** A problem group's kind as the app's and the report's problem tables name it. */
export const PROBLEM_KIND_WORDS: Record<ProblemKind, string> = { damaged: 'unreadable', 'out-of-scope': 'out of scope', note: 'note' };

/** Why a case without a correlation run has no findings to show. */
export function notAnalysedSentence(events: number): string {
  return `The correlator has not run on this case's ${count(events, 'event')}, so no AN1348 chain has been looked for: this is not the same as finding none.`;
}

/** An import that did not read all its evidence, and what it means for the findings. `time` formats UTC ms. */
export function unfinishedImportSentence(run: ImportRun, time: (ms: number) => string): string {
  const how = run.status === 'cancelled' ? 'was cancelled' : run.status === 'failed' ? 'failed' : 'has no recorded end (still running, or stopped before it finished)';
  const stored = run.stats ? ` after storing ${count(run.stats.events, 'new event')} from ${count(run.stats.files, 'file')}` : '';
  const inputs = run.inputs.length === 1 ? run.inputs[0] : `${run.inputs.length} paths`;
  return `Import ${run.id} of ${inputs} (started ${time(run.startedAt)}) ${how}${stored}: part of its evidence may be missing from the case, and findings with it. Running the same import again stores only what is missing.`;
}

/** Imports whose events the latest correlation run did not see. */
export function importsAfterCorrelationSentence(imports: number): string {
  return `${count(imports, 'import')} stored events after the last correlation run: those events are not analysed yet, and findings may be missing until the correlation runs again.`;
}

/**
 * The import problems in their kinds: records out of scope (left out by design), input that could not be read, and
 * notes on files that lost no record. "Not analysed" is kept for events the correlator has not run over (above).
 */
export function problemTotalsSentence(totals: ImportHistory['problemTotals']): string {
  const notes = totals.notes;
  if (totals.damaged === 0 && totals.outOfScope === 0 && notes === 0) return 'none';
  const parts: string[] = [];
  if (totals.outOfScope > 0) parts.push(`${count(totals.outOfScope, 'record')} out of scope (not sign-in or control-plane audit records)`);
  if (totals.damaged > 0) parts.push(`${totals.damaged.toLocaleString('en-US')} damaged or unreadable ${totals.damaged === 1 ? 'record or file' : 'records or files'}`);
  if (notes > 0) parts.push(`${count(notes, 'note')} on files that lost no record`);
  return parts.join(', ');
}
