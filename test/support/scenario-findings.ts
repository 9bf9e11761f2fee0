// A scenario imported into a fresh case and correlated: the findings, as the correlator stored them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { correlate } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readFindings } from '../../electron/db/repos/chains-repo';
import { readCorrelationSettings, writeCorrelationSettings } from '../../electron/db/repos/settings-repo';
import type { CorrelationSettings, Finding } from '../../shared/domain/correlation';
import type { Scenario } from './cloudtrail-scenario';

/** Writes, imports and correlates the scenario (settings changed by `tweak` first); removes its folder afterwards. */
export async function scenarioFindings(s: Scenario, tweak?: (settings: CorrelationSettings) => void): Promise<Finding[]> {
  const dir = s.write();
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
    const settings = readCorrelationSettings(db);
    tweak?.(settings);
    writeCorrelationSettings(db, settings);
    await correlate(db, settings, defaultCorrelateDeps(settings));
    return readFindings(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
