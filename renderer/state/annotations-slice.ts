// The analyst's annotations (verdict, tags, note, bookmark) on findings, sessions and events, the audit log, and
// report exports. Findings are matched to their annotation by provider + entry event native id, which survive a
// re-correlation (finding ids do not).
import type { Annotation, AnnotationInput, AuditEntry, Verdict } from '../../shared/domain/annotations';
import type { Finding } from '../../shared/domain/correlation';
import type { ReportExportRequest } from '../../shared/ipc/contract';
import { errorText, type SliceCreator } from './types';

export type VerdictFilter = 'all' | Verdict | 'none';

export interface AnnotationsSlice {
  annotations: Annotation[];
  annotationsError: string | null;
  verdictFilter: VerdictFilter;
  auditLog: AuditEntry[];
  lastExport: { file: string; bytes: number; rows: number } | null;
  exportError: string | null;
  loadAnnotations(): Promise<void>;
  saveAnnotation(input: AnnotationInput): Promise<boolean>;
  setVerdictFilter(filter: VerdictFilter): void;
  loadAudit(): Promise<void>;
  exportReport(request: ReportExportRequest): Promise<void>;
}

/** The annotation of a finding, if any. */
export function findingAnnotation(annotations: Annotation[], f: Finding): Annotation | null {
  return annotations.find((a) => a.target.kind === 'finding' && a.target.provider === f.provider && a.target.entryEventId === f.entry.eventId) ?? null;
}

export function passesVerdictFilter(filter: VerdictFilter, a: Annotation | null): boolean {
  if (filter === 'all') return true;
  if (filter === 'none') return !a?.verdict;
  return a?.verdict === filter;
}

export const createAnnotationsSlice: SliceCreator<AnnotationsSlice> = (set, get, client) => ({
  annotations: [],
  annotationsError: null,
  verdictFilter: 'all',
  auditLog: [],
  lastExport: null,
  exportError: null,
  async loadAnnotations() {
    try {
      set({ annotations: await client.invoke('annotations.list', {}), annotationsError: null });
    } catch (err) {
      set({ annotationsError: errorText(err) });
    }
  },
  async saveAnnotation(input) {
    try {
      const saved = await client.invoke('annotations.save', input);
      set({ annotations: [...get().annotations.filter((a) => a.id !== saved.id), saved], annotationsError: null });
      return true;
    } catch (err) {
      set({ annotationsError: errorText(err) });
      return false;
    }
  },
  setVerdictFilter(verdictFilter) {
    set({ verdictFilter });
  },
  async loadAudit() {
    try {
      set({ auditLog: await client.invoke('audit.list', { limit: 500 }) });
    } catch (err) {
      set({ annotationsError: errorText(err) });
    }
  },
  async exportReport(request) {
    set({ exportError: null });
    try {
      set({ lastExport: await client.invoke('report.export', request) });
      void get().loadAudit();
    } catch (err) {
      set({ exportError: errorText(err), lastExport: null });
    }
  },
});
