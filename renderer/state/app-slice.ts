import type { About, CaseInfo } from '../../shared/ipc/contract';
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
  /**
   * The core refused a request because the open case's file was deleted, moved or replaced on disk: said until
   * another case (or the same one, again) is opened, since every later save would fail too. `caseInfo` is the
   * header it was raised under: a case opened since has another.
   */
  caseGone: { text: string; caseInfo: CaseInfo | null } | null;
  about: About | null;
  navigate(screen: Screen): void;
  /** A request was refused with `case-gone` (raised by the store's client wrapper). */
  caseFileGone(err: unknown): void;
  /** Shows an error (or a message) to the analyst; returns its id so it can be dismissed. */
  notify(kind: Notice['kind'], messageOrError: unknown): number;
  dismissNotice(id: number): void;
  loadAbout(): Promise<void>;
  /** This install's analyst name, recorded in annotations and the audit log from now on. */
  setAnalyst(name: string): Promise<boolean>;
}

let nextNotice = 1;
const NOTICE_INFO_MS = 6_000;
const NOTICE_ERROR_MS = 20_000;

export const createAppSlice: SliceCreator<AppSlice> = (set, get, client) => ({
  clientMode: client.mode,
  pathForFile: (file) => client.pathForFile(file),
  screen: 'start',
  notices: [],
  caseGone: null,
  about: null,
  navigate(screen) {
    // A notice is about the screen it was raised on: it would cover the next screen's controls (each screen keeps its
    // own errors in view where they matter: import problems, form messages).
    set((s) => ({ screen, notices: screen === s.screen ? s.notices : [] }));
  },
  caseFileGone(err) {
    set({ caseGone: { text: errorText(err), caseInfo: get().caseInfo } });
  },
  notify(kind, messageOrError) {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-2), { id, kind, text: errorText(messageOrError) }] }));
    // Long enough to read an error twice; the × closes it sooner.
    setTimeout(() => get().dismissNotice(id), kind === 'error' ? NOTICE_ERROR_MS : NOTICE_INFO_MS);
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
