// A tool spraying privileged calls that are refused must not turn its finding's reasons into hundreds of kilobytes: the
// reason groups the attempts by call and error code, names the first few groups and says how many more there are, with a
// bounded list of event ids; the finding's `attempted` keeps every one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { analyseWritten } from '../support/analyse-evidence';

const { MIN, HOUR } = at;

test('2,000 denied privileged calls: one short reason, grouped by call and error code with counts, "and N more"; attempted lists them all', async () => {
  const s = new Scenario().baseline();
  const t = s.t0 + HOUR;
  const entry = s.assumeRole({ at: t, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'spray', sourceIp: IPS.torDe });
  const kinds: [string, string, string][] = [
    ['iam', 'CreateAccessKey', 'AccessDenied'], ['iam', 'AttachUserPolicy', 'AccessDenied'], ['iam', 'PutUserPolicy', 'AccessDenied'],
    ['iam', 'CreateLoginProfile', 'AccessDenied'], ['cloudtrail', 'DeleteTrail', 'AccessDenied'], ['iam', 'AttachRolePolicy', 'AccessDenied'],
    ['iam', 'CreateAccessKey', 'ThrottlingException'],
  ];
  const first: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const [source, action, error] = kinds[i % kinds.length]!;
    const id = s.call({ at: t + MIN + i * 1000, session: entry.session, source, action, sourceIp: IPS.torDe, error });
    if (i < kinds.length) first.push(id);
  }
  const { findings } = await analyseWritten(s.write());

  const f = findings.find((x) => x.entry.kind !== undefined && x.assumeEventIds.some((id) => entry.eventIds.includes(id)))!;
  assert.ok(f, `${findings.length} findings`);
  assert.equal(f.attempted!.length, 2000, 'the finding keeps every attempt');
  const refused = f.reasons.find((r) => /^2000 privileged calls attempted and refused or failed: /.test(r.text));
  assert.ok(refused, f.reasons.map((r) => r.text.slice(0, 200)).join('\n'));
  assert.ok(refused.text.length < 1500, `${refused.text.length} characters: ${refused.text.slice(0, 400)}`);
  assert.match(refused.text, /: CreateAccessKey \(AccessDenied, [^)]+\) 286 times from \d{4}-\d\d-\d\dT[\d:]+Z \(\+1m00s\) to \d{4}-\d\d-\d\dT[\d:]+Z \(\+34m\d\ds\); AttachUserPolicy \(AccessDenied/);
  assert.match(refused.text, /; and 2 more kinds \(570 attempts\), every one in the finding's list of attempted calls\. Not counted as privileged calls/);
  assert.ok(!refused.text.includes('ThrottlingException'), 'the sixth group onwards is only counted');
  assert.ok(refused.eventIds.length <= 10, `${refused.eventIds.length} event ids`);
  assert.deepEqual(refused.eventIds.slice(0, 1), [first[0]], 'each named group cites its first attempt');
  const privileged = JSON.stringify(f.reasons.filter((r) => r.condition === 'privileged'));
  assert.ok(privileged.length < 3000, `${privileged.length} characters of privileged-call reasons`);
});

test('500 successful privileged calls from one address: every reason stays short, cites at most 20 events and says how many it left out', async () => {
  const s = new Scenario().baseline();
  const t = s.t0 + HOUR;
  const entry = s.assumeRole({ at: t, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'busy', sourceIp: IPS.torDe });
  for (let i = 0; i < 500; i++) s.call({ at: t + MIN + i * 1000, session: entry.session, source: 'iam', action: i % 2 ? 'AttachUserPolicy' : 'CreateAccessKey', sourceIp: IPS.torDe });
  const { findings } = await analyseWritten(s.write());
  const f = findings.find((x) => x.assumeEventIds.some((id) => entry.eventIds.includes(id)))!;
  assert.equal(f.privilegedEventIds.length, 500, 'the finding keeps every privileged call');
  for (const r of f.reasons) {
    assert.ok(r.eventIds.length <= 20, `${r.eventIds.length} ids: ${r.text.slice(0, 120)}`);
    assert.ok(r.text.length < 2000, `${r.text.length} characters: ${r.text.slice(0, 120)}`);
  }
  const calls = f.reasons.find((r) => r.condition === 'privileged')!;
  assert.match(calls.text, /^500 privileged calls within .*, and 490 more\. \(20 of its 500 events cited; the finding lists them all\.\)$/);
  const origin = f.reasons.find((r) => r.condition === 'unfamiliar' && r.text.startsWith(IPS.torDe))!;
  assert.match(origin.text, /\(20 of its 501 events cited; the finding lists them all\.\)$/);
});
