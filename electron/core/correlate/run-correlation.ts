import type { CorrelateProgress, CorrelateStats } from './correlate';
import type { CorrelateMessage } from '../../workers/correlate-protocol';
import { startWorker, workerScript } from '../jobs/worker-script';

export interface RunCorrelationOptions {
  onProgress?: (p: CorrelateProgress) => void;
  /** Aborting terminates the worker; the case keeps the previous run's chains (the write is one transaction). */
  signal?: AbortSignal;
}

/** Correlates a case file in a worker thread, so a window or a CLI progress line stays responsive. */
export function runCorrelation(caseFile: string, options: RunCorrelationOptions = {}): Promise<CorrelateStats> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(workerScript('correlate'), { caseFile });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(new Error('correlation cancelled')));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: CorrelateMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.stats));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`correlation worker exited with code ${code}`))));
  });
}
