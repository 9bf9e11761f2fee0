// A thin shell over core: open the case on this thread's own connection, correlate, report.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/connection';
import { readCorrelationSettings } from '../db/repos/settings-repo';
import { correlate } from '../core/correlate/correlate';
import { defaultCorrelateDeps } from '../core/correlate/default-deps';
import { startCaseScans, type RunningCaseScans } from '../core/correlate/start-case-scans';
import type { CorrelateJob, CorrelateMessage } from './correlate-protocol';

const port = parentPort!;
const job = workerData as CorrelateJob;
const post = (m: CorrelateMessage) => port.postMessage(m);
let scans: RunningCaseScans | undefined;
try {
  const db = openCase(job.caseFile, { create: false });
  try {
    // Started once the case is open (and migrated, should it be older), before the catalogs and geo databases load:
    // the two grouped passes over every event run beside everything else the correlation does.
    scans = startCaseScans(job.caseFile);
    const settings = readCorrelationSettings(db);
    const stats = await correlate(db, settings, { ...defaultCorrelateDeps(settings), scans }, (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', stats });
  } finally {
    scans?.close();
    db.close();
  }
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
