import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { readCorrelationSettings } from '../../electron/db/repos/settings-repo';

test('the settings of a case without its own are a copy: allowlisting in one case leaves the next one alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-settings-'));
  try {
    const a = openCase(join(dir, 'a.crossline'));
    const b = openCase(join(dir, 'b.crossline'));
    const first = readCorrelationSettings(a);
    first.allowlist.cidrs.push('185.220.101.0/24');
    first.allowlist.accounts.push('999988887777');
    first.organisationAccounts.push('123456789012');
    const second = readCorrelationSettings(b);
    assert.deepEqual(second.allowlist.cidrs, []);
    assert.deepEqual(second.allowlist.accounts, []);
    assert.deepEqual(second.organisationAccounts, []);
    a.close();
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
