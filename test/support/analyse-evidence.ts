// One analysis of a constructed case, as the Azure and GCP correlator tests run it: the scenario's evidence folder
// imported into a fresh case beside it, correlated with the case's settings (after the test's tweak), and what an
// investigator sees read back. The folder is removed afterwards.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { correlate, type CorrelateStats } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readCoverage, readFindings } from '../../electron/db/repos/chains-repo';
import { readCorrelationSettings, writeCorrelationSettings } from '../../electron/db/repos/settings-repo';
import type { CoverageWarning, Finding } from '../../shared/domain/correlation';

export interface Analysis {
  findings: Finding[];
  stats: CorrelateStats;
  coverage: CoverageWarning[];
  /** How each chain event is linked to its entry, by native id. */
  links: Map<string, string>;
  /** Each chain event's role and category in its chain (chain_events), by native id. */
  members: Map<string, { role: string; category: string | null }>;
}

export type SettingsTweak = (settings: ReturnType<typeof readCorrelationSettings>) => void;

/** `dir` holds the scenario's `evidence/` folder (what its `write()` returns). */
export async function analyseWritten(dir: string, tweak?: SettingsTweak): Promise<Analysis> {
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
    const settings = readCorrelationSettings(db);
    if (tweak) {
      tweak(settings);
      writeCorrelationSettings(db, settings);
    }
    const stats = await correlate(db, settings, defaultCorrelateDeps(settings));
    const links = new Map(
      (db.prepare('SELECT e.native_id id, ce.link FROM chain_events ce JOIN events e ON e.id = ce.event_id').all() as { id: string; link: string }[]).map((r) => [r.id, r.link]),
    );
    const members = new Map(
      (db.prepare('SELECT e.native_id id, ce.role, ce.category FROM chain_events ce JOIN events e ON e.id = ce.event_id').all() as { id: string; role: string; category: string | null }[])
        .map((r) => [r.id, { role: r.role, category: r.category }]),
    );
    return { findings: readFindings(db), stats, coverage: readCoverage(db), links, members };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
