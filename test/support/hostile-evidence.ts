// CloudTrail evidence whose log-derived strings are hostile markup: an AN1348 chain (a cross-account entry, privileged
// calls, an unfamiliar network) where the role session name, the role name, the user agent and the request
// parameters carry script payloads and a spreadsheet formula. Used by test/report and the UI test (test/ui), so
// it imports nothing but the scenario builder (no database).
import { join } from 'node:path';
import { IPS, ORG, Scenario, at } from './cloudtrail-scenario';

export const PAYLOADS = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  svg: '"><svg onload=alert(1)>',
  formula: '=HYPERLINK("http://evil.example","x")',
  /** Displays as "evil" unless the right-to-left override is shown for what it is. */
  bidi: 'curl/8.4 \u202Elive',
} as const;

/** Writes the evidence (returns its folder); `caseFile` given: imports and correlates it too. */
export function hostileEvidence(): { dir: string; evidence: string; privilegedEventId: string } {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({
    at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/${PAYLOADS.img}`, sessionName: PAYLOADS.script,
    sourceIp: IPS.torDe, userAgent: PAYLOADS.svg,
  });
  const privilegedEventId = s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe, userAgent: PAYLOADS.formula });
  s.call({ at: s.t0 + at.HOUR + 4 * at.MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: IPS.torDe, userAgent: `${PAYLOADS.script} ${PAYLOADS.bidi}` });
  const rec = s.records.find((r) => r.eventID === privilegedEventId)!;
  rec.requestParameters = { userName: PAYLOADS.script, note: PAYLOADS.img, policy: PAYLOADS.svg };
  const dir = s.write();
  return { dir, evidence: join(dir, 'evidence'), privilegedEventId };
}

