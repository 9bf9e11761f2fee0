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
