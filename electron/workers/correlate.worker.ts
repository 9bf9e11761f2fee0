// A thin shell over core: open the case on this thread's own connection, correlate, report.
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
  try {
    const settings = readCorrelationSettings(db);
    const stats = await correlate(db, settings, defaultCorrelateDeps(settings), (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', stats });
  } finally {
    db.close();
  }
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
