// A thin shell over core: parse one evidence file per job and stream its events back in batches,
// waiting for the writer's acknowledgement when too many are in flight (bounded memory). A streamed file's
// bytes are pulled from the import thread a chunk at a time, as the parse gets to them.
import { parentPort } from 'node:worker_threads';
import { parseEvidenceFile, type FileSummary } from '../core/import/parse-evidence-file';
import { EventBatcher } from '../core/import/event-batcher';
import { ChunkFeed } from './parse-chunk-feed';
import { BATCH_CREDITS, BATCH_EVENTS, BATCH_RAW_BYTES, STREAM_CHUNKS_AHEAD, type ParseMessage, type ParseRequest } from './parse-protocol';

const port = parentPort!;
const credits = new Map<number, { free: number; wake?: () => void }>();
const feeds = new Map<number, ChunkFeed>();

port.on('message', (msg: ParseRequest) => {
  switch (msg.type) {
    case 'ack': {
      const c = credits.get(msg.jobId);
      if (c) {
        c.free++;
        c.wake?.();
        c.wake = undefined;
      }
      return;
    }
    case 'chunk':
      feeds.get(msg.jobId)?.push(msg.bytes);
      return;
    case 'end':
      feeds.get(msg.jobId)?.end(msg.error);
      return;
    case 'parse':
      // A streamed member starts at once: the import thread walks no further until it has been read.
      if (msg.streamed) waiting.unshift(msg);
      else waiting.push(msg);
      startJobs(msg.streamed === true);
  }
});

/**
 * Jobs parsed at once. More files than this wait here (a request is a few bytes), so the worker always has the
 * next file at hand, while the memory of jobs held up by the writer (each up to BATCH_CREDITS batches) stays that
 * of three.
 */
const ACTIVE_JOBS = 3;
const waiting: Extract<ParseRequest, { type: 'parse' }>[] = [];
let active = 0;

/** `now`: start the first waiting job even past ACTIVE_JOBS (a streamed member; there is one at a time). */
function startJobs(now = false): void {
  while ((active < ACTIVE_JOBS || now) && waiting.length > 0) {
    now = false;
    active++;
    void runJob(waiting.shift()!).finally(() => {
      active--;
      startJobs();
    });
  }
}

async function runJob(job: Extract<ParseRequest, { type: 'parse' }>): Promise<void> {
  const credit = { free: BATCH_CREDITS } as { free: number; wake?: () => void };
  credits.set(job.jobId, credit);
  const batcher = new EventBatcher();
  const feed = job.streamed ? new ChunkFeed(() => port.postMessage({ type: 'pull', jobId: job.jobId } satisfies ParseMessage), STREAM_CHUNKS_AHEAD) : undefined;
  if (feed) feeds.set(job.jobId, feed);
  const send = (summary?: FileSummary) => {
    const batch = batcher.take();
    credit.free--;
    const message: ParseMessage = { type: 'batch', jobId: job.jobId, ...batch, ...(summary ? { summary } : {}) };
    port.postMessage(message);
  };
  try {
    const summary = await parseEvidenceFile(
      { label: job.label, path: job.path, bytes: job.bytes, chunks: feed },
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
      job.scheme,
    );
    send(summary);
  } catch (err) {
    port.postMessage({ type: 'error', jobId: job.jobId, message: (err as Error).stack ?? String(err) } satisfies ParseMessage);
  } finally {
    credits.delete(job.jobId);
    feeds.delete(job.jobId);
  }
}
