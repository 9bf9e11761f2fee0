import type Database from 'better-sqlite3';
import { isAbsolute, join, normalize } from 'node:path';
import { readCaseMeta, writeCaseMeta } from '../../db/repos/case-meta-repo';
import { foldCase, isWithinPath, realPathOf } from '../../db/real-paths';

/** Where a case remembers which real folder or file each label it has recorded for an input stands for. */
const ROOTS_KEY = 'evidence_roots';

interface Root {
  /** The input's real path (symlinks resolved, absolute). */
  real: string;
  /** The label its files are recorded under: the path as the first import of it was given (or its real path, see labelInputs). */
  label: string;
}

function readRoots(db: Database.Database): Root[] {
  const value = readCaseMeta(db, ROOTS_KEY);
  if (value === null) return [];
  try {
    const roots = JSON.parse(value) as unknown;
    return Array.isArray(roots) ? roots.filter((r): r is Root => typeof r?.real === 'string' && typeof r?.label === 'string') : [];
  } catch {
    return [];
  }
}

/** What labelInputs decided for the inputs of one import. */
export interface InputLabels {
  /** What each input's files are recorded under. */
  labels: string[];
  /** Each input's real path (absolute, symlinks resolved), null where it could not be resolved. */
  reals: (string | null)[];
  /**
   * The label of a place an earlier import read, when one lies inside an input, by its real path (for walkEvidence:
   * a folder imported after its subfolder names the subfolder's files as before); undefined when none does.
   */
  rootLabel?: (real: string) => string | undefined;
}

/**
 * The label each input's files are recorded under. The evidence list names a file by the path it was given as
 * (`logs/AWSLogs/…`), so the same folder given again as `/home/me/case/logs`, through a symlink, or as a subfolder
 * of it, would list every file a second time under another name, and the re-import would not recognise the files
 * it had already completed (it matches path and hash). An input inside a place an earlier import of this case
 * read is therefore labelled as that import named it, and the places earlier imports read inside an input keep
 * their labels too (`rootLabel`). Anything new keeps the path as given and is remembered, unless that would name
 * its files as another place's are (`logs` typed in two different folders, or `logs` after `logs/sub` from
 * elsewhere): then its absolute real path, so that one path never stands for two files (the evidence list, its
 * incomplete rows and the problems are all keyed by path). The `imports` rows keep every input exactly as typed, so
 * the record of what was asked stays whole.
 */
export function labelInputs(db: Database.Database, paths: string[]): InputLabels {
  const roots = readRoots(db);
  const added: Root[] = [];
  const reals = paths.map(realPathOf); // null: missing or unreadable, which the walker reports under the path as given
  const labels = paths.map((path, i) => {
    const real = reals[i]!;
    if (real === null) return path;
    const known = [...roots, ...added];
    let best: Root | undefined;
    for (const r of known) {
      if (isWithinPath(real, r.real) && (!best || r.real.length > best.real.length)) best = r;
    }
    if (best) return real.length === best.real.length ? best.label : join(best.label, real.slice(best.real.length).replace(/^[\\/]+/, ''));
    const label = distinctLabel(path, real, known);
    added.push({ real, label });
    return label;
  });
  if (added.length > 0) {
    writeCaseMeta(db, ROOTS_KEY, JSON.stringify([...roots, ...added]));
  }
  const all = [...roots, ...added];
  const nested = all.filter((r) => reals.some((real) => real !== null && real.length < r.real.length && isWithinPath(r.real, real)));
  if (nested.length === 0) return { labels, reals };
  const byReal = new Map(all.filter((r) => reals.some((real) => real !== null && isWithinPath(r.real, real))).map((r) => [foldCase(r.real), r.label]));
  return { labels, reals, rootLabel: (real) => byReal.get(foldCase(real)) };
}

/** The path as given, unless another place's files would be named like this one's; then its real path (made unique). */
function distinctLabel(path: string, real: string, known: Root[]): string {
  for (let n = 1; ; n++) {
    const label = n === 1 ? path : n === 2 ? real : `${real} (${n - 1})`;
    if (!known.some((r) => namesClash(label, real, r))) return label;
  }
}

/**
 * Whether files of a new place (`real`, labelled `label`) and of a remembered one could be recorded under the same
 * path: one label is the other or inside it, except where the remembered place is itself inside the new one at
 * that very spot (`logs/sub`, then `logs` from the same folder: the same files, the same names).
 */
function namesClash(label: string, real: string, root: Root): boolean {
  const mine = normalize(label);
  const theirs = normalize(root.label);
  if (labelWithin(mine, theirs)) return true;
  if (!labelWithin(theirs, mine)) return false;
  const rest = mine === '.' ? theirs : theirs.slice(mine.length);
  return foldCase(join(real, rest)) !== foldCase(root.real);
}

/** Whether the label `path` is `root` or names something inside it (`.` holds every relative label). */
function labelWithin(path: string, root: string): boolean {
  if (root === '.') return !isAbsolute(path);
  return isWithinPath(path, root);
}

/** The places this case's evidence was imported from (recorded since the case remembers them), each able to say whether a real path lies in it. */
export function evidenceRoots(db: Database.Database): { real: string; contains(path: string): boolean }[] {
  return readRoots(db).map((r) => ({ real: r.real, contains: (path: string) => isWithinPath(path, r.real) }));
}
