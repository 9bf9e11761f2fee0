// Coverage warnings reach the app: the workbench service (the handler both Electron IPC and the loopback
// bridge call) lists the evidence gaps of the latest correlation run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createWorkbench } from '../../electron/core/services/workbench';
import { GCP, GcpScenario } from '../support/gcp-scenario';
import { Scenario } from '../support/cloudtrail-scenario';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');

test('coverage.list gives the app the run’s warnings: GCP without Data Access logs', async () => {
  const aws = new Scenario().baseline();
  const dir = aws.write();
  new GcpScenario(aws.t0).baseline().write({ dataAccess: false }, dir);
  const caseFile = join(dir, 'case.crossline');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  try {
    const analyze = spawnSync(process.execPath, [bin, 'analyze', join(dir, 'evidence'), '--case', caseFile, '--json'], { encoding: 'utf8' });
    assert.equal(analyze.status, 0, analyze.stderr);
    const service = createWorkbench({ dataDir });
    try {
      await service.handlers['case.open']({ file: caseFile });
      const coverage = await service.handlers['coverage.list']({});
      const gap = coverage.find((w) => w.kind === 'gcp-no-data-access');
      assert.ok(gap, coverage.map((w) => w.kind).join(', '));
      assert.equal(gap.scope, `project:${GCP.project}`);
      assert.match(gap.message, /Data Access/i);
    } finally {
      await service.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
