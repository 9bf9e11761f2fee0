// The CLI run from the TypeScript source (what bin/crossline.mjs does in a checkout whose build is older than its
// source) with the current folder outside the checkout: the parse workers must still find tsx, from the checkout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..', '..');

test('an import run from the source in a folder outside the checkout stores its events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-elsewhere-'));
  try {
    const record = { eventVersion: '1.08', eventID: 'e-1', eventTime: '2026-10-01T10:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: 'us-east-1', sourceIPAddress: '81.2.69.142', recipientAccountId: '111111111111', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111' } };
    writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: [record] }));
    const main = pathToFileURL(join(root, 'electron', 'cli', 'main.ts')).href;
    const script = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(['import', 'case.crossline', 'trail.json', '--json', '--quiet']);`;
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx/esm'), '--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.stats.events, 1, JSON.stringify(out));
    assert.equal(out.stats.errors, 0, JSON.stringify(out.problems ?? out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
