#!/usr/bin/env node
// Runs every *.test.ts beside the code (and test/**, minus the Playwright suites) with node's test runner.
// Node 20's --test takes no globs, so the files are listed here. Workers inherit --import tsx from execArgv.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['shared', 'electron', 'scripts', 'test'];
const skip = new Set(['node_modules', 'ui', 'e2e', 'out']);
const files = [];
function walk(dir) {
  let names;
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (!skip.has(name) && !name.startsWith('.')) walk(p); }
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
roots.forEach(walk);
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected.sort()], { stdio: 'inherit' });
process.exit(r.status ?? 1);
