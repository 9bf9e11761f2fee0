// The sandboxed preload: exposes exactly the IPC contract to the page as `window.crossline`, and nothing
// else — no ipcRenderer, no Node. Channels outside the contract's lists are refused here, before main
// (which checks the sender and validates every request again).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../shared/ipc/contract';

const requests = new Set<string>(REQUEST_CHANNELS);
const events = new Set<string>(EVENT_CHANNELS);

contextBridge.exposeInMainWorld('crossline', {
  /** Resolves with the contract's Result envelope, never rejects for a refused request. */
  invoke(channel: string, request: unknown): Promise<unknown> {
    if (!requests.has(channel)) return Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: `Unknown request channel ${String(channel).slice(0, 80)}` } });
    return ipcRenderer.invoke(channel, request);
  },
  /** Subscribes to an event of the contract; returns the unsubscribe function. The IPC event object stays here. */
  on(channel: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(channel)) throw new Error(`Unknown event channel ${String(channel).slice(0, 80)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  /** The absolute path of a dropped or picked File (Electron 32+ no longer puts it on File.path). */
  pathForFile(file: unknown): string {
    return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
  },
});
