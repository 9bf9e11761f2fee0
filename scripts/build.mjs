#!/usr/bin/env node
// Builds the Node side of the app into out/ (`npm run build` then builds the renderer with vite):
//   out/cli, out/workers, out/main   esbuild bundles (ESM; better-sqlite3 and electron stay external)
//   out/preload/preload.cjs          the sandboxed preload (CommonJS: a sandboxed preload cannot be an ES module)
//   out/db/migrations                the schema steps, read at run time
// Only the folders it writes are replaced: out/renderer (vite) and out/types (tsc) stay.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';

const entries = {
  'cli/crossline': 'electron/cli/main.ts',
  'workers/parse.worker': 'electron/workers/parse.worker.ts',
  'workers/correlate.worker': 'electron/workers/correlate.worker.ts',
  'workers/import.worker': 'electron/workers/import.worker.ts',
  'main/main': 'electron/main/main.ts',
};
for (const dir of ['out/cli', 'out/workers', 'out/main', 'out/preload', 'out/db']) rmSync(dir, { recursive: true, force: true });
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
// The preload runs sandboxed: no Node, only `require('electron')` for contextBridge / ipcRenderer / webUtils.
await build({
  entryPoints: { 'preload/preload': 'electron/preload/preload.ts' },
  outdir: 'out',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['electron'],
  logLevel: 'info',
});
cpSync('electron/db/migrations', 'out/db/migrations', { recursive: true });

console.error('build: out/ ready (node side)');
