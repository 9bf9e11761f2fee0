// The correlation worker runs the case's two grouped passes in helper threads: they must answer exactly what the
// same passes answer on the correlation's own connection, for a CloudTrail-only case and one of all three clouds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { isMultiCloudCase, scanCaseInline } from '../../electron/core/correlate/case-scans';
import { startCaseScans } from '../../electron/core/correlate/start-case-scans';
import { tempDir } from '../support/evidence-fixtures';

const samples = resolve(import.meta.dirname, '..', '..', 'resources', 'samples');

for (const [evidence, multiCloud] of [[['acme-org'], false], [['acme-org', 'globex-multicloud'], true]] as const) {
  test(`the helper threads' scans of ${evidence.join(' + ')} equal the in-thread ones`, async () => {
    const caseFile = join(tempDir(), 'case.crossline');
    const db = openCase(caseFile);
    await importEvidence(db, evidence.map((sample) => join(samples, sample)), { workers: 1 });
    const running = startCaseScans(caseFile);
    try {
      assert.equal(isMultiCloudCase(db), multiCloud);
      const inline = scanCaseInline(db);
      const [sightings, hours] = await Promise.all([running.sightings, running.coverageHours]);
      assert.ok(sightings.length > 10 && hours.length > 10, `${sightings.length} sightings, ${hours.length} hours`);
      assert.deepEqual(sightings, await inline.sightings);
      assert.deepEqual(hours, await inline.coverageHours);
      if (multiCloud) assert.deepEqual(new Set(hours.map((h) => h.provider)), new Set(['aws', 'azure', 'gcp']));
    } finally {
      running.close();
      db.close();
    }
  });
}

test('a scan that cannot run rejects with the scan and the file, and the other is not left unhandled', async () => {
  const notACase = join(tempDir(), 'notes.crossline');
  writeFileSync(notACase, 'these are notes, not a case\n');
  const running = startCaseScans(notACase);
  try {
    await assert.rejects(running.sightings, (err: Error) => err.message.startsWith(`sightings scan of ${notACase}:`) && /not a Crossline case file/.test(err.message));
    await assert.rejects(running.coverageHours, /coverageHours scan of .*not a Crossline case file/);
  } finally {
    running.close();
  }
});
