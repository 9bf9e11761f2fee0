#!/usr/bin/env node
// Bundles the Node side (CLI, workers; main and preload once they exist) with esbuild into out/.
// better-sqlite3 stays external: it is a native module, rebuilt for Electron only when packaging.
import { build } from 'esbuild';
import { cpSync, existsSync, rmSync } from 'node:fs';

const entries = {
  'cli/crossline': 'electron/cli/main.ts',
  'workers/parse.worker': 'electron/workers/parse.worker.ts',
  'workers/correlate.worker': 'electron/workers/correlate.worker.ts',
};
for (const [out, src] of Object.entries({ 'main/main': 'electron/main/main.ts', 'preload/preload': 'electron/preload/preload.ts' })) {
  if (existsSync(src)) entries[out] = src;
}
rmSync('out', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'out',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['better-sqlite3', 'electron'],
  // Bundled ESM still meets CommonJS dependencies that call require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'info',
});
cpSync('electron/db/migrations', 'out/db/migrations', { recursive: true });
console.error('build: out/ ready');
