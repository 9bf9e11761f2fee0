import type { EventRow, ResponseOf, TimelineEvent } from '../../shared/ipc/contract';
import { notesByEvent } from './annotations-slice';
import { errorText, type AppState, type SliceCreator } from './types';

export type Histogram = ResponseOf<'events.histogram'>;

export interface TimelineState {
  findingId: number | null;
  events: TimelineEvent[];
  loading: boolean;
  error: string | null;
}

export interface EventDetail {
  eventId: number | null;
  event: EventRow | null;
  raw: string | null;
  loading: boolean;
  error: string | null;
}

export interface TimelineSlice {
  timeline: TimelineState;
  /** The whole case, for the overview under the timeline. */
  caseHistogram: Histogram | null;
  /** The selected event's normalized fields and raw record. */
  detail: EventDetail;
  loadTimeline(findingId: number): Promise<void>;
  loadCaseHistogram(): Promise<void>;
  /**
   * `blank`: forget the event shown until this one arrives (a screen shown again asks for its own pick: the other
   * screen's event must not stand in for it). Stepping keeps the last one in view meanwhile, without a flicker.
   */
  loadDetail(eventId: number, options?: { blank?: boolean }): Promise<void>;
  /** j / k: the next or previous event of the (IP-filtered) timeline. */
  stepEvent(delta: 1 | -1): void;
  clearChainViews(): void;
}

export const HISTOGRAM_BUCKETS = 240;

/** The chain's events the timeline shows: all, or only the selected IP's, or only the annotated ones. */
export function visibleTimeline(state: Pick<AppState, 'timeline' | 'selection' | 'annotations' | 'annotatedOnly'>): TimelineEvent[] {
  const ip = state.selection.ip;
  let events = ip ? state.timeline.events.filter((e) => e.sourceIp === ip) : state.timeline.events;
  if (state.annotatedOnly) {
    const noted = notesByEvent(state.annotations, events);
    events = events.filter((e) => noted.has(e.id));
  }
  return events;
}

const EMPTY_TIMELINE: TimelineState = { findingId: null, events: [], loading: false, error: null };
const EMPTY_DETAIL: EventDetail = { eventId: null, event: null, raw: null, loading: false, error: null };

export const createTimelineSlice: SliceCreator<TimelineSlice> = (set, get, client) => {
  let timelineRequest = 0;
  let detailRequest = 0;
  let histogramRequest = 0;
  return {
    timeline: EMPTY_TIMELINE,
    caseHistogram: null,
    detail: EMPTY_DETAIL,
    async loadTimeline(findingId) {
      const mine = ++timelineRequest;
      set((s) => ({ timeline: { ...s.timeline, findingId, loading: true, error: null, events: s.timeline.findingId === findingId ? s.timeline.events : [] } }));
      try {
        const events = await client.invoke('chain.timeline', { findingId });
        if (mine !== timelineRequest) return;
        events.sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
        set({ timeline: { findingId, events, loading: false, error: null } });
        const { selection } = get();
        if (selection.eventId === null || !events.some((e) => e.id === selection.eventId)) {
          const first = events[0];
          if (first) get().selectEvent(first.id, 'timeline');
        }
      } catch (err) {
        if (mine === timelineRequest) set({ timeline: { findingId, events: [], loading: false, error: errorText(err) } });
      }
    },
    async loadCaseHistogram() {
      const mine = ++histogramRequest;
      if (!get().caseInfo) {
        set({ caseHistogram: null });
        return;
      }
      try {
        const h = await client.invoke('events.histogram', { filter: {}, buckets: HISTOGRAM_BUCKETS });
        if (mine === histogramRequest) set({ caseHistogram: h });
      } catch (err) {
        if (mine === histogramRequest) set({ caseHistogram: null });
        get().notify('error', err);
      }
    },
    async loadDetail(eventId, { blank = false } = {}) {
      const mine = ++detailRequest;
      set((s) => ({ detail: blank ? { ...EMPTY_DETAIL, eventId, loading: true } : { ...s.detail, eventId, loading: true, error: null } }));
      try {
        const { event, raw } = await client.invoke('events.get', { id: eventId });
        if (mine === detailRequest) set({ detail: { eventId, event, raw, loading: false, error: null } });
      } catch (err) {
        if (mine === detailRequest) set({ detail: { eventId, event: null, raw: null, loading: false, error: errorText(err) } });
      }
    },
    stepEvent(delta) {
      const state = get();
      const events = visibleTimeline(state);
      if (!events.length) return;
      const at = events.findIndex((e) => e.id === state.selection.eventId);
      const next = at < 0 ? (delta > 0 ? 0 : events.length - 1) : Math.min(events.length - 1, Math.max(0, at + delta));
      const event = events[next];
      if (event && event.id !== state.selection.eventId) state.selectEvent(event.id, 'timeline');
    },
    clearChainViews() {
      timelineRequest++;
      detailRequest++;
      set({ timeline: EMPTY_TIMELINE, detail: EMPTY_DETAIL, chainMap: { findingId: null, chain: [], baseline: [], loading: false, error: null } });
    },
  };
};
