// The one store: every slice composed by createStore(client), so tests inject a client (the fake one, or
// a recording one) and the app injects the real transport. Store actions are the client's only callers.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createStore as createVanillaStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../ipc/client';
import { createAnnotationsSlice } from './annotations-slice';
import { createAppSlice } from './app-slice';
import { createCaseSlice } from './case-slice';
import { createDraftsSlice } from './drafts-slice';
import { createExplorerSlice } from './explorer-slice';
import { createFindingsSlice } from './findings-slice';
import { createImportSlice } from './import-slice';
import { createJobsSlice } from './jobs-slice';
import { createMapSlice } from './map-slice';
import { createSelectionSlice } from './selection-slice';
import { createSettingsSlice } from './settings-slice';
import { createTimelineSlice } from './timeline-slice';
import { runMenuAction } from './menu-actions';
import type { AppState } from './types';

export type AppStore = StoreApi<AppState> & {
  /** Stops listening to the core's events. */
  dispose(): void;
};

export function createStore(transport: Client): AppStore {
  // Every request goes through here: a refusal because the case file is gone (`case-gone`) raises the standing
  // warning whichever screen or form made the request (forms show their own errors and never reach notify).
  const client: Client = {
    mode: transport.mode,
    on: (channel, listener) => transport.on(channel, listener),
    pathForFile: (file) => transport.pathForFile(file),
    invoke: (async (channel: Parameters<Client['invoke']>[0], body: never) => {
      try {
        return await transport.invoke(channel, body);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'case-gone') store.getState().caseFileGone(err);
        throw err;
      }
    }) as Client['invoke'],
  };
  const store = createVanillaStore<AppState>()((set, get) => ({
    ...createAppSlice(set, get, client),
    ...createCaseSlice(set, get, client),
    ...createImportSlice(set, get, client),
    ...createFindingsSlice(set, get, client),
    ...createSelectionSlice(set, get, client),
    ...createTimelineSlice(set, get, client),
    ...createMapSlice(set, get, client),
    ...createExplorerSlice(set, get, client),
    ...createSettingsSlice(set, get, client),
    ...createJobsSlice(set, get, client),
    ...createAnnotationsSlice(set, get, client),
    ...createDraftsSlice(set, get, client),
  }));
  const unsubscribe = [
    client.on('jobs.progressed', (p) => store.getState().jobProgressed(p)),
    client.on('jobs.finished', (f) => store.getState().jobFinished(f)),
    client.on('case.changed', (info) => store.getState().caseChanged(info)),
    client.on('menu.invoked', (m) => runMenuAction(store.getState(), m)),
  ];
  return Object.assign(store, { dispose: () => unsubscribe.forEach((off) => off()) });
}

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside <StoreProvider>');
  return store;
}

/** Selects narrow state from the store; re-renders only when the selected value changes (Object.is). */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useStoreApi(), selector);
}

/** Like useApp, for selectors that build an object or array (compared shallowly). */
export function useAppShallow<T>(selector: (state: AppState) => T): T {
  return useStore(useStoreApi(), useShallow(selector));
}

/** The store itself, for event handlers that read state at call time. */
export function useAppStore(): AppStore {
  return useStoreApi();
}

export type { AppState } from './types';
