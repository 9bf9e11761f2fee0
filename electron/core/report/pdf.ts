// PDF from the HTML report through a headless Chromium (Debian's /usr/bin/chromium), with every background
// network feature off: the report has no external resources and its CSP forbids them, so Chromium only renders.
// In the Electron app, main prints the same HTML with webContents.printToPDF instead (electron/main).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const PDF_NEEDS_CHROMIUM = `PDF export needs Chromium (${CANDIDATES[0]}, or set CROSSLINE_CHROMIUM to a Chromium / Chrome binary); use --format html and print it`;

/** The Chromium to print with: CROSSLINE_CHROMIUM, else the first installed candidate, else null. */
export function findChromium(): string | null {
  const env = process.env.CROSSLINE_CHROMIUM;
  if (env) return existsSync(env) ? env : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

/** Chromium ran but left no PDF: its exit status and last lines of output. */
export class PdfPrintError extends Error {
  override name = 'PdfPrintError';
}

/** Prints an HTML file to PDF; throws PdfPrintError with Chromium's output when it fails. */
export function htmlToPdf(chromium: string, htmlFile: string, pdfFile: string, timeoutMs = 120_000): void {
  const out = resolve(pdfFile);
  const r = spawnSync(
    chromium,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-default-apps', '--no-default-browser-check',
      `--print-to-pdf=${out}`, pathToFileURL(resolve(htmlFile)).href,
    ],
    { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 24 },
  );
  if (r.error || r.status !== 0 || !existsSync(out) || statSync(out).size === 0) {
    throw new PdfPrintError(`Chromium (${chromium}) could not print the report (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`);
  }
}
