// Where the app's own files are: the repository root in a checkout, the app folder once packaged. This module
// sits at electron/core/ in source and is bundled into out/<entry>/, two levels below the root either way.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SampleId } from '../../shared/domain/samples';

let root: string | undefined;

/** The folder holding package.json, resources/ and out/. */
export function appRoot(): string {
  if (root) return root;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', '..'), resolve(here, '..', '..', '..'), resolve(here, '..')];
  root = candidates.find((c) => existsSync(join(c, 'package.json')) && existsSync(join(c, 'resources'))) ?? candidates[0]!;
  return root;
}

/**
 * A path under the app root, moved out of Electron's app.asar when electron-builder unpacked it there
 * (worker threads read these files with plain fs).
 */
export function appFile(...parts: string[]): string {
  const p = join(appRoot(), ...parts);
  const marker = `${sep}app.asar${sep}`;
  if (p.includes(marker)) {
    const unpacked = p.replace(marker, `${sep}app.asar.unpacked${sep}`);
    if (existsSync(unpacked)) return unpacked;
  }
  return p;
}

/** A bundled sample's evidence folder (see shared/domain/samples.ts). */
export function sampleEvidenceDir(sample: SampleId): string {
  return appFile('resources', 'samples', sample);
}

/** The built renderer (vite output), served by the app:// protocol and by the loopback bridge. */
export function rendererDir(): string {
  return appFile('out', 'renderer');
}

/** The app's version from package.json. */
export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
