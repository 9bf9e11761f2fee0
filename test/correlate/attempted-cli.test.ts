// What `crossline analyze` tells about privileged calls attempted without success: the JSON carries them per finding
// (with the Azure operation stages), the method line counts them apart from denied entries, and the findings CSV has them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';

const { MIN, HOUR } = at;
const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');
const crossline = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

test('crossline analyze lists a refused privileged call in --json, in the method line and in the findings CSV', () => {
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'x', sourceIp: IPS.torDe });
  const denied = s.call({ at: s.t0 + HOUR + 4 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe, error: 'AccessDenied' });
  s.call({ at: s.t0 + HOUR + 6 * MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: IPS.torDe });
  const dir = s.write();
  try {
    const caseFile = join(dir, 'c.crossline');
    const json = crossline('analyze', join(dir, 'evidence'), '--case', caseFile, '--json');
    assert.equal(json.status, 0, json.stderr);
    const finding = (JSON.parse(json.stdout) as { findings: { attempted: { eventId: string; action: string; errorCode: string }[]; operationStages: object }[] }).findings[0]!;
    assert.deepEqual(finding.attempted.map((a) => [a.eventId, a.action, a.errorCode]), [[denied, 'CreateAccessKey', 'AccessDenied']]);
    assert.deepEqual(finding.operationStages, {});
    const text = crossline('correlate', caseFile);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /\d+ denied entries, 1 privileged calls attempted without success in the findings/);
    const csv = join(dir, 'findings.csv');
    assert.equal(crossline('report', caseFile, '--format', 'csv', '--out', csv).status, 0);
    const [header, row] = readFileSync(csv, 'utf8').split('\r\n');
    const at = header!.split(',').indexOf('attempted');
    assert.ok(at > 0, header);
    assert.ok(row!.includes(denied) && row!.includes('AccessDenied'), row);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
