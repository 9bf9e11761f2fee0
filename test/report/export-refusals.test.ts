// Exports refuse what they would not honour, with a message naming the way that does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { exportCase } from '../../electron/core/report/export-report';

test('--finding with the events or evidence export is refused, pointing at the timeline export; nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-refusals-'));
  const caseFile = join(dir, 'c.crossline');
  const db = openCase(caseFile);
  try {
    for (const what of ['events', 'evidence'] as const) {
      const out = join(dir, `${what}.csv`);
      assert.throws(() => exportCase(db, caseFile, { what, format: 'csv', out, findingId: 1, analyst: 'a' }), {
        message: `the ${what} export is not per finding: a finding's events are its timeline (--what timeline --finding 1)`,
      });
      assert.equal(existsSync(out), false);
    }
    assert.throws(() => exportCase(db, caseFile, { what: 'events', format: 'html', out: join(dir, 'e.html'), analyst: 'a' }), {
      message: 'the events export is written as json or csv: use --format json or csv (html and pdf are for the case report)',
    });
    assert.throws(() => exportCase(db, caseFile, { what: 'report', format: 'csv', out: join(dir, 'r.csv'), analyst: 'a' }), /use --what findings\|events\|timeline\|evidence for csv/);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
