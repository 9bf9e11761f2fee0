import type Database from 'better-sqlite3';
import type { CaseAnalysis, ImportRun } from '../../../shared/domain/evidence';
import { evidenceFormats, type EvidenceTotals } from './evidence-repo';
import { readCaseFacts } from './workbench-repo';

/** What `crossline info` shows: the app header's facts (readCaseFacts) and more. Times are UTC epoch ms. */
export interface CaseSummary {
  schemaVersion: number;
  createdAt: number | null;
  events: number;
  firstEventMs: number | null;
  lastEventMs: number | null;
  providers: { provider: string; events: number }[];
  accounts: { account: string; events: number }[];
  /** Each evidence file once, however often it was imported (as the app and the report count them). */
  sources: EvidenceTotals;
  formats: { format: string; files: number; events: number }[];
  imports: ImportRun[];
  /** Problems recorded, each once however often its file was re-imported. */
  problems: number;
  /** null: the correlator never ran, so the case is not analysed (which is not "no findings"). */
  lastCorrelationMs: number | null;
  /** Findings of the latest correlation run. */
  findings: number;
  analysis: CaseAnalysis;
}

export function caseSummary(db: Database.Database): CaseSummary {
  const { runs, ...facts } = readCaseFacts(db);
  const created = db.prepare("SELECT value FROM case_meta WHERE key = 'created_at'").get() as { value: string } | undefined;
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    createdAt: created ? Number(created.value) : null,
    events: facts.events,
    firstEventMs: facts.firstEventMs,
    lastEventMs: facts.lastEventMs,
    providers: db.prepare('SELECT provider, count(*) events FROM events GROUP BY provider ORDER BY events DESC').all() as CaseSummary['providers'],
    accounts: db
      .prepare('SELECT target_account account, count(*) events FROM events WHERE target_account IS NOT NULL GROUP BY target_account ORDER BY events DESC LIMIT 50')
      .all() as CaseSummary['accounts'],
    sources: facts.sources,
    formats: evidenceFormats(db),
    imports: runs,
    problems: facts.problems,
    lastCorrelationMs: facts.lastCorrelationMs,
    findings: db.prepare('SELECT count(*) FROM chains').pluck().get() as number,
    analysis: facts.analysis,
  };
}

// The evidence list moved beside the one query every count of files and bytes shares.
export { readEvidence, type EvidenceItem } from './evidence-repo';
