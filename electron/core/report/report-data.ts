// Everything the case report shows, read from the case in a deterministic order: the same case and settings give
// the same data (and so the same bytes of HTML, apart from the export time).
import type Database from 'better-sqlite3';
import type { Annotation } from '../../../shared/domain/annotations';
import { stageOf, type CoverageWarning, type CorrelationSettings, type DeniedEntry, type Finding } from '../../../shared/domain/correlation';
import type { CaseInfo, GeoPoint, TimelineEvent } from '../../../shared/ipc/contract';
import { listAnnotations } from '../../db/repos/annotations-repo';
import { readAudit } from '../../db/repos/audit-repo';
import { latestRun, readFindings } from '../../db/repos/chains-repo';
import { RawRecords } from '../import/raw-records';
import { readCorrelationSettings } from '../../db/repos/settings-repo';
import { readImportRuns, readProblems } from '../../db/repos/import-history-repo';
import { groupProblems, readEvidenceWithProblems, type EvidenceWithProblems } from '../import/import-history';
import type { ImportHistory } from '../../../shared/domain/evidence';
import { chainMap, chainMembers, readCaseInfo, readChain } from '../../db/repos/workbench-repo';
import { appVersion } from '../app-paths';
import { loadKnownAccounts, type AttackTechnique } from '../correlate/catalog';
import { categoryTitles, loadReportCatalogs, techniquesInRecord, techniquesOfCall, type ReportCatalogs } from './attack-mapping';
import type { AuditEntry } from '../../../shared/domain/annotations';

export interface ReportFinding {
  finding: Finding;
  annotation: Annotation | null;
  timeline: TimelineEvent[];
  /** Annotations of single events of the chain, by event row id. */
  eventNotes: Annotation[];
  /** Annotations of the sessions (credentials) the chain's calls were made with. */
  sessionNotes: Annotation[];
  map: { chain: GeoPoint[]; baseline: GeoPoint[] };
  /**
   * ATT&CK techniques of each privileged call, from its own cloud's catalog (see attack-mapping.ts); `title` is its
   * category's title, `attack` empty when the catalog names no single technique for it.
   */
  techniques: { eventId: string; action: string; category: string; title: string; attack: AttackTechnique[] }[];
  /** Category id → title in the finding's cloud's catalog, for the timeline (the app shows titles, not ids). */
  categoryTitles: Record<string, string>;
}

/** An evidence file with its import errors split: records out of scope (by design), and input that could not be read. */
export type ReportEvidence = EvidenceWithProblems;

export interface ReportData {
  appVersion: string;
  case: CaseInfo;
  evidence: ReportEvidence[];
  /** Every import run, and the problems grouped by reason (bounded) with totals. */
  imports: ImportHistory;
  run: {
    finishedAt: number;
    catalogVersion: string;
    /** The catalog version of each cloud the run correlated (`aws` only for runs before the other clouds). */
    catalogs: Record<string, string>;
    geoSources: { name: string; kind?: string; licence: string; attribution: string; buildDate: string | null }[];
    settings: CorrelationSettings;
    coverage: CoverageWarning[];
    /** What the run looked at: third-party entries, those routine (not listed), denied ones (null for runs before the counts). */
    counts: { entries: number; routine: number; attempts: number } | null;
    /** The denied entries grouped (at most 50 kinds; none recorded by runs before them). */
    deniedEntries: DeniedEntry[];
  } | null;
  /** The list that names known vendors' AWS accounts (its version, source and licence), null when it cannot be read. */
  vendors: { version: string; source: string; licence: string } | null;
  /** The catalog versions the ATT&CK mapping was read from (the shipped catalogs at export time), by cloud. */
  attackCatalogs: Record<string, string>;
  /** The settings stored now (differ from the run's when changed without re-correlating). */
  currentSettings: CorrelationSettings;
  findings: ReportFinding[];
  /** Findings of the case's latest run: more than `findings` holds when the report is an extract (one finding). */
  findingsInCase: number;
  sessionNotes: Annotation[];
  audit: AuditEntry[];
  /** The raw records of every chain event, by time then row id. */
  raw: { id: number; provider: string; nativeId: string; timeMs: number; timeText: string; text: string }[];
}

export const REPORT_TITLE = 'Crossline case report';

function knownVendors(): ReportData['vendors'] {
  try {
    const { version, source, licence } = loadKnownAccounts();
    return { version, source, licence };
  } catch {
    return null;
  }
}

/** `true` when the event was never seen, for lookups of the timeline's newNetwork flag. */
function isNewNetwork(f: Finding, ip: string | null): boolean {
  if (!ip) return false;
  const fam = f.familiarity.find((x) => x.ip === ip);
  return !!fam && !fam.allowlisted && fam.unfamiliar.some((u) => u.attributes.some((a) => a !== 'ip'));
}

function coverageOf(db: Database.Database, stats: unknown): CoverageWarning[] {
  let warnings: CoverageWarning[] = [];
  try {
    const row = db.prepare('SELECT coverage FROM correlation_runs ORDER BY id DESC LIMIT 1').get() as { coverage?: string } | undefined;
    if (row?.coverage) warnings = JSON.parse(row.coverage) as CoverageWarning[];
  } catch {
    // a case before migration 0004
  }
  const fromStats = (stats as { coverage?: unknown } | null)?.coverage;
  if (warnings.length === 0 && Array.isArray(fromStats)) warnings = fromStats as CoverageWarning[];
  return warnings;
}

function techniquesOf(catalogs: ReportCatalogs, f: Finding, timeline: TimelineEvent[], rawOf: (eventId: number) => string | null): ReportFinding['techniques'] {
  return f.privileged.map((p) => {
    const ev = timeline.find((t) => t.nativeId === p.eventId);
    const provider = ev?.provider ?? f.provider;
    const { title, attack } = techniquesOfCall(catalogs, provider, ev?.service ?? null, p.action, p.category);
    const more = techniquesInRecord(provider, p.action, ev ? rawOf(ev.id) : null).filter((t) => !attack.some((a) => a.id === t.id));
    return { eventId: p.eventId, action: p.action, category: p.category, title, attack: [...attack, ...more] };
  });
}

/** The run's catalog versions per cloud (its stats), else the AWS version it always recorded. */
function catalogVersions(catalogVersion: string, stats: unknown): Record<string, string> {
  const recorded = (stats as { catalogs?: Record<string, string> } | null)?.catalogs;
  return recorded && Object.keys(recorded).length ? { ...recorded } : { aws: catalogVersion };
}

/** Reads the report's data. `findingIds` limits it to some findings (default: all). */
export function readReportData(db: Database.Database, caseFile: string, options: { findingIds?: number[] } = {}): ReportData {
  const info = readCaseInfo(db, caseFile);
  const problems = readProblems(db);
  const evidence = readEvidenceWithProblems(db, problems);
  const run = latestRun(db);
  const catalogs = loadReportCatalogs();
  const annotations = listAnnotations(db);
  const findingNotes = new Map(annotations.filter((a) => a.target.kind === 'finding').map((a) => [`${a.target.provider}\u0000${(a.target as { entryEventId: string }).entryEventId}`, a]));
  const eventNotes = new Map(annotations.filter((a) => a.target.kind === 'event').map((a) => [(a.target as { eventId: number }).eventId, a]));
  const sessionNotes = new Map(annotations.filter((a) => a.target.kind === 'session').map((a) => [`${a.target.provider}\u0000${(a.target as { sessionKey: string }).sessionKey}`, a]));
  const raw = new RawRecords(db);
  const rawById = new Map<number, ReportData['raw'][number]>();
  const wanted = options.findingIds ? new Set(options.findingIds) : null;
  const findings: ReportFinding[] = [];
  const all = readFindings(db);
  for (const finding of all) {
    if (wanted && !wanted.has(finding.id)) continue;
    const timeline: TimelineEvent[] = chainMembers(db, finding.id).map((m) => ({ ...m, newNetwork: isNewNetwork(finding, m.sourceIp), stageOf: stageOf(finding, m.nativeId) }));
    const head = readChain(db, finding.id);
    const map = head ? chainMap(db, head) : { chain: [], baseline: [] };
    for (const t of timeline) {
      if (!rawById.has(t.id)) rawById.set(t.id, { id: t.id, provider: t.provider, nativeId: t.nativeId, timeText: t.timeText, text: raw.text(t.id) ?? '', timeMs: t.timeMs });
    }
    findings.push({
      finding,
      annotation: findingNotes.get(`${finding.provider}\u0000${finding.entry.eventId}`) ?? null,
      timeline,
      eventNotes: timeline.map((t) => eventNotes.get(t.id)).filter((a): a is Annotation => !!a),
      sessionNotes: [...new Set(timeline.map((t) => (t.credentialId ? `${t.provider}\u0000${t.credentialId}` : null)))]
        .map((k) => (k ? sessionNotes.get(k) : undefined))
        .filter((a): a is Annotation => !!a),
      map,
      techniques: techniquesOf(catalogs, finding, timeline, (id) => rawById.get(id)?.text ?? null),
      categoryTitles: categoryTitles(catalogs, finding.provider),
    });
  }
  const rawList = [...rawById.values()] as (ReportData['raw'][number] & { timeMs: number })[];
  rawList.sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
  return {
    appVersion: appVersion(),
    case: info,
    evidence,
    imports: { runs: readImportRuns(db), ...groupProblems(problems) },
    run: run
      ? {
          finishedAt: run.finishedAt,
          catalogVersion: run.catalogVersion,
          catalogs: catalogVersions(run.catalogVersion, run.stats),
          geoSources: run.geoSources as NonNullable<ReportData['run']>['geoSources'],
          settings: run.settings,
          coverage: coverageOf(db, run.stats),
          ...runCounts(run.stats),
        }
      : null,
    attackCatalogs: Object.fromEntries(Object.entries(catalogs).map(([p, c]) => [p, c.version])),
    currentSettings: readCorrelationSettings(db),
    findings,
    findingsInCase: all.length,
    vendors: knownVendors(),
    sessionNotes: annotations.filter((a) => a.target.kind === 'session'),
    // Exports are in the audit log, but listing them here would make every re-export differ from the last.
    audit: readAudit(db, { exclude: ['export'] }),
    raw: rawList.map(({ id, provider, nativeId, timeMs, timeText, text }) => ({ id, provider, nativeId, timeMs, timeText, text })),
  };
}

/** The run's counts and denied entries from its stats (absent from runs recorded before them). */
function runCounts(stats: unknown): { counts: NonNullable<ReportData['run']>['counts']; deniedEntries: DeniedEntry[] } {
  const s = (stats ?? {}) as { entries?: unknown; routine?: unknown; attempts?: unknown; deniedEntries?: unknown };
  const counts = typeof s.entries === 'number' && typeof s.routine === 'number' && typeof s.attempts === 'number' ? { entries: s.entries, routine: s.routine, attempts: s.attempts } : null;
  return { counts, deniedEntries: Array.isArray(s.deniedEntries) ? (s.deniedEntries as DeniedEntry[]) : [] };
}
