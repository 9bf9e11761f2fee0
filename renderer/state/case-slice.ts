import type { SampleId } from '../../shared/domain/samples';
import type { CaseInfo, RecentCase } from '../../shared/ipc/contract';
import type { SliceCreator } from './types';

export interface CaseSlice {
  caseInfo: CaseInfo | null;
  recent: RecentCase[];
  /** A case is being created or opened. */
  caseBusy: boolean;
  /** First load: the open case (if the core already has one), recent cases, the About data. */
  initialise(): Promise<void>;
  loadRecent(): Promise<void>;
  createCase(file: string): Promise<boolean>;
  openCase(file: string): Promise<boolean>;
  /** Creates a bundled sample case (DEFAULT_SAMPLE unless named) and starts importing it; the import job's progress follows. */
  openSample(sample?: SampleId): Promise<boolean>;
  refreshCase(): Promise<void>;
  /**
   * Asks the core whether the open case's file is still the one it opened (every request checks: one stat). A file
   * deleted, moved or replaced is refused with `case-gone`, which raises the standing warning (the store's client
   * wrapper); any other failure waits for the next check or request. Nothing is asked once the warning stands.
   */
  checkCaseFile(): Promise<void>;
  /** `case.changed` from the core. */
  caseChanged(info: CaseInfo): void;
}

export const createCaseSlice: SliceCreator<CaseSlice> = (set, get, client) => {
  /** Everything that belonged to the previous case is dropped. */
  function caseOpened(info: CaseInfo): void {
    // The new case first: the views reload from it (the whole-case overview read no case at start-up, and the
    // previous case's info when switching).
    set({ caseInfo: info });
    get().resetCaseViews();
    void get().loadRecent();
    void get().loadSettings();
    void get().loadFindings();
    void get().loadAnnotations();
  }

  /** Runs a case-changing request with the case marked busy; true when it succeeded, errors go to a notice. */
  async function whileBusy(run: () => Promise<void>): Promise<boolean> {
    set({ caseBusy: true });
    try {
      await run();
      return true;
    } catch (err) {
      get().notify('error', err);
      return false;
    } finally {
      set({ caseBusy: false });
    }
  }

  return {
    caseInfo: null,
    recent: [],
    caseBusy: false,
    async initialise() {
      void get().loadAbout();
      await get().loadRecent();
      try {
        const info = await client.invoke('case.info', {});
        if (info) {
          caseOpened(info);
          set({ screen: info.events > 0 ? 'findings' : 'import' });
        }
      } catch (err) {
        get().notify('error', err);
      }
    },
    async loadRecent() {
      try {
        set({ recent: await client.invoke('case.recent', {}) });
      } catch (err) {
        get().notify('error', err);
      }
    },
    createCase: (file) =>
      whileBusy(async () => {
        caseOpened(await client.invoke('case.create', { file }));
        set({ screen: 'import' });
      }),
    openCase: (file) =>
      whileBusy(async () => {
        const info = await client.invoke('case.open', { file });
        caseOpened(info);
        set({ screen: info.events > 0 ? 'findings' : 'import' });
      }),
    openSample: (sample) =>
      whileBusy(async () => {
        const { info, jobId } = await client.invoke('case.openSample', sample ? { sample } : {});
        caseOpened(info);
        get().trackImport(jobId);
        set({ screen: 'import' });
      }),
    async refreshCase() {
      try {
        const info = await client.invoke('case.info', {});
        set({ caseInfo: info });
      } catch (err) {
        get().notify('error', err);
      }
    },
    async checkCaseFile() {
      const { caseInfo, caseGone } = get();
      if (!caseInfo || caseGone?.caseInfo === caseInfo) return;
      try {
        await client.invoke('case.check', {});
      } catch {
        // case-gone is shown by the wrapper; a transport hiccup is not worth a notice every few seconds.
      }
    },
    caseChanged(info) {
      const previous = get().caseInfo;
      if (previous && previous.file !== info.file) caseOpened(info);
      else set({ caseInfo: info });
    },
  };
};
