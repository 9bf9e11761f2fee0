// The evidence list as a manifest: every file's SHA-256 in `sha256sum` format, one digest over it all, and groups
// by folder so a printed report of thousands of S3 files stays a few pages. The per-file list stays in the HTML
// report (folded) and in `crossline report --what evidence`; anyone can re-check a group with sha256sum.
import { createHash } from 'node:crypto';

export interface ManifestItem {
  path: string;
  size: number;
  sha256: string;
  events: number;
  complete: boolean;
  /** False for an archive member, whose bytes are inside its archive's (so a group's bytes add up to what was given). */
  given?: boolean;
  archive?: boolean;
  /** Records out of scope (left out by design), and records (or the file) that could not be read. */
  outOfScope?: number;
  unreadable?: number;
}

export interface EvidenceGroup {
  /** The folder (or archive) the group's files share, `/`-separated, as imported. */
  prefix: string;
  /** Files and archive members; the archives themselves are counted apart. */
  files: number;
  archives: number;
  /** Bytes given: the group's top-level files and archives. */
  bytes: number;
  events: number;
  incomplete: number;
  outOfScope: number;
  unreadable: number;
  /** SHA-256 of the group's manifest lines (see manifestText). */
  manifestSha256: string;
}

/** At most this many groups are printed; the folder depth is chosen to stay under it. */
export const MAX_GROUPS = 40;

/**
 * Where each folder level of a path ends (folders, and an archive's members, `a.zip!/x/y.json`, as one more level),
 * as offsets into the path itself, so a group's prefix keeps the path's own separators and can be matched against it.
 */
function levelEnds(path: string): number[] {
  const ends: number[] = [];
  const separator = /!\/|[/\\]/g;
  for (let m = separator.exec(path); m; m = separator.exec(path)) if (m.index > 0 && !ends.includes(m.index)) ends.push(m.index);
  return ends;
}

/** `sha256sum`-style lines (`<hash>  <path>`), sorted by path (byte order), each ending in a newline. */
export function manifestText(items: readonly ManifestItem[]): string {
  return [...items]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((i) => `${i.sha256}  ${i.path}\n`)
    .join('');
}

export function manifestSha256(items: readonly ManifestItem[]): string {
  return createHash('sha256').update(manifestText(items), 'utf8').digest('hex');
}

/**
 * Groups the files by their leading folders, as deep as possible while the groups stay at most `maxGroups`
 * (at least one level: a case imported from one folder still shows that folder's subfolders).
 */
export function groupEvidence(items: readonly ManifestItem[], maxGroups = MAX_GROUPS): EvidenceGroup[] {
  if (items.length === 0) return [];
  const split = items.map((i) => ({ item: i, ends: levelEnds(i.path) }));
  const deepest = Math.max(...split.map((s) => s.ends.length));
  // A file's group at a depth: its path up to the end of that folder level (its deepest folder if shallower).
  const keyAt = (s: { item: ManifestItem; ends: number[] }, depth: number) => (s.ends.length ? s.item.path.slice(0, s.ends[Math.min(depth, s.ends.length) - 1]) : '.');
  let depth = 1;
  for (let d = 1; d <= deepest; d++) {
    const keys = new Set(split.map((s) => keyAt(s, d)));
    if (keys.size > maxGroups) break;
    depth = d;
  }
  const groups = new Map<string, ManifestItem[]>();
  for (const s of split) {
    const key = keyAt(s, depth);
    const list = groups.get(key);
    if (list) list.push(s.item);
    else groups.set(key, [s.item]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, list]) => ({
      prefix,
      files: list.filter((i) => !i.archive).length,
      archives: list.filter((i) => i.archive).length,
      bytes: list.reduce((n, i) => n + (i.given === false ? 0 : i.size), 0),
      events: list.reduce((n, i) => n + i.events, 0),
      incomplete: list.filter((i) => !i.complete).length,
      outOfScope: list.reduce((n, i) => n + (i.outOfScope ?? 0), 0),
      unreadable: list.reduce((n, i) => n + (i.unreadable ?? 0), 0),
      manifestSha256: manifestSha256(list),
    }));
}
