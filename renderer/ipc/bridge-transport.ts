// The loopback bridge transport (`crossline serve`): requests are `POST /rpc/<channel>` with a JSON body and
// the page's token in `x-crossline-token`; events arrive as Server-Sent Events from `GET /events?token=…`,
// the SSE event name being the channel and its data the JSON payload.
import type { EventChannel, Events, RequestChannel, RequestOf, ResponseOf, Result, Transport } from '../../shared/ipc/contract';

export interface BridgeOptions {
  /** `http://127.0.0.1:<port>`: the origin that served the page. */
  baseUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
  eventSourceImpl?: typeof EventSource;
}

function isResult(value: unknown): value is Result<unknown> {
  if (!value || typeof value !== 'object' || !('ok' in value)) return false;
  const v = value as { ok: unknown; error?: unknown };
  return v.ok === true || (v.ok === false && typeof v.error === 'object' && v.error !== null);
}

export function createBridgeTransport(options: BridgeOptions): Transport {
  const doFetch = options.fetchImpl ?? fetch.bind(globalThis);
  const ES = options.eventSourceImpl ?? EventSource;
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const attached = new Set<string>();

  function ensureSource(): EventSource {
    if (!source) source = new ES(`${options.baseUrl}/events?token=${encodeURIComponent(options.token)}`);
    return source;
  }

  function attach(channel: string): void {
    if (attached.has(channel)) return;
    attached.add(channel);
    ensureSource().addEventListener(channel, (e: Event) => {
      const data = (e as MessageEvent<string>).data;
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        console.warn(`crossline: unreadable ${channel} event`);
        return;
      }
      for (const listener of [...(listeners.get(channel) ?? [])]) (listener as (p: unknown) => void)(payload);
    });
  }

  return {
    async invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      const response = await doFetch(`${options.baseUrl}/rpc/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-crossline-token': options.token },
        body: JSON.stringify(request ?? {}),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { ok: false, error: { code: `http-${response.status}`, message: text.slice(0, 300) || response.statusText } };
      }
      if (isResult(body)) return body as Result<ResponseOf<C>>;
      return { ok: false, error: { code: `http-${response.status}`, message: 'The bridge answered without a result envelope.' } };
    },
    on<E extends EventChannel>(channel: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener as (payload: never) => void);
      attach(channel);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
  };
}
