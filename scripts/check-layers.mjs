#!/usr/bin/env node
// Enforces the layer rules of docs/architecture.md: a wrong import fails `npm test` (and CI), not a review.
// Rules are data so the test beside this file can check them on a made-up tree.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_BUILTIN = /^node:|^(fs|path|os|crypto|zlib|stream|worker_threads|child_process|url|util|events|buffer|http|https|net|readline)(\/|$)/;

/** Each rule: files under `dir` may not import specifiers matching `deny` (package names or repo folders). */
export const RULES = [
  { dir: 'shared/', denyPackages: [/^electron$/, /^react/, NODE_BUILTIN, /^better-sqlite3$/], denyFolders: ['electron/', 'renderer/'], why: 'shared is imported by every runtime and imports nothing of ours' },
  { dir: 'electron/core/', denyPackages: [/^electron$/, /^react/], denyFolders: ['electron/main/', 'electron/preload/', 'electron/cli/', 'renderer/'], why: 'core runs under plain Node (CLI, workers, tests)' },
  { dir: 'electron/db/', denyPackages: [/^electron$/, /^react/], denyFolders: ['electron/main/', 'electron/preload/', 'electron/cli/', 'electron/core/', 'renderer/'], why: 'db is the lowest node layer' },
  { dir: 'electron/workers/', denyPackages: [/^electron$/, /^react/], denyFolders: ['electron/main/', 'electron/preload/', 'electron/cli/', 'renderer/'], why: 'workers are thin shells over core' },
  { dir: 'electron/cli/', denyPackages: [/^electron$/, /^react/], denyFolders: ['electron/main/', 'electron/preload/', 'renderer/'], why: 'the CLI calls core and never needs Electron' },
  { dir: 'electron/preload/', denyPackages: [/^react/, NODE_BUILTIN], denyFolders: ['electron/core/', 'electron/db/', 'electron/main/', 'renderer/'], why: 'preload exposes only the shared contract' },
  { dir: 'electron/main/', denyPackages: [/^react/], denyFolders: ['renderer/'], why: 'main never bundles renderer code' },
  { dir: 'renderer/', denyPackages: [/^electron$/, NODE_BUILTIN, /^better-sqlite3$/], denyFolders: ['electron/'], why: 'the renderer talks to the core only through the shared IPC contract' },
];

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Returns the import specifiers of a source text. */
export function importsOf(text) {
  const found = [];
  for (const m of text.matchAll(IMPORT_RE)) found.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return found;
}

/** Checks one file (path relative to root, with forward slashes); returns the violations as sentences. */
export function checkFile(relPath, text) {
  const rule = RULES.find((r) => relPath.startsWith(r.dir));
  if (!rule) return [];
  const problems = [];
  for (const spec of importsOf(text)) {
    if (spec.startsWith('.')) {
      const target = join(dirname(relPath), spec).split(sep).join('/');
      const bad = rule.denyFolders.find((f) => target.startsWith(f) || `${target}/`.startsWith(f));
      if (bad) problems.push(`${relPath}: imports '${spec}' (${bad}) — ${rule.why}`);
    } else if (rule.denyPackages.some((re) => re.test(spec))) {
      problems.push(`${relPath}: imports '${spec}' — ${rule.why}`);
    }
  }
  return problems;
}

function* sourceFiles(root, dir) {
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(root, rel)).isDirectory()) yield* sourceFiles(root, rel);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) yield rel;
  }
}

/** Checks every source file under the layered folders of `root`. */
export function checkTree(root) {
  const problems = [];
  for (const top of ['shared', 'electron', 'renderer']) {
    try { statSync(join(root, top)); } catch { continue; }
    for (const rel of sourceFiles(root, top)) problems.push(...checkFile(rel, readFileSync(join(root, rel), 'utf8')));
  }
  return problems;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkTree(root);
  if (problems.length) {
    console.error(`Layer rules broken (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.error(`layers: ok (${relative(process.cwd(), root) || '.'})`);
}
