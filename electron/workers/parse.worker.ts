// A thin shell over core: parse one evidence file per job and stream its events back in batches,
// waiting for the writer's acknowledgement when too many are in flight (bounded memory).
import { parentPort } from 'node:worker_threads';
import { parseEvidenceFile, type FileSummary } from '../core/import/parse-evidence-file';
import { EventBatcher } from '../core/import/event-batcher';
import { BATCH_CREDITS, BATCH_EVENTS, BATCH_RAW_BYTES, type ParseMessage, type ParseRequest } from './parse-protocol';

const port = parentPort!;
const credits = new Map<number, { free: number; wake?: () => void }>();

port.on('message', (msg: ParseRequest) => {
  if (msg.type === 'ack') {
    const c = credits.get(msg.jobId);
    if (c) {
      c.free++;
      c.wake?.();
      c.wake = undefined;
    }
    return;
  }
  void runJob(msg);
});

async function runJob(job: Extract<ParseRequest, { type: 'parse' }>): Promise<void> {
  const credit = { free: BATCH_CREDITS } as { free: number; wake?: () => void };
  credits.set(job.jobId, credit);
  const batcher = new EventBatcher();
  const send = (summary?: FileSummary) => {
    const batch = batcher.take();
    credit.free--;
    const message: ParseMessage = { type: 'batch', jobId: job.jobId, ...batch, ...(summary ? { summary } : {}) };
    port.postMessage(message);
  };
  try {
    const summary = await parseEvidenceFile(
      { label: job.label, path: job.path, bytes: job.bytes },
      {
        event: (event, raw, ordinal, offset) => batcher.add(event, raw, ordinal, offset),
        sourceBlock: (bytes, codec) => batcher.useSourceBlock(bytes, codec),
        problem: (position, reason) => batcher.problem(position, reason),
        drain: async () => {
          if (batcher.size < BATCH_EVENTS && batcher.rawBytes < BATCH_RAW_BYTES) return;
          while (credit.free <= 0) await new Promise<void>((resolve) => (credit.wake = resolve));
          send();
        },
      },
      job.limits,
    );
    send(summary);
  } catch (err) {
    port.postMessage({ type: 'error', jobId: job.jobId, message: (err as Error).stack ?? String(err) } satisfies ParseMessage);
  } finally {
    credits.delete(job.jobId);
  }
}
