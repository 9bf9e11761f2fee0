// Condition 3's reason when it does not hold says why for each source: seen before, a new address on a known
// network, allowlisted, or not judged at all for lack of evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATADOG, IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { scenarioFindings } from '../support/scenario-findings';

const { MIN, HOUR } = at;
const PROD_ADMIN = `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`;

async function originReason(s: Scenario, allowCidr?: string): Promise<string> {
  const findings = await scenarioFindings(s, (settings) => {
    if (allowCidr) settings.allowlist.cidrs.push(allowCidr);
  });
  assert.equal(findings.length, 1, findings.map((f) => f.entry.principal).join());
  return findings[0]!.reasons.find((r) => r.condition === 'unfamiliar')!.text;
}

function torBurst(s: Scenario): void {
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe });
}

test('with a day of evidence the origin is not judged, and the reason says so instead of "seen before"', async () => {
  const s = new Scenario().baseline(1);
  torBurst(s);
  assert.equal(await originReason(s), 'Not judged: too little evidence precedes the entry to call 185.220.101.4 familiar or unfamiliar.');
});

test('an allowlisted source is named as allowlisted, not as seen before', async () => {
  const s = new Scenario().baseline();
  torBurst(s);
  assert.equal(await originReason(s, '185.220.101.0/24'), '185.220.101.4 is allowlisted.');
});

test('a vendor on a new address of its usual network: a new address, on networks already used', async () => {
  const s = new Scenario().baseline();
  const ip = '3.80.1.77'; // the same /24 as the vendor's usual 3.80.1.1
  const dd = s.assumeRole({ at: s.t0 + HOUR, callerAccount: DATADOG, roleArn: `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`, sessionName: 'DatadogAWSIntegration', sourceIp: ip, userAgent: 'datadog-aws-integration' });
  s.call({ at: s.t0 + HOUR + MIN, session: dd.session, source: 'iam', action: 'AttachRolePolicy', sourceIp: ip });
  assert.equal(await originReason(s), '3.80.1.77 is a new address, but on networks already used there.');
});

test('a privileged call just after the window is named in the finding, not counted', async () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + 2 * MIN, session: entry.session, source: 'sts', action: 'GetCallerIdentity', sourceIp: IPS.torDe });
  const late = s.call({ at: s.t0 + 2 * HOUR + MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe });
  const [f] = await scenarioFindings(s);
  assert.equal(f!.conditions.privileged, false);
  assert.equal(f!.severity, 'medium');
  const reason = f!.reasons.find((r) => r.text.startsWith('After the 60-minute window'))!;
  assert.equal(reason.text, "After the 60-minute window the entry's own credential made 1 more privileged call: StopLogging (+61m00s). They are not part of this chain or its score; a longer window (settings) would take them in.");
  assert.deepEqual(reason.eventIds, [late]);
  assert.equal(f!.reasons.at(-1)!.condition, 'suppression');
});

test("a vendor on another of its cloud operator's ASNs is not 'asn new to the organisation'", async () => {
  const s = new Scenario().baseline(); // Datadog polls from 3.80.1.1 / 34.228.1.1 (AS14618, Amazon)
  const ip = '54.86.12.34'; // AS16509, also Amazon
  const dd = s.assumeRole({ at: s.t0 + HOUR, callerAccount: DATADOG, roleArn: `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`, sessionName: 'DatadogAWSIntegration', sourceIp: ip, userAgent: 'datadog-aws-integration' });
  s.call({ at: s.t0 + HOUR + MIN, session: dd.session, source: 'ec2', action: 'ModifySnapshotAttribute', sourceIp: ip });
  const [f] = await scenarioFindings(s);
  const origin = f!.familiarity.find((x) => x.ip === ip)!;
  assert.equal(origin.asn, 16509, 'the number is still shown');
  for (const u of origin.unfamiliar) assert.ok(!u.attributes.includes('asn'), `${u.level}: ${u.attributes.join('/')}`);
  assert.notEqual(f!.severity, 'critical');
});

test('two addresses of one operator far apart on the map are no impossible travel', async () => {
  const s = new Scenario().baseline();
  const v6 = '2a0b:f4c2:2::42'; // AS60729 like IPS.torDe, placed in Bonn, 480 km from Berlin
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: v6 });
  const [f] = await scenarioFindings(s);
  assert.ok(f!.familiarity.some((x) => x.ip === v6 && x.asn === 60729 && x.city !== null && x.city !== 'Berlin'), JSON.stringify(f!.familiarity));
  assert.equal(f!.reasons.some((r) => r.condition === 'travel'), false);
  assert.equal(f!.scoreParts!.travel, 0);
});

test('a chain with no source address says what the log gave instead', async () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: 'AWS Internal' });
  s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: 'AWS Internal' });
  const [f] = await scenarioFindings(s);
  assert.equal(f!.reasons.find((r) => r.condition === 'unfamiliar')!.text, 'No source address is recorded for this chain (the log gives "AWS Internal" instead of an address): its origin cannot be judged.');
});

test('a private source is said to be one, not given an unknown ASN and location', async () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '999988887777', roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: '10.20.30.40' });
  s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: '10.20.30.40' });
  const [f] = await scenarioFindings(s);
  assert.match(f!.reasons.find((r) => r.condition === 'unfamiliar')!.text, /^10\.20\.30\.40 \(a private or reserved address, as a VPC endpoint or an internal network shows it: no place or operator\): /);
});
