// The command line's text output shows a direction control from the evidence by its code point, as the app and the
// report do: a file named `odd\u202Ename.json` would otherwise print reversed in the terminal. JSON keeps it exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');

test('a file name with U+202E prints by code point in text, exactly in JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-bidi-cli-'));
  try {
    writeFileSync(join(dir, 'odd\u202Ename.json'), '');
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ eventVersion: '1.08', eventTime: '2024-06-02T20:27:12Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', eventID: 'e-1', awsRegion: 'us-east-1', sourceIPAddress: '81.2.69.142', recipientAccountId: '111111111111', userIdentity: { type: 'IAMUser', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/a' } }));
    const caseFile = join(dir, 'c.crossline');
    const text = spawnSync(process.execPath, [bin, 'import', caseFile, dir, '--quiet'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /odd⟦U\+202E⟧name\.json: /);
    assert.doesNotMatch(text.stdout, /\u202E/);
    const json = spawnSync(process.execPath, [bin, 'import', join(dir, 'd.crossline'), dir, '--quiet', '--json'], { encoding: 'utf8' });
    assert.ok(JSON.parse(json.stdout).problems.some((p: { file: string }) => p.file.endsWith('odd\u202Ename.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
