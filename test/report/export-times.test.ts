// Exported events carry their time in UTC beside the time as the log wrote it: logs with their own offsets made a
// chain read backwards in the one readable time column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCase } from '../../electron/core/report/export-report';
import { cloudTrailRecord, importInto, tempDir, writeEvidence } from '../support/evidence-fixtures';

test('events exports have timeUtc after timeMs; timeText stays as logged', async () => {
  const dir = tempDir();
  writeEvidence(dir, 'offsets.json', JSON.stringify({ Records: [
    cloudTrailRecord({ eventID: 'plus', eventTime: '2026-10-11T01:50:00+02:00' }),
    cloudTrailRecord({ eventID: 'minus', eventTime: '2026-10-10T19:10:00-05:00' }),
  ] }));
  const { db } = await importInto([dir]);
  const caseFile = db.name;
  const out = tempDir(); // never into the evidence
  const csv = join(out, 'events.csv');
  exportCase(db, caseFile, { what: 'events', format: 'csv', out: csv, analyst: 'a' });
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  assert.deepEqual(header!.split(',').slice(0, 6), ['id', 'provider', 'nativeId', 'timeMs', 'timeUtc', 'timeText']);
  assert.deepEqual(lines.map((l) => l.split(',').slice(2, 6)), [
    ['plus', String(Date.UTC(2026, 9, 10, 23, 50)), '2026-10-10T23:50:00.000Z', '2026-10-11T01:50:00+02:00'],
    ['minus', String(Date.UTC(2026, 9, 11, 0, 10)), '2026-10-11T00:10:00.000Z', '2026-10-10T19:10:00-05:00'],
  ]);
  const json = join(out, 'events.json');
  exportCase(db, caseFile, { what: 'events', format: 'json', out: json, analyst: 'a' });
  assert.deepEqual((JSON.parse(readFileSync(json, 'utf8')) as { timeUtc: string }[]).map((e) => e.timeUtc), ['2026-10-10T23:50:00.000Z', '2026-10-11T00:10:00.000Z']);
});
