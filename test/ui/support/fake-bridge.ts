// A stand-in for `crossline serve` over the renderer's in-memory fake client: same URL shape, same
// `crossline serve: <url>` readiness line, same /rpc and /events protocol. For working on the UI (and its
// tests) without the core: `node --import tsx test/ui/support/fake-bridge.ts [--port N]`, or
// CROSSLINE_UI_FAKE=1 for the Playwright suite. The real suite runs against the real bridge.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFakeClient } from '../../../renderer/ipc/fake-client';
import { EVENT_CHANNELS, REQUEST_CHANNELS, type RequestChannel } from '../../../shared/ipc/contract';

const root = join(process.cwd(), 'out', 'renderer');
const token = randomBytes(16).toString('hex');
const client = createFakeClient({ stepMs: 150, mode: 'browser' });
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.json': 'application/json' };

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname.startsWith('/rpc/')) {
    if (req.headers['x-crossline-token'] !== token) return void res.writeHead(403).end();
    const channel = decodeURIComponent(url.pathname.slice(5)) as RequestChannel;
    let body = '';
    for await (const chunk of req) body += chunk;
    res.setHeader('content-type', 'application/json');
    if (!(REQUEST_CHANNELS as readonly string[]).includes(channel)) return void res.writeHead(404).end(JSON.stringify({ ok: false, error: { code: 'unknown-channel', message: channel } }));
    try {
      const value = await client.invoke(channel, JSON.parse(body || '{}'));
      res.end(JSON.stringify({ ok: true, value }));
    } catch (err) {
      const e = err as { code?: string; message?: string };
      res.end(JSON.stringify({ ok: false, error: { code: e.code ?? 'error', message: e.message ?? String(err) } }));
    }
    return;
  }
  if (req.method === 'GET' && url.pathname === '/events') {
    if (url.searchParams.get('token') !== token) return void res.writeHead(403).end();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const offs = EVENT_CHANNELS.map((channel) => client.on(channel, (payload) => res.write(`event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`)));
    req.on('close', () => offs.forEach((off) => off()));
    return;
  }
  const path = normalize(url.pathname === '/' ? '/index.html' : url.pathname);
  if (path.includes('..')) return void res.writeHead(400).end();
  try {
    const data = await readFile(join(root, path));
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(data);
  } catch {
    res.writeHead(404).end();
  }
});

const portArg = process.argv.indexOf('--port');
server.listen(portArg > 0 ? Number(process.argv[portArg + 1]) : 0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`crossline serve: http://127.0.0.1:${port}/?token=${token}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
