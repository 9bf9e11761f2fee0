// `crossline findings` answers for every stored event: a case with events imported after its last correlation is
// correlated again, an empty case is "not analysed", and an import that stopped part way is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { ORG, IPS, Scenario, at } from '../support/cloudtrail-scenario';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');
const crossline = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('findings after a second import include the new evidence: the case is correlated again, and says so', () => {
  const baseline = new Scenario().baseline();
  const attack = new Scenario();
  const entry = attack.assumeRole({ at: attack.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'x', sourceIp: IPS.torDe });
  attack.call({ at: attack.t0 + at.HOUR + 4 * at.MIN, session: entry.session, source: 'cloudtrail', action: 'StopLogging', sourceIp: IPS.torDe });
  const dirs = [baseline.write(), attack.write()];
  const caseFile = join(dirs[0]!, 'case.crossline');
  try {
    assert.equal(crossline('import', caseFile, join(dirs[0]!, 'evidence'), '--quiet').status, 0);
    assert.match(crossline('findings', caseFile).stdout, /^findings: none/);
    assert.equal(crossline('import', caseFile, join(dirs[1]!, 'evidence'), '--quiet').status, 0);
    const text = crossline('findings', caseFile);
    assert.match(text.stderr, /1 import stored events after the last correlation run.*Correlating again/);
    assert.match(text.stdout, /^findings: 1\n\n#\d+ CRITICAL/);
    const json = JSON.parse(crossline('findings', caseFile, '--json').stdout);
    assert.equal(json.findings.length, 1, 'read back, not correlated a third time');
    assert.equal(json.findings[0].entry.eventId, entry.eventIds[0]);
    assert.deepEqual(json.analysis.unfinishedImports, []);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test('findings of an empty case say it holds no events; an unfinished import is named under the findings', () => {
  const s = new Scenario().baseline();
  const dir = s.write();
  const empty = mkdtempSync(join(tmpdir(), 'crossline-empty-'));
  try {
    const emptyCase = join(empty, 'empty.crossline');
    openCase(emptyCase).close();
    const none = crossline('findings', emptyCase);
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /^findings: not analysed — the case holds no events/);
    assert.doesNotMatch(none.stdout, /was found/);
    assert.equal(JSON.parse(crossline('findings', emptyCase, '--json').stdout).analysis.events, 0);

    const caseFile = join(dir, 'case.crossline');
    assert.equal(crossline('import', caseFile, join(dir, 'evidence'), '--quiet').status, 0);
    // An import that never finished (killed): its row stays `running`.
    const db = openCase(caseFile);
    db.prepare("INSERT INTO imports (started_at, inputs, status) VALUES (?, ?, 'running')").run(Date.now(), JSON.stringify(['/evidence/more']));
    db.close();
    const text = crossline('findings', caseFile);
    assert.match(text.stdout, /warning: Import \d+ of \/evidence\/more .* has no recorded end/);
    const json = JSON.parse(crossline('findings', caseFile, '--json').stdout);
    assert.deepEqual(json.analysis.unfinishedImports.map((r: { inputs: string[]; status: string }) => [r.inputs, r.status]), [[['/evidence/more'], 'running']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
});
