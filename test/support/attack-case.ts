// The smallest case with a finding: a fortnight of baseline and one AN1348 chain (a third-party account assumes the
// organisation's admin role from a Tor exit, then mints an access key), imported into a case in its own temp dir.
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { IPS, ORG, Scenario, at } from './cloudtrail-scenario';

/** Writes and imports the scenario; the caller removes `dir` (the evidence and the case are both in it). */
export async function importedAttackCase(caseName: string): Promise<{ dir: string; caseFile: string; entryEventIds: string[] }> {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
  const dir = s.write();
  const caseFile = join(dir, caseName);
  const db = openCase(caseFile);
  try {
    await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
  } finally {
    db.close();
  }
  return { dir, caseFile, entryEventIds: entry.eventIds };
}
