// Where an export may be written. An export is a new file the analyst hands over; it must never take the place of
// what it describes: the case file, the evidence the case was imported from, or (unless asked) any existing file,
// such as last week's signed report.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { realPathOf } from '../../db/real-paths';
import { dirname, resolve } from 'node:path';
import { evidenceRoots } from '../import/evidence-labels';

/** A refused export target: the message says what the file is and what to do. */
export class ExportTargetError extends Error {
  /** `exists`: an ordinary file is there, which the analyst may choose to replace; `refused`: never written over. */
  constructor(readonly kind: 'exists' | 'refused', message: string) {
    super(message);
  }
}

/**
 * Throws unless `out` may be written: never a case file (this one, its journals, or any other `.crossline`), never into
 * the evidence (a new file inside a folder the case was imported from, or an existing file with the size and SHA-256 of
 * one of its evidence files, wherever it lies), and over an existing file only with `overwrite`.
 */
export function checkExportTarget(db: Database.Database, caseFile: string, out: string, overwrite = false): void {
  const path = resolve(out);
  // Compared as given and as real paths: a symlink named report.pdf may point at the case, whatever the case is called.
  const caseReal = realOr(resolve(caseFile));
  const caseFiles = new Set(['', '-wal', '-shm', '-journal'].flatMap((suffix) => [`${resolve(caseFile)}${suffix}`, `${caseReal}${suffix}`]));
  const target = realOr(path);
  if (caseFiles.has(path) || caseFiles.has(target) || CASE_NAME.test(path) || CASE_NAME.test(target)) {
    throw new ExportTargetError('refused', `refusing to write an export over a case file: ${path}${target !== path ? ` (${target})` : ''}`);
  }
  let size: number | null = null;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ExportTargetError('refused', `${path} is a folder; give the export a file name`);
    size = st.size;
  } catch (err) {
    if (err instanceof ExportTargetError) throw err; // otherwise nothing is there yet
  }
  if (size !== null && isEvidence(db, path, size)) {
    throw new ExportTargetError('refused', `refusing to write an export over evidence of this case: ${path} (evidence is read, never changed); choose another name`);
  }
  // Not even a new file among the evidence: the folder stays as it was received, and a later import of it would read
  // the export as evidence.
  const folder = realOr(dirname(path));
  const root = evidenceRoots(db).find((r) => r.contains(folder) || r.contains(target));
  if (root) {
    throw new ExportTargetError('refused', `refusing to write an export into the evidence: ${path} is inside ${root.real}, which this case was imported from; choose a folder outside it`);
  }
  if (size !== null && !overwrite) throw new ExportTargetError('exists', `${path} already exists; choose another name, or replace it`);
}

const CASE_NAME = /\.crossline(-wal|-shm|-journal)?$/i;

/** The real path (symlinks resolved), or the path itself when there is nothing there yet. */
const realOr = (path: string): string => realPathOf(path) ?? path;

function isEvidence(db: Database.Database, path: string, size: number): boolean {
  const real = realOr(path);
  if (evidenceRoots(db).some((root) => root.contains(real))) return true;
  // Evidence imported before the case recorded where it came from, or copied elsewhere: known by its content.
  const hashes = db.prepare('SELECT DISTINCT sha256 FROM evidence_sources WHERE size = ? AND sha256 <> \'\'').pluck().all(size) as string[];
  return hashes.length > 0 && hashes.includes(sha256Of(path));
}

function sha256Of(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * A file written beside its target and renamed into place once whole: every export (exportCase's stream, a PDF printed
 * by Chromium or Electron, which write to the path they are given). A failed export leaves the old file as it was, and a
 * symlink at the target is replaced, never written through.
 */
export function stagedOutput(out: string): { tmp: string; commit(): void; discard(): void } {
  const tmp = `${resolve(out)}.partial-${process.pid}`;
  return {
    tmp,
    commit() {
      if (!existsSync(tmp) || statSync(tmp).size === 0) throw new Error(`nothing was written for ${out}`);
      renameSync(tmp, resolve(out));
    },
    discard() {
      rmSync(tmp, { force: true });
    },
  };
}
