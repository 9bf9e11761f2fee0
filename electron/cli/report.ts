// `crossline report CASE --format html|pdf|json|csv --out PATH [--what …] [--finding ID] [filter flags]`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EventFilter } from '../../shared/ipc/contract';
import { RequestValidationError, validateEventFilter } from '../../shared/ipc/validators';
import { ExportError, checkTarget, exportCase, recordExport, type ExportWhat } from '../core/report/export-report';
import { PDF_NEEDS_CHROMIUM, PdfPrintError, findChromium, htmlToPdf } from '../core/report/pdf';
import { stagedOutput } from '../core/report/export-target';
import { openCase } from '../db/connection';
import { parseTimestamp } from '../core/import/values';

type Values = Record<string, string | boolean | string[] | undefined>;

function fail(message: string): number {
  process.stderr.write(`crossline: ${message}\n`);
  return 2;
}

/**
 * A time flag: epoch ms, or ISO 8601 where a time without a zone is UTC, as every time the report prints is (Date.parse
 * read it in the machine's zone, and the audit log then recorded the shifted time).
 */
function timeArg(v: string, name: string): number {
  const n = /^-?\d+$/.test(v) ? Number(v) : parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (n === null || !Number.isFinite(n)) throw new RequestValidationError(`--${name}: not a time (ISO 8601, UTC unless it says otherwise, or epoch ms): ${v}`);
  return n;
}

/**
 * How much time `--to` takes in at the precision it was typed: `--to 2026-10-14` means through that day, and
 * `--to 2026-10-13T02:35:38Z` (a time copied from a finding) through that second. The filter's end is exclusive, so
 * the last call a finding shows had been left out of an export ending at its printed time.
 */
function precisionOf(v: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return 86_400_000;
  if (/[T ]\d{2}:\d{2}:\d{2}\.\d/.test(v) || /^-?\d+$/.test(v)) return 1;
  if (/[T ]\d{2}:\d{2}:\d{2}/.test(v)) return 1000;
  if (/[T ]\d{2}:\d{2}/.test(v)) return 60_000;
  return 1;
}

/** The explorer filter from the command line, validated like a request from the app. */
export function filterFromFlags(values: Values): EventFilter {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const raw: Record<string, unknown> = {
    fromMs: str('from') !== undefined ? timeArg(str('from')!, 'from') : undefined,
    toMs: str('to') !== undefined ? timeArg(str('to')!, 'to') + precisionOf(str('to')!.trim()) : undefined,
    principal: str('principal'), account: str('account'), sourceIp: str('source-ip'),
    asn: str('asn') !== undefined ? Number(str('asn')!.replace(/^AS/i, '')) : undefined,
    country: str('country'), action: str('action'), outcome: str('outcome'), credential: str('credential'), text: str('text'),
  };
  return validateEventFilter(raw, 'filter');
}

export function report(caseFile: string, values: Values, analyst: string): number {
  const format = values.format as string | undefined;
  const out = values.out as string | undefined;
  if (!format || !['html', 'pdf', 'json', 'csv'].includes(format)) return fail('report needs --format html, pdf, json or csv');
  if (!out) return fail('report needs --out PATH');
  const what = (values.what as ExportWhat | undefined) ?? (format === 'html' || format === 'pdf' ? 'report' : 'findings');
  if (!['report', 'findings', 'events', 'timeline', 'evidence'].includes(what)) return fail('--what must be report, findings, events, timeline or evidence');
  let findingId: number | undefined;
  if (values.finding !== undefined) {
    findingId = Number(values.finding);
    if (!Number.isInteger(findingId) || findingId < 1) return fail(`--finding must be a finding id, got '${values.finding}'`);
  }
  let filter: EventFilter;
  try {
    filter = filterFromFlags(values);
  } catch (err) {
    if (err instanceof RequestValidationError) return fail(err.message);
    throw err;
  }
  let chromium: string | null = null;
  if (format === 'pdf') {
    if (what !== 'report') return fail('pdf is for the report; use --format json or csv for findings, events and timelines');
    chromium = findChromium();
    if (!chromium) return fail(PDF_NEEDS_CHROMIUM);
  }
  const db = openCase(caseFile, { create: false });
  try {
    const overwrite = values.force === true;
    const options = { what, analyst, findingId, filter, format: format === 'pdf' ? ('html' as const) : (format as 'html' | 'json' | 'csv'), out, overwrite };
    if (format === 'pdf') {
      checkTarget(db, caseFile, out, overwrite);
      const dir = mkdtempSync(join(tmpdir(), 'crossline-report-'));
      const pdf = stagedOutput(out);
      try {
        const html = join(dir, 'report.html');
        const r = exportCase(db, caseFile, { ...options, out: html, audit: false });
        htmlToPdf(chromium!, html, pdf.tmp);
        pdf.commit();
        const bytes = statSync(out).size;
        recordExport(db, options, { format: 'pdf', file: out, rows: r.rows, bytes });
        process.stderr.write(`report: ${resolve(out)} (pdf, ${bytes.toLocaleString('en-US')} bytes, ${r.rows} findings)\n`);
      } finally {
        pdf.discard();
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      const r = exportCase(db, caseFile, options);
      process.stderr.write(`report: ${r.file} (${r.format} ${r.what}, ${r.bytes.toLocaleString('en-US')} bytes, ${r.rows} ${r.what === 'report' ? 'findings' : 'rows'})\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportError) return fail(err.code === 'exists' ? `${err.message} (--force replaces it)` : err.message);
    if (err instanceof PdfPrintError) {
      process.stderr.write(`crossline: ${err.message}\n`);
      return 4;
    }
    throw err;
  } finally {
    db.close();
  }
}
