// The hostile evidence (test/support/hostile-evidence.ts) imported and correlated into a case.
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { hostileEvidence } from '../support/hostile-evidence';

export { PAYLOADS } from '../support/hostile-evidence';

export async function hostileCase(caseFile: string): Promise<{ dir: string; privilegedEventId: string }> {
  const { dir, evidence, privilegedEventId } = hostileEvidence();
  const db = openCase(caseFile);
  try {
    await importEvidence(db, [evidence], { workers: 1 });
  } finally {
    db.close();
  }
  await runCorrelation(caseFile, {});
  return { dir, privilegedEventId };
}
