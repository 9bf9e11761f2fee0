import type { GeoPoint } from '../../shared/ipc/contract';
import { errorText, type SliceCreator } from './types';

export interface ChainMap {
  findingId: number | null;
  /** Where the chain's calls came from. */
  chain: GeoPoint[];
  /** Where the entry principal had been before (its baseline). */
  baseline: GeoPoint[];
  loading: boolean;
  error: string | null;
}

export interface MapSlice {
  chainMap: ChainMap;
  loadChainMap(findingId: number): Promise<void>;
}

export const createMapSlice: SliceCreator<MapSlice> = (set, _get, client) => {
  let request = 0;
  return {
    chainMap: { findingId: null, chain: [], baseline: [], loading: false, error: null },
    async loadChainMap(findingId) {
      const mine = ++request;
      set((s) => ({ chainMap: { ...s.chainMap, findingId, loading: true, error: null } }));
      try {
        const { chain, baseline } = await client.invoke('chain.map', { findingId });
        if (mine === request) set({ chainMap: { findingId, chain, baseline, loading: false, error: null } });
      } catch (err) {
        if (mine === request) set({ chainMap: { findingId, chain: [], baseline: [], loading: false, error: errorText(err) } });
      }
    },
  };
};
