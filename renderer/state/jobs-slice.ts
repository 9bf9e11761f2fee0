import type { JobFinished, JobProgress } from '../../shared/ipc/contract';
import type { SliceCreator } from './types';

export interface JobState {
  jobId: number;
  kind: JobProgress['kind'];
  progress: JobProgress | null;
  finished: JobFinished | null;
  /** Renderer clock, UTC epoch ms, when the job was first heard of. */
  seenAt: number;
}

export interface JobsSlice {
  jobs: Record<number, JobState>;
  /** `jobs.progressed` from the core. */
  jobProgressed(progress: JobProgress): void;
  /** `jobs.finished` from the core: updates the job and refreshes what it changed. */
  jobFinished(finished: JobFinished): void;
  /** Registers a job the renderer started, before its first event. */
  trackJob(jobId: number, kind: JobProgress['kind']): void;
  cancelJob(jobId: number): Promise<void>;
}

/** Jobs still running, oldest first. */
export function runningJobs(jobs: Record<number, JobState>): JobState[] {
  return Object.values(jobs).filter((j) => !j.finished).sort((a, b) => a.jobId - b.jobId);
}

export const createJobsSlice: SliceCreator<JobsSlice> = (set, get, client) => ({
  jobs: {},
  trackJob(jobId, kind) {
    set((s) => (s.jobs[jobId] ? s : { jobs: { ...s.jobs, [jobId]: { jobId, kind, progress: null, finished: null, seenAt: Date.now() } } }));
  },
  jobProgressed(progress) {
    set((s) => {
      const job = s.jobs[progress.jobId];
      if (job?.finished) return s;
      return { jobs: { ...s.jobs, [progress.jobId]: { jobId: progress.jobId, kind: progress.kind, progress, finished: null, seenAt: job?.seenAt ?? Date.now() } } };
    });
  },
  jobFinished(finished) {
    set((s) => {
      const job = s.jobs[finished.jobId];
      return { jobs: { ...s.jobs, [finished.jobId]: { jobId: finished.jobId, kind: finished.kind, progress: job?.progress ?? null, finished, seenAt: job?.seenAt ?? Date.now() } } };
    });
    const state = get();
    // An import job correlates too (one job, one finished event carrying both results); re-opening the
    // sample answers with a correlation job, which the import screen follows all the same.
    if (finished.kind === 'import' || finished.jobId === state.importJobId) state.importFinished(finished);
    if (finished.kind === 'correlate' || finished.correlate) state.correlationFinished(finished);
    if (finished.status === 'failed') state.notify('error', `${finished.kind === 'import' ? 'Import' : 'Correlation'} failed: ${finished.error ?? 'unknown error'}`);
  },
  async cancelJob(jobId) {
    try {
      await client.invoke('jobs.cancel', { jobId });
    } catch (err) {
      get().notify('error', err);
    }
  },
});
