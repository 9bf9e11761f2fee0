// The analyst's annotations (verdict, tags, note, bookmark) on findings, sessions and events, the audit log, and
// report exports. Findings are matched to their annotation by provider + entry event native id, which survive a
// re-correlation (finding ids do not); a session by the credential its calls were made with; an event by its id.
import type { Annotation, AnnotationInput, AnnotationTarget, AuditEntry, Verdict } from '../../shared/domain/annotations';
import type { Finding } from '../../shared/domain/correlation';
import type { EventRow, ReportExportRequest } from '../../shared/ipc/contract';
import { IpcError } from '../ipc/client';
import { errorText, type SliceCreator } from './types';

/** `exists`: a file is already there, which the analyst may replace by asking again with `overwrite`. */
export type ExportOutcome = { ok: true; file: string; bytes: number; rows: number } | { ok: false; error: string; exists?: boolean };

export type VerdictFilter = 'all' | Verdict | 'none';

export interface AnnotationsSlice {
  annotations: Annotation[];
  annotationsError: string | null;
  verdictFilter: VerdictFilter;
  /** The timeline and the map show only annotated events (of the event itself or of its session). */
  annotatedOnly: boolean;
  auditLog: AuditEntry[];
  loadAnnotations(): Promise<void>;
  saveAnnotation(input: AnnotationInput): Promise<boolean>;
  deleteAnnotation(id: number): Promise<boolean>;
  setVerdictFilter(filter: VerdictFilter): void;
  setAnnotatedOnly(on: boolean): void;
  /**
   * Shows what an annotation is about: a finding opens its timeline; an event opens the timeline of a finding
   * that holds it (else the explorer, on that event); a session opens the explorer on its credential's calls with the
   * first of them selected, so the inspector shows the session's editor. A target that cannot be shown (a finding no
   * longer among the findings, a session with no calls in the case) leaves the screen as it is and says so.
   * Resolves when the target is shown (or found unshowable): true if it was shown.
   */
  goToAnnotation(a: Annotation): Promise<boolean>;
  /** The same for a target with no saved annotation yet (an unsaved draft's). */
  goToTarget(target: AnnotationTarget): Promise<boolean>;
  loadAudit(): Promise<void>;
  /** Writes an export through the core; the written file, or why it failed (shown by the form that asked). */
  exportReport(request: ReportExportRequest): Promise<ExportOutcome>;
}

/** The annotation of a finding, if any. */
export function findingAnnotation(annotations: Annotation[], f: Finding): Annotation | null {
  return annotationOf(annotations, findingTarget(f));
}

/** The finding a finding target names, if it is among the current findings (a suppressed one is not). */
export function findingOfTarget(t: Extract<AnnotationTarget, { kind: 'finding' }>, findings: Finding[]): Finding | null {
  return findings.find((x) => x.provider === t.provider && x.entry.eventId === t.entryEventId) ?? null;
}

/** Said when a finding target is not among the current findings: where its annotation or draft can still be handled. */
export const FINDING_NOT_SHOWN =
  'This finding is not among the current findings (an allowlist or a re-run of the correlation no longer reports it), so its timeline cannot open. '
  + 'An unsaved draft on it can still be saved or discarded from the list of unsaved drafts in the top bar.';

/** Said when a session target has no calls in the case (a credential is log text: the list beside shows it). */
export const SESSION_NOT_SHOWN =
  'No call made with this session’s credential is in the case, so its editor cannot be shown. '
  + 'An unsaved draft on it can still be saved or discarded from the list of unsaved drafts in the top bar.';

export function findingTarget(f: Finding): AnnotationTarget {
  return { kind: 'finding', provider: f.provider, entryEventId: f.entry.eventId };
}

/** The target of one event, and of the session it belongs to (null when the call carried no credential). */
export function eventTarget(e: Pick<EventRow, 'id' | 'provider' | 'nativeId'>): AnnotationTarget {
  return { kind: 'event', provider: e.provider, eventId: e.id, nativeId: e.nativeId };
}

export function sessionTarget(e: Pick<EventRow, 'provider' | 'credentialId'>): AnnotationTarget | null {
  return e.credentialId ? { kind: 'session', provider: e.provider, sessionKey: e.credentialId } : null;
}

export function sameTarget(a: AnnotationTarget, b: AnnotationTarget): boolean {
  if (a.kind !== b.kind || a.provider !== b.provider) return false;
  if (a.kind === 'finding' && b.kind === 'finding') return a.entryEventId === b.entryEventId;
  if (a.kind === 'session' && b.kind === 'session') return a.sessionKey === b.sessionKey;
  return a.kind === 'event' && b.kind === 'event' && a.eventId === b.eventId;
}

/** The annotation of any target, if any. */
export function annotationOf(annotations: Annotation[], target: AnnotationTarget | null): Annotation | null {
  return target ? annotations.find((a) => sameTarget(a.target, target)) ?? null : null;
}

/** What the analyst said about one event: directly, and about its session. */
export interface EventNotes {
  event: Annotation | null;
  session: Annotation | null;
}

/** Per event id: its own annotation and its session's, for the events that have either. */
export function notesByEvent(annotations: Annotation[], events: Pick<EventRow, 'id' | 'provider' | 'credentialId'>[]): Map<number, EventNotes> {
  const byEvent = new Map<number, Annotation>();
  const bySession = new Map<string, Annotation>();
  for (const a of annotations) {
    if (a.target.kind === 'event') byEvent.set(a.target.eventId, a);
    else if (a.target.kind === 'session') bySession.set(`${a.target.provider}|${a.target.sessionKey}`, a);
  }
  const out = new Map<number, EventNotes>();
  for (const e of events) {
    const event = byEvent.get(e.id) ?? null;
    const session = e.credentialId ? bySession.get(`${e.provider}|${e.credentialId}`) ?? null : null;
    if (event || session) out.set(e.id, { event, session });
  }
  return out;
}

const SEVERITY: Record<Verdict, number> = { malicious: 3, 'needs-review': 2, benign: 1 };

/** The verdict that matters most among several (malicious over needs review over benign). */
export function strongestVerdict(notes: (Annotation | null | undefined)[]): Verdict | null {
  let best: Verdict | null = null;
  for (const n of notes) if (n?.verdict && (!best || SEVERITY[n.verdict] > SEVERITY[best])) best = n.verdict;
  return best;
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
  annotatedOnly: false,
  auditLog: [],
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
  async deleteAnnotation(id) {
    try {
      const { deleted } = await client.invoke('annotations.delete', { id });
      set({ annotations: get().annotations.filter((a) => a.id !== id), annotationsError: null });
      return deleted;
    } catch (err) {
      set({ annotationsError: errorText(err) });
      return false;
    }
  },
  setVerdictFilter(verdictFilter) {
    set({ verdictFilter });
  },
  setAnnotatedOnly(annotatedOnly) {
    set({ annotatedOnly });
  },
  goToAnnotation(a) {
    return get().goToTarget(a.target);
  },
  async goToTarget(t) {
    const state = get();
    if (t.kind === 'finding') {
      const f = findingOfTarget(t, state.findings);
      if (f) state.openFinding(f.id);
      else state.notify('info', FINDING_NOT_SHOWN);
      return f !== null;
    }
    if (t.kind === 'event') {
      const f = state.findings.find((x) => x.provider === t.provider && x.eventIds.includes(t.nativeId));
      if (f) {
        state.openFinding(f.id);
      } else {
        void state.setExplorerFilter({ text: t.nativeId });
        state.navigate('explorer');
      }
      get().selectEvent(t.eventId);
      return true;
    }
    // A session's editor is in the inspector of each of its calls: the explorer lists them and selects the first.
    const filter = { credential: t.sessionKey };
    const loading = state.setExplorerFilter(filter);
    state.navigate('explorer');
    await loading;
    const { explorer } = get();
    // The analyst may have applied another filter meanwhile: that one stands.
    if (explorer.filter.credential !== t.sessionKey || Object.keys(explorer.filter).length !== 1) return false;
    const first = explorer.rows.find((r) => r.provider === t.provider && r.credentialId === t.sessionKey) ?? explorer.rows[0];
    if (!first) {
      if (explorer.error === null) get().notify('info', SESSION_NOT_SHOWN);
      return false;
    }
    get().selectEvent(first.id);
    return true;
  },
  async loadAudit() {
    try {
      set({ auditLog: await client.invoke('audit.list', { limit: 500 }) });
    } catch (err) {
      set({ annotationsError: errorText(err) });
    }
  },
  async exportReport(request) {
    try {
      const written = await client.invoke('report.export', request);
      void get().loadAudit();
      return { ok: true, ...written };
    } catch (err) {
      return { ok: false, error: errorText(err), exists: err instanceof IpcError && err.code === 'exists' };
    }
  },
});
