import type { ImportHistory } from '../../shared/domain/evidence';
import type { JobFinished } from '../../shared/ipc/contract';
import type { SliceCreator } from './types';

export interface ImportSlice {
  /** Paths chosen for the next import (absolute paths on the machine running the core). */
  stagedPaths: string[];
  /** The import being shown: running, or the last one finished. */
  importJobId: number | null;
  importSummary: JobFinished | null;
  stagePaths(paths: string[]): void;
  unstagePath(path: string): void;
  clearStaged(): void;
  startImport(): Promise<void>;
  /** Follows an import the core started (the sample case). */
  trackImport(jobId: number): void;
  importFinished(finished: JobFinished): void;
  /** The open case's import runs and grouped problems, kept with the case they belong to. */
  importHistory: { file: string; history: ImportHistory } | null;
  loadImportHistory(): Promise<void>;
}

export const createImportSlice: SliceCreator<ImportSlice> = (set, get, client) => ({
  stagedPaths: [],
  importJobId: null,
  importSummary: null,
  importHistory: null,
  async loadImportHistory() {
    const file = get().caseInfo?.file;
    if (!file) return;
    try {
      const history = await client.invoke('import.history', {});
      // Another case may have opened meanwhile: its history is not this one.
      if (get().caseInfo?.file === file) set({ importHistory: { file, history } });
    } catch (err) {
      get().notify('error', err);
    }
  },
  stagePaths(paths) {
    const clean = paths.map((p) => p.trim()).filter(Boolean);
    set((s) => ({ stagedPaths: [...new Set([...s.stagedPaths, ...clean])] }));
  },
  unstagePath(path) {
    set((s) => ({ stagedPaths: s.stagedPaths.filter((p) => p !== path) }));
  },
  clearStaged() {
    set({ stagedPaths: [] });
  },
  async startImport() {
    const paths = get().stagedPaths;
    if (!paths.length) return;
    try {
      const { jobId } = await client.invoke('import.start', { paths });
      get().trackImport(jobId);
      set({ stagedPaths: [] });
    } catch (err) {
      get().notify('error', err);
    }
  },
  trackImport(jobId) {
    get().trackJob(jobId, 'import');
    set({ importJobId: jobId, importSummary: null });
  },
  importFinished(finished) {
    if (finished.jobId === get().importJobId || get().importJobId === null) set({ importJobId: finished.jobId, importSummary: finished });
    void get().refreshCase();
    get().caseDataChanged();
  },
});
