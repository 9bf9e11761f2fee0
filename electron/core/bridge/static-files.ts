import { existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { MIME_TYPES } from '../security';

/** A file of the built renderer to send, or why not. */
export type StaticHit = { kind: 'file'; file: string; type: string; isPage: boolean } | { kind: 'missing' } | { kind: 'bad' };

/**
 * Maps a URL path to a file inside `root` (the built renderer), refusing anything that would leave it:
 * `..` segments, encoded separators, NUL, symlinks pointing outside. Paths without an extension that match
 * no file are the single-page app's own routes and get index.html.
 */
export function resolveStatic(root: string, urlPath: string): StaticHit {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad' };
  const base = resolve(root);
  const rel = normalize(decoded).replace(/^[/\\]+/, '');
  if (rel.split(/[/\\]/).includes('..')) return { kind: 'bad' };
  let file = resolve(base, rel === '' ? 'index.html' : rel);
  if (file !== base && !file.startsWith(base + sep)) return { kind: 'bad' };
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    if (extname(rel) !== '') return { kind: 'missing' };
    file = join(base, 'index.html');
    if (!existsSync(file)) return { kind: 'missing' };
  }
  const real = realpathSync(file);
  const realBase = realpathSync(base);
  if (real !== realBase && !real.startsWith(realBase + sep)) return { kind: 'bad' };
  const ext = extname(file).toLowerCase();
  return { kind: 'file', file: real, type: MIME_TYPES[ext] ?? 'application/octet-stream', isPage: ext === '.html' };
}
