// The store's shape: one zustand store composed of slices, each a function of (set, get, client).
import type { StoreApi } from 'zustand/vanilla';
import type { Client } from '../ipc/client';
import type { AnnotationsSlice } from './annotations-slice';
import type { AppSlice } from './app-slice';
import type { CaseSlice } from './case-slice';
import type { DraftsSlice } from './drafts-slice';
import type { ExplorerSlice } from './explorer-slice';
import type { FindingsSlice } from './findings-slice';
import type { ImportSlice } from './import-slice';
import type { JobsSlice } from './jobs-slice';
import type { MapSlice } from './map-slice';
import type { SelectionSlice } from './selection-slice';
import type { SettingsSlice } from './settings-slice';
import type { TimelineSlice } from './timeline-slice';

export type AppState = AppSlice & CaseSlice & ImportSlice & FindingsSlice & SelectionSlice & TimelineSlice & MapSlice & ExplorerSlice & SettingsSlice & JobsSlice & AnnotationsSlice & DraftsSlice;

export type SetState = StoreApi<AppState>['setState'];
export type GetState = StoreApi<AppState>['getState'];

export type SliceCreator<T> = (set: SetState, get: GetState, client: Client) => T;

/** Async state of one remote value. */
export interface Loadable<T> {
  value: T;
  loading: boolean;
  error: string | null;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
