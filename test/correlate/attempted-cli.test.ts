// What `crossline analyze` tells about privileged calls attempted without success: the JSON carries them per finding
// (with the Azure operation stages), the method line counts them apart from denied entries, and the findings CSV has them;
// findings stored before they existed say "not known" (null), not "none"; a timeline export marks an operation's stages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { AzureScenario, serviceProviderTakeover } from '../support/azure-scenario';
import { openCase } from '../../electron/db/connection';

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
    assert.match(text.stdout, /\d+ denied entr(y|ies), 1 privileged call attempted without success in the findings/);
    const csv = join(dir, 'findings.csv');
    assert.equal(crossline('report', caseFile, '--format', 'csv', '--out', csv).status, 0);
    const [header, row] = readFileSync(csv, 'utf8').split('\r\n');
    const at = header!.split(',').indexOf('attempted');
    assert.ok(at > 0, header);
    assert.ok(row!.includes(denied) && row!.includes('AccessDenied'), row);

    // A finding stored by a Crossline before attempted calls and operation stages existed: not known, not "none".
    const db = openCase(caseFile);
    db.prepare("UPDATE chains SET detail = json_remove(detail, '$.attempted', '$.operationStages')").run();
    db.close();
    const old = crossline('findings', caseFile, '--json');
    assert.equal(old.status, 0, old.stderr);
    const oldFinding = (JSON.parse(old.stdout) as { findings: Record<string, unknown>[] }).findings[0]!;
    assert.equal(oldFinding.attempted, null);
    assert.equal(oldFinding.operationStages, null);
    const oldCsv = join(dir, 'old-findings.csv');
    assert.equal(crossline('report', caseFile, '--format', 'csv', '--out', oldCsv).status, 0);
    const [oldHeader, oldRow] = readFileSync(oldCsv, 'utf8').split('\r\n');
    const columns = oldHeader!.split(',');
    const cells = oldRow!.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    assert.equal(cells[columns.indexOf('attempted')], '', 'no attempted list stored: an empty cell, not []');
    assert.equal(cells[columns.indexOf('operationStages')], '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a timeline export marks the earlier records of an Azure operation with the native id of its final record (stageOf)', () => {
  const s = new AzureScenario().baseline();
  const { signIn, look, grant, keys } = serviceProviderTakeover(s, s.t0 + at.HOUR);
  const dir = s.write();
  try {
    const caseFile = join(dir, 'c.crossline');
    const json = crossline('analyze', join(dir, 'evidence'), '--case', caseFile, '--json');
    assert.equal(json.status, 0, json.stderr);
    const finding = (JSON.parse(json.stdout) as { findings: { id: number; entry: { eventId: string } }[] }).findings.find((f) => f.entry.eventId === signIn.id)!;
    const out = join(dir, 'timeline.json');
    const r = crossline('report', caseFile, '--format', 'json', '--what', 'timeline', '--finding', String(finding.id), '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as { nativeId: string; role: string; stageOf: string | null }[];
    const stageOf = Object.fromEntries(rows.map((x) => [x.nativeId, x.stageOf]));
    assert.deepEqual(stageOf, { [signIn.id]: null, [look.done]: null, [grant.started!]: grant.done, [grant.done]: null, [keys.started!]: keys.done, [keys.done]: null });
    // The two privileged rows of one operation: the stage names the row that stands for it.
    assert.equal(rows.filter((x) => x.role === 'privileged' && x.stageOf === null).length, 2, 'two privileged operations');

    const csv = join(dir, 'timeline.csv');
    assert.equal(crossline('report', caseFile, '--format', 'csv', '--what', 'timeline', '--finding', String(finding.id), '--out', csv).status, 0);
    const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\r\n');
    const col = header!.split(',').indexOf('stageOf');
    assert.ok(col > 0, header);
    const started = lines.find((l) => l.includes(grant.started!))!;
    assert.ok(started.includes(grant.done), started);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
