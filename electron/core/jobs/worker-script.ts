import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The file of a worker by name (`parse` → `parse.worker`). In source it is `electron/workers/NAME.worker.ts`
 * (run under tsx, which workers inherit through execArgv); in the build every bundle sits in `out/<entry>/`
 * and workers in `out/workers/NAME.worker.js`.
 */
export function workerScript(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', '..', 'workers', `${name}.worker.ts`),
    join(here, '..', 'workers', `${name}.worker.js`),
    join(here, 'workers', `${name}.worker.js`),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`worker '${name}' not found (looked in ${candidates.join(', ')})`);
  // Packaged Electron: start the unpacked copy (electron-builder.yml unpacks out/workers) rather than a path inside app.asar.
  const marker = `${sep}app.asar${sep}`;
  const unpacked = found.replace(marker, `${sep}app.asar.unpacked${sep}`);
  return unpacked !== found && existsSync(unpacked) ? unpacked : found;
}

/**
 * Starts a worker from its script. A TypeScript worker (source checkout, tests) is started through a small
 * bootstrap that registers tsx first: Node 20 does not apply `--import` hooks to a worker's entry file.
 */
export function startWorker(script: string, workerData?: unknown): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData });
  const url = pathToFileURL(script).href;
  // tsx as this checkout has it: an eval'd worker would otherwise resolve the bare name from the current folder, and
  // a `crossline` run from anywhere else failed every file with "Cannot find package 'tsx'".
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
