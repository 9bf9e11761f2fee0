// The analyst's name: set once per install, changed from the app's settings, carried by every later annotation
// and audit entry, and kept for the next start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbench } from '../../electron/core/services/workbench';
import { validateRequest } from '../../shared/ipc/validators';

test('analyst.set renames the analyst for later annotations and audit entries, and for the next start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-analyst-'));
  const dataDir = join(dir, 'data');
  const first = new Workbench({ dataDir, analyst: 'first name', log: () => {} });
  try {
    assert.equal((await first.handlers['app.about']({})).analyst, 'first name');
    await first.handlers['case.create']({ file: join(dir, 'c.crossline') });
    const before = await first.handlers['annotations.save']({ target: { kind: 'event', provider: 'aws', eventId: 1, nativeId: 'a' }, verdict: null, tags: [], note: 'one', bookmarked: false });
    assert.equal(before.analyst, 'first name');

    const renamed = await first.handlers['analyst.set'](validateRequest('analyst.set', { name: '  Dana\t<Analyst>  ' }));
    assert.equal(renamed.name, 'Dana <Analyst>');
    assert.equal((await first.handlers['app.about']({})).analyst, 'Dana <Analyst>');
    const after = await first.handlers['annotations.save']({ target: { kind: 'event', provider: 'aws', eventId: 2, nativeId: 'b' }, verdict: 'benign', tags: [], note: 'two', bookmarked: false });
    assert.equal(after.analyst, 'Dana <Analyst>');
    const audit = await first.handlers['audit.list']({});
    assert.deepEqual(audit.map((a) => a.analyst), ['first name', 'Dana <Analyst>']);
    assert.equal((JSON.parse(readFileSync(join(dataDir, 'analyst.json'), 'utf8')) as { name: string }).name, 'Dana <Analyst>');
  } finally {
    await first.close();
  }
  const next = new Workbench({ dataDir, analyst: 'ignored: one is stored', log: () => {} });
  try {
    assert.equal(next.analyst, 'Dana <Analyst>');
  } finally {
    await next.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
