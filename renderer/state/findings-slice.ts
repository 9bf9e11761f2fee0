import type { JobFinished } from '../../shared/ipc/contract';
import { compareFindings, type CoverageWarning, type Finding, type Severity } from '../../shared/domain/correlation';
import { errorText, type SliceCreator } from './types';

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Most severe first, then as compareFindings orders them (score, what they held before the caps, earliest entry). */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compareFindings(a, b));
}

export interface FindingsSlice {
  findings: Finding[];
  /** Evidence gaps the latest correlation run found; shown above the findings. */
  coverage: CoverageWarning[];
  findingsLoading: boolean;
  findingsError: string | null;
  /** Renderer clock when the list was last loaded (UTC epoch ms); null before. */
  findingsLoadedAt: number | null;
  loadFindings(): Promise<void>;
  /** Selects a finding and shows its timeline. */
  openFinding(findingId: number): void;
  correlationFinished(finished: JobFinished): void;
  runCorrelation(): Promise<void>;
}

export const createFindingsSlice: SliceCreator<FindingsSlice> = (set, get, client) => {
  let request = 0;
  return {
    findings: [],
    coverage: [],
    findingsLoading: false,
    findingsError: null,
    findingsLoadedAt: null,
    async loadFindings() {
      const mine = ++request;
      set({ findingsLoading: true, findingsError: null });
      try {
        const [list, coverage] = await Promise.all([client.invoke('findings.list', {}), client.invoke('coverage.list', {})]);
        const findings = sortFindings(list);
        if (mine !== request) return;
        set({ findings, coverage, findingsLoading: false, findingsLoadedAt: Date.now() });
        get().findingsReloaded(findings);
      } catch (err) {
        if (mine === request) set({ findingsLoading: false, findingsError: errorText(err) });
      }
    },
    openFinding(findingId) {
      get().selectFinding(findingId);
      set({ screen: 'timeline' });
    },
    correlationFinished(finished) {
      if (finished.status !== 'complete' && !finished.correlate) return;
      void get().loadFindings();
      void get().refreshCase();
    },
    async runCorrelation() {
      try {
        const { jobId } = await client.invoke('correlate.run', {});
        get().trackJob(jobId, 'correlate');
      } catch (err) {
        get().notify('error', err);
      }
    },
  };
};
