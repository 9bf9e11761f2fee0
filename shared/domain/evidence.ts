/** A file the analyst gave the case, or a member of an archive they gave. */
export interface EvidenceSource {
  id: number;
  /** Path as given; archive members read `archive.zip!/inner/path.json.gz`. */
  path: string;
  parentId: number | null;
  /** Bytes of the file as stored (compressed, if it was). */
  size: number;
  /** Lowercase hex SHA-256 of those bytes. */
  sha256: string;
  /** UTC epoch ms. */
  importedAt: number;
  /** Detected layout, e.g. `cloudtrail-s3`, `cloudtrail-lookup`, `cloudtrail-lake-csv`, `zip`. */
  format: string | null;
  events: number;
  duplicates: number;
  skipped: number;
  errors: number;
}

/** Something in the evidence that could not be imported, and why. */
export interface ImportProblem {
  file: string;
  /** Line, record index or byte offset, as text (`line 12`, `record 3`, `byte 1048576`). */
  position: string | null;
  reason: string;
}

/** Counts an import reports; `events` counts unique events stored by this run. */
export interface ImportStats {
  events: number;
  duplicates: number;
  skipped: number;
  errors: number;
  files: number;
  bytes: number;
}

/** One import run of a case, as the import history shows it. Times are UTC epoch ms. */
export interface ImportRun {
  id: number;
  startedAt: number;
  /** null: no recorded end (still running, or its process stopped before it could record one). */
  finishedAt: number | null;
  status: 'running' | 'complete' | 'cancelled' | 'failed';
  /** The paths given to it. */
  inputs: string[];
  /** null when the run never recorded its end. */
  stats: ImportStats | null;
}

/**
 * What the findings cannot be relied on to cover. A case whose `lastCorrelationMs` is null was never analysed at all;
 * these say what a run that exists may have missed.
 */
export interface CaseAnalysis {
  /**
   * Imports that stopped before reading all their evidence (cancelled, failed, or without a recorded end) and whose
   * paths no complete import started after them covers: part of that evidence may be missing from the case.
   */
  unfinishedImports: ImportRun[];
  /** Imports that stored new events after the last correlation run began (0 before the first run): not analysed yet. */
  importsAfterCorrelation: number;
}

/**
 * `damaged`: input the import could not read (corrupt or truncated files, invalid JSON, unreadable fields);
 * `out-of-scope`: records it recognised and deliberately leaves out, since they are not sign-in or control-plane
 * audit records (Entra audit logs, Microsoft 365 activity, AKS kube-audit, GCP logs that are not audit logs …).
 * `note`: said about a file without any record being lost: an empty page (skipped), records imported from an export
 * that dropped something a re-export gets back (PowerShell's `-Depth`, a status in another language). Not errors.
 * ("Not analysed" means something else: events the correlator has not run over.)
 */
export type ProblemKind = 'damaged' | 'out-of-scope' | 'note';

/** The import problems of a case that share one reason. */
export interface ProblemGroup {
  reason: string;
  kind: ProblemKind;
  /** Records it affected (a problem with a whole file counts once). */
  count: number;
  files: number;
  /** The first few places it was met, in the order they were recorded. */
  examples: { file: string; position: string | null }[];
}

/** Every import run of a case and its problems grouped by reason (each problem once, however often re-imported). */
export interface ImportHistory {
  runs: ImportRun[];
  /** The largest groups first, at most a few dozen (a case can hold thousands of distinct reasons). */
  problems: ProblemGroup[];
  /** Over every problem, listed or not. */
  problemTotals: { damaged: number; outOfScope: number; notes: number; groups: number };
  /** What each run recorded itself (a re-import records its files' problems again), for the summary of a run. */
  runProblems?: RunProblems[];
}

/**
 * The problems one import run recorded: records of each kind, in the same split as `problemTotals`, and the lines
 * stored for them (a file's records beyond the first few with one reason share one line, "N more records: …").
 */
export interface RunProblems {
  importId: number;
  outOfScope: number;
  damaged: number;
  lines: number;
}
