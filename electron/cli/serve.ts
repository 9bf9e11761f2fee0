// `crossline serve`: the workbench in a browser. Starts the core services and the loopback bridge over them,
// prints exactly one line on stdout when ready — `crossline serve: <url-with-token>` — and runs until
// interrupted. Everything else goes to stderr.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLoopbackServer } from '../core/bridge/loopback-server';
import { rendererDir } from '../core/app-paths';
import { createWorkbench } from '../core/services/workbench';

export interface ServeOptions {
  caseFile?: string;
  port?: number;
  /** The app's data folder (recent cases, the sample case); default a temporary folder removed on exit. */
  dataDir?: string;
  open: boolean;
  workers?: number;
}

/** Runs until SIGINT / SIGTERM; resolves with the exit code. */
export async function serve(options: ServeOptions): Promise<number> {
  const temporary = options.dataDir === undefined;
  const dataDir = temporary ? mkdtempSync(join(tmpdir(), 'crossline-serve-')) : resolve(options.dataDir!);
  mkdirSync(dataDir, { recursive: true });
  const service = createWorkbench({ dataDir, importWorkers: options.workers });
  const cleanup = async () => {
    await service.close();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };

  if (options.caseFile) {
    const file = resolve(options.caseFile);
    try {
      if (existsSync(file)) await service.handlers['case.open']({ file });
      else await service.handlers['case.create']({ file });
    } catch (err) {
      process.stderr.write(`crossline: ${(err as Error).message}\n`);
      await cleanup();
      return 3;
    }
  }

  let server;
  try {
    server = await startLoopbackServer({ service, staticDir: rendererDir(), port: options.port ?? 0 });
  } catch (err) {
    process.stderr.write(`crossline serve: cannot listen on 127.0.0.1:${options.port ?? 0}: ${(err as Error).message}\n`);
    await cleanup();
    return 1;
  }
  process.stdout.write(`crossline serve: ${server.openUrl}\n`);
  process.stderr.write(
    `data folder: ${dataDir}${temporary ? ' (temporary, removed on exit; --data DIR keeps it)' : ''}\n` +
      `${service.caseFile ? `case: ${service.caseFile}\n` : ''}` +
      'evidence paths are paths on this machine, typed or dropped into the page; press Ctrl+C to stop\n',
  );
  if (!existsSync(join(rendererDir(), 'index.html'))) process.stderr.write(`crossline serve: the user interface is not built (${rendererDir()}): run npm run build\n`);
  if (options.open) openInBrowser(server.openUrl);

  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('crossline serve: stopping\n');
  await server.close();
  await cleanup();
  return 0;
}

/** Opens the address with the platform's opener (xdg-open, open, start); if there is none, says so. */
export function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write(`crossline serve: could not start ${command}; open the address above in your browser\n`));
    child.unref();
  } catch {
    process.stderr.write(`crossline serve: could not start ${command}; open the address above in your browser\n`);
  }
}
