// What is wrong with a staged evidence path, in words the staged list shows beside it. The core reads paths on
// its own machine and refuses a whole import when one of them is not there, so the list marks each bad path
// (relative ones as soon as they are added, missing ones from the core's refusal) instead of a passing toast.

/** The core's refusal of an import whose paths are not all there (electron/core/services/workbench.ts). */
const NOT_FOUND_PREFIX = 'Not found on the machine running Crossline: ';

/**
 * Why a path cannot be imported as typed, or null. Only absolute paths mean the same to the analyst and to the
 * core (whose working folder the analyst never sees): POSIX `/…`, Windows `C:\…` and `\\server\share`.
 */
export function stagedPathProblem(path: string): string | null {
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')) return null;
  if (path.startsWith('~')) return 'not absolute: ~ is not expanded, give the full path';
  return 'not absolute: give the full path on the machine running Crossline';
}

/**
 * The staged paths a refusal names as not found, and how many more it left unnamed ("… and 3 more"). The
 * refusal joins paths with ", ": each staged path is looked up whole between those separators.
 */
export function missingPathsIn(refusal: string, staged: string[]): { missing: Set<string>; unnamed: number } {
  const missing = new Set<string>();
  if (!refusal.startsWith(NOT_FOUND_PREFIX)) return { missing, unnamed: 0 };
  let list = refusal.slice(NOT_FOUND_PREFIX.length);
  const more = / and (\d+) more$/.exec(list);
  if (more) list = list.slice(0, more.index);
  const padded = `, ${list}, `;
  for (const p of staged) if (padded.includes(`, ${p}, `)) missing.add(p);
  return { missing, unnamed: more ? Number(more[1]) : 0 };
}
