// The renderer is served from app://crossline/ (a standard, secure scheme) instead of file://: one origin
// for the CSP's 'self', no access to the rest of the disk, and the same headers as the loopback bridge.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { resolveStatic } from '../core/bridge/static-files';
import { SECURITY_HEADERS } from '../core/security';
import { APP_HOST, APP_SCHEME } from './ipc-registry';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

/** Serves the built renderer folder under app://crossline/ (after the app is ready). */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-store' };
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('Not found', { status: 404, headers });
    const hit = resolveStatic(rendererDir, url.pathname);
    if (hit.kind === 'file') return new Response(await readFile(hit.file), { status: 200, headers: { ...headers, 'content-type': hit.type } });
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const page = `<!doctype html><meta charset="utf-8"><title>Crossline</title><h1>Crossline</h1><p>The user interface is not built (${rendererDir.replace(/[&<>"]/g, '')}). Run <code>npm run build</code>.</p>`;
      return new Response(page, { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
    }
    return new Response('Not found', { status: hit.kind === 'bad' ? 400 : 404, headers });
  });
}
