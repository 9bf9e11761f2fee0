#!/usr/bin/env node
// `npm start`: builds, then runs the desktop app in Electron when its runtime is installed here; otherwise
// runs the same core and renderer in the browser (`crossline serve`), which opens the page with
// xdg-open / open / start, or prints its address. Extra arguments go to `crossline serve` (e.g. --data DIR).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// `npm run build`: the Node side (scripts/build.mjs), then the renderer (vite). Through the npm that runs us, if any.
const npm = process.env.npm_execpath;
const build = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** The Electron binary npm installed, or why there is none. */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { reason: 'the electron package is not installed' };
  const dist = join(pkg, 'dist');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(dist) || !existsSync(pathFile)) {
    return { reason: 'node_modules/electron/dist is missing: npm skipped the download (ELECTRON_SKIP_BINARY_DOWNLOAD=1) or had no network' };
  }
  const binary = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { binary } : { reason: `${binary} is missing` };
}

const run = (command, args) => {
  const child = spawn(command, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

const electron = electronBinary();
if (electron.binary) {
  run(electron.binary, ['.', ...process.argv.slice(2)]);
} else {
  console.log(`The Electron runtime is not installed here (${electron.reason}); opening Crossline in your browser instead`);
  run(process.execPath, [join(root, 'bin', 'crossline.mjs'), 'serve', ...process.argv.slice(2)]);
}
