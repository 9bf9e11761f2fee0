// The analyst's name, recorded in annotations and the audit log. Set once per install: the service stores it in
// `<dataDir>/analyst.json` the first time and reads it from there afterwards. The CLI takes `--analyst NAME`, then
// the environment's CROSSLINE_ANALYST, then the OS user name.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const ANALYST_FILE = 'analyst.json';
const MAX_NAME = 200;

/** A name as recorded: control characters become spaces, trimmed, at most 200 characters. */
export function cleanAnalystName(s: string | undefined | null): string {
  return (s ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, MAX_NAME);
}

function writeAnalystFile(dataDir: string, name: string): void {
  writeFileSync(join(dataDir, ANALYST_FILE), `${JSON.stringify({ name, setAt: new Date().toISOString() })}\n`);
}

/** A name as given (`--analyst`, the environment), else the OS user name, else "analyst". */
export function defaultAnalyst(given?: string | null): string {
  const explicit = cleanAnalystName(given) || cleanAnalystName(process.env.CROSSLINE_ANALYST);
  if (explicit) return explicit;
  try {
    return cleanAnalystName(userInfo().username) || 'analyst';
  } catch {
    return cleanAnalystName(process.env.USER ?? process.env.USERNAME) || 'analyst';
  }
}

/** Stores the install's analyst name (the app's settings); returns the name as stored. */
export function storeAnalyst(dataDir: string, name: string): string {
  const clean = cleanAnalystName(name);
  if (!clean) throw new Error('the analyst name must not be empty');
  writeAnalystFile(dataDir, clean);
  return clean;
}

/**
 * The install's analyst: the stored name in `<dataDir>/analyst.json`, or (the first time) `defaultAnalyst(given)`,
 * which is then stored.
 */
export function installAnalyst(dataDir: string, given?: string | null): string {
  const file = join(dataDir, ANALYST_FILE);
  if (existsSync(file)) {
    try {
      const stored = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
      if (typeof stored === 'string' && stored.trim()) return stored.trim().slice(0, MAX_NAME);
    } catch {
      // unreadable: written again below
    }
  }
  const name = defaultAnalyst(given);
  try {
    writeAnalystFile(dataDir, name);
  } catch {
    // a read-only data folder: the name still applies to this run
  }
  return name;
}
