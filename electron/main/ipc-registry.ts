// The IPC registration table, kept free of any runtime import of 'electron' so a plain Node test can check
// it: one handler per request channel of the contract, each behind the same wrapper (sender check,
// validation, the core service, the Result envelope).
import type { RequestChannel, Result } from '../../shared/ipc/contract';
import { dispatch } from '../core/services/dispatch';
import type { Handlers } from '../core/services/workbench';

/** The custom scheme and host the renderer is served from: `app://crossline/index.html`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'crossline';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Every request channel main answers. A mapped type over the contract, so a channel added there without a
 * line here fails the typecheck; the registration test compares the registered set with REQUEST_CHANNELS.
 */
export const IPC_TABLE: { readonly [C in RequestChannel]: 'service' } = {
  'app.about': 'service',
  'analyst.set': 'service',
  'case.create': 'service',
  'case.open': 'service',
  'case.openSample': 'service',
  'case.info': 'service',
  'case.check': 'service',
  'case.recent': 'service',
  'import.start': 'service',
  'jobs.cancel': 'service',
  'findings.list': 'service',
  'coverage.list': 'service',
  'import.history': 'service',
  'chain.timeline': 'service',
  'chain.map': 'service',
  'events.page': 'service',
  'events.get': 'service',
  'events.histogram': 'service',
  'settings.get': 'service',
  'settings.set': 'service',
  'correlate.run': 'service',
  'annotations.list': 'service',
  'annotations.save': 'service',
  'annotations.delete': 'service',
  'audit.list': 'service',
  'report.export': 'service',
};

interface FrameIds {
  processId: number;
  routingId: number;
}

/** What the sender check reads from Electron's IpcMainInvokeEvent. */
export interface SenderInfo {
  senderFrame: (FrameIds & { url: string; parent: unknown }) | null;
  sender: { mainFrame: FrameIds };
}

/** The slice of ipcMain used here (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderInfo, ...args: unknown[]) => Promise<Result<unknown>>): void;
}

/**
 * Whether an IPC message comes from our own window's top frame showing our app:// page: not a subframe,
 * not a navigated-away page, not a devtools extension.
 */
export function isTrustedSender(event: SenderInfo): boolean {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  // Compared by ids, not object identity: Electron may hand out different wrappers for the same frame.
  if (!frame || frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Registers one `ipcMain.handle` per channel of the table; returns the channels registered. */
export function registerIpc(ipc: IpcMainLike, service: { handlers: Handlers }, isTrusted: (event: SenderInfo) => boolean = isTrustedSender): RequestChannel[] {
  const channels = Object.keys(IPC_TABLE) as RequestChannel[];
  for (const channel of channels) {
    ipc.handle(channel, async (event, payload) => {
      if (!isTrusted(event)) return { ok: false, error: { code: 'forbidden', message: 'Refused: the request did not come from the Crossline window.' } };
      return dispatch(service, channel, payload);
    });
  }
  return channels;
}
