// How Crossline compares paths on disk: real paths (symlinks resolved), ignoring case where the file system usually
// does. Here, in the lowest node layer, because the repos (which import covered which) and core (evidence labels, the
// case file among its evidence, export targets) must compare paths the same way.
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** A path folded as the file system usually compares it: ignoring case on macOS and Windows. */
export const foldCase = process.platform === 'darwin' || process.platform === 'win32' ? (p: string) => p.toLowerCase() : (p: string) => p;

/** Whether `path` is `root` or inside it (both real paths), ignoring case where the file system usually does. */
export function isWithinPath(path: string, root: string): boolean {
  const p = foldCase(path);
  const r = foldCase(root);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/** The real path (absolute, symlinks resolved), or null when there is nothing there or it cannot be read. */
export function realPathOf(path: string): string | null {
  try {
    return realpathSync(resolve(path));
  } catch {
    return null;
  }
}
