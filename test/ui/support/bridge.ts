// Starts `crossline serve` (the loopback bridge over the real core) with a fresh data folder and waits for
// its readiness line, `crossline serve: <url>`: no sleeps, no polling of the port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const READY = /^crossline serve: (\S+)/m;

export interface Bridge {
  /** The page to open, token included. */
  url: string;
  dataDir: string;
  /** Everything the process wrote so far (for failure messages). */
  output(): string;
  /** One request to the core, as the renderer makes it (`POST /rpc/<channel>` with the token); throws its error. */
  rpc<T = unknown>(channel: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** The request half of the bridge's protocol (renderer/ipc/bridge-transport.ts), for tests that set a case up directly. */
async function rpcAt<T>(pageUrl: string, channel: string, body: unknown): Promise<T> {
  const url = new URL(pageUrl);
  const res = await fetch(`${url.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-crossline-token': url.searchParams.get('token') ?? '' },
    body: JSON.stringify(body),
  });
  const result = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
  return result.value as T;
}

/** The real bridge, or the renderer's fake one with CROSSLINE_UI_FAKE=1 (UI work without the core). */
export function bridgeCommand(dataDir: string): string[] {
  if (process.env.CROSSLINE_UI_FAKE === '1') return ['--import', 'tsx', join(REPO, 'test/ui/support/fake-bridge.ts')];
  return [join(REPO, 'bin/crossline.mjs'), 'serve', '--no-open', '--data', dataDir, '--port', '0'];
}

export async function startBridge(timeoutMs = 90_000): Promise<Bridge> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossline-ui-'));
  const child: ChildProcess = spawn(process.execPath, bridgeCommand(dataDir), {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CROSSLINE_NO_OPEN: '1' },
  });
  let out = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(new Error(`crossline serve printed no readiness line within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n--- output ---\n${out}`));
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = READY.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('exit', (code, signal) => fail(new Error(`crossline serve exited (${signal ?? code}) before it was ready`)));
    child.once('error', (err) => fail(err));
  });
  child.removeAllListeners('exit');
  return {
    url,
    dataDir,
    output: () => out,
    rpc: (channel, body) => rpcAt(url, channel, body),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
