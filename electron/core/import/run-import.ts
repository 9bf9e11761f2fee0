import type { ImportMessage, ImportRequest } from '../../workers/import-protocol';
import { startWorker, workerScript } from '../jobs/worker-script';
import type { ImportProgress, ImportResult } from './import-evidence';

export interface RunImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Aborting asks the worker to stop: files in flight are dropped, the import is recorded as cancelled. */
  signal?: AbortSignal;
  workers?: number;
}

/** How long a cancelled import may take to wind down before its thread is terminated. */
const CANCEL_GRACE_MS = 10_000;

/**
 * Imports evidence into a case file in a worker thread with its own connection (the single writer), so the
 * caller's thread (Electron's main process, the bridge) stays responsive. Resolves with the import's result,
 * also when cancelled (status `cancelled`); rejects when the import fails.
 */
export function runImport(caseFile: string, paths: string[], options: RunImportOptions = {}): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(workerScript('import'), { caseFile, paths, workers: options.workers });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ImportRequest);
      killTimer = setTimeout(() => {
        void worker.terminate();
        finish(() => reject(new Error('import cancelled (the worker did not stop in time and was terminated)')));
      }, CANCEL_GRACE_MS);
      killTimer.unref();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: ImportMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`import worker exited with code ${code}`))));
  });
}
