import type Database from 'better-sqlite3';

/** What `crossline info` and the app's case header show. Times are UTC epoch ms. */
export interface CaseSummary {
  schemaVersion: number;
  createdAt: number | null;
  events: number;
  firstEventMs: number | null;
  lastEventMs: number | null;
  providers: { provider: string; events: number }[];
  accounts: { account: string; events: number }[];
  sources: { files: number; archives: number; incomplete: number; bytes: number };
  formats: { format: string; files: number; events: number }[];
  imports: { id: number; startedAt: number; finishedAt: number | null; status: string; stats: unknown }[];
  problems: number;
}

export function caseSummary(db: Database.Database): CaseSummary {
  const one = <T>(sql: string) => db.prepare(sql).get() as T;
  const range = one<{ n: number; lo: number | null; hi: number | null }>('SELECT count(*) n, min(time_ms) lo, max(time_ms) hi FROM events');
  const created = one<{ value: string } | undefined>("SELECT value FROM case_meta WHERE key = 'created_at'");
  const sources = one<{ files: number; archives: number; incomplete: number; bytes: number | null }>(
    `SELECT count(*) FILTER (WHERE format IS NULL OR format NOT IN ('zip','tar','tar.gz')) files,
            count(*) FILTER (WHERE format IN ('zip','tar','tar.gz')) archives,
            count(*) FILTER (WHERE complete = 0) incomplete,
            sum(size) FILTER (WHERE parent_id IS NULL) bytes
       FROM evidence_sources`,
  );
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    createdAt: created ? Number(created.value) : null,
    events: range.n,
    firstEventMs: range.lo,
    lastEventMs: range.hi,
    providers: db.prepare('SELECT provider, count(*) events FROM events GROUP BY provider ORDER BY events DESC').all() as CaseSummary['providers'],
    accounts: db
      .prepare('SELECT target_account account, count(*) events FROM events WHERE target_account IS NOT NULL GROUP BY target_account ORDER BY events DESC LIMIT 50')
      .all() as CaseSummary['accounts'],
    sources: { ...sources, bytes: sources.bytes ?? 0 },
    formats: db
      .prepare("SELECT coalesce(format, 'unrecognised') format, count(*) files, sum(events) events FROM evidence_sources WHERE format IS NULL OR format NOT IN ('zip','tar','tar.gz') GROUP BY 1 ORDER BY files DESC")
      .all() as CaseSummary['formats'],
    imports: (db.prepare('SELECT id, started_at startedAt, finished_at finishedAt, status, stats FROM imports ORDER BY id').all() as { id: number; startedAt: number; finishedAt: number | null; status: string; stats: string | null }[]).map(
      (r) => ({ ...r, stats: r.stats ? JSON.parse(r.stats) : null }),
    ),
    problems: one<{ n: number }>('SELECT count(*) n FROM import_problems').n,
  };
}

/** One evidence file as the report lists it. */
export interface EvidenceItem {
  path: string;
  size: number;
  sha256: string;
  format: string | null;
  events: number;
  complete: boolean;
}

/** Every evidence file once (a re-import of the same file is one row), by path. */
export function readEvidence(db: Database.Database): EvidenceItem[] {
  return (
    db.prepare(
      `SELECT path, max(size) size, sha256, max(format) format, max(events) events, max(complete) complete
         FROM evidence_sources GROUP BY path, sha256 ORDER BY path, sha256`,
    ).all() as (Omit<EvidenceItem, 'complete'> & { complete: number })[]
  ).map((e) => ({ ...e, complete: e.complete === 1 }));
}

