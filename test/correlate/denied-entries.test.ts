// Denied entries are not findings, but the investigator sees who probed what: in the terminal, the JSON and the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ORG, IPS, Scenario, at } from '../support/cloudtrail-scenario';
import { writeAttackScenario } from '../support/attack-case';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');
const crossline = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('two refused assumptions of the admin role by an outside account are listed as one kind of denied entry', () => {
  const s = new Scenario().baseline();
  const role = `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`;
  const first = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '555566667777', roleArn: role, sessionName: 'probe', sourceIp: IPS.volumeNl, denied: true });
  const last = s.assumeRole({ at: s.t0 + at.HOUR + 3 * at.MIN, callerAccount: '555566667777', roleArn: role, sessionName: 'probe', sourceIp: IPS.volumeNl, denied: true });
  const dir = s.write();
  const caseFile = join(dir, 'case.crossline');
  try {
    const text = crossline('analyze', join(dir, 'evidence'), '--case', caseFile);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /\nfindings: none/);
    assert.match(text.stdout, new RegExp(`denied entries \\(refused before any session; not findings\\):\\n   555566667777 → AssumeRole ${role.replace(/[/]/g, '\\/')}: AccessDenied, 2 times, 2026-10-10T10:00:00Z to 2026-10-10T10:03:00Z from 94\\.102\\.49\\.1 \\(${first.eventIds[0]} … ${last.eventIds[0]}\\)`));

    const json = JSON.parse(crossline('findings', caseFile, '--json').stdout);
    assert.deepEqual(json.method.stats.deniedEntries.map((g: { who: string; count: number; target: string }) => [g.who, g.count, g.target]), [['555566667777', 2, role]]);

    const out = join(dir, 'report.html');
    assert.equal(crossline('report', caseFile, '--format', 'html', '--out', out).status, 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<h3>Denied entries<\/h3>/);
    assert.match(html, /<td>555566667777<\/td><td><code>AssumeRole<\/code> arn:aws:iam::111111111111:role\/OrganizationAccountAccessRole<\/td><td>AccessDenied<\/td><td>94\.102\.49\.1<\/td><td>2× /);
    assert.match(html, /2 denied entries \(refused before any session\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the report timeline names the account of an entry made by an account (no principal name), not a blank', () => {
  const { dir } = writeAttackScenario();
  const caseFile = join(dir, 'case.crossline');
  try {
    assert.equal(crossline('analyze', join(dir, 'evidence'), '--case', caseFile, '--quiet').status, 0);
    const out = join(dir, 'report.html');
    assert.equal(crossline('report', caseFile, '--format', 'html', '--out', out).status, 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /AssumeRole<\/code><\/td><td><\/td><td>success<\/td><td class="mono">999988887777<\/td>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the most frequent kinds of denied entry are kept, whenever they began', async () => {
  const { deniedEntries } = await import('../../electron/core/correlate/denied-entries');
  const attempt = (i: number, who: string) => ({ provider: 'aws', nativeId: `e${i}`, timeMs: i * 1000, principalName: null, principalId: who, principalType: 'AWSAccount', principalAccount: who, targetResource: 'arn:aws:iam::111111111111:role/Admin', targetAccount: '111111111111', action: 'AssumeRole', errorCode: 'AccessDenied', sourceIp: '94.102.49.1' });
  const probes = Array.from({ length: 60 }, (_, i) => attempt(i, String(100000000000 + i)));
  const force = Array.from({ length: 40 }, (_, i) => attempt(1000 + i, '555566667777'));
  const groups = deniedEntries([...probes, ...force] as never[]);
  assert.equal(groups.length, 50);
  assert.deepEqual([groups[0]!.who, groups[0]!.count], ['555566667777', 40], 'the brute force that began after 60 one-off probes leads');
});
