import type { JobFinished, JobProgress } from '../../../shared/ipc/contract';

export type JobKind = JobProgress['kind'];

/** What a running job may report; the runner adds its id and kind and throttles the stream. */
export type JobUpdate = Omit<JobProgress, 'jobId' | 'kind'>;

export interface JobContext {
  readonly jobId: number;
  /** Aborted by jobs.cancel (or when the service closes). */
  readonly signal: AbortSignal;
  progress(update: JobUpdate): void;
}

/** What a job returns: its results, and `cancelled` when it stopped early but still has results to report. */
export type JobOutcome = Pick<JobFinished, 'import' | 'correlate'> & { status?: 'complete' | 'cancelled' };

export interface JobRunnerEvents {
  progressed(p: JobProgress): void;
  /** Called once per job, after `settled` (so listeners see the case as the job left it). */
  finished(f: JobFinished): void;
  /** Called when a job ends in any state, before `finished` (the service re-reads the case here). */
  settled?(f: JobFinished): void;
}

interface Job {
  id: number;
  kind: JobKind;
  run: (ctx: JobContext) => Promise<JobOutcome>;
  controller: AbortController;
}

/** Progress events per job at most this often (phase changes always go out). */
const PROGRESS_INTERVAL_MS = 200;

/**
 * Runs the service's long jobs one at a time, in order: imports and correlations both write the case, and
 * SQLite has one writer. Each job gets an id at once (queued jobs report phase `queued`), can be cancelled
 * while queued or running, and ends with exactly one `finished` event: complete, cancelled or failed.
 */
export class JobRunner {
  private nextId = 1;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly events: JobRunnerEvents) {}

  /** Whether a job is running or waiting. */
  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** The running job's id and kind, if any. */
  get running(): { id: number; kind: JobKind } | null {
    return this.current ? { id: this.current.id, kind: this.current.kind } : null;
  }

  enqueue(kind: JobKind, run: (ctx: JobContext) => Promise<JobOutcome>): number {
    const job: Job = { id: this.nextId++, kind, run, controller: new AbortController() };
    this.queue.push(job);
    if (this.current) this.events.progressed({ jobId: job.id, kind, fraction: null, phase: 'queued' });
    else void this.pump();
    return job.id;
  }

  /** Cancels a queued or running job; false when no such job is waiting or running. */
  cancel(jobId: number): boolean {
    if (this.current?.id === jobId) {
      this.current.controller.abort();
      return true;
    }
    const i = this.queue.findIndex((j) => j.id === jobId);
    if (i < 0) return false;
    const [job] = this.queue.splice(i, 1);
    this.finish({ jobId: job!.id, kind: job!.kind, status: 'cancelled' });
    return true;
  }

  /** Cancels everything (the case is closing); resolves when nothing runs any more. */
  async cancelAll(): Promise<void> {
    for (const job of this.queue.splice(0)) this.finish({ jobId: job.id, kind: job.kind, status: 'cancelled' });
    this.current?.controller.abort();
    await this.idle();
  }

  /** Resolves when no job is running or queued. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    while (!this.current && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.current = job;
      let last = 0;
      let lastPhase: string | undefined;
      const ctx: JobContext = {
        jobId: job.id,
        signal: job.controller.signal,
        progress: (update) => {
          const now = Date.now();
          if (update.phase === lastPhase && now - last < PROGRESS_INTERVAL_MS && update.fraction !== 1) return;
          last = now;
          lastPhase = update.phase;
          this.events.progressed({ ...update, jobId: job.id, kind: job.kind });
        },
      };
      let finished: JobFinished;
      try {
        const outcome = await job.run(ctx);
        const { status, ...results } = outcome;
        finished = { jobId: job.id, kind: job.kind, status: status ?? (job.controller.signal.aborted ? 'cancelled' : 'complete'), ...results };
      } catch (err) {
        finished = job.controller.signal.aborted
          ? { jobId: job.id, kind: job.kind, status: 'cancelled' }
          : { jobId: job.id, kind: job.kind, status: 'failed', error: (err as Error).message };
      }
      this.current = null;
      this.finish(finished);
    }
    if (!this.busy) for (const w of this.idleWaiters.splice(0)) w();
  }

  private finish(f: JobFinished): void {
    try {
      this.events.settled?.(f);
    } finally {
      this.events.finished(f);
    }
  }
}
