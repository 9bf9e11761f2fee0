// The typed contract between the renderer and the core, carried by Electron IPC in the app and by the
// loopback HTTP bridge in a plain browser (tests, `crossline serve`). Channel names are `domain.verb` for
// requests and `domain.pastTense` for events main pushes. Every request has a runtime validator
// (./validators.ts); a unit test checks the registered handlers equal REQUEST_CHANNELS.
import type { ChainLink, CorrelationSettings, Finding, Severity, CoverageWarning } from '../domain/correlation';
import type { Annotation, AnnotationInput, AuditEntry } from '../domain/annotations';
import type { CaseAnalysis, ImportHistory, ImportProblem, ImportStats } from '../domain/evidence';
import type { SampleId } from '../domain/samples';

/** What the app shows about the open case. Times are UTC epoch ms. */
export interface CaseInfo {
  file: string;
  name: string;
  events: number;
  firstEventMs: number | null;
  lastEventMs: number | null;
  accounts: { provider: string; account: string }[];
  /**
   * Each evidence file once, however often it was imported (the evidence list's rows): files and archive members,
   * archives, files no import completed, and the bytes given (top-level files and archives; members are inside them).
   */
  sources: { files: number; archives: number; incomplete: number; bytes: number };
  imports: number;
  /** Problems recorded, each once however often its file was re-imported (a line may stand for many records). */
  problems: number;
  /** null before the first correlation run: the case is not analysed, which is not the same as "nothing found". */
  lastCorrelationMs: number | null;
  /** What the findings may be missing: unfinished imports, events added after the last correlation. */
  analysis: CaseAnalysis;
}

export interface RecentCase {
  file: string;
  name: string;
  openedAt: number;
}

/** Filters of the explorer and the timeline; every field optional, times UTC epoch ms (inclusive from, exclusive to). */
export interface EventFilter {
  fromMs?: number;
  toMs?: number;
  principal?: string;
  account?: string;
  sourceIp?: string;
  asn?: number;
  country?: string;
  action?: string;
  outcome?: 'success' | 'failure' | 'unknown';
  /** The credential the calls were made with (an AWS access key id, an Azure token id, a GCP credential): one session. */
  credential?: string;
  /** Free text matched against action, principal, user agent, source IP and event id. */
  text?: string;
}

/** One event as lists show it (normalized fields; the raw record is fetched separately). */
export interface EventRow {
  id: number;
  provider: string;
  nativeId: string;
  timeMs: number;
  timeText: string;
  service: string | null;
  action: string;
  outcome: string;
  errorCode: string | null;
  readOnly: boolean | null;
  principalType: string | null;
  principalName: string | null;
  principalAccount: string | null;
  targetAccount: string | null;
  sourceIp: string | null;
  sourceService: string | null;
  userAgent: string | null;
  region: string | null;
  credentialId: string | null;
  country: string | null;
  city: string | null;
  asn: number | null;
  asOrg: string | null;
}

/** An event in a chain's timeline: how it belongs to the chain. */
export interface TimelineEvent extends EventRow {
  role: 'entry' | 'assume' | 'call' | 'privileged';
  depth: number;
  link: ChainLink;
  category: string | null;
  offsetMs: number;
  /** The source was unfamiliar at some level before the entry. */
  newNetwork: boolean;
  /**
   * An earlier record (Started, Accepted) of an Azure operation: the native id of the operation's final record, which
   * stands for it (shared/domain/correlation.ts stageOf). Null or absent for every other event.
   */
  stageOf?: string | null;
}

/** A located source for the map. */
export interface GeoPoint {
  ip: string;
  lat: number;
  lon: number;
  country: string | null;
  city: string | null;
  asn: number | null;
  asOrg: string | null;
  /** UTC epoch ms of the first use by this principal (baseline) or in this chain. */
  firstSeenMs: number;
  events: number;
}

export interface JobProgress {
  jobId: number;
  kind: 'import' | 'correlate';
  /** 0..1 when known (an import job's fraction covers its import and the correlation that follows it). */
  fraction: number | null;
  files?: number;
  events?: number;
  eventsPerSecond?: number;
  etaMs?: number | null;
  /** `queued`, `import`, `indexing`, then the correlator's `baseline`, `entries`, `chains`, `writing`. */
  phase?: string;
}

export interface JobFinished {
  jobId: number;
  kind: 'import' | 'correlate';
  status: 'complete' | 'cancelled' | 'failed';
  error?: string;
  import?: { stats: ImportStats; problems: ImportProblem[] };
  correlate?: { chains: number; bySeverity: Record<Severity, number> };
}

export interface About {
  version: string;
  catalogVersion: string | null;
  geoSources: { name: string; licence: string; attribution: string; buildDate: string | null }[];
  /** The analyst recorded in annotations and the audit log (set once per install; `analyst.set` changes it). */
  analyst: string;
}

/** What a native menu item asks the renderer to do (Electron only; the loopback bridge never sends it). */
export type MenuAction =
  | 'case.new' | 'case.open' | 'case.openSample' | 'import.evidence'
  | 'view.findings' | 'view.explorer' | 'view.map' | 'view.settings' | 'help.about';

export interface MenuInvoked {
  action: MenuAction;
  /**
   * Paths the user already chose in main's native dialog: the new case file (`case.new`), the case to open
   * (`case.open`, also from File ▸ Recent cases), the evidence files or folder (`import.evidence`). The
   * renderer then makes the matching request (`case.create`, `case.open`, `import.start`) as for its own buttons.
   */
  paths?: string[];
  /** The bundled sample File ▸ Open Sample Case chose (`case.openSample`). */
  sample?: SampleId;
}

/** Requests: channel → [request, response]. */
export interface Requests {
  'app.about': [Record<string, never>, About];
  /** Changes this install's analyst name (stored beside the recent cases); later annotations and audit entries carry it. */
  'analyst.set': [{ name: string }, { name: string }];
  'case.create': [{ file: string }, CaseInfo];
  'case.open': [{ file: string }, CaseInfo];
  /**
   * Creates a case from a bundled sample (DEFAULT_SAMPLE when none is named) in the app's data folder and starts
   * importing it (the job then correlates). When that case already exists and its import is complete it is
   * re-opened, and the job is a correlation only (kind `correlate`, under a second), refreshing findings with the
   * current catalog.
   */
  'case.openSample': [{ sample?: SampleId }, { info: CaseInfo; jobId: number }];
  'case.info': [Record<string, never>, CaseInfo | null];
  /** Whether a case is open and its file is still the one opened (one stat): refused with `case-gone` when it is not. */
  'case.check': [Record<string, never>, { open: boolean }];
  'case.recent': [Record<string, never>, RecentCase[]];
  'import.start': [{ paths: string[] }, { jobId: number }];
  /** Every import run of the open case and its problems grouped by reason (out of scope by design vs damaged input). */
  'import.history': [Record<string, never>, ImportHistory];
  'jobs.cancel': [{ jobId: number }, { cancelled: boolean }];
  'findings.list': [Record<string, never>, Finding[]];
  /** Evidence gaps the latest correlation run found (GCP Data Access logs absent, Entra categories missing…). */
  'coverage.list': [Record<string, never>, CoverageWarning[]];
  'chain.timeline': [{ findingId: number }, TimelineEvent[]];
  'chain.map': [{ findingId: number }, { chain: GeoPoint[]; baseline: GeoPoint[] }];
  /** Keyset paging in (timeMs, id) order; `after` is the last row of the previous page. */
  'events.page': [{ filter: EventFilter; after?: { timeMs: number; id: number }; limit: number }, { rows: EventRow[]; hasMore: boolean }];
  'events.get': [{ id: number }, { event: EventRow; raw: string }];
  'events.histogram': [{ filter: EventFilter; buckets: number }, { fromMs: number; toMs: number; bucketMs: number; counts: number[] }];
  'settings.get': [Record<string, never>, CorrelationSettings];
  /** Saves the settings and re-runs the correlator; findings update when the job finishes. */
  'settings.set': [{ settings: CorrelationSettings }, { jobId: number }];
  'correlate.run': [Record<string, never>, { jobId: number }];
  /** Every annotation of the case (findings, sessions, events), in a stable order. */
  'annotations.list': [Record<string, never>, Annotation[]];
  /** Adds or replaces the annotation of a target (recorded in the audit log as added or edited). */
  'annotations.save': [AnnotationInput, Annotation];
  'annotations.delete': [{ id: number }, { deleted: boolean }];
  /** The audit log, oldest first; `limit` keeps the newest entries. */
  'audit.list': [{ limit?: number }, AuditEntry[]];
  /**
   * Writes an export to `out` on the machine running the core: the HTML report (or PDF of it), or the findings, an
   * explorer view (`filter`) or a finding's timeline as JSON / CSV. Recorded in the audit log.
   */
  'report.export': [ReportExportRequest, { file: string; bytes: number; rows: number }];
}

export interface ReportExportRequest {
  format: 'html' | 'pdf' | 'json' | 'csv';
  /** Default `report` for html / pdf, `findings` for json / csv. */
  what?: 'report' | 'findings' | 'events' | 'timeline' | 'evidence';
  out: string;
  /** Replace a file already at `out` (a case file or the case's evidence never is); without it such a request fails with `exists`. */
  overwrite?: boolean;
  findingId?: number;
  filter?: EventFilter;
}

/** Events main pushes to the renderer. */
export interface Events {
  'jobs.progressed': JobProgress;
  'jobs.finished': JobFinished;
  /** The open case changed (opened, imported into, re-correlated). */
  'case.changed': CaseInfo;
  /** A native menu item was chosen (Electron only). */
  'menu.invoked': MenuInvoked;
}

export type RequestChannel = keyof Requests;
export type EventChannel = keyof Events;
export type RequestOf<C extends RequestChannel> = Requests[C][0];
export type ResponseOf<C extends RequestChannel> = Requests[C][1];

/** Every request channel, for registration checks and the preload's allow list. */
export const REQUEST_CHANNELS = [
  'app.about', 'analyst.set', 'case.create', 'case.open', 'case.openSample', 'case.info', 'case.check', 'case.recent', 'import.start', 'import.history', 'jobs.cancel',
  'findings.list', 'coverage.list', 'chain.timeline', 'chain.map', 'events.page', 'events.get', 'events.histogram', 'settings.get',
  'settings.set', 'correlate.run', 'annotations.list', 'annotations.save', 'annotations.delete', 'audit.list', 'report.export',
] as const satisfies readonly RequestChannel[];

export const EVENT_CHANNELS = ['jobs.progressed', 'jobs.finished', 'case.changed', 'menu.invoked'] as const satisfies readonly EventChannel[];

/**
 * Error codes of a failed request: `bad-request` (the validator refused it), `unknown-channel`, `forbidden`
 * (not our window / no token), `no-case` (no case is open), `not-found`, `busy` (a job is running on the open
 * case), `exists` (case.create on an existing file), `cannot-open` (not a case, or from a newer Crossline),
 * `internal` (a bug: the message says what failed).
 */
/** `case-gone`: the open case's file was deleted, moved or replaced on disk; nothing more is read from or saved to it. */
export type ErrorCode = 'bad-request' | 'unknown-channel' | 'forbidden' | 'no-case' | 'case-gone' | 'not-found' | 'busy' | 'exists' | 'cannot-open' | 'internal';

/** Every response crosses the transport as this envelope (Electron only carries an error's message). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The renderer's view of the transport: IPC in Electron, fetch + SSE in the loopback bridge. */
export interface Transport {
  invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: Events[E]) => void): () => void;
}

// Compile-time guarantee that the lists above name every channel of the interfaces.
type Unlisted<All, Listed> = Exclude<All, Listed>;
export const ALL_REQUESTS_LISTED: Unlisted<RequestChannel, (typeof REQUEST_CHANNELS)[number]> extends never ? true : false = true;
export const ALL_EVENTS_LISTED: Unlisted<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never ? true : false = true;
