import type Database from 'better-sqlite3';
import { realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { readCaseMeta, writeCaseMeta } from '../../db/repos/case-meta-repo';

/** Where a case remembers which real folder or file each label it has recorded for an input stands for. */
const ROOTS_KEY = 'evidence_roots';

interface Root {
  /** The input's real path (symlinks resolved, absolute). */
  real: string;
  /** The label its files were recorded under: the path as the first import of it was given. */
  label: string;
}

const fold = process.platform === 'darwin' || process.platform === 'win32' ? (p: string) => p.toLowerCase() : (p: string) => p;

function realOf(path: string): string | null {
  try {
    return realpathSync(resolve(path));
  } catch {
    return null; // missing or unreadable: the walker reports it under the path as given
  }
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

/**
 * The label each input's files are recorded under. The evidence list names a file by the path it was given as
 * (`logs/AWSLogs/…`), so the same folder given again as `/home/me/case/logs`, through a symlink, or as a subfolder
 * of it, would list every file a second time under another name, and the re-import would not recognise the files
 * it had already completed (it matches path and hash). An input inside a place an earlier import of this case
 * read is therefore labelled as that import named it; anything new keeps the path as given and is remembered.
 * The `imports` rows keep every input exactly as typed, so the record of what was asked stays whole.
 */
export function labelInputs(db: Database.Database, paths: string[]): string[] {
  const roots = readRoots(db);
  const added: Root[] = [];
  const labels = paths.map((path) => {
    const real = realOf(path);
    if (real === null) return path;
    let best: Root | undefined;
    for (const r of [...roots, ...added]) {
      if (isWithin(real, r.real) && (!best || r.real.length > best.real.length)) best = r;
    }
    if (best) return real.length === best.real.length ? best.label : join(best.label, real.slice(best.real.length).replace(/^[\\/]+/, ''));
    added.push({ real, label: path });
    return path;
  });
  if (added.length > 0) {
    writeCaseMeta(db, ROOTS_KEY, JSON.stringify([...roots, ...added]));
  }
  return labels;
}

/** Whether `path` is `root` or inside it (both real paths), ignoring case where the file system does. */
function isWithin(path: string, root: string): boolean {
  const p = fold(path);
  const r = fold(root);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/** The places this case's evidence was imported from (recorded since the case remembers them), each able to say whether a real path lies in it. */
export function evidenceRoots(db: Database.Database): { real: string; contains(path: string): boolean }[] {
  return readRoots(db).map((r) => ({ real: r.real, contains: (path: string) => isWithin(path, r.real) }));
}
