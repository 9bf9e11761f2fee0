// The smallest case with a finding: a fortnight of baseline and one AN1348 chain (a third-party account assumes the
// organisation's admin role from a Tor exit, then mints an access key).
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { IPS, ORG, Scenario, at } from './cloudtrail-scenario';

export interface AttackScenario {
  /** A temp dir holding the evidence in `evidence/`; the caller removes it. */
  dir: string;
  entryEventIds: string[];
  /** The CreateAccessKey call: the chain's one privileged event. */
  keyEventId: string;
}

/** Writes the scenario's CloudTrail evidence. */
export function writeAttackScenario(): AttackScenario {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'x', sourceIp: IPS.torDe });
  const keyEventId = s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
  return { dir: s.write(), entryEventIds: entry.eventIds, keyEventId };
}

/** Writes the scenario and imports it into `caseName` beside the evidence (in the same temp dir). */
export async function importedAttackCase(caseName: string): Promise<AttackScenario & { caseFile: string }> {
  const scenario = writeAttackScenario();
  const caseFile = join(scenario.dir, caseName);
  const db = openCase(caseFile);
  try {
    await importEvidence(db, [join(scenario.dir, 'evidence')], { workers: 1 });
  } finally {
    db.close();
  }
  return { ...scenario, caseFile };
}
