// Exports of a case: the HTML report (and PDF through Chromium, see pdf.ts), and JSON / CSV of the findings, of
// any explorer view (a filter) or of a chain's timeline. Rows are streamed: events are read a page at a time in
// the explorer's keyset order and written out, so a million events never sit in memory. Every export is recorded
// in the case's audit log after the file is written.
import type Database from 'better-sqlite3';
import { basename, resolve } from 'node:path';
import type { Annotation } from '../../../shared/domain/annotations';
import { stageOf, type Finding } from '../../../shared/domain/correlation';
import type { EventFilter, EventRow } from '../../../shared/ipc/contract';
import { listAnnotations } from '../../db/repos/annotations-repo';
import { appendAudit } from '../../db/repos/audit-repo';
import { readFindings } from '../../db/repos/chains-repo';
import { EventQueries, chainMembers, readChain } from '../../db/repos/workbench-repo';
import { FileSink, csvLine } from './csv';
import { readEvidenceWithProblems } from '../import/import-history';
import { readReportData } from './report-data';
import { renderReportHtml } from './render-html';
import { ExportTargetError, checkExportTarget, stagedOutput } from './export-target';

export type ExportFormat = 'html' | 'json' | 'csv';
export type ExportWhat = 'report' | 'findings' | 'events' | 'timeline' | 'evidence';

export interface ExportOptions {
  format: ExportFormat;
  /**
   * What to export: the report (html only), the findings, the events matching `filter`, a finding's timeline, or
   * the evidence list (every file with its size and SHA-256).
   */
  what: ExportWhat;
  out: string;
  analyst: string;
  findingId?: number;
  filter?: EventFilter;
  /** Replace an existing file at `out` (never a case file or the case's evidence). */
  overwrite?: boolean;
  /** The export time written into the HTML report (default now). */
  nowMs?: number;
  /** Events per read (tests use a small page to prove streaming). */
  pageSize?: number;
  /** What the audit log records (a PDF is made from an HTML export to a temporary file); false: not recorded. */
  audit?: { format: string; file: string } | false;
}

export interface ExportResult {
  file: string;
  format: ExportFormat;
  what: ExportWhat;
  bytes: number;
  rows: number;
}

export class ExportError extends Error {
  /** `exists`: the target is an ordinary existing file, which the analyst may choose to replace. */
  constructor(message: string, readonly code?: 'exists') {
    super(message);
  }
}

/**
 * `timeUtc`: the event's time in UTC (ISO 8601, milliseconds), beside `timeText` as the log wrote it: a log's own
 * offsets (+02:00 here, -05:00 there) had made a chain read backwards in the one readable time column.
 */
const EVENT_COLUMNS: readonly (keyof EventRow | 'timeUtc')[] = [
  'id', 'provider', 'nativeId', 'timeMs', 'timeUtc', 'timeText', 'service', 'action', 'outcome', 'errorCode', 'readOnly', 'principalType', 'principalName',
  'principalAccount', 'targetAccount', 'sourceIp', 'sourceService', 'userAgent', 'region', 'credentialId', 'country', 'city', 'asn', 'asOrg',
];
// stageOf: an Azure operation's earlier record (Started, Accepted) names the final record that stands for the operation.
const TIMELINE_COLUMNS = [...EVENT_COLUMNS, 'role', 'depth', 'link', 'category', 'offsetMs', 'newNetwork', 'stageOf'] as const;
// The evidence list as the report shows it: `given` (a top-level file or archive: the rows whose sizes add up to the
// bytes handed over; a member's bytes are inside its archive's), `archive` (an archive's own row), and `errors` split
// into records `outOfScope` (left out by design) and `unreadable` input. The first nine columns are as they were.
const EVIDENCE_COLUMNS = ['path', 'size', 'sha256', 'format', 'events', 'complete', 'duplicates', 'skipped', 'errors', 'given', 'archive', 'outOfScope', 'unreadable'] as const;
const FINDING_COLUMNS = [
  'id', 'severity', 'score', 'provider', 'entryEventId', 'entryAction', 'entryKind', 'entryTime', 'entryTimeMs', 'principal', 'sourceAccount', 'targetAccount',
  'vendor', 'entrySourceIp', 'conditionEntry', 'conditionPrivileged', 'conditionUnfamiliar', 'assumeEventIds', 'eventIds', 'privilegedEventIds', 'sourceIps',
  'privileged', 'attempted', 'operationStages', 'reasons', 'familiarity', 'verdict', 'tags', 'note', 'bookmarked', 'analyst',
] as const;

function findingAnnotations(db: Database.Database): Map<string, Annotation> {
  return new Map(listAnnotations(db, 'finding').map((a) => [`${a.target.provider}\u0000${(a.target as { entryEventId: string }).entryEventId}`, a]));
}

function findingRecord(f: Finding, a: Annotation | undefined): Record<(typeof FINDING_COLUMNS)[number], unknown> {
  const e = f.entry;
  return {
    id: f.id, severity: f.severity, score: f.score, provider: f.provider, entryEventId: e.eventId, entryAction: e.action, entryKind: e.kind,
    entryTime: new Date(e.timeMs).toISOString(), entryTimeMs: e.timeMs, principal: e.principal, sourceAccount: e.sourceAccount, targetAccount: e.targetAccount,
    vendor: e.vendor, entrySourceIp: e.sourceIp, conditionEntry: f.conditions.entry, conditionPrivileged: f.conditions.privileged,
    conditionUnfamiliar: f.conditions.unfamiliar, assumeEventIds: f.assumeEventIds.join(' '), eventIds: f.eventIds.join(' '),
    privilegedEventIds: f.privilegedEventIds.join(' '), sourceIps: f.sourceIps.join(' '), privileged: f.privileged,
    // Absent from findings stored before they were kept: an empty cell (not known), never [] or {} (none).
    attempted: f.attempted ?? null, operationStages: f.operationStages ?? null, reasons: f.reasons,
    familiarity: f.familiarity, verdict: a?.verdict ?? null, tags: a ? a.tags.join(' ') : null, note: a?.note ?? null, bookmarked: a?.bookmarked ?? false,
    analyst: a?.analyst ?? null,
  };
}

/** Streams every event matching `filter` in (time, id) order, a page at a time. */
export function* eventsMatching(db: Database.Database, filter: EventFilter, pageSize = 1000): Generator<EventRow> {
  const queries = new EventQueries(db);
  let after: { timeMs: number; id: number } | undefined;
  for (;;) {
    const { rows, hasMore } = queries.page(filter, after, pageSize);
    for (const r of rows) yield r;
    if (!hasMore || rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = { timeMs: last.timeMs, id: last.id };
  }
}

/** Writes an export to `options.out` (through a temporary file, renamed when complete) and records it in the audit log. */
export function exportCase(db: Database.Database, caseFile: string, options: ExportOptions): ExportResult {
  const out = resolve(options.out);
  const { format, what } = options;
  if (what === 'report' && format !== 'html') throw new ExportError(`the report is written as html (or pdf from it); use --what findings|events|timeline|evidence for ${format}`);
  if (what !== 'report' && format === 'html') throw new ExportError(`the ${what} export is written as json or csv: use --format json or csv (html and pdf are for the case report)`);
  if (what === 'timeline' && options.findingId === undefined) throw new ExportError('a timeline export needs a finding id (--finding ID)');
  // Refused rather than ignored: the whole case's events under a finding's name would pass for that finding's.
  if ((what === 'events' || what === 'evidence') && options.findingId !== undefined) {
    throw new ExportError(`the ${what} export is not per finding: a finding's events are its timeline (--what timeline --finding ${options.findingId})`);
  }
  // A filter the export would not apply is refused, not dropped: the audit log records the filters of every export.
  const unapplied = Object.entries(options.filter ?? {}).filter(([k, v]) => v !== undefined && what !== 'events' && !(what === 'timeline' && (k === 'fromMs' || k === 'toMs'))).map(([k]) => flagOf(k));
  if (unapplied.length) {
    throw new ExportError(`${unapplied.join(', ')}: ${what === 'timeline' ? 'a timeline export is filtered by time only (--from, --to)' : `the ${what} export is not filtered`}; the event filters apply to --what events`);
  }
  checkTarget(db, caseFile, out, options.overwrite);
  const staged = stagedOutput(out); // written beside the target, renamed into place when complete
  const sink = new FileSink(staged.tmp);
  let rows = 0;
  try {
    if (what === 'report') {
      const data = readReportData(db, caseFile, options.findingId !== undefined ? { findingIds: [options.findingId] } : {});
      if (options.findingId !== undefined && data.findings.length === 0) throw new ExportError(`no finding ${options.findingId} in this case`);
      sink.write(renderReportHtml(data, options.nowMs ?? Date.now()));
      rows = data.findings.length;
    } else if (what === 'findings') {
      const notes = findingAnnotations(db);
      const findings = readFindings(db).filter((f) => options.findingId === undefined || f.id === options.findingId);
      if (format === 'csv') sink.write(csvLine(FINDING_COLUMNS));
      else sink.write('[');
      for (const f of findings) {
        const rec = findingRecord(f, notes.get(`${f.provider}\u0000${f.entry.eventId}`));
        if (format === 'csv') sink.write(csvLine(FINDING_COLUMNS.map((c) => rec[c])));
        else sink.write(`${rows ? ',' : ''}\n${JSON.stringify({ ...f, annotation: notes.get(`${f.provider}\u0000${f.entry.eventId}`) ?? null })}`);
        rows++;
      }
      if (format === 'json') sink.write('\n]\n');
    } else if (what === 'evidence') {
      const evidence = readEvidenceWithProblems(db);
      if (format === 'csv') sink.write(csvLine(EVIDENCE_COLUMNS));
      for (const e of evidence) sink.write(format === 'csv' ? csvLine(EVIDENCE_COLUMNS.map((c) => e[c])) : `${rows++ ? ',' : '['}\n${JSON.stringify(e)}`);
      if (format === 'json') sink.write(evidence.length ? '\n]\n' : '[]\n');
      rows = evidence.length;
    } else {
      const columns: readonly string[] = what === 'events' ? EVENT_COLUMNS : TIMELINE_COLUMNS;
      let source: Iterable<Record<string, unknown>>;
      if (what === 'events') source = eventsMatching(db, options.filter ?? {}, options.pageSize) as Iterable<unknown> as Iterable<Record<string, unknown>>;
      else {
        const chain = readChain(db, options.findingId!);
        if (!chain) throw new ExportError(`no finding ${options.findingId} in this case (finding ids change when the correlator re-runs)`);
        const fresh = new Set(chain.finding.familiarity.filter((x) => !x.allowlisted && x.unfamiliar.some((u) => u.attributes.some((a) => a !== 'ip'))).map((x) => x.ip));
        const filter = options.filter ?? {};
        source = chainMembers(db, chain.id)
          .filter((m) => (filter.fromMs === undefined || m.timeMs >= filter.fromMs) && (filter.toMs === undefined || m.timeMs < filter.toMs))
          .map((m) => ({ ...m, newNetwork: m.sourceIp !== null && fresh.has(m.sourceIp), stageOf: stageOf(chain.finding, m.nativeId) }));
      }
      if (format === 'csv') sink.write(csvLine(columns));
      else sink.write('[');
      for (const row of source) {
        const { id, provider, nativeId, timeMs, ...rest } = row;
        const r = { id, provider, nativeId, timeMs, timeUtc: new Date(timeMs as number).toISOString(), ...rest };
        if (format === 'csv') sink.write(csvLine(columns.map((c) => (r as Record<string, unknown>)[c])));
        else sink.write(`${rows ? ',' : ''}\n${JSON.stringify(r)}`);
        rows++;
      }
      if (format === 'json') sink.write('\n]\n');
    }
    sink.close();
    staged.commit();
  } catch (err) {
    try {
      sink.close();
    } catch {
      // already closed
    }
    staged.discard();
    throw err;
  }
  if (options.audit !== false) recordExport(db, options, { format: options.audit?.format ?? format, file: options.audit?.file ?? out, rows, bytes: sink.bytes });
  return { file: out, format, what, bytes: sink.bytes, rows };
}

/**
 * Refuses a target the export must not take the place of (export-target.ts), as an ExportError; `exists` marks an
 * ordinary existing file the analyst may choose to replace (`--force`, or the app's Replace).
 */
export function checkTarget(db: Database.Database, caseFile: string, out: string, overwrite?: boolean): void {
  try {
    checkExportTarget(db, caseFile, out, overwrite);
  } catch (err) {
    if (err instanceof ExportTargetError) throw new ExportError(err.message, err.kind === 'exists' ? 'exists' : undefined);
    throw err;
  }
}

/** The command-line flag of an EventFilter field (`fromMs` → `--from`, `sourceIp` → `--source-ip`). */
function flagOf(key: string): string {
  return `--${key.replace(/Ms$/, '').replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;
}

/** Records an export in the audit log (the file's name, not its folder: paths may name the analyst's machine layout). */
export function recordExport(db: Database.Database, options: ExportOptions, done: { format: string; file: string; rows: number; bytes: number }): void {
  const { what } = options;
  appendAudit(db, options.analyst, 'export', {
    format: done.format, what, file: basename(done.file), rows: done.rows, bytes: done.bytes,
    ...(options.findingId !== undefined ? { findingId: options.findingId } : {}),
    ...(options.filter && Object.keys(options.filter).length ? { filter: options.filter } : {}),
  });
}
