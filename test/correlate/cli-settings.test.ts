// What an investigator does from the command line: analyse, allowlist what turned out to be benign, and see
// the finding drop after the automatic re-correlation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeAttackScenario } from '../support/attack-case';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');
const crossline = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('crossline settings --allow-account re-correlates and the finding drops; --json findings carry native ids', () => {
  const { dir, entryEventIds, keyEventId: key } = writeAttackScenario();
  const caseFile = join(dir, 'case.crossline');
  try {
    const analyze = crossline('analyze', join(dir, 'evidence'), '--case', caseFile, '--json');
    assert.equal(analyze.status, 0, analyze.stderr);
    const before = JSON.parse(analyze.stdout);
    assert.equal(before.findings.length, 1);
    assert.equal(before.findings[0].entry.eventId, entryEventIds[0]);
    assert.deepEqual(before.findings[0].privilegedEventIds, [key]);
    assert.ok(before.findings[0].reasons.every((r: unknown) => typeof r === 'string'));

    const text = crossline('findings', caseFile);
    assert.match(text.stdout, /CRITICAL|HIGH/);
    assert.match(text.stdout, /IP geolocation by DB-IP\.com/, 'the data attribution is shown');

    const settings = crossline('settings', caseFile, '--allow-account', '999988887777');
    assert.equal(settings.status, 0, settings.stderr);
    assert.match(settings.stderr, /re-correlated in [\d.]+ s: 0 findings/);
    const after = JSON.parse(crossline('findings', caseFile, '--json').stdout);
    assert.equal(after.findings.length, 0);
    assert.deepEqual(after.method.settings.allowlist.accounts, ['999988887777'], 'the settings in force are recorded with the run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('crossline settings refuses values the app would refuse, and --remove takes an allowlisted account off again', () => {
  const { dir } = writeAttackScenario();
  const caseFile = join(dir, 'case.crossline');
  try {
    assert.equal(crossline('analyze', join(dir, 'evidence'), '--case', caseFile, '--json').status, 0);
    for (const [flag, value, message] of [
      ['--allow-cidr', '999.1.1.1/33', /^crossline: --allow-cidr: is not an IP address or CIDR block \(e\.g\. 203\.0\.113\.0\/24\): "999\.1\.1\.1\/33"\n$/],
      ['--allow-cidr', '', /^crossline: --allow-cidr: must not be empty\n$/],
      ['--org-account', '  ', /^crossline: --org-account: must not be empty\n$/],
    ] as const) {
      const r = crossline('settings', caseFile, flag, value);
      assert.equal(r.status, 2, `${flag} ${JSON.stringify(value)} is refused`);
      assert.match(r.stderr, message);
    }
    const shown = JSON.parse(crossline('settings', caseFile).stdout);
    assert.deepEqual([shown.allowlist.cidrs, shown.organisationAccounts], [[], []], 'nothing refused was stored');

    assert.match(crossline('settings', caseFile, '--allow-account', '999988887777').stderr, /0 findings/);
    const removed = crossline('settings', caseFile, '--remove', '999988887777');
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stderr, /re-correlated in [\d.]+ s: 1 findings/);
    assert.deepEqual(JSON.parse(removed.stdout).allowlist.accounts, []);
    const unknown = crossline('settings', caseFile, '--remove', '123412341234');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--remove: not in the settings: 123412341234/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
