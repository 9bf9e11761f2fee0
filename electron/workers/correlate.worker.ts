// A thin shell over core: open the case on this thread's own connection, correlate, report.
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/connection';
import { readCorrelationSettings } from '../db/repos/settings-repo';
import { correlate } from '../core/correlate/correlate';
import { defaultCorrelateDeps } from '../core/correlate/default-deps';
import type { CorrelateJob, CorrelateMessage } from './correlate-protocol';

const port = parentPort!;
const job = workerData as CorrelateJob;
const post = (m: CorrelateMessage) => port.postMessage(m);
try {
  const db = openCase(job.caseFile, { create: false });
  // The baseline and coverage passes are GROUP BYs over every event: SQLite's sorter may use every core for them
  // (nothing else runs in a correlation).
  db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
  try {
    const settings = readCorrelationSettings(db);
    const stats = correlate(db, settings, defaultCorrelateDeps(settings), (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', stats });
  } finally {
    db.close();
  }
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
