// An actor who comes back: its first chain must not make its own address familiar for the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../shared/domain/correlation';
import { DATADOG, IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { scenarioFindings } from '../support/scenario-findings';

const { MIN, HOUR, DAY } = at;
const PROD_ADMIN = `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`;

/** An outside account assumes the admin role and escalates: entry, then three privileged calls. */
function burst(s: Scenario, atMs: number, callerAccount: string, ip: string, sessionName: string): string {
  const entry = s.assumeRole({ at: atMs, callerAccount, roleArn: PROD_ADMIN, sessionName, sourceIp: ip });
  s.call({ at: atMs + 3 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: ip });
  s.call({ at: atMs + 5 * MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: ip });
  s.call({ at: atMs + 8 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: ip });
  return entry.eventIds[0]!;
}

const byEntry = (findings: Finding[], eventId: string) => findings.find((f) => f.entry.eventId === eventId)!;

test('an account that comes back from the address of its first chain is judged on what the organisation knew before that chain', async () => {
  const s = new Scenario().baseline();
  const first = burst(s, s.t0 + HOUR, '999988887777', IPS.torDe, 'x');
  const second = burst(s, s.t0 + DAY + 2 * HOUR, '999988887777', IPS.torDe, 'y');
  const findings = await scenarioFindings(s);
  const a = byEntry(findings, first);
  const b = byEntry(findings, second);
  assert.equal(a.severity, 'critical');
  // Before: the first chain had made the Tor exit, its ASN and Germany familiar to the organisation, the role and the
  // account, so the second chain lost condition 3 and was capped at medium.
  assert.equal(b.severity, 'critical', `second chain: ${b.score} ${b.reasons.map((r) => r.text).join(' | ')}`);
  assert.deepEqual(b.conditions, { entry: true, privileged: true, unfamiliar: true });
  const unfamiliar = b.reasons.find((r) => r.condition === 'unfamiliar')!;
  assert.match(unfamiliar.text, /^185\.220\.101\.4 \(AS60729.*\): .*country new to the organisation/);
  assert.match(unfamiliar.text, /; the address first served the finding of 999988887777 \(aws, entry at 2026-10-10T10:00:00Z\), so it is judged on the evidence before 2026-10-10T10:00:00Z\.$/);
  assert.ok(b.reasons.some((r) => /likely the same actor/.test(r.text)), 'the findings still name each other');
});

test('another account from the same address is as unfamiliar as the first, not a first-timer from a known network', async () => {
  const s = new Scenario().baseline();
  const first = burst(s, s.t0 + HOUR, '999988887777', IPS.torDe, 'x');
  const eve = burst(s, s.t0 + 2 * DAY, '777766665555', IPS.torDe, 'eve');
  const findings = await scenarioFindings(s);
  assert.equal(byEntry(findings, first).severity, 'critical');
  const e = byEntry(findings, eve);
  assert.equal(e.severity, 'critical', `eve: ${e.score} ${e.reasons.map((r) => r.text).join(' | ')}`);
  assert.ok(e.familiarity.find((f) => f.ip === IPS.torDe)!.unfamiliar.some((u) => u.level === 'organisation' && u.attributes.includes('country')));
});

test('an address the organisation used before the first chain stays familiar afterwards', async () => {
  const s = new Scenario().baseline();
  // The office address served the organisation for two weeks before an outside account used it (a shared egress).
  const first = burst(s, s.t0 + HOUR, '999988887777', IPS.office, 'x');
  const second = burst(s, s.t0 + DAY + 2 * HOUR, '999988887777', IPS.office, 'y');
  const findings = await scenarioFindings(s);
  for (const id of [first, second]) {
    const f = findings.find((x) => x.entry.eventId === id);
    if (!f) continue; // routine, not listed: familiar and fine
    assert.ok(!f.familiarity.find((x) => x.ip === IPS.office)!.unfamiliar.some((u) => u.level === 'organisation'), 'the office is not new to the organisation');
  }
});

test('a returning address the analyst allowlisted after the first chain is familiar for both', async () => {
  const s = new Scenario().baseline();
  const first = burst(s, s.t0 + HOUR, '999988887777', IPS.torDe, 'x');
  const second = burst(s, s.t0 + DAY + 2 * HOUR, '999988887777', IPS.torDe, 'y');
  const findings = await scenarioFindings(s, (settings) => settings.allowlist.cidrs.push(`${IPS.torDe}/32`));
  for (const id of [first, second]) {
    const f = findings.find((x) => x.entry.eventId === id);
    assert.ok(f, 'the privileged calls still list the chain');
    assert.equal(f.conditions.unfamiliar, false);
    assert.equal(f.severity, 'medium');
  }
});

test('another address of the network an earlier finding came from is judged as of that finding too', async () => {
  const s = new Scenario().baseline();
  const first = burst(s, s.t0 + HOUR, '999988887777', IPS.torDe, 'x');
  const sibling = '185.220.101.34'; // the same /24, AS60729, Germany
  const second = burst(s, s.t0 + 3 * DAY, '666655554444', sibling, 'y');
  const findings = await scenarioFindings(s);
  assert.equal(byEntry(findings, first).severity, 'critical');
  const b = byEntry(findings, second);
  assert.equal(b.severity, 'critical', `${b.score} ${b.reasons.map((r) => r.text).join(' | ')}`);
  const origin = b.familiarity.find((f) => f.ip === sibling)!;
  assert.deepEqual(origin.unfamiliar.find((u) => u.level === 'organisation')!.attributes, ['ip', 'network', 'asn', 'country']);
  assert.equal(origin.judgedBefore?.attribute, 'network');
  assert.match(b.reasons.find((r) => r.condition === 'unfamiliar')!.text, /; its network first served the finding of 999988887777 /);
});

test("the actor's own refused probes from its address do not make the address familiar for its entry", async () => {
  const s = new Scenario().baseline();
  // A denied assumption on each of the three days before, and ten minutes before the entry: no use of the address.
  for (const d of [3, 2, 1]) s.assumeRole({ at: s.t0 - d * DAY + HOUR, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: `p${d}`, sourceIp: IPS.torDe, denied: true });
  s.assumeRole({ at: s.t0 + 50 * MIN, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'p0', sourceIp: IPS.torDe, denied: true });
  const entry = burst(s, s.t0 + HOUR, '999988887777', IPS.torDe, 'x');
  const f = byEntry(await scenarioFindings(s), entry);
  assert.equal(f.severity, 'critical', `${f.score} ${f.reasons.map((r) => r.text).join(' | ')}`);
  assert.ok(f.familiarity[0]!.unfamiliar.some((u) => u.level === 'organisation' && u.attributes.includes('country')));
});

test('back after a takeover for a look around, without a privileged call, the actor is listed; a vendor flagged at medium goes on polling unlisted', async () => {
  const s = new Scenario().baseline();
  const takeover = burst(s, s.t0 + HOUR, '999988887777', IPS.torDe, 'x');
  const back = s.assumeRole({ at: s.t0 + 3 * DAY, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'y', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + 3 * DAY + MIN, session: back.session, source: 'iam', action: 'ListUsers', sourceIp: IPS.torDe });
  // The vendor from a new network once (medium: no privileged call), then polling from there the next days.
  const vendorIp = '94.102.49.1';
  const role = `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`;
  const polls: string[] = [];
  for (const d of [0, 1, 2]) {
    const dd = s.assumeRole({ at: s.t0 + d * DAY + 5 * HOUR, callerAccount: DATADOG, roleArn: role, sessionName: 'DatadogAWSIntegration', sourceIp: vendorIp, userAgent: 'datadog-aws-integration' });
    s.call({ at: s.t0 + d * DAY + 5 * HOUR + MIN, session: dd.session, source: 'cloudwatch', action: 'ListMetrics', sourceIp: vendorIp });
    polls.push(dd.eventIds[0]!);
  }
  const findings = await scenarioFindings(s);
  assert.equal(byEntry(findings, takeover).severity, 'critical');
  const look = byEntry(findings, back.eventIds[0]!);
  assert.ok(look, 'the return is listed');
  assert.equal(look.severity, 'medium');
  assert.match(look.reasons.find((r) => r.condition === 'unfamiliar')!.text, /; the address first served the finding of 999988887777 /);
  const vendor = findings.filter((f) => polls.includes(f.entry.eventId));
  assert.deepEqual(vendor.map((f) => [f.entry.eventId, f.severity]), [[polls[0], 'medium']], 'only the first polling from the new network is listed');
});
