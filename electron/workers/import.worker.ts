// A thin shell over core: open the case on this thread's own connection (the single writer), import, report.
// Its parse workers are nested worker threads; `cancel` stops dispatching and marks the import cancelled.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/connection';
import { importEvidence } from '../core/import/import-evidence';
import type { ImportJob, ImportMessage, ImportRequest } from './import-protocol';

const port = parentPort!;
const job = workerData as ImportJob;
const post = (m: ImportMessage) => port.postMessage(m);
const controller = new AbortController();
port.on('message', (m: ImportRequest) => {
  if (m.type === 'cancel') controller.abort();
});

try {
  const db = openCase(job.caseFile, { create: false });
  try {
    const result = await importEvidence(db, job.paths, { workers: job.workers, signal: controller.signal, onProgress: (progress) => post({ type: 'progress', progress }) });
    post({ type: 'done', result });
  } finally {
    db.close();
  }
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
// The cancel listener keeps the thread alive: let it end now that the work is done.
port.unref();
