// The renderer's only door to the core. It picks the transport (Electron's preload when present, else the
// loopback HTTP bridge that served this page), unwraps the Result envelope into values or thrown
// IpcErrors, and is called by store actions only: components never talk to the core directly.
import type { EventChannel, Events, RequestChannel, RequestOf, ResponseOf, Result, Transport } from '../../shared/ipc/contract';
import { createBridgeTransport } from './bridge-transport';

/** What the Electron preload exposes as `window.crossline`: the contract's transport plus a file's path. */
export interface PreloadApi extends Transport {
  /** The absolute path of a File from a file input or a drop (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    crossline?: PreloadApi;
  }
}

/** A failed request: `code` comes from the core (or `transport` when the request never got an answer). */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly channel: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

export interface Client {
  /** `electron`: native dialogs and drag and drop give real paths; `browser`: paths are typed as text. */
  readonly mode: 'electron' | 'browser' | 'test';
  invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventChannel>(channel: E, listener: (payload: Events[E]) => void): () => void;
  /** A dropped or picked file's path, when the transport can know it (Electron only). */
  pathForFile(file: File): string | null;
}

/** Wraps a Transport into a Client that throws on `{ ok: false }`. */
export function clientFromTransport(transport: Transport, mode: Client['mode'], pathForFile: (file: File) => string | null = () => null): Client {
  return {
    mode,
    async invoke(channel, request) {
      let result: Result<ResponseOf<typeof channel>>;
      try {
        result = await transport.invoke(channel, request);
      } catch (err) {
        throw new IpcError('transport', err instanceof Error ? err.message : String(err), channel);
      }
      if (result.ok) return result.value;
      throw new IpcError(result.error.code, result.error.message, channel);
    },
    on: (channel, listener) => transport.on(channel, listener),
    pathForFile,
  };
}

/** The client for this page: the preload's in Electron, the loopback bridge's in a browser. */
export function createClient(win: Window = window): Client {
  const preload = win.crossline;
  if (preload) {
    return clientFromTransport(preload, 'electron', (file) => {
      try {
        return preload.pathForFile(file) || null;
      } catch {
        return null;
      }
    });
  }
  const url = new URL(win.location.href);
  const token = url.searchParams.get('token') ?? win.sessionStorage.getItem('crossline.token');
  if (!token) throw new IpcError('no-token', 'This page was opened without its access token. Open the address printed by `crossline serve`.', 'transport');
  win.sessionStorage.setItem('crossline.token', token);
  return clientFromTransport(createBridgeTransport({ baseUrl: url.origin, token }), 'browser');
}
