// The core services of the desktop workbench: one object holding the open case (a connection for reads and
// small writes on this thread) and the job runner (imports and correlations in worker threads, one at a
// time), with one function per request channel of the contract. Electron's IPC handlers and the loopback
// bridge both call exactly these functions (through dispatch.ts), so the app and browser mode cannot drift.
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { stageOf, type Familiarity } from '../../../shared/domain/correlation';
import type { ImportStats } from '../../../shared/domain/evidence';
import { DEFAULT_SAMPLE, type SampleId } from '../../../shared/domain/samples';
import type {
  About, CaseInfo, EventChannel, Events, JobFinished, RequestChannel, RequestOf, ResponseOf, TimelineEvent,
} from '../../../shared/ipc/contract';
import { CASE_EXTENSION, CaseBusyError, CaseVersionError, openCase } from '../../db/connection';
import { deleteAnnotation, listAnnotations, saveAnnotation } from '../../db/repos/annotations-repo';
import { appendAudit, readAudit } from '../../db/repos/audit-repo';
import { latestRun, readFindings, readCoverage } from '../../db/repos/chains-repo';
import { RawRecords } from '../import/raw-records';
import { readCorrelationSettings, writeCorrelationSettings } from '../../db/repos/settings-repo';
import { EventQueries, chainMap, chainMembers, isCaseComplete, readCaseInfo, readChain } from '../../db/repos/workbench-repo';
import { installAnalyst, storeAnalyst } from '../analyst';
import { appVersion, sampleEvidenceDir } from '../app-paths';
import { ExportError, checkTarget, exportCase, recordExport } from '../report/export-report';
import { PDF_NEEDS_CHROMIUM, findChromium, htmlToPdf } from '../report/pdf';
import { stagedOutput } from '../report/export-target';
import { loadPrivilegedCatalog } from '../correlate/catalog';
import type { CorrelateProgress, CorrelateStats } from '../correlate/correlate';
import { runCorrelation } from '../correlate/run-correlation';
import { describeBundledGeoSources, type GeoSource } from '../enrich/geo-enricher';
import { runImport } from '../import/run-import';
import { readImportHistory } from '../import/import-history';
import { JobRunner, type JobContext, type JobOutcome } from '../jobs/job-runner';
import { RecentCases } from './recent-cases';
import { ServiceError } from './service-error';

export interface WorkbenchOptions {
  /** The app's own folder: Electron's userData, or a temporary / --data folder in browser mode. */
  dataDir: string;
  /** Parse workers per import (default: one per core). */
  importWorkers?: number;
  /** Where slow queries are reported (over SLOW_QUERY_MS); default stderr. */
  log?: (line: string) => void;
  /**
   * The analyst's name for this install when none is stored yet in `<dataDir>/analyst.json` (default: the
   * CROSSLINE_ANALYST environment variable, else the OS user name). Stored the first time, then fixed.
   */
  analyst?: string;
  /** Prints an HTML file to PDF (Electron main: webContents.printToPDF); default: a headless Chromium if installed. */
  printToPdf?: (htmlFile: string, pdfFile: string) => Promise<void>;
}

/** One function per request channel; each may throw a ServiceError (or anything, reported as `internal`). */
export type Handlers = { [C in RequestChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

type Listener<E extends EventChannel> = (payload: Events[E]) => void;

/** Queries slower than this are logged (house style: every UI query is paged and indexed). */
export const SLOW_QUERY_MS = 40;
/** Import problems carried in a jobs.finished event; the case keeps them all (case.info counts them). */
const MAX_PROBLEMS_IN_EVENT = 500;
/** Share of an import job's progress bar given to the import (the correlation after it takes the rest). */
const IMPORT_SHARE = 0.9;

interface OpenCase {
  file: string;
  /** The file's device and inode when it was opened: a case deleted, moved or replaced meanwhile no longer matches. */
  identity: FileIdentity;
  db: Database.Database;
  queries: EventQueries;
  raw: RawRecords;
}

export class Workbench {
  readonly handlers: Handlers;
  readonly dataDir: string;
  private open: OpenCase | null = null;
  private readonly listeners = new Map<EventChannel, Set<Listener<never>>>();
  private readonly jobs: JobRunner;
  private readonly recent: RecentCases;
  private readonly log: (line: string) => void;
  private about: Pick<About, 'version' | 'catalogVersion'> | null = null;
  private closed = false;
  /** The analyst recorded in annotations and the audit log. */
  analyst: string;

  constructor(private readonly options: WorkbenchOptions) {
    this.dataDir = resolve(options.dataDir);
    mkdirSync(this.dataDir, { recursive: true });
    this.recent = new RecentCases(this.dataDir);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.analyst = installAnalyst(this.dataDir, options.analyst);
    this.jobs = new JobRunner({
      progressed: (p) => this.emit('jobs.progressed', p),
      finished: (f) => this.emit('jobs.finished', f),
      settled: () => this.caseChanged(),
    });
    this.handlers = {
      'app.about': async () => this.appAbout(),
      'analyst.set': async ({ name }) => {
        this.analyst = storeAnalyst(this.dataDir, name);
        return { name: this.analyst };
      },
      'case.create': async ({ file }) => this.caseCreate(file),
      'case.open': async ({ file }) => this.caseOpen(file),
      'case.openSample': async ({ sample }) => this.caseOpenSample(sample ?? DEFAULT_SAMPLE),
      'case.info': async () => (this.open ? this.info(this.need()) : null),
      // The app's periodic check that the file is still there: need() is one stat of the file, no reads of the case.
      'case.check': async () => {
        if (this.open) this.need();
        return { open: this.open !== null };
      },
      'case.recent': async () => this.recent.list(),
      'import.start': async ({ paths }) => ({ jobId: this.importStart(paths) }),
      'import.history': async () => this.timed('import.history', () => readImportHistory(this.need().db)),
      'jobs.cancel': async ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),
      'findings.list': async () => this.timed('findings.list', () => readFindings(this.need().db)),
      'coverage.list': async () => this.timed('coverage.list', () => readCoverage(this.need().db)),
      'chain.timeline': async ({ findingId }) => this.chainTimeline(findingId),
      'chain.map': async ({ findingId }) => this.timed('chain.map', () => chainMap(this.need().db, this.chain(findingId))),
      'events.page': async ({ filter, after, limit }) =>
        this.timed('events.page', () => {
          const { rows, hasMore } = this.need().queries.page(filter, after, limit);
          return { rows, hasMore };
        }),
      'events.get': async ({ id }) => this.eventGet(id),
      'events.histogram': async ({ filter, buckets }) =>
        this.timed('events.histogram', () => {
          const { fromMs, toMs, bucketMs, counts } = this.need().queries.histogram(filter, buckets);
          return { fromMs, toMs, bucketMs, counts };
        }),
      'settings.get': async () => readCorrelationSettings(this.need().db),
      'settings.set': async ({ settings }) => {
        const c = this.need();
        for (const [kind, file] of Object.entries(settings.geo)) {
          if (file !== undefined && !isFile(file)) throw new ServiceError('bad-request', `settings.geo.${kind}: no such file: ${file}`);
        }
        const before = readCorrelationSettings(c.db);
        c.db.transaction(() => {
          writeCorrelationSettings(c.db, settings);
          appendAudit(c.db, this.analyst, 'settings.change', { before, after: settings });
        })();
        return { jobId: this.correlateJob(c.file) };
      },
      'correlate.run': async () => ({ jobId: this.correlateJob(this.need().file) }),
      'annotations.list': async () => listAnnotations(this.need().db),
      'annotations.save': async (input) => {
        const c = this.need();
        return c.db.transaction(() => {
          const { annotation, previous } = saveAnnotation(c.db, input, this.analyst);
          appendAudit(c.db, this.analyst, previous ? 'annotation.edit' : 'annotation.add', {
            target: input.target, verdict: input.verdict, tags: input.tags, note: input.note, bookmarked: input.bookmarked,
            ...(previous ? { before: { verdict: previous.verdict, tags: previous.tags, note: previous.note, bookmarked: previous.bookmarked } } : {}),
          });
          return annotation;
        })();
      },
      'annotations.delete': async ({ id }) => {
        const c = this.need();
        return c.db.transaction(() => {
          const gone = deleteAnnotation(c.db, id);
          if (gone) appendAudit(c.db, this.analyst, 'annotation.delete', { id, target: gone.target, verdict: gone.verdict, tags: gone.tags, note: gone.note, bookmarked: gone.bookmarked });
          return { deleted: gone !== null };
        })();
      },
      'audit.list': async ({ limit }) => readAudit(this.need().db, limit === undefined ? {} : { limit }),
      'report.export': async (request) => this.reportExport(request),
    };
  }

  // ---- events ----

  /** Subscribes to an event of the contract; returns the unsubscribe function. */
  on<E extends EventChannel>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Sends an event to every subscriber (a listener that throws does not stop the others). */
  emit<E extends EventChannel>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<E>)(payload);
      } catch (err) {
        this.log(`crossline: ${event} listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** The recent cases (for the native File menu). */
  recentCases() {
    return this.recent.list();
  }

  /** The open case file, if any. */
  get caseFile(): string | null {
    return this.open?.file ?? null;
  }

  /** Cancels jobs and closes the case; the object is unusable afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.jobs.cancelAll();
    this.open?.db.close();
    this.open = null;
  }

  /** Resolves when no job is running or queued (tests, shutdown). */
  idle(): Promise<void> {
    return this.jobs.idle();
  }

  // ---- cases ----

  /**
   * The open case, still on disk as opened. SQLite keeps writing to a deleted file through its open descriptor, so an
   * annotation saved after the case file was deleted (or moved, or replaced) was reported saved and then lost with
   * the file: every request checks first (one stat, microseconds) and refuses with `case-gone`.
   */
  private need(): OpenCase {
    if (!this.open) throw new ServiceError('no-case', 'No case is open: create, open or import into a case first.');
    if (!sameFile(this.open.file, this.open.identity)) {
      throw new ServiceError('case-gone', `The case file ${this.open.file} was deleted, moved or replaced while it was open: nothing more can be read from it or saved to it. Open the case again where it is now (unsaved annotation text stays in the drafts list).`);
    }
    return this.open;
  }

  private info(c: OpenCase): CaseInfo {
    return this.timed('case.info', () => readCaseInfo(c.db, c.file));
  }

  private caseChanged(): void {
    if (this.open && !this.closed && sameFile(this.open.file, this.open.identity)) this.emit('case.changed', this.info(this.open));
  }

  /** Switching cases while a job writes the current one would strand the job: refuse, with a way out. */
  private assertIdle(): void {
    if (this.jobs.busy) {
      const r = this.jobs.running;
      throw new ServiceError('busy', `A${r?.kind === 'import' ? 'n import' : ' correlation'} is running on the open case${r ? ` (job ${r.id})` : ''}; wait for it or cancel it first.`);
    }
  }

  private attach(file: string, db: Database.Database): CaseInfo {
    this.open?.db.close();
    // The explorer reads a lot: a 64 MiB page cache keeps a million events' indexes warm.
    db.pragma('cache_size = -65536');
    this.open = { file, identity: fileIdentity(file), db, queries: new EventQueries(db), raw: new RawRecords(db) };
    this.recent.add(file, basename(file, extname(file)));
    const info = this.info(this.open);
    this.emit('case.changed', info);
    return info;
  }

  private openFile(file: string, create: boolean): Database.Database {
    try {
      return openCase(file, { create });
    } catch (err) {
      if (err instanceof CaseVersionError || err instanceof CaseBusyError) throw new ServiceError('cannot-open', err.message);
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'SQLITE_NOTADB' || /not a Crossline case|no such case file|file is not a database|unable to open/i.test(e.message)) {
        throw new ServiceError('cannot-open', e.message);
      }
      throw err;
    }
  }

  private caseCreate(given: string): CaseInfo {
    this.assertIdle();
    const file = resolve(given.endsWith(CASE_EXTENSION) ? given : `${given}${CASE_EXTENSION}`);
    if (existsSync(file) && statSync(file).size > 0) throw new ServiceError('exists', `${file} already exists; open it instead (a case is never overwritten).`);
    if (!existsSync(dirname(file))) throw new ServiceError('not-found', `No such folder: ${dirname(file)}`);
    return this.attach(file, this.openFile(file, true));
  }

  private caseOpen(given: string): CaseInfo {
    this.assertIdle();
    const file = resolve(given);
    if (!existsSync(file)) throw new ServiceError('not-found', `No such case file: ${file}`);
    if (!statSync(file).isFile()) throw new ServiceError('cannot-open', `${file} is not a file`);
    return this.attach(file, this.openFile(file, false));
  }

  /**
   * A bundled sample as a case in `<dataDir>/samples/<id>.crossline`: created and imported (then correlated) the first
   * time; re-opened when its import completed, with a quick re-correlation as the job. A sample case left
   * incomplete (the app quit mid-import) is rebuilt from scratch.
   */
  private caseOpenSample(sample: SampleId): { info: CaseInfo; jobId: number } {
    const file = join(this.dataDir, 'samples', `${sample}${CASE_EXTENSION}`);
    const evidence = sampleEvidenceDir(sample);
    if (!existsSync(evidence)) throw new ServiceError('not-found', `The sample evidence is missing from this installation (${evidence}).`);
    if (this.open?.file === file && this.jobs.busy) {
      // Already opening it: hand back the running job instead of refusing.
      return { info: this.info(this.open), jobId: this.jobs.running?.id ?? this.correlateJob(file) };
    }
    this.assertIdle();
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      let complete = false;
      try {
        const probe = openCase(file, { create: false });
        try {
          complete = isCaseComplete(probe);
        } finally {
          probe.close();
        }
      } catch {
        complete = false;
      }
      if (complete) {
        const info = this.attach(file, this.openFile(file, false));
        return { info, jobId: this.correlateJob(file) };
      }
      if (this.open?.file === file) {
        this.open.db.close();
        this.open = null;
      }
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
    const info = this.attach(file, this.openFile(file, true));
    return { info, jobId: this.importJob(file, [evidence]) };
  }

  // ---- jobs ----

  private importStart(paths: string[]): number {
    const c = this.need();
    const missing = paths.filter((p) => !existsSync(p));
    if (missing.length > 0) {
      throw new ServiceError('not-found', `Not found on the machine running Crossline: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
    }
    return this.importJob(c.file, paths.map((p) => resolve(p)));
  }

  /** Import in its worker, then correlate: one job, one progress bar, one `finished` with both results. */
  private importJob(caseFile: string, paths: string[]): number {
    return this.jobs.enqueue('import', async (ctx) => {
      ctx.progress({ fraction: 0, phase: 'import', files: 0, events: 0 });
      const result = await runImport(caseFile, paths, {
        workers: this.options.importWorkers,
        signal: ctx.signal,
        onProgress: (p) => {
          ctx.progress({
            fraction: p.bytesTotal > 0 ? (IMPORT_SHARE * p.bytesDone) / p.bytesTotal : null,
            files: p.files, events: p.events, eventsPerSecond: p.eventsPerSecond, etaMs: p.etaMs, phase: p.phase === 'indexing' ? 'indexing' : 'import',
          });
        },
      });
      const imported: JobOutcome['import'] = { stats: result.stats, problems: result.problems.slice(0, MAX_PROBLEMS_IN_EVENT) };
      this.auditImport(caseFile, paths, result.status, result.stats);
      if (result.status === 'cancelled' || ctx.signal.aborted) return { status: 'cancelled', import: imported };
      this.caseChanged();
      try {
        const stats = await this.correlate(caseFile, ctx, IMPORT_SHARE);
        return { import: imported, correlate: summary(stats) };
      } catch (err) {
        if (ctx.signal.aborted) return { status: 'cancelled', import: imported };
        throw new Error(`imported, but the correlation failed: ${(err as Error).message}`);
      }
    });
  }

  /** Records an import in the case's audit log (on the open connection when it is that case's). */
  private auditImport(caseFile: string, paths: string[], status: string, stats: ImportStats): void {
    const details = { paths, status, events: stats.events, duplicates: stats.duplicates, skipped: stats.skipped, errors: stats.errors, files: stats.files };
    try {
      if (this.open?.file === caseFile) appendAudit(this.open.db, this.analyst, 'import', details);
      else {
        const db = openCase(caseFile, { create: false });
        try {
          appendAudit(db, this.analyst, 'import', details);
        } finally {
          db.close();
        }
      }
    } catch (err) {
      this.log(`crossline: could not record the import in the audit log: ${(err as Error).message}`);
    }
  }

  private correlateJob(caseFile: string): number {
    return this.jobs.enqueue('correlate', async (ctx) => ({ correlate: summary(await this.correlate(caseFile, ctx, 0)) }));
  }

  private correlate(caseFile: string, ctx: JobContext, start: number): Promise<CorrelateStats> {
    const phases: CorrelateProgress['phase'][] = ['baseline', 'entries', 'chains', 'writing'];
    return runCorrelation(caseFile, {
      signal: ctx.signal,
      onProgress: (p) => {
        const within = (phases.indexOf(p.phase) + (p.total > 0 ? p.done / p.total : 0)) / phases.length;
        ctx.progress({ fraction: start + (1 - start) * within, phase: p.phase });
      },
    });
  }

  // ---- exports ----

  private async reportExport(request: RequestOf<'report.export'>): Promise<ResponseOf<'report.export'>> {
    const c = this.need();
    // The app runs in a folder of its own choosing: a relative path would put the export there, out of the analyst's sight.
    if (!isAbsolute(request.out)) throw new ServiceError('bad-request', `Give the export a full path (for example ${join(dirname(c.file), basename(request.out))}), not ${request.out}`);
    const out = resolve(request.out);
    if (!existsSync(dirname(out))) throw new ServiceError('not-found', `No such folder: ${dirname(out)}`);
    const what = request.what ?? (request.format === 'html' || request.format === 'pdf' ? 'report' : 'findings');
    const base = { what, analyst: this.analyst, findingId: request.findingId, filter: request.filter, overwrite: request.overwrite } as const;
    try {
      if (request.format !== 'pdf') {
        const r = exportCase(c.db, c.file, { ...base, format: request.format, out }); // checks its target itself
        return { file: r.file, bytes: r.bytes, rows: r.rows };
      }
      checkTarget(c.db, c.file, out, request.overwrite);
      if (what !== 'report') throw new ExportError('pdf is for the report; use json or csv for the findings, events and timelines');
      const print = this.options.printToPdf ?? (async (html: string, pdf: string) => {
        const chromium = findChromium();
        if (!chromium) throw new ServiceError('bad-request', PDF_NEEDS_CHROMIUM);
        htmlToPdf(chromium, html, pdf);
      });
      const dir = mkdtempSync(join(tmpdir(), 'crossline-report-'));
      const pdf = stagedOutput(out);
      try {
        const html = join(dir, 'report.html');
        const r = exportCase(c.db, c.file, { ...base, format: 'html', out: html, audit: false });
        await print(html, pdf.tmp);
        pdf.commit();
        const bytes = statSync(out).size;
        recordExport(c.db, { ...base, format: 'html', out }, { format: 'pdf', file: out, rows: r.rows, bytes });
        return { file: out, bytes, rows: r.rows };
      } finally {
        pdf.discard();
        rmSync(dir, { recursive: true, force: true });
      }
    } catch (err) {
      if (err instanceof ExportError) throw new ServiceError(err.code === 'exists' ? 'exists' : 'bad-request', err.message);
      throw err;
    }
  }

  // ---- reads ----

  private chain(findingId: number) {
    const chain = readChain(this.need().db, findingId);
    if (!chain) throw new ServiceError('not-found', `No finding ${findingId} in this case (the findings change when the correlator re-runs).`);
    return chain;
  }

  private chainTimeline(findingId: number): TimelineEvent[] {
    return this.timed('chain.timeline', () => {
      const chain = this.chain(findingId);
      const fresh = new Map(chain.finding.familiarity.map((f) => [f.ip, isNewNetwork(f)]));
      return chainMembers(this.need().db, findingId).map((m) => ({ ...m, newNetwork: m.sourceIp !== null && (fresh.get(m.sourceIp) ?? false), stageOf: stageOf(chain.finding, m.nativeId) }));
    });
  }

  private eventGet(id: number): ResponseOf<'events.get'> {
    const c = this.need();
    return this.timed('events.get', () => {
      const event = c.queries.get(id);
      if (!event) throw new ServiceError('not-found', `No event ${id} in this case.`);
      return { event, raw: c.raw.text(id) ?? '' };
    });
  }

  private appAbout(): About {
    if (!this.about) {
      let catalogVersion: string | null = null;
      try {
        catalogVersion = loadPrivilegedCatalog().version;
      } catch {
        catalogVersion = null;
      }
      this.about = { version: appVersion(), catalogVersion };
    }
    // The sources the open case's findings were made with (an analyst may have chosen MaxMind files), else the bundled data.
    const run = this.open ? latestRun(this.open.db) : null;
    const sources = (run?.geoSources as GeoSource[] | undefined)?.length ? (run!.geoSources as GeoSource[]) : bundledSources();
    return { ...this.about, analyst: this.analyst, geoSources: sources.map(({ name, licence, attribution, buildDate }) => ({ name, licence, attribution, buildDate })) };
  }

  private timed<T>(label: string, fn: () => T): T {
    const t = performance.now();
    const value = fn();
    const ms = performance.now() - t;
    if (ms > SLOW_QUERY_MS) this.log(`crossline: slow query ${label}: ${ms.toFixed(0)} ms`);
    return value;
  }
}

let bundled: GeoSource[] | null = null;
function bundledSources(): GeoSource[] {
  try {
    bundled ??= describeBundledGeoSources();
    return bundled;
  } catch {
    return [];
  }
}

function summary(stats: CorrelateStats): NonNullable<JobFinished['correlate']> {
  const by = stats.bySeverity;
  return { chains: stats.chains, bySeverity: { critical: by.critical ?? 0, high: by.high ?? 0, medium: by.medium ?? 0, low: by.low ?? 0 } };
}

/**
 * A source counts as a new network when, before the entry, its network (/24 or /48), ASN or country was new at
 * any level (caller, role, organisation). A new IP alone in a familiar network is churn, as in the scoring.
 */
export function isNewNetwork(f: Familiarity): boolean {
  return !f.allowlisted && f.unfamiliar.some((u) => u.attributes.some((a) => a !== 'ip'));
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The service for one app instance (Electron's main process, or `crossline serve`). */
export function createWorkbench(options: WorkbenchOptions): Workbench {
  return new Workbench(options);
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function fileIdentity(file: string): FileIdentity {
  const s = statSync(file);
  return { dev: s.dev, ino: s.ino };
}

function sameFile(file: string, identity: FileIdentity): boolean {
  try {
    const now = fileIdentity(file);
    return now.dev === identity.dev && now.ino === identity.ino;
  } catch {
    return false;
  }
}
