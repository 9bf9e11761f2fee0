#!/usr/bin/env node
// Runs the built CLI when there is one that is current (packaged app, after `npm run build`), else the
// TypeScript source through tsx, so a stale build in a checkout never shadows the code beside it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'cli', 'crossline.js');
const sources = join(root, 'electron');

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const useBuilt = existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newestSource(sources));
let mod;
if (useBuilt) {
  mod = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(pathToFileURL(join(root, 'electron', 'cli', 'main.ts')).href);
}
process.exitCode = await mod.main(process.argv.slice(2));
