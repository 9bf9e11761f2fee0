// A real import job cancelled from the service: it ends `cancelled` (no correlation), the case stays
// openable and records the import as cancelled; switching cases while a job runs is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobFinished } from '../../shared/ipc/contract';
import { openCase } from '../../electron/db/connection';
import { dispatch } from '../../electron/core/services/dispatch';
import { createWorkbench } from '../../electron/core/services/workbench';

const sample = resolve(import.meta.dirname, '..', '..', 'resources', 'samples', 'acme-org');

test('jobs.cancel stops an import; the case still opens and says the import was cancelled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-jobs-'));
  const service = createWorkbench({ dataDir: join(dir, 'data'), importWorkers: 1, log: () => undefined });
  try {
    const caseFile = join(dir, 'cancel.crossline');
    await service.handlers['case.create']({ file: caseFile });
    const finished = new Promise<JobFinished>((done) => service.on('jobs.finished', done));
    let cancelSent = false;
    service.on('jobs.progressed', (p) => {
      if (!cancelSent && p.phase === 'import' && (p.files ?? 0) > 0) {
        cancelSent = true;
        void dispatch(service, 'jobs.cancel', { jobId: p.jobId }).then((r) => assert.deepEqual(r, { ok: true, value: { cancelled: true } }));
      }
    });
    const started = await dispatch(service, 'import.start', { paths: [sample] });
    assert.ok(started.ok);
    const busy = await dispatch(service, 'case.open', { file: caseFile });
    assert.equal(!busy.ok && busy.error.code, 'busy');
    const f = await finished;
    assert.equal(f.status, 'cancelled');
    assert.equal(f.correlate, undefined, 'no correlation after a cancelled import');
    assert.ok(f.import && f.import.stats.files < 7000, `stopped early (${f.import?.stats.files} files)`);
    await service.idle();

    const missing = await dispatch(service, 'import.start', { paths: [join(dir, 'nope')] });
    assert.equal(!missing.ok && missing.error.code, 'not-found');
    const exists = await dispatch(service, 'case.create', { file: caseFile });
    assert.equal(!exists.ok && exists.error.code, 'exists');
    await service.close();
    const db = openCase(caseFile, { create: false });
    assert.equal(db.prepare('SELECT status FROM imports ORDER BY id DESC LIMIT 1').pluck().get(), 'cancelled');
    db.close();
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
