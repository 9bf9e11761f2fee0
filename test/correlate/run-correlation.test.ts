// The correlator as the app and the CLI run it: in a worker thread, with progress, and cancellable without
// losing the previous result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import type { CorrelateProgress } from '../../electron/core/correlate/correlate';
import { readFindings } from '../../electron/db/repos/chains-repo';
import { importedAttackCase } from '../support/attack-case';

test('the worker correlates with progress; a cancelled re-run keeps the previous findings', async () => {
  const { dir, caseFile, entryEventIds } = await importedAttackCase('case.crossline');
  try {

    const progress: CorrelateProgress[] = [];
    const stats = await runCorrelation(caseFile, { onProgress: (p) => progress.push(p) });
    assert.equal(stats.chains, 1);
    assert.ok(progress.some((p) => p.phase === 'baseline') && progress.some((p) => p.phase === 'writing'), 'progress reports each phase');

    const controller = new AbortController();
    const rerun = runCorrelation(caseFile, { signal: controller.signal });
    controller.abort();
    await assert.rejects(rerun, /cancelled/);

    const after = openCase(caseFile, { create: false });
    const findings = readFindings(after);
    after.close();
    assert.equal(findings.length, 1, 'the earlier run’s finding is intact');
    assert.deepEqual(findings[0]!.assumeEventIds, entryEventIds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
