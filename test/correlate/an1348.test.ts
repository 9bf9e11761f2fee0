// The AN1348 correlator on constructed cases: each asserts the exact chain an investigator would see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { correlate } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readFindings } from '../../electron/db/repos/chains-repo';
import { readCorrelationSettings, writeCorrelationSettings } from '../../electron/db/repos/settings-repo';
import type { Finding } from '../../shared/domain/correlation';
import { DATADOG, IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';

const { MIN, HOUR } = at;
const EXTERNAL = '999988887777';
const PROD_ADMIN = `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`;

async function analyse(s: Scenario, tweak?: (settings: ReturnType<typeof readCorrelationSettings>) => void): Promise<{ findings: Finding[]; db: ReturnType<typeof openCase>; dir: string }> {
  const dir = s.write();
  const db = openCase(join(dir, 'case.crossline'));
  await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
  const settings = readCorrelationSettings(db);
  tweak?.(settings);
  writeCorrelationSettings(db, settings);
  await correlate(db, settings, defaultCorrelateDeps(settings));
  return { findings: readFindings(db), db, dir };
}

async function findingsOf(s: Scenario, tweak?: Parameters<typeof analyse>[1]): Promise<Finding[]> {
  const { findings, db, dir } = await analyse(s, tweak);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return findings;
}

/** External account assumes the admin role from a German Tor exit and mints credentials, escalates, blinds logging. */
function externalBurst(s: Scenario, ip = IPS.torDe) {
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: ip });
  const recon = s.call({ at: s.t0 + HOUR + 2 * MIN, session: entry.session, source: 'sts', action: 'GetCallerIdentity', sourceIp: ip });
  const priv = [
    s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: ip }),
    s.call({ at: s.t0 + HOUR + 6 * MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: ip }),
    s.call({ at: s.t0 + HOUR + 9 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: ip }),
  ];
  return { entry, recon, priv };
}

test('an external account with a privileged burst from a network nobody used is a critical finding', async () => {
  const s = new Scenario().baseline();
  const { entry, recon, priv } = externalBurst(s);
  const findings = await findingsOf(s);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.conditions, { entry: true, privileged: true, unfamiliar: true });
  assert.equal(f.entry.sourceAccount, EXTERNAL);
  assert.equal(f.entry.targetAccount, ORG.prod);
  assert.equal(f.entry.sourceIp, IPS.torDe);
  assert.deepEqual(f.assumeEventIds, entry.eventIds);
  assert.deepEqual(f.privilegedEventIds, priv);
  assert.deepEqual(new Set(f.eventIds), new Set([...entry.eventIds, recon, ...priv]));
  assert.deepEqual(f.privileged.map((p) => p.category), ['credential-minting', 'permission-escalation', 'defense-evasion']);
  assert.deepEqual(f.privileged.map((p) => p.offsetMs / MIN), [4, 6, 9]);
  const unfamiliar = f.reasons.find((r) => r.condition === 'unfamiliar')!;
  assert.match(unfamiliar.text, /185\.220\.101\.4 \(AS60729.*DE\)/);
  assert.match(unfamiliar.text, /country new to the organisation|asn\/country new to the organisation|country/);
  assert.ok(f.reasons.some((r) => r.condition === 'suppression' && /allowlisting account 999988887777/.test(r.text)));
});

test('a role chain (external → role A → role B) follows the credential, and B’s privileged calls belong to the chain', async () => {
  const s = new Scenario().baseline();
  const bridge = `arn:aws:iam::${ORG.dev}:role/vendor-bridge`;
  const deployer = `arn:aws:iam::${ORG.prod}:role/prod-deployer`;
  const a = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '888877776666', roleArn: bridge, sessionName: 'ext', sourceIp: IPS.volumeNl, sourceIdentity: 'mallory' });
  const b = s.assumeRole({ at: s.t0 + HOUR + 3 * MIN, callerAccount: ORG.dev, callerSession: a.session, roleArn: deployer, sessionName: 'hop', sourceIp: IPS.volumeNl, bothViews: true, sourceIdentity: 'mallory' });
  const priv = [
    s.call({ at: s.t0 + HOUR + 5 * MIN, session: b.session, source: 'iam', action: 'UpdateAssumeRolePolicy', sourceIp: IPS.volumeNl }),
    s.call({ at: s.t0 + HOUR + 7 * MIN, session: b.session, source: 'iam', action: 'PutRolePolicy', sourceIp: IPS.volumeNl }),
    s.call({ at: s.t0 + HOUR + 8 * MIN, session: b.session, source: 'iam', action: 'CreateLoginProfile', sourceIp: IPS.volumeNl }),
  ];
  const findings = await findingsOf(s);
  assert.equal(findings.length, 1, 'the in-organisation hop is part of the chain, not a second entry');
  const f = findings[0]!;
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  assert.deepEqual(new Set(f.assumeEventIds), new Set([...a.eventIds, ...b.eventIds]));
  assert.deepEqual(f.privilegedEventIds, priv);
  assert.ok(f.reasons.some((r) => r.condition === 'context' && /vendor-bridge → prod-deployer/.test(r.text)));
  // The entry came into dev; the damage was in prod, and the finding says so with the calls made there.
  const acted = f.reasons.find((r) => r.text.startsWith('The chain acted in'))!;
  assert.equal(acted.text, `The chain acted in ${ORG.prod} (3 privileged calls), beyond ${ORG.dev} where it came in.`);
  assert.deepEqual(acted.eventIds, priv);
});

test('a known vendor whose role is used from a new network is named and flagged', async () => {
  const s = new Scenario().baseline();
  const dd = s.assumeRole({ at: s.t0 + HOUR, callerAccount: DATADOG, roleArn: `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`, sessionName: 'DatadogAWSIntegration', sourceIp: IPS.volumeNl });
  const priv = [
    s.call({ at: s.t0 + HOUR + 3 * MIN, session: dd.session, source: 'ec2', action: 'ModifySnapshotAttribute', sourceIp: IPS.volumeNl }),
    s.call({ at: s.t0 + HOUR + 5 * MIN, session: dd.session, source: 'secretsmanager', action: 'GetSecretValue', sourceIp: IPS.volumeNl }),
  ];
  const findings = await findingsOf(s);
  assert.equal(findings.length > 0, true);
  const f = findings[0]!;
  assert.equal(f.entry.vendor, 'Datadog');
  assert.equal(f.entry.sourceIp, IPS.volumeNl);
  assert.deepEqual(f.privilegedEventIds, priv);
  assert.equal(f.conditions.unfamiliar, true);
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  // Its routine sessions from the usual network (in the baseline) are not findings above low/medium.
  assert.ok(findings.slice(1).every((x) => x.severity === 'low' || x.severity === 'medium'));
});

test('a new network in a country the organisation already uses is flagged, below a new country', async () => {
  const s1 = new Scenario().baseline();
  externalBurst(s1, IPS.newGb);
  const sameCountry = (await findingsOf(s1))[0]!;
  const s2 = new Scenario().baseline();
  externalBurst(s2, IPS.torDe);
  const newCountry = (await findingsOf(s2))[0]!;
  assert.equal(sameCountry.conditions.unfamiliar, true);
  assert.ok(sameCountry.severity === 'high' || sameCountry.severity === 'critical');
  assert.ok(sameCountry.score < newCountry.score, `${sameCountry.score} < ${newCountry.score}`);
  const unfamiliar = sameCountry.familiarity.find((x) => x.ip === IPS.newGb)!;
  const org = unfamiliar.unfamiliar.find((u) => u.level === 'organisation')!;
  assert.ok(org.attributes.includes('asn') && !org.attributes.includes('country'));
});

test('near misses are never high: recon, a vendor’s routine privileged call, same-account switch, denial, later session, services, CI', async () => {
  const s = new Scenario().baseline();
  // Read-only reconnaissance by an external account from a new network.
  const recon = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'look', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + MIN, session: recon.session, source: 'ec2', action: 'DescribeInstances', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + 2 * MIN, session: recon.session, source: 'iam', action: 'ListUsers', sourceIp: IPS.torDe });
  // Datadog's routine privileged call from its usual network.
  const dd = s.assumeRole({ at: s.t0 + 2 * HOUR, callerAccount: DATADOG, roleArn: `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`, sessionName: 'DatadogAWSIntegration', sourceIp: IPS.datadog });
  s.call({ at: s.t0 + 2 * HOUR + MIN, session: dd.session, source: 'logs', action: 'PutSubscriptionFilter', sourceIp: IPS.datadog });
  s.call({ at: s.t0 + 2 * HOUR + 2 * MIN, session: dd.session, source: 'ec2', action: 'ModifySnapshotAttribute', sourceIp: IPS.datadog });
  // A same-account role switch.
  const inside = s.assumeRole({ at: s.t0 + 3 * HOUR, callerAccount: ORG.prod, roleArn: `arn:aws:iam::${ORG.prod}:role/break-glass`, sessionName: 'alice', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + 3 * HOUR + MIN, session: inside.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
  // A denied AssumeRole from outside.
  s.assumeRole({ at: s.t0 + 4 * HOUR, callerAccount: '777766665555', roleArn: PROD_ADMIN, sessionName: 'try', sourceIp: IPS.torDe, denied: true });
  // AWS services assuming service roles, and CI deploying from its usual runners.
  s.serviceAssume(s.t0 + 5 * HOUR, 'lambda.amazonaws.com', `arn:aws:iam::${ORG.prod}:role/lambda-exec`);
  const ci = s.federate({ at: s.t0 + 6 * HOUR, kind: 'oidc', provider: 'token.actions.githubusercontent.com', roleArn: `arn:aws:iam::${ORG.prod}:role/github-deploy`, subject: 'GitHubActions', sourceIp: IPS.github });
  s.call({ at: s.t0 + 6 * HOUR + MIN, session: ci.session, source: 'lambda', action: 'UpdateFunctionCode20150331v2', sourceIp: IPS.github, readOnly: false });

  const findings = await findingsOf(s);
  for (const f of findings) assert.ok(f.severity === 'medium' || f.severity === 'low', `${f.entry.sourceAccount} ${f.entry.action} is ${f.severity}`);
  const external = findings.filter((f) => f.entry.sourceAccount === EXTERNAL);
  assert.equal(external.length, 1, 'the reconnaissance is reported, at most medium');
  assert.equal(external[0]!.conditions.privileged, false);
  assert.ok(!findings.some((f) => f.entry.sourceAccount === ORG.prod), 'a same-account switch is not an entry');
  assert.ok(!findings.some((f) => f.entry.sourceAccount === '777766665555'), 'a denied attempt is not a session');
  assert.ok(!findings.some((f) => f.entry.kind === 'third-party-idp'), 'the organisation’s SSO and CI are first-party');
  const routine = findings.filter((f) => f.entry.vendor === 'Datadog' && f.entry.timeMs === s.t0 + 2 * HOUR);
  assert.equal(routine.length, 1);
  assert.equal(routine[0]!.conditions.unfamiliar, false, 'Datadog’s usual network is familiar');
});

test('a privileged call hours later on a different session is not part of the chain', async () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + MIN, session: entry.session, source: 'ec2', action: 'DescribeInstances', sourceIp: IPS.torDe });
  const sso = s.federate({ at: s.t0 + 4 * HOUR, kind: 'saml', provider: `arn:aws:iam::${ORG.prod}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`, roleArn: `arn:aws:iam::${ORG.prod}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_abc123`, subject: 'alice@acme.example', sourceIp: IPS.office });
  const later = s.call({ at: s.t0 + 4 * HOUR + MIN, session: sso.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.office });
  const findings = await findingsOf(s);
  assert.equal(findings.length, 1);
  assert.ok(!findings[0]!.eventIds.includes(later));
  assert.equal(findings[0]!.conditions.privileged, false);
  assert.ok(findings[0]!.severity === 'medium' || findings[0]!.severity === 'low');
});

test('without access key ids the session is linked by session name and creation time, marked weaker', async () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'nokey', sourceIp: IPS.torDe, omitKey: true });
  const priv = s.call({ at: s.t0 + HOUR + 2 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe, omitKey: true });
  const findings = await findingsOf(s);
  assert.deepEqual(findings[0]!.privilegedEventIds, [priv]);
  assert.ok(findings[0]!.reasons.some((r) => /session name and creation time/.test(r.text)));
});

test('allowlisting the account or the ASN changes the finding when the correlator re-runs', async () => {
  const s = new Scenario().baseline();
  externalBurst(s);
  const { db, dir } = await analyse(s);
  try {
    const settings = readCorrelationSettings(db);
    settings.allowlist.asns = [60729];
    const deps = defaultCorrelateDeps(settings);
    await correlate(db, settings, deps);
    const withAsn = readFindings(db);
    assert.ok(withAsn[0]!.severity === 'medium' || withAsn[0]!.severity === 'low', `allowlisted ASN: ${withAsn[0]!.severity}`);
    settings.allowlist.accounts = [EXTERNAL];
    const t = performance.now();
    await correlate(db, settings, deps);
    assert.ok(performance.now() - t < 5000, 're-correlation takes seconds');
    assert.equal(readFindings(db).length, 0, 'an allowlisted account is not reported');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findings of the same capped score are ranked by what they held before the caps, and state their sum', async () => {
  const s = new Scenario().baseline();
  // Earlier: one call that fills the privileged part by itself. Later: a takeover across several categories.
  const lone = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + HOUR + 3 * MIN, session: lone.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe });
  const other = s.assumeRole({ at: s.t0 + 3 * HOUR, callerAccount: '555566667777', roleArn: `arn:aws:iam::${ORG.dev}:role/OrganizationAccountAccessRole`, sessionName: 'y', sourceIp: IPS.volumeNl });
  for (const [i, action, source] of [[2, 'CreateUser', 'iam'], [3, 'CreateAccessKey', 'iam'], [4, 'AttachUserPolicy', 'iam'], [5, 'StopLogging', 'cloudtrail'], [6, 'PutBucketPolicy', 's3']] as const) {
    s.call({ at: s.t0 + 3 * HOUR + i * MIN, session: other.session, source, action, sourceIp: IPS.volumeNl });
  }
  const findings = await findingsOf(s);
  const top = findings.filter((f) => f.severity === 'critical');
  assert.ok(top.length >= 2, `${top.length} critical findings`);
  assert.equal(top[0]!.score, top[1]!.score, 'both reach the same capped score');
  assert.equal(top[0]!.entry.sourceAccount, '555566667777', 'the broader takeover ranks first although it came later');
  const [a, b] = [top[0]!.scoreParts!, top[1]!.scoreParts!];
  assert.ok(a.privilegedUncapped > b.privilegedUncapped, `${a.privilegedUncapped} > ${b.privilegedUncapped}`);
  assert.equal(a.privileged, 40);
  const sum = top[0]!.reasons.find((r) => r.text.startsWith('Score '))!;
  assert.match(sum.text, new RegExp(`^Score ${top[0]!.score} of 100: entry 20 \\+ privileged calls 40 \\(${a.privilegedUncapped} before the cap of 40\\) \\+ unfamiliar origin ${a.unfamiliar}`));
});

test('the suppression advice names the role by ARN, and allowlisting that ARN silences only that account’s role', async () => {
  const s = new Scenario().baseline();
  externalBurst(s);
  const dev = s.assumeRole({ at: s.t0 + 2 * HOUR, callerAccount: '555566667777', roleArn: `arn:aws:iam::${ORG.dev}:role/OrganizationAccountAccessRole`, sessionName: 'y', sourceIp: IPS.volumeNl });
  s.call({ at: s.t0 + 2 * HOUR + 3 * MIN, session: dev.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.volumeNl });
  const { db, dir } = await analyse(s);
  try {
    const prod = readFindings(db).find((f) => f.entry.targetAccount === ORG.prod)!;
    const advice = prod.reasons.find((r) => r.condition === 'suppression')!.text;
    assert.ok(advice.includes(`allowlisting role ${PROD_ADMIN}`), advice);
    const settings = readCorrelationSettings(db);
    settings.allowlist.roles = [PROD_ADMIN];
    await correlate(db, settings, defaultCorrelateDeps(settings));
    const after = readFindings(db);
    assert.equal(after.some((f) => f.entry.targetAccount === ORG.prod), false, 'the prod role is allowlisted');
    assert.equal(after.some((f) => f.entry.targetAccount === ORG.dev && f.severity === 'critical'), true, 'the same role name in dev is still reported');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a refused privileged call inside a chain is named with its error code, time and event id, and is not a privileged call', async () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
  const denied = s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe, error: 'AccessDenied' });
  const priv = [
    s.call({ at: s.t0 + HOUR + 6 * MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: IPS.torDe }),
    s.call({ at: s.t0 + HOUR + 9 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe }),
  ];
  const { findings, db, dir } = await analyse(s);
  try {
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.deepEqual(f.privilegedEventIds, priv, 'the refused call is not a privileged call');
    assert.ok(f.eventIds.includes(denied));
    assert.deepEqual(f.attempted, [{ eventId: denied, action: 'CreateAccessKey', category: 'credential-minting', outcome: 'failure', errorCode: 'AccessDenied', offsetMs: 4 * MIN }]);
    const refused = f.reasons.find((r) => r.condition === 'privileged' && r.text.includes('attempted and refused'));
    assert.ok(refused, f.reasons.map((r) => r.text).join('\n'));
    assert.match(refused.text, new RegExp(`^1 privileged call attempted and refused: CreateAccessKey \\(AccessDenied, [^)]+\\) at ${new Date(s.t0 + HOUR + 4 * MIN).toISOString().replace('.000Z', 'Z')}, \\+4m00s\\.`));
    assert.deepEqual(refused.eventIds, [denied]);
    assert.match(f.reasons.find((r) => r.condition === 'privileged')!.text, /^2 privileged calls within 9m00s of the entry: AttachUserPolicy/);
    // Once per chain, a few points, said in the sum.
    assert.equal(f.scoreParts!.attempted, 5);
    assert.match(f.reasons.find((r) => r.text.startsWith('Score '))!.text, /\+ privileged calls attempted without success 5 \+/);
    // On the timeline: an other call, carrying the category of what it tried.
    const row = db.prepare('SELECT ce.role, ce.category FROM chain_events ce JOIN events e ON e.id = ce.event_id WHERE e.native_id = ?').get(denied);
    assert.deepEqual({ ...(row as object) }, { role: 'call', category: 'credential-minting' });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chain whose privileged calls were all refused says so, scores a little for them, and stays at most medium; from a familiar origin it stays routine', async () => {
  const build = (refusedCalls: boolean) => {
    const s = new Scenario().baseline();
    const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: EXTERNAL, roleArn: PROD_ADMIN, sessionName: 'x', sourceIp: IPS.torDe });
    s.call({ at: s.t0 + HOUR + MIN, session: entry.session, source: 'sts', action: 'GetCallerIdentity', sourceIp: IPS.torDe });
    const denied = refusedCalls
      ? [
        s.call({ at: s.t0 + HOUR + 3 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe, error: 'AccessDenied' }),
        s.call({ at: s.t0 + HOUR + 5 * MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe, error: 'AccessDenied' }),
      ]
      : [];
    // Datadog from its usual network, refused a privileged call: a vendor's tool hitting its permissions, not listed.
    const dd = s.assumeRole({ at: s.t0 + 2 * HOUR, callerAccount: DATADOG, roleArn: `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`, sessionName: 'DatadogAWSIntegration', sourceIp: IPS.datadog });
    s.call({ at: s.t0 + 2 * HOUR + MIN, session: dd.session, source: 'ec2', action: 'ModifySnapshotAttribute', sourceIp: IPS.datadog, error: 'Client.UnauthorizedOperation' });
    return { s, denied };
  };
  const { s, denied } = build(true);
  const findings = await findingsOf(s);
  const f = findings.find((x) => x.entry.sourceAccount === EXTERNAL)!;
  assert.equal(f.conditions.privileged, false, 'condition 2 is about calls that succeeded');
  assert.ok(f.severity === 'medium' || f.severity === 'low', f.severity);
  assert.ok(f.score <= 64);
  assert.deepEqual(f.privilegedEventIds, []);
  assert.deepEqual(f.attempted!.map((a) => [a.eventId, a.action, a.errorCode]), [[denied[0], 'CreateAccessKey', 'AccessDenied'], [denied[1], 'StopLogging', 'AccessDenied']]);
  const texts = f.reasons.filter((r) => r.condition === 'privileged').map((r) => r.text);
  assert.equal(texts[0], 'No privileged call succeeded within 60 minutes of the entry (2 attempted without success; 1 other call).');
  assert.match(texts[1]!, /^2 privileged calls attempted and refused: CreateAccessKey \(AccessDenied, .*\+3m00s; StopLogging \(AccessDenied, .*\+5m00s\./);
  assert.equal(f.scoreParts!.attempted, 5);
  assert.ok(!findings.some((x) => x.entry.vendor === 'Datadog' && x.entry.timeMs === s.t0 + 2 * HOUR), 'refused calls from a familiar origin are routine, not listed');

  const without = (await findingsOf(build(false).s)).find((x) => x.entry.sourceAccount === EXTERNAL)!;
  assert.equal(f.score, without.score + 5, `${f.score} = ${without.score} + 5`);
  assert.match(without.reasons.find((r) => r.condition === 'privileged')!.text, /^No privileged call within 60 minutes of the entry \(1 other call\)\.$/);
  assert.equal(without.scoreParts!.attempted, 0);
});
