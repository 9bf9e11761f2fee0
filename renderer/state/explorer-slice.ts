import type { EventFilter, EventRow } from '../../shared/ipc/contract';
import { errorText, type SliceCreator } from './types';
import type { Histogram } from './timeline-slice';

export interface ExplorerState {
  filter: EventFilter;
  rows: EventRow[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** Events matching the filter (the histogram's total); null until known. */
  total: number | null;
  histogram: Histogram | null;
  /** Bumped on every new filter, so a page for an old filter is dropped. */
  generation: number;
  /** Whether the first page was ever asked for (the explorer loads on first view). */
  started: boolean;
}

export interface ExplorerSlice {
  explorer: ExplorerState;
  setExplorerFilter(filter: EventFilter): Promise<void>;
  /** The next keyset page, if there is one and none is loading. */
  loadMoreExplorer(): Promise<void>;
  /**
   * Forgets the loaded pages, so the explorer reloads when next shown. `keepFilter`: the same case's events changed (an
   * import), and the analyst's filter still applies; another case starts unfiltered, as a filter names that case's
   * addresses and accounts (one carried over read as "0 matching events" in a case of thousands).
   */
  resetExplorer(options: { keepFilter: boolean }): void;
  /**
   * Selects the loaded row `delta` rows after the explorer's pick (the first row when there is none), stopping at either
   * end: j/k and the arrows, from the list or from the inspector beside it.
   */
  stepExplorerEvent(delta: number): void;
}

export const EXPLORER_PAGE = 200;
const EXPLORER_BUCKETS = 120;

/** Drops empty fields, so `{ action: '' }` means no action filter. */
export function cleanFilter(filter: EventFilter): EventFilter {
  const out: EventFilter = {};
  for (const [key, value] of Object.entries(filter) as [keyof EventFilter, unknown][]) {
    if (value === undefined || value === null || value === '' || (typeof value === 'number' && !Number.isFinite(value))) continue;
    (out as Record<string, unknown>)[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

export const createExplorerSlice: SliceCreator<ExplorerSlice> = (set, get, client) => ({
  explorer: { filter: {}, rows: [], hasMore: false, loading: false, error: null, total: null, histogram: null, generation: 0, started: false },
  async setExplorerFilter(filter) {
    const clean = cleanFilter(filter);
    const generation = get().explorer.generation + 1;
    set({ explorer: { filter: clean, rows: [], hasMore: true, loading: false, error: null, total: null, histogram: null, generation, started: true } });
    const page = get().loadMoreExplorer();
    try {
      const histogram = await client.invoke('events.histogram', { filter: clean, buckets: EXPLORER_BUCKETS });
      if (get().explorer.generation === generation) {
        set((s) => ({ explorer: { ...s.explorer, histogram, total: histogram.counts.reduce((a, b) => a + b, 0) } }));
      }
    } catch (err) {
      if (get().explorer.generation === generation) get().notify('error', err);
    }
    await page;
  },
  async loadMoreExplorer() {
    const { explorer } = get();
    if (explorer.loading || !explorer.hasMore) return;
    const generation = explorer.generation;
    const last = explorer.rows.at(-1);
    set((s) => ({ explorer: { ...s.explorer, loading: true, error: null } }));
    try {
      const page = await client.invoke('events.page', { filter: explorer.filter, limit: EXPLORER_PAGE, ...(last ? { after: { timeMs: last.timeMs, id: last.id } } : {}) });
      if (get().explorer.generation !== generation) return;
      set((s) => ({ explorer: { ...s.explorer, rows: [...s.explorer.rows, ...page.rows], hasMore: page.hasMore, loading: false } }));
    } catch (err) {
      if (get().explorer.generation === generation) set((s) => ({ explorer: { ...s.explorer, loading: false, hasMore: false, error: errorText(err) } }));
    }
  },
  stepExplorerEvent(delta) {
    const { explorer: { rows }, selection } = get();
    if (!rows.length) return;
    const at = rows.findIndex((r) => r.id === selection.explorerEventId);
    const row = rows[at < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, at + delta))];
    if (row && row.id !== selection.explorerEventId) get().selectEvent(row.id, 'explorer');
  },
  resetExplorer({ keepFilter }) {
    set((s) => ({ explorer: { filter: keepFilter ? s.explorer.filter : {}, rows: [], hasMore: false, loading: false, error: null, total: null, histogram: null, generation: s.explorer.generation + 1, started: false } }));
  },
});
