// A CloudTrail S3 delivery of the plain shape is parsed with one JSON.parse and its records are located in the
// file only when read; anything that needs a record's position (a problem) or its bytes (an event without an id)
// goes the record splitter's way instead. Either way the analyst sees the same events and the same raw text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assumeRoleRecord, cloudTrailRecord, importInto, insightRecord, storedEvents, storedSources, tempDir, writeS3Delivery,
  type CloudTrailRecord,
} from '../support/evidence-fixtures';

const T = Date.UTC(2024, 5, 2, 20, 27, 12);

function records(n: number): CloudTrailRecord[] {
  return Array.from({ length: n }, (_, i) =>
    i % 3 === 0
      ? assumeRoleRecord({ eventID: `e-${i}`, eventTime: new Date(T + i * 1000).toISOString().replace('.000', '') })
      : cloudTrailRecord({ eventID: `e-${i}`, eventTime: new Date(T + i * 1000).toISOString().replace('.000', ''), requestParameters: { note: `"quoted" ]} ${'é'.repeat(i)}` } }),
  );
}

test('a plain S3 delivery is parsed whole: every event and its raw record, byte for byte, located when read', async () => {
  const dir = tempDir();
  const recs = records(40);
  const withInsight = [...recs.slice(0, 20), insightRecord(), ...recs.slice(20)];
  writeS3Delivery(dir, withInsight);
  const { db, result } = await importInto([dir]);
  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 40);
  assert.equal(result.stats.skipped, 1, 'the Insights record is skipped and counted');
  const rows = storedEvents(db);
  assert.equal(rows.length, 40);
  for (const row of rows) {
    const ordinal = withInsight.findIndex((r) => r.eventID === row.native_id);
    assert.equal(row.position, ordinal, 'the position is the record index in the file, the Insights record included');
    assert.equal(row.raw, JSON.stringify(withInsight[ordinal]), `raw text of ${row.native_id}`);
    assert.equal(row.raw_length, 0, 'located when read, not at import');
  }
  const [source] = storedSources(db);
  assert.equal(source!.format, 'cloudtrail:s3');
  assert.equal(source!.events, 40);
  assert.equal(source!.skipped, 1);
});

test('a delivery with a record that cannot import is split record by record, and the problem names the record', async () => {
  const dir = tempDir();
  const recs = records(6);
  recs[3] = { ...recs[3]!, eventTime: 'yesterday' };
  writeS3Delivery(dir, recs);
  const { db, result } = await importInto([dir]);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]!.position, 'line 1, record 4');
  assert.match(result.problems[0]!.reason, /unreadable eventTime "yesterday"/);
  const rows = storedEvents(db);
  assert.deepEqual(rows.map((r) => r.native_id).sort(), ['e-0', 'e-1', 'e-2', 'e-4', 'e-5']);
  for (const row of rows) {
    assert.equal(row.raw, JSON.stringify(recs.find((r) => r.eventID === row.native_id)));
    assert.ok(row.raw_length > 0, 'located at import by the splitter');
  }
});

test('a delivery with a record without an eventID is split, so the id can be a hash of the record bytes', async () => {
  const dir = tempDir();
  const recs = records(3);
  delete recs[1]!.eventID;
  writeS3Delivery(dir, recs);
  const { db, result } = await importInto([dir]);
  assert.deepEqual(result.problems, []);
  const rows = storedEvents(db);
  assert.equal(rows.length, 3);
  const hashed = rows.find((r) => r.native_id.startsWith('sha256:'));
  assert.ok(hashed, 'the event without an id is named by its bytes');
  assert.equal(hashed.raw, JSON.stringify(recs[1]));
});

test('a delivery of Insights records only is counted as skipped and stores no raw block', async () => {
  const dir = tempDir();
  writeS3Delivery(dir, [insightRecord(), insightRecord()]);
  const { db, result } = await importInto([dir]);
  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 0);
  assert.equal(result.stats.skipped, 2);
  assert.equal(db.prepare('SELECT count(*) FROM raw_blocks').pluck().get(), 0);
});

test('a record without eventTime says so; one re-exported from Panther keeps its time in p_event_time', async () => {
  const dir = tempDir();
  const recs = records(3);
  const { eventTime: _dropped, ...noTime } = recs[1]!;
  const { eventTime: _also, ...panther } = recs[2]!;
  writeS3Delivery(dir, [recs[0]!, noTime as CloudTrailRecord, { ...panther, p_event_time: '2019-01-01 00:20:04.000Z' } as CloudTrailRecord]);
  const { db, result } = await importInto([dir]);
  assert.deepEqual(result.problems.map((p) => [p.position, p.reason]), [['line 1, record 2', 'record has no eventTime']]);
  const rows = storedEvents(db);
  assert.deepEqual(rows.map((r) => r.native_id).sort(), ['e-0', 'e-2']);
  assert.equal(rows.find((r) => r.native_id === 'e-2')!.time_ms, Date.UTC(2019, 0, 1, 0, 20, 4));
});
