// The selection the timeline and the map share: which chain, which event, which time window, which source
// IP. Both read and write it here; neither knows about the other. The explorer keeps its own event beside it.
import type { Finding } from '../../shared/domain/correlation';
import type { Screen } from './app-slice';
import type { SliceCreator } from './types';

/** UTC epoch ms, from inclusive, to exclusive. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface Selection {
  findingId: number | null;
  /** The finding's entry event id: findings get new ids when the correlator re-runs; this finds them again. */
  entryEventId: string | null;
  /** The event picked in the chain's timeline. */
  eventId: number | null;
  /**
   * The event picked in the explorer. The explorer lists every event of the case and the timeline one chain's: each
   * remembers its own pick (one shared id made the explorer forget its row, and its inspector, once a timeline event
   * was picked), and shows in its inspector only that.
   */
  explorerEventId: number | null;
  window: TimeWindow | null;
  /** Only this source IP's events (set by clicking a point on the map). */
  ip: string | null;
}

const EMPTY: Selection = { findingId: null, entryEventId: null, eventId: null, explorerEventId: null, window: null, ip: null };

/** The event `screen` has selected: the explorer's own, or the chain's (the timeline's). */
export function eventPickedOn(selection: Selection, screen: Screen): number | null {
  return screen === 'explorer' ? selection.explorerEventId : selection.eventId;
}

export interface SelectionSlice {
  selection: Selection;
  selectFinding(findingId: number | null): void;
  /**
   * `screen`: where it was picked; the screen shown now unless said (a chain's first event is the timeline's). Its
   * details load now when that screen is shown, else when it is shown again (its inspector asks).
   */
  selectEvent(eventId: number | null, screen?: Screen): void;
  setWindow(window: TimeWindow | null): void;
  selectIp(ip: string | null): void;
  /** After the findings list reloads: keeps the selected chain (by its entry) or clears it if it is gone. */
  findingsReloaded(findings: Finding[]): void;
  /** A different case: forgets every per-case view. */
  resetCaseViews(): void;
  /** The case's events changed (an import): views over all events reload. */
  caseDataChanged(): void;
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  selection: EMPTY,
  selectFinding(findingId) {
    if (findingId === null) {
      set((s) => ({ selection: { ...EMPTY, explorerEventId: s.selection.explorerEventId } }));
      return;
    }
    const finding = get().findings.find((f) => f.id === findingId);
    set((s) => ({ selection: { ...EMPTY, explorerEventId: s.selection.explorerEventId, findingId, entryEventId: finding?.entry.eventId ?? null } }));
    void get().loadTimeline(findingId);
    void get().loadChainMap(findingId);
  },
  selectEvent(eventId, screen = get().screen) {
    if (screen === 'explorer') {
      set((s) => ({ selection: { ...s.selection, explorerEventId: eventId } }));
      if (eventId !== null && get().screen === screen) void get().loadDetail(eventId);
      return;
    }
    set((s) => ({ selection: { ...s.selection, eventId } }));
    if (eventId === null) return;
    if (get().screen === screen) void get().loadDetail(eventId);
    const { selection, timeline } = get();
    const event = timeline.events.find((e) => e.id === eventId);
    const w = selection.window;
    if (event && w && (event.timeMs < w.fromMs || event.timeMs >= w.toMs)) {
      const span = w.toMs - w.fromMs;
      get().setWindow({ fromMs: event.timeMs - span / 2, toMs: event.timeMs + span / 2 });
    }
  },
  setWindow(window) {
    set((s) => ({ selection: { ...s.selection, window } }));
  },
  selectIp(ip) {
    set((s) => ({ selection: { ...s.selection, ip } }));
  },
  findingsReloaded(findings) {
    const { selection } = get();
    if (selection.findingId === null) return;
    const same = findings.find((f) => f.id === selection.findingId && f.entry.eventId === selection.entryEventId)
      ?? findings.find((f) => f.entry.eventId === selection.entryEventId);
    if (!same) {
      set({ selection: { ...EMPTY, explorerEventId: selection.explorerEventId } });
      get().clearChainViews();
      return;
    }
    set({ selection: { ...selection, findingId: same.id } });
    void get().loadTimeline(same.id);
    void get().loadChainMap(same.id);
  },
  resetCaseViews() {
    set({ selection: EMPTY, importSummary: null, importJobId: null, findings: [], findingsLoadedAt: null, settings: null, annotations: [], auditLog: [], annotatedOnly: false });
    get().dropAnnotationDrafts();
    get().clearChainViews();
    get().resetExplorer({ keepFilter: false });
    void get().loadCaseHistogram();
  },
  caseDataChanged() {
    void get().loadCaseHistogram();
    get().resetExplorer({ keepFilter: true });
  },
});
