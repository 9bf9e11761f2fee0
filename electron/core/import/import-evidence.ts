import { fingerprintScheme } from '../../db/repos/case-meta-repo';
import { availableParallelism } from 'node:os';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { ImportProblem, ImportStats } from '../../../shared/domain/evidence';
import { CASE_EXTENSION } from '../../db/connection';
import { CaseWriter } from '../../db/repos/case-writer';
import { recordRealInputs } from '../../db/repos/import-history-repo';
import { foldCase, realPathOf } from '../../db/real-paths';
import type { ParseMessage, ParseRequest } from '../../workers/parse-protocol';
import { startWorker as spawnWorker, workerScript } from '../jobs/worker-script';
import { DEFAULT_LIMITS, type ImportLimits } from './limits';
import { StreamedMemberFeed } from './streamed-member-feed';
import { labelInputs } from './evidence-labels';
import { walkEvidence } from './walk-evidence';

/** Progress of an import, for a progress bar or a stderr line. */
export interface ImportProgress {
  files: number;
  events: number;
  /** Bytes of the given evidence done / in all (top-level files, as stored). */
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Estimated ms left; null until there is a rate to go by. */
  etaMs: number | null;
  current: string | null;
  /**
   * `reading` the evidence, then `indexing`: after a bulk import the case's indexes are built in one go, which takes
   * a fifth of the time (a few seconds a million events) with nothing else to report.
   */
  phase: 'reading' | 'indexing';
}

export interface ImportOptions {
  limits?: ImportLimits;
  /** Parse workers; defaults to the number of cores. */
  workers?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Aborting stops dispatching, lets nothing half-written stay, and marks the import cancelled. */
  signal?: AbortSignal;
}

export interface ImportResult {
  importId: number;
  status: 'complete' | 'cancelled';
  stats: ImportStats;
  problems: ImportProblem[];
}

interface Job {
  id: number;
  label: string;
  parentId: number | null;
  sourceId: number | null;
  inserted: number;
  received: number;
  slot: Slot;
  /** Top-level file size, counted into progress when done. */
  topLevel: boolean;
  /** The raw block that is the file itself, once stored. */
  sharedBlock: { blockId: number | bigint | null };
  /** A streamed archive member: its bytes go to the worker as it pulls them. */
  feed?: StreamedMemberFeed;
  /** Bytes of an archive member handed over whole, held until the job ends. */
  heldBytes: number;
}

interface Slot {
  worker: Worker;
  jobs: Set<Job>;
}

/**
 * Files queued per worker: while the writer stores one, the worker is already parsing the next, and it never waits
 * for this thread to hand it more (it parses three at a time; see parse.worker.ts).
 */
const JOBS_PER_WORKER = 12;

/**
 * Imports evidence into an open case: parsing runs in worker threads, this thread is the single writer.
 * Bad files are reported and skipped; the rest goes on. Safe to re-run: stored events are deduplicated.
 */
export async function importEvidence(db: Database.Database, paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const scheme = fingerprintScheme(db);
  // Found before the writer starts: a missing worker build then fails the import without leaving it `running`.
  const script = workerScript('parse');
  // Before the writer takes its lock: a small write of its own (the labels' roots, see evidence-labels.ts).
  const { labels, reals, rootLabel } = labelInputs(db, paths);
  const writer = new CaseWriter(db, paths);
  // What the run was given, by real path: an unfinished run is matched against later complete ones by it.
  recordRealInputs(db, writer.importId, reals);
  const stats: ImportStats = { events: 0, duplicates: 0, skipped: 0, errors: 0, files: 0, bytes: 0 };
  const problems: ImportProblem[] = [];
  const started = Date.now();
  // Summed beside the import rather than before it (stat-ing thousands of files takes a noticeable moment):
  // progress has no percentage and no ETA until it is known.
  let bytesTotal = 0;
  const skipFile = isCaseFile(db.name);
  void totalSize(paths, skipFile).then((total) => (bytesTotal = total));
  let bytesDone = 0;
  let current: string | null = null;
  const sourceIds = new Map<string, number>();
  const archiveFormats = new Map<string, string>();

  const report = (file: string, position: string | null, reason: string) => {
    problems.push({ file, position, reason } as ImportProblem);
    writer.problem(file, position, reason);
  };
  let phase: ImportProgress['phase'] = 'reading';
  const progress = (): ImportProgress => {
    const elapsedMs = Date.now() - started;
    const rate = bytesDone / Math.max(elapsedMs, 1);
    return {
      files: stats.files, events: stats.events, bytesDone, bytesTotal, elapsedMs,
      eventsPerSecond: Math.round((stats.events + stats.duplicates) / Math.max(elapsedMs / 1000, 0.001)),
      etaMs: bytesDone > 0 && bytesTotal > bytesDone ? Math.round((bytesTotal - bytesDone) / rate) : null,
      current,
      phase,
    };
  };
  let lastProgress = 0;
  const tick = () => {
    const now = Date.now();
    if (options.onProgress && now - lastProgress >= 250) {
      lastProgress = now;
      options.onProgress(progress());
    }
  };

  const count = Math.max(1, options.workers ?? availableParallelism());
  const slots: Slot[] = [];
  const jobs = new Map<number, Job>();
  let nextJobId = 1;
  // Members held in memory are queued only while their total stays under this (one more waits, held by the
  // walker), so a zip of many 15 MiB members never has six of them in the queues at once. Small members (the
  // usual S3 deliveries) still fill every worker's queue.
  const heldBudget = 2 * limits.maxBufferedMemberBytes;
  let heldBytes = 0;
  let freeWaiter: (() => void) | null = null;
  let fatal: Error | null = null;
  const wakeDispatcher = () => {
    const w = freeWaiter;
    freeWaiter = null;
    w?.();
  };

  const finishJob = (job: Job) => {
    job.feed?.stop();
    heldBytes -= job.heldBytes;
    jobs.delete(job.id);
    job.slot.jobs.delete(job);
    stats.files++;
    wakeDispatcher();
    tick();
  };

  const onMessage = (msg: ParseMessage) => {
    const job = jobs.get(msg.jobId);
    if (!job) return;
    if (msg.type === 'pull') {
      job.feed?.pull();
      return;
    }
    try {
      if (msg.type === 'error') {
        report(job.label, null, `internal error while parsing this file: ${msg.message.split('\n')[0]}`);
        stats.errors++;
        finishJob(job);
        return;
      }
      job.sourceId ??= writer.openSource({ path: job.label, parentId: job.parentId });
      const inserted = writer.writeEvents(job.sourceId, msg, job.sharedBlock);
      job.inserted += inserted;
      job.received += msg.ordinals.length;
      stats.events += inserted;
      stats.duplicates += msg.ordinals.length - inserted;
      for (const p of msg.problems) report(job.label, p.position, p.reason);
      if (msg.summary) {
        const s = msg.summary;
        writer.finishSourceRow(job.sourceId, { path: job.label, parentId: job.parentId }, {
          size: s.size, sha256: s.sha256, format: s.format, events: job.inserted, duplicates: job.received - job.inserted, skipped: s.skipped, errors: s.errors,
        });
        stats.skipped += s.skipped;
        stats.errors += s.errors;
        stats.bytes += s.size;
        if (job.topLevel) bytesDone += s.size;
        finishJob(job);
        writer.maybeCommit([...jobs.values()].every((j) => j.sourceId === null));
      } else {
        job.slot.worker.postMessage({ type: 'ack', jobId: job.id } satisfies ParseRequest);
        writer.maybeCommit(false);
      }
      tick();
    } catch (err) {
      fatal = err as Error;
      wakeDispatcher();
    }
  };

  const startWorker = (): Slot => {
    const slot: Slot = { worker: spawnWorker(script), jobs: new Set() };
    slot.worker.on('message', onMessage);
    // A crashed worker loses only its file: report it and carry on with a fresh worker in its place.
    const onDeath = (reason: string) => {
      const index = slots.indexOf(slot);
      if (index < 0) return;
      for (const job of [...slot.jobs]) {
        report(job.label, null, `internal error while parsing this file: ${reason}`);
        stats.errors++;
        finishJob(job);
      }
      slots[index] = startWorker();
      wakeDispatcher();
    };
    slot.worker.on('error', (err) => onDeath(err.message));
    slot.worker.on('exit', (code) => {
      if (code !== 0) onDeath(`worker exited with code ${code}`);
    });
    return slot;
  };

  const freeSlot = async (bytes: number): Promise<Slot> => {
    for (;;) {
      if (fatal) throw fatal;
      // The least busy worker with room, so both cores stay fed.
      let slot: Slot | undefined;
      for (const s of slots) if (s.jobs.size < JOBS_PER_WORKER && (!slot || s.jobs.size < slot.jobs.size)) slot = s;
      if (slot && (bytes === 0 || heldBytes === 0 || heldBytes + bytes <= heldBudget)) return slot;
      await new Promise<void>((r) => (freeWaiter = r));
    }
  };

  let status: 'complete' | 'cancelled' = 'complete';
  // A cancel must not wait for a streamed member to be read to its end.
  options.signal?.addEventListener('abort', wakeDispatcher);
  try {
    for (let i = 0; i < count; i++) slots.push(startWorker());
    walk: for await (const item of walkEvidence(paths, limits, skipFile, labels, rootLabel)) {
      if (options.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      if (fatal) throw fatal;
      switch (item.kind) {
        case 'problem':
          report(item.label, null, item.reason);
          stats.errors++;
          break;
        case 'ignored':
          stats.skipped++;
          break;
        case 'archive-start':
          archiveFormats.set(item.label, item.format);
          sourceIds.set(item.label, writer.openSource({ path: item.label, parentId: item.parent ? sourceIds.get(item.parent) ?? null : null }));
          current = item.label;
          break;
        case 'archive-end': {
          const id = sourceIds.get(item.label)!;
          writer.finishSourceRow(id, { path: item.label, parentId: null }, { size: item.size, sha256: item.sha256, format: archiveFormats.get(item.label) ?? null, events: 0, duplicates: 0, skipped: 0, errors: 0 });
          if (!item.label.includes('!/')) {
            bytesDone += item.size;
            stats.bytes += item.size;
          }
          break;
        }
        case 'file': {
          const held = item.bytes?.byteLength ?? 0;
          const slot = await freeSlot(held);
          const job: Job = { id: nextJobId++, label: item.label, parentId: item.parent ? sourceIds.get(item.parent) ?? null : null, sourceId: null, inserted: 0, received: 0, slot, topLevel: item.parent === null, sharedBlock: { blockId: null }, heldBytes: held };
          heldBytes += held;
          jobs.set(job.id, job);
          slot.jobs.add(job);
          current = item.label;
          if (item.stream) {
            job.feed = new StreamedMemberFeed(item.stream, job.id, (message, transfer) => slot.worker.postMessage(message, transfer), wakeDispatcher);
            slot.worker.postMessage({ type: 'parse', jobId: job.id, label: item.label, streamed: true, limits, scheme } satisfies ParseRequest);
            // The walker cannot go on until this member is read: wait while the worker pulls it (other files finish meanwhile).
            while (!job.feed.isDone && !fatal && !options.signal?.aborted) await new Promise<void>((r) => (freeWaiter = r));
            if (fatal) throw fatal;
            if (options.signal?.aborted) {
              status = 'cancelled';
              break walk; // before the walker resumes: it would read the rest of the member just to skip it
            }
            break;
          }
          const request: ParseRequest = { type: 'parse', jobId: job.id, label: item.label, path: item.path, bytes: item.bytes, limits, scheme };
          slot.worker.postMessage(request, item.bytes ? [item.bytes.buffer as ArrayBuffer] : []);
          break;
        }
      }
      tick();
    }
    // Let in-flight files finish; a cancelled import drops them (their transaction is rolled back below).
    while (status === 'complete' && jobs.size > 0) {
      if (fatal) throw fatal;
      await new Promise<void>((r) => (freeWaiter = r));
    }
    if (fatal) throw fatal;
  } catch (err) {
    writer.finish('failed', stats);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', wakeDispatcher);
    slots.splice(0).forEach((s) => void s.worker.terminate());
  }
  if (writer.bulk) {
    phase = 'indexing';
    current = null;
    options.onProgress?.(progress());
  }
  if (status === 'cancelled') {
    // Files still in flight are incomplete; their rows stay marked incomplete and a re-run completes them.
    writer.finish('cancelled', stats);
  } else {
    writer.finish('complete', stats);
  }
  options.onProgress?.(progress());
  return { importId: writer.importId, status, stats, problems };
}

/**
 * Whether a file is the case being written or one of its journals: a case kept in its evidence folder (or given as
 * evidence) is not evidence, and half written besides. Real paths compare, so a symlinked folder is no way round.
 */
function isCaseFile(caseFile: string): (abs: string) => boolean {
  if (caseFile === ':memory:' || caseFile === '') return () => false;
  // Case-insensitive where the file system usually is (macOS, Windows): CASE.crossline there is case.crossline. A journal
  // not there yet, or a folder that cannot be read, is compared as given.
  const fold = foldCase;
  const real = (p: string) => fold(realPathOf(p) ?? resolve(p));
  const target = real(caseFile);
  const names = new Set(['', '-wal', '-shm', '-journal'].map((suffix) => target + suffix));
  // Only a name like the case's, or any case's, is resolved (a symlink to the case may be named otherwise): one realpath
  // for a handful of files, not thousands.
  const base = fold(basename(caseFile));
  return (abs) => {
    const name = fold(basename(abs));
    return (name.startsWith(base) || name.includes(CASE_EXTENSION)) && names.has(real(abs));
  };
}

/**
 * Sum of the sizes of every file under the given paths, for the ETA. Synchronous calls, a few hundred at a time
 * between turns of the event loop: an awaited `fs.stat` per file cost the writer's thread 0.3-0.4 s on the bench's
 * 8,126 files (a thread-pool round trip each), the synchronous walk 40-70 ms, and the import is not held up meanwhile.
 */
async function totalSize(paths: string[], skipFile: (abs: string) => boolean): Promise<number> {
  let total = 0;
  let calls = 0;
  const seen = new Set<string>();
  const pending = paths.map((p) => resolve(p)).reverse();
  while (pending.length > 0) {
    const p = pending.pop()!;
    if (++calls % 256 === 0) await new Promise<void>((r) => setImmediate(r));
    try {
      const st = statSync(p);
      if (st.isDirectory()) {
        const real = realpathSync(p);
        if (seen.has(real)) continue;
        seen.add(real);
        const names = readdirSync(p);
        for (let i = names.length - 1; i >= 0; i--) pending.push(join(p, names[i]!));
      } else if (st.isFile() && !skipFile(p)) {
        total += st.size;
      }
    } catch {
      // reported by the walker
    }
  }
  return total;
}
