// The loopback HTTP bridge: the same contract as Electron's IPC, for the renderer running in a plain browser
// (`crossline serve`, `npm start` without Electron, the Playwright UI tests). Bound to 127.0.0.1 on a random
// port, with a random 32-byte token.
//
// Who must show the token:
//   POST /rpc/<channel>  the `x-crossline-token` header (a page elsewhere cannot set a custom header on a
//                        request to us without a CORS preflight, which is never granted);
//   GET  /events         the header, or `?token=` (EventSource cannot send headers);
//   GET  / (index.html)  the header, or `?token=`: the URL to open is `<url>/?token=…`, and the page reads the
//                        token from its own address. Nothing else is set (no cookie, no session).
// The other static files (the built renderer's scripts, styles, fonts, map data) are the app's public code,
// the same for everyone, holding no case data; a browser fetches them without any way to add a header, so
// they are served to any request that passes the Host check. Every request, with or without a token, must
// name `127.0.0.1:<port>` as its Host, which defeats DNS rebinding.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EVENT_CHANNELS, type EventChannel, type Events, type Result } from '../../../shared/ipc/contract';
import { SECURITY_HEADERS } from '../security';
import { dispatch } from '../services/dispatch';
import type { Handlers } from '../services/workbench';
import { resolveStatic } from './static-files';

export interface BridgeService {
  handlers: Handlers;
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export interface LoopbackOptions {
  service: BridgeService;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** 64 hex characters (32 random bytes). */
  token: string;
  /** The address to open in a browser: `${url}/?token=${token}`. */
  openUrl: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-crossline-token';
/** Largest request body accepted (a settings object with long allowlists is the biggest legitimate one). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const SSE_KEEPALIVE_MS = 15_000;

export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  const token = randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const streams = new Set<ServerResponse>();
  let port = 0;

  const tokenOk = (given: string | null | undefined): boolean => {
    if (typeof given !== 'string') return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, value: Result<unknown>) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  const refuse = (res: ServerResponse, status: number, code: string, message: string) => sendJson(res, status, { ok: false, error: { code, message } });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => {
      log(`crossline serve: ${req.method} ${req.url}: ${err.stack ?? err.message}`);
      if (!res.headersSent) refuse(res, 500, 'internal', err.message);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own name as Host.
    if (req.headers.host !== `127.0.0.1:${port}`) return refuse(res, 403, 'forbidden', 'Wrong Host header: use the address crossline serve printed.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const header = req.headers[TOKEN_HEADER];
    const headerToken = Array.isArray(header) ? header[0] : header;
    const method = req.method ?? 'GET';

    if (url.pathname.startsWith('/rpc/')) {
      if (method !== 'POST') return refuse(res, 405, 'bad-request', 'Use POST for /rpc/<channel>.');
      if (!tokenOk(headerToken)) return refuse(res, 401, 'forbidden', `Missing or wrong ${TOKEN_HEADER} header.`);
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) return refuse(res, 415, 'bad-request', 'The body must be application/json.');
      const body = await readBody(req);
      if (body === null) return refuse(res, 413, 'bad-request', `The body is over ${MAX_BODY_BYTES} bytes.`);
      let payload: unknown;
      try {
        payload = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
      } catch {
        return refuse(res, 400, 'bad-request', 'The body is not valid JSON.');
      }
      const channel = decodeURIComponent(url.pathname.slice('/rpc/'.length));
      return sendJson(res, 200, await dispatch(options.service, channel, payload, log));
    }

    if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'bad-request', 'Only GET and HEAD outside /rpc/.');
    const given = headerToken ?? url.searchParams.get('token');

    if (url.pathname === '/events') {
      if (!tokenOk(given)) return refuse(res, 401, 'forbidden', 'Missing or wrong token.');
      return openEventStream(res);
    }

    const hit = resolveStatic(options.staticDir, url.pathname);
    if (hit.kind === 'bad') return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.\n');
    if (hit.kind === 'missing') {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        if (!tokenOk(given)) return send(res, 401, 'text/plain; charset=utf-8', 'Open the address crossline serve printed (it carries the token).\n');
        return send(res, 503, 'text/html; charset=utf-8', NOT_BUILT(options.staticDir));
      }
      return send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    }
    if (hit.isPage && !tokenOk(given)) return send(res, 401, 'text/plain; charset=utf-8', 'Open the address crossline serve printed (it carries the token).\n');
    res.writeHead(200, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': hit.type });
    if (method === 'HEAD') return void res.end();
    createReadStream(hit.file).on('error', () => res.destroy()).pipe(res);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n: crossline events\n\n');
    streams.add(res);
    const offs = EVENT_CHANNELS.map((channel) =>
      options.service.on(channel, (payload) => {
        res.write(`event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const ping = setInterval(() => res.write(': ping\n\n'), SSE_KEEPALIVE_MS);
    ping.unref();
    res.on('close', () => {
      clearInterval(ping);
      for (const off of offs) off();
      streams.delete(res);
    });
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    openUrl: `${url}/?token=${token}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const s of streams) s.end();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const NOT_BUILT = (dir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crossline</title></head>
<body><h1>Crossline</h1><p>The user interface is not built (${existsSync(join(dir, '..')) ? 'no index.html in' : 'missing'} ${escapeHtml(dir)}).
Run <code>npm run build</code>, then restart <code>crossline serve</code>. The request API at /rpc/ works meanwhile.</p></body></html>
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
