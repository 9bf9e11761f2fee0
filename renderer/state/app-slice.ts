import type { About } from '../../shared/ipc/contract';
import type { Client } from '../ipc/client';
import { errorText, type SliceCreator } from './types';

export type Screen = 'start' | 'import' | 'findings' | 'timeline' | 'explorer' | 'map' | 'settings';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface AppSlice {
  /** How the core is reached: in Electron, files picked or dropped have real paths. */
  clientMode: Client['mode'];
  /** A picked or dropped file's absolute path (Electron), else null. */
  pathForFile(file: File): string | null;
  screen: Screen;
  notices: Notice[];
  about: About | null;
  navigate(screen: Screen): void;
  /** Shows an error (or a message) to the analyst; returns its id so it can be dismissed. */
  notify(kind: Notice['kind'], messageOrError: unknown): number;
  dismissNotice(id: number): void;
  loadAbout(): Promise<void>;
  /** This install's analyst name, recorded in annotations and the audit log from now on. */
  setAnalyst(name: string): Promise<boolean>;
}

let nextNotice = 1;

export const createAppSlice: SliceCreator<AppSlice> = (set, get, client) => ({
  clientMode: client.mode,
  pathForFile: (file) => client.pathForFile(file),
  screen: 'start',
  notices: [],
  about: null,
  navigate(screen) {
    set({ screen });
  },
  notify(kind, messageOrError) {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text: errorText(messageOrError) }] }));
    return id;
  },
  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
  async setAnalyst(name) {
    try {
      const saved = await client.invoke('analyst.set', { name });
      set((s) => ({ about: s.about ? { ...s.about, analyst: saved.name } : s.about }));
      return true;
    } catch (err) {
      get().notify('error', err);
      return false;
    }
  },
  async loadAbout() {
    try {
      set({ about: await client.invoke('app.about', {}) });
    } catch (err) {
      get().notify('error', err);
    }
  },
});
