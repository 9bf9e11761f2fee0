import type Database from 'better-sqlite3';
import { compareFindings, type CorrelationSettings, type CoverageWarning, type Finding } from '../../../shared/domain/correlation';

export interface ChainRow {
  finding: Omit<Finding, 'id'>;
  entryEventId: number;
  principalOwner: string;
  endedMs: number;
  members: { eventId: number; role: string; depth: number; link: string; category: string | null; offsetMs: number }[];
}

export interface RunInfo {
  settings: CorrelationSettings;
  catalogVersion: string;
  geoSources: unknown[];
  stats: unknown;
  startedAt: number;
  /** Evidence gaps found before the analysis (core/correlate/coverage.ts). */
  coverage?: CoverageWarning[];
}

/** Replaces every chain with a new run's, in one transaction: readers see the old run or the new one. */
export function replaceChains(db: Database.Database, run: RunInfo, rows: ChainRow[]): void {
  const insertChain = db.prepare(
    `INSERT INTO chains (run_id, provider, severity, score, entry_event_id, entry_kind, principal, source_account, target_account, vendor, source_ip, started_ms, ended_ms, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = db.prepare('INSERT OR IGNORE INTO chain_events (chain_id, event_id, role, depth, link, category, offset_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM chain_events; DELETE FROM chains;');
    const runId = Number(
      db.prepare('INSERT INTO correlation_runs (started_at, finished_at, settings, catalog_version, geo_sources, stats, coverage) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(run.startedAt, Date.now(), JSON.stringify(run.settings), run.catalogVersion, JSON.stringify(run.geoSources), JSON.stringify(run.stats), JSON.stringify(run.coverage ?? [])).lastInsertRowid,
    );
    for (const r of rows) {
      const f = r.finding;
      const chainId = Number(
        insertChain.run(runId, f.provider, f.severity, f.score, r.entryEventId, f.entry.kind, f.entry.principal, f.entry.sourceAccount, f.entry.targetAccount, f.entry.vendor, f.entry.sourceIp, f.entry.timeMs, r.endedMs, JSON.stringify(f)).lastInsertRowid,
      );
      for (const m of r.members) insertMember.run(chainId, m.eventId, m.role, m.depth, m.link, m.category, m.offsetMs);
    }
  })();
}

/** The findings of the latest run, most severe first (compareFindings). */
export function readFindings(db: Database.Database): Finding[] {
  const rows = db.prepare('SELECT id, detail FROM chains ORDER BY id').all() as { id: number; detail: string }[];
  return rows.map((r) => ({ id: r.id, ...(JSON.parse(r.detail) as Omit<Finding, 'id'>) })).sort(compareFindings);
}

/** The latest correlation run's metadata (with its coverage warnings), or null before the first run. */
export function latestRun(db: Database.Database): { id: number; finishedAt: number; catalogVersion: string; geoSources: unknown[]; stats: unknown; settings: CorrelationSettings; coverage: CoverageWarning[] } | null {
  const r = db.prepare('SELECT id, finished_at finishedAt, catalog_version catalogVersion, geo_sources geoSources, stats, settings, coverage FROM correlation_runs ORDER BY id DESC LIMIT 1').get() as
    | { id: number; finishedAt: number; catalogVersion: string; geoSources: string; stats: string; settings: string; coverage: string }
    | undefined;
  return r ? { ...r, geoSources: JSON.parse(r.geoSources), stats: JSON.parse(r.stats), settings: JSON.parse(r.settings), coverage: JSON.parse(r.coverage) as CoverageWarning[] } : null;
}

/** The coverage warnings of the latest correlation run (evidence gaps), or [] before the first run. */
export function readCoverage(db: Database.Database): CoverageWarning[] {
  const text = db.prepare('SELECT coverage FROM correlation_runs ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  return text ? (JSON.parse(text) as CoverageWarning[]) : [];
}
