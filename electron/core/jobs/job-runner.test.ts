// Jobs run one at a time in order, each ends with exactly one `finished` (after `settled`), and can be
// cancelled while queued or running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobFinished, JobProgress } from '../../../shared/ipc/contract';
import { JobRunner } from './job-runner';

function runner() {
  const log: string[] = [];
  const progressed: JobProgress[] = [];
  const finished: JobFinished[] = [];
  const jobs = new JobRunner({
    progressed: (p) => progressed.push(p),
    finished: (f) => (finished.push(f), log.push(`finished ${f.jobId} ${f.status}`)),
    settled: (f) => log.push(`settled ${f.jobId}`),
  });
  return { jobs, log, progressed, finished };
}

const until = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

test('jobs run in order; a queued job reports `queued`; results and failures are reported once', async () => {
  const { jobs, log, progressed, finished } = runner();
  const order: number[] = [];
  const a = jobs.enqueue('import', async (ctx) => {
    order.push(ctx.jobId);
    ctx.progress({ fraction: 0.5, phase: 'import' });
    await new Promise((r) => setTimeout(r, 20));
    return { correlate: { chains: 1, bySeverity: { critical: 1, high: 0, medium: 0, low: 0 } } };
  });
  const b = jobs.enqueue('correlate', async (ctx) => {
    order.push(ctx.jobId);
    throw new Error('boom');
  });
  assert.ok(jobs.busy);
  assert.deepEqual(progressed.find((p) => p.jobId === b), { jobId: b, kind: 'correlate', fraction: null, phase: 'queued' });
  await jobs.idle();
  assert.deepEqual(order, [a, b]);
  assert.deepEqual(finished.map((f) => [f.jobId, f.status]), [[a, 'complete'], [b, 'failed']]);
  assert.equal(finished[0]!.correlate?.chains, 1);
  assert.equal(finished[1]!.error, 'boom');
  assert.deepEqual(log, [`settled ${a}`, `finished ${a} complete`, `settled ${b}`, `finished ${b} failed`]);
  assert.ok(!jobs.busy);
});

test('cancelling a running job aborts its signal; cancelling a queued one skips it', async () => {
  const { jobs, finished } = runner();
  let ran = false;
  const running = jobs.enqueue('import', async (ctx) => {
    await until(ctx.signal);
    throw new Error('stopped');
  });
  const queued = jobs.enqueue('correlate', async () => {
    ran = true;
    return {};
  });
  assert.equal(jobs.cancel(queued), true);
  assert.equal(jobs.cancel(running), true);
  assert.equal(jobs.cancel(999), false);
  await jobs.idle();
  assert.equal(ran, false);
  assert.deepEqual(finished.map((f) => [f.jobId, f.status]).sort(), [[running, 'cancelled'], [queued, 'cancelled']]);
  assert.equal(jobs.cancel(running), false, 'a finished job cannot be cancelled');
});
