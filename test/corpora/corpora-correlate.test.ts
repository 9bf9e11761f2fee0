// The correlator over the public sample events in ../shared/corpora (written by other projects): a case mixing
// CloudTrail, Azure Activity, Entra sign-ins and GCP audit logs from unrelated sources must correlate without crashing,
// and its sample noise must not become high or critical findings. What it does find is asserted and explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { correlate } from '../../electron/core/correlate/correlate';
import { defaultCorrelateDeps } from '../../electron/core/correlate/default-deps';
import { readCoverage, readFindings } from '../../electron/db/repos/chains-repo';
import { readCorrelationSettings } from '../../electron/db/repos/settings-repo';

const corpora = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');
const present = existsSync(corpora);

test('the public Azure and GCP samples correlate without crashing and without high findings', { skip: present ? false : `no corpora at ${corpora}` }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-corpora-correlate-'));
  const db = openCase(join(dir, 'corpora.crossline'));
  try {
    await importEvidence(db, [corpora], { workers: 2 });
    const settings = readCorrelationSettings(db);
    const stats = await correlate(db, settings, defaultCorrelateDeps(settings));
    assert.ok(stats.byProvider?.azure && stats.byProvider.gcp, 'Azure and GCP were correlated');
    const findings = readFindings(db);
    for (const f of findings) assert.ok(f.severity === 'medium' || f.severity === 'low', `${f.provider} ${f.entry.kind} ${f.entry.eventId}: ${f.severity}`);

    const cloud = findings.filter((f) => f.provider !== 'aws').map((f) => [f.provider, f.entry.kind, f.entry.eventId, f.severity, f.conditions.privileged]).sort();
    assert.deepEqual(cloud, [
      // Panther's Entra sample: eve@lexcorp.com of tenant 4328f0a8-… signs in to tenant fc66a38e-… (homeTenantId ≠
      // resourceTenantId). A real cross-tenant entry, but nothing follows it: low.
      ['azure', 'cross-tenant-sign-in', 'd9ae0e20-c959-42a3-ba74-00f59ac9f6c6', 'low', false],
      // plaso's GCP sample: service-account-one@fake-project.com (not a Google service account address, so a user of
      // domain fake-project.com the case never saw before) acts as fake-account@fake-project.com through
      // serviceAccountDelegationInfo and inserts an instance from 1.1.1.1. Structurally an impersonation chain with a
      // privileged call; the origin is new only to the caller and the service account (1.1.1.1 appears elsewhere in the
      // corpora), so it stays medium.
      ['gcp', 'delegated-calls', '-duywnve29mpi', 'medium', true],
    ]);
    // Google operating its own service agents (…@prod.google.com acting as …@system.gserviceaccount.com in dftimewolf's
    // project) is the platform, never an entry.
    assert.ok(!findings.some((f) => f.provider === 'gcp' && /@([a-z0-9-]+\.)*google\.com$/.test(f.entry.principal ?? '')));

    const coverage = readCoverage(db);
    const kinds = new Set(coverage.map((c) => c.kind));
    for (const k of ['gcp-no-data-access', 'entra-no-noninteractive', 'short-coverage'] as const) assert.ok(kinds.has(k), `${k} in ${[...kinds].join(', ')}`);
    assert.ok(coverage.some((c) => c.kind === 'gcp-no-data-access' && c.scope === 'project:test-project-hkhalifa'));
    assert.ok(coverage.filter((c) => c.kind === 'short-coverage').length <= 11, 'the long tail of one-event accounts is folded into one warning');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
