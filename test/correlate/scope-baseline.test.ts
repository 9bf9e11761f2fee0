// An account whose logs begin later than the rest of the case has first days of its own: its identity provider is
// not "new" then, and its roles have no history to be unfamiliar to. The organisation's baseline still holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPS, Scenario, at } from '../support/cloudtrail-scenario';
import { scenarioFindings } from '../support/scenario-findings';

const { MIN, HOUR, DAY } = at;
const SECURITY = '333333333333';

/** The security account's logs begin a day before t0: its own SSO provider, used by its admins from the office. */
function securityAccountJoins(s: Scenario): void {
  const sso = `arn:aws:iam::${SECURITY}:saml-provider/AWSSSO_5ec0000000000000_DO_NOT_DELETE`;
  const role = `arn:aws:iam::${SECURITY}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAudit_0a1b2c`;
  for (const when of [s.t0 - DAY + 2 * HOUR, s.t0 + 30 * MIN]) {
    const { session } = s.federate({ at: when, kind: 'saml', provider: sso, roleArn: role, subject: 'alice@acme.example', sourceIp: IPS.office });
    s.call({ at: when + 5 * MIN, session, source: 'securityhub', action: 'GetFindings', sourceIp: IPS.office });
  }
}

test('the first days of an account whose logs begin late do not make its own identity provider a third party', async () => {
  const s = new Scenario().baseline();
  securityAccountJoins(s);
  const findings = await scenarioFindings(s);
  assert.deepEqual(findings.map((f) => `${f.entry.kind} ${f.entry.principal}`), [], 'no finding: the security account’s SSO is its own');
});

test('an outside account entering that account from a Tor exit is still critical: the organisation’s baseline holds', async () => {
  const s = new Scenario().baseline();
  securityAccountJoins(s);
  const role = `arn:aws:iam::${SECURITY}:role/OrganizationAccountAccessRole`;
  const entry = s.assumeRole({ at: s.t0 + 2 * HOUR, callerAccount: '999988887777', roleArn: role, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + 2 * HOUR + 4 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe });
  const findings = await scenarioFindings(s);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.severity, 'critical');
  assert.ok(f.familiarity[0]!.unfamiliar.some((u) => u.level === 'organisation'));
  assert.ok(!f.familiarity[0]!.unfamiliar.some((u) => u.level === 'role'), 'the role is not judged: its account has a day of logs');
  assert.ok(f.reasons.some((r) => /^The evidence of 333333333333 begins at 2026-10-09T11:00:00Z, less than 3 days before this entry: what the role had used before is not known/.test(r.text)));
});
