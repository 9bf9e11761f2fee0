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
}

export interface EvidenceGroup {
  /** The folder (or archive) the group's files share, `/`-separated, as imported. */
  prefix: string;
  files: number;
  bytes: number;
  events: number;
  incomplete: number;
  /** SHA-256 of the group's manifest lines (see manifestText). */
  manifestSha256: string;
}

/** At most this many groups are printed; the folder depth is chosen to stay under it. */
export const MAX_GROUPS = 40;

/** Path segments: folders, and archive members (`a.zip!/x/y.json`) as one more level. */
function segments(path: string): string[] {
  return path.split(/!\/|[/\\]/).filter((s) => s.length > 0);
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
  const split = items.map((i) => ({ item: i, parts: segments(i.path) }));
  const deepest = Math.max(...split.map((s) => s.parts.length - 1));
  const rooted = items.some((i) => i.path.startsWith('/'));
  const keyAt = (parts: string[], depth: number) => `${rooted ? '/' : ''}${parts.slice(0, Math.min(depth, parts.length - 1)).join('/')}` || '.';
  let depth = 1;
  for (let d = 1; d <= deepest; d++) {
    const keys = new Set(split.map((s) => keyAt(s.parts, d)));
    if (keys.size > maxGroups) break;
    depth = d;
  }
  const groups = new Map<string, ManifestItem[]>();
  for (const s of split) {
    const key = keyAt(s.parts, depth);
    const list = groups.get(key);
    if (list) list.push(s.item);
    else groups.set(key, [s.item]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, list]) => ({
      prefix,
      files: list.length,
      bytes: list.reduce((n, i) => n + i.size, 0),
      events: list.reduce((n, i) => n + i.events, 0),
      incomplete: list.filter((i) => !i.complete).length,
      manifestSha256: manifestSha256(list),
    }));
}
