// Every layout CloudTrail evidence arrives in imports to the same rows: normalized values a correlator can use,
// the record's original text byte for byte, and an evidence row (format, hash, size) an examiner can cite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  assumeRoleRecord, cloudTrailRecord, consoleCsv, digestFile, gzip, importInto, insightRecord, jsonLines, lakeCsv,
  lookupEvent, prettyRecordsEnvelope, prettyRecordText, recordsEnvelope, s3LogKey, sessionToken, sha256, sourceEndingWith,
  storedEvent, storedEvents, storedSources, tarBuffer, tempDir, tgzBuffer, writeEvidence, writeS3Delivery, zipBuffer,
  type CloudTrailRecord, type EventRow, type SourceRow,
} from '../support/evidence-fixtures';

const T = Date.UTC(2024, 5, 2, 20, 27, 12);

/** The normalized columns of a stored event match the S3-style record it came from. */
function assertNormalized(row: EventRow, record: CloudTrailRecord): void {
  const ui = record.userIdentity as Record<string, any>;
  assert.equal(row.provider, 'aws');
  assert.equal(row.native_id, record.eventID);
  assert.equal(row.time_ms, Date.parse(String(record.eventTime)));
  assert.equal(row.time_text, record.eventTime);
  assert.equal(row.service, record.eventSource);
  assert.equal(row.action, record.eventName);
  assert.equal(row.event_type, record.eventType);
  assert.equal(row.outcome, record.errorCode ? 'failure' : 'success');
  assert.equal(row.error_code, record.errorCode ?? null);
  assert.equal(row.read_only, record.readOnly ? 1 : 0);
  assert.equal(row.principal_type, ui.type);
  assert.equal(row.principal_id, ui.principalId);
  assert.equal(row.principal_name, ui.arn);
  assert.equal(row.principal_account, ui.accountId);
  assert.equal(row.session_issuer, ui.sessionContext?.sessionIssuer?.arn ?? null);
  assert.equal(row.target_account, record.recipientAccountId);
  assert.equal(row.source_ip, record.sourceIPAddress);
  assert.equal(row.source_service, null);
  assert.equal(row.user_agent, record.userAgent);
  assert.equal(row.region, record.awsRegion);
  assert.equal(row.credential_id, ui.accessKeyId);
  assert.equal(row.request_id, record.requestID);
  assert.equal(row.shared_event_id, record.sharedEventID ?? null);
}

/** The evidence row describes the file exactly as it lies on disk. */
function assertSourceIsFile(source: SourceRow, file: string, format: string, events: number): void {
  assert.equal(source.format, format);
  assert.equal(source.sha256, sha256(readFileSync(file)));
  assert.equal(source.size, statSync(file).size);
  assert.equal(source.events, events);
  assert.equal(source.errors, 0);
  assert.equal(source.complete, 1);
}

function byId(rows: EventRow[], record: CloudTrailRecord): EventRow {
  const found = rows.filter((r) => r.native_id === record.eventID);
  assert.equal(found.length, 1, `one stored event for ${String(record.eventID)}`);
  return found[0]!;
}

// ---------------------------------------------------------------------------------------------------------------
// CloudTrail S3 delivery

test('S3-delivered log files (.json.gz under AWSLogs/, with and without the org id) import every record as cloudtrail:s3', async () => {
  const dir = tempDir();
  const orgRecords = [cloudTrailRecord(), assumeRoleRecord()];
  const accountRecords = [cloudTrailRecord({ eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com' }), cloudTrailRecord()];
  const orgFile = writeS3Delivery(dir, orgRecords, { org: 'o-abc123' });
  const accountFile = writeS3Delivery(dir, accountRecords);
  assert.ok(orgFile.endsWith('AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2024/06/02/111122223333_CloudTrail_us-east-1_20240602T2025Z_AbCdEfGh12345678.json.gz'));

  const { db, result } = await importInto([dir]);

  assert.equal(result.status, 'complete');
  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 4);
  assert.equal(result.stats.errors, 0);
  assert.equal(result.stats.files, 2);
  const rows = storedEvents(db);
  assert.equal(rows.length, 4);
  for (const [file, records] of [[orgFile, orgRecords], [accountFile, accountRecords]] as const) {
    const source = sourceEndingWith(db, file);
    assert.equal(source.path, file);
    assert.equal(source.parent_id, null);
    assertSourceIsFile(source, file, 'cloudtrail:s3', 2);
    records.forEach((record, i) => {
      const row = byId(rows, record);
      assertNormalized(row, record);
      assert.equal(row.raw, JSON.stringify(record), 'raw is the record exactly as delivered');
      assert.equal(row.source_path, file);
      assert.equal(row.position, i);
    });
  }
  const assume = byId(rows, orgRecords[1]!);
  assert.equal(assume.issued_credential_id, 'ASIAQXAMPLEISSUED001');
  assert.equal(assume.issued_principal, 'arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/pivot');
  assert.equal(byId(rows, orgRecords[0]!).issued_credential_id, null, 'only credential-issuing calls issue a credential');
});

// ---------------------------------------------------------------------------------------------------------------
// Console / lookup-events

test('a lookup-events export ({"Events":[…]}) imports the record inside CloudTrailEvent, with the whole entry as raw', async () => {
  const dir = tempDir();
  const r1 = cloudTrailRecord({ eventTime: '2022-02-07T22:23:37Z' });
  const r2 = assumeRoleRecord();
  const entries = [lookupEvent(r1), lookupEvent(r2)];
  assert.equal(entries[0]!.EventTime, '2022-02-08 09:23:37+11:00');
  const file = writeEvidence(dir, 'lookup-events.json', JSON.stringify({ Events: entries }, null, 4));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 2);
  assertSourceIsFile(sourceEndingWith(db, 'lookup-events.json'), file, 'cloudtrail-lookup:events', 2);
  const rows = storedEvents(db);
  const first = byId(rows, r1);
  assertNormalized(first, r1);
  assert.equal(first.time_ms, Date.UTC(2022, 1, 7, 22, 23, 37), 'stored in UTC');
  assertNormalized(byId(rows, r2), r2);
  assert.equal(byId(rows, r2).issued_credential_id, 'ASIAQXAMPLEISSUED001');
  // The raw text is the entry as it stands in the file (indented by the export), not the inner string.
  const fileText = readFileSync(file, 'utf8');
  for (const [record, entry] of [[r1, entries[0]!], [r2, entries[1]!]] as const) {
    const expected = JSON.stringify(entry, null, 4).split('\n').join('\n        ');
    assert.ok(fileText.includes(expected));
    assert.equal(byId(rows, record).raw, expected);
  }
});

test('lookup-events as JSON lines import as cloudtrail-lookup:lines; a local EventTime with an offset is stored in UTC', async () => {
  const dir = tempDir();
  const withTime = cloudTrailRecord();
  // An entry whose CloudTrailEvent has no eventTime of its own: only the console's local EventTime dates it.
  const timeless = cloudTrailRecord({ eventTime: undefined });
  const entries = [lookupEvent(withTime), lookupEvent(timeless, '2022-02-08 09:23:37+11:00'), lookupEvent(cloudTrailRecord(), '2022-02-07T14:23:37-08:00')];
  entries[2]!.CloudTrailEvent = JSON.stringify({ ...JSON.parse(String(entries[2]!.CloudTrailEvent)), eventTime: undefined });
  const file = writeEvidence(dir, 'lookup.jsonl', jsonLines(entries));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 3);
  assertSourceIsFile(sourceEndingWith(db, 'lookup.jsonl'), file, 'cloudtrail-lookup:lines', 3);
  const rows = storedEvents(db);
  assertNormalized(byId(rows, withTime), withTime);
  assert.equal(byId(rows, timeless).time_ms, Date.UTC(2022, 1, 7, 22, 23, 37));
  assert.equal(byId(rows, timeless).time_text, '2022-02-08 09:23:37+11:00');
  assert.equal(rows.find((r) => r.native_id === entries[2]!.EventId)!.time_ms, Date.UTC(2022, 1, 7, 22, 23, 37));
  entries.forEach((entry) => assert.equal(rows.find((r) => r.native_id === entry.EventId)!.raw, JSON.stringify(entry)));
});

// ---------------------------------------------------------------------------------------------------------------
// Plain JSON shapes

test('JSON lines, Records batches per line, a bare array, a single object and pretty-printed JSON all import', async () => {
  const dir = tempDir();
  const lines = [cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()];
  const batchA = [cloudTrailRecord(), cloudTrailRecord()];
  const batchB = [cloudTrailRecord()];
  const array = [cloudTrailRecord(), cloudTrailRecord()];
  const single = assumeRoleRecord();
  const pretty = [cloudTrailRecord(), assumeRoleRecord()];
  const cases = [
    { name: 'events.jsonl', text: jsonLines(lines), records: lines, format: 'cloudtrail:lines', raw: (r: CloudTrailRecord) => JSON.stringify(r) },
    { name: 'batches.jsonl', text: jsonLines([{ Records: batchA }, { Records: batchB }]), records: [...batchA, ...batchB], format: 'cloudtrail:records', raw: (r: CloudTrailRecord) => JSON.stringify(r) },
    { name: 'array.json', text: JSON.stringify(array), records: array, format: 'cloudtrail:array', raw: (r: CloudTrailRecord) => JSON.stringify(r) },
    { name: 'single.json', text: `${JSON.stringify(single)}\n`, records: [single], format: 'cloudtrail:single', raw: (r: CloudTrailRecord) => JSON.stringify(r) },
    { name: 'pretty.json', text: prettyRecordsEnvelope(pretty), records: pretty, format: 'cloudtrail:records', raw: prettyRecordText },
  ];
  const files = cases.map((c) => writeEvidence(dir, c.name, c.text));

  const { db, result } = await importInto(files);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 11);
  const rows = storedEvents(db);
  cases.forEach((c, i) => {
    assertSourceIsFile(sourceEndingWith(db, c.name), files[i]!, c.format, c.records.length);
    c.records.forEach((record, position) => {
      const row = byId(rows, record);
      assertNormalized(row, record);
      assert.equal(row.raw, c.raw(record), `${c.name}: raw text of record ${position}`);
      assert.equal(row.source_path, files[i]);
      assert.equal(row.position, position);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// CSV exports

test('a CloudTrail Lake result (result_1.csv.gz, lowercase headers, Trino map cells) imports as cloudtrail:lake-csv', async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), assumeRoleRecord({}, 'ASIAQXAMPLELAKE00001'), cloudTrailRecord({ errorCode: 'AccessDenied', errorMessage: 'User is not authorized, really' })];
  const csv = lakeCsv(records);
  assert.match(csv.lines[0]!, /"\{type=AssumedRole, principalid=AROAQXAMPLEROLEID0001:incident-sim, arn=arn:aws:sts::111122223333:assumed-role\/DevOpsRole\/incident-sim, accountid=111122223333, accesskeyid=ASIAQXAMPLEKEY000001,/);
  const file = writeEvidence(dir, 'lake-export/result_1.csv.gz', gzip(csv.text));
  // The signature file Lake writes beside its results is integrity data, not events.
  writeEvidence(dir, 'lake-export/result_sign.json', JSON.stringify({
    version: '1.0', region: 'us-east-1', files: [{ fileHashValue: sha256(readFileSync(file)), fileName: 'result_1.csv.gz' }],
    hashAlgorithm: 'SHA-256', signatureAlgorithm: 'SHA256withRSA', queryCompleteTime: '2024-06-03T08:00:00Z',
    hashSignature: '7a1b…', publicKeyFingerprint: '67b9fa73676d86966b449dd677850753',
  }));

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 3);
  assert.equal(result.stats.skipped, 1, 'result_sign.json is counted as skipped');
  assertSourceIsFile(sourceEndingWith(db, 'result_1.csv.gz'), file, 'cloudtrail:lake-csv', 3);
  const rows = storedEvents(db);
  records.forEach((record, i) => {
    const row = byId(rows, record);
    assert.equal(row.time_ms, Date.parse(String(record.eventTime)), 'Lake writes UTC without a zone');
    assert.equal(row.time_text, new Date(row.time_ms).toISOString().replace('T', ' ').replace('Z', ''));
    assert.equal(row.action, record.eventName);
    assert.equal(row.service, record.eventSource);
    assert.equal(row.principal_type, 'AssumedRole');
    assert.equal(row.principal_id, 'AROAQXAMPLEROLEID0001:incident-sim');
    assert.equal(row.principal_name, 'arn:aws:sts::111122223333:assumed-role/DevOpsRole/incident-sim');
    assert.equal(row.principal_account, '111122223333');
    assert.equal(row.session_issuer, 'arn:aws:iam::111122223333:role/DevOpsRole');
    assert.equal(row.credential_id, 'ASIAQXAMPLEKEY000001');
    assert.equal(row.target_account, '111122223333');
    assert.equal(row.source_ip, '198.51.100.23');
    assert.equal(row.region, 'us-east-1');
    assert.equal(row.request_id, record.requestID);
    assert.equal(row.read_only, 1);
    assert.equal(row.raw, csv.lines[i], 'raw is the CSV row as written');
  });
  assert.equal(byId(rows, records[1]!).issued_credential_id, 'ASIAQXAMPLELAKE00001');
  assert.equal(byId(rows, records[2]!).outcome, 'failure');
  assert.equal(byId(rows, records[2]!).error_code, 'AccessDenied');
});

test("the console's Event history CSV (Title Case headers, CRLF) imports as cloudtrail:csv", async () => {
  const dir = tempDir();
  const records = [
    cloudTrailRecord(),
    assumeRoleRecord(),
    cloudTrailRecord({ eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com', readOnly: false, errorCode: 'AccessDenied' }),
  ];
  const csv = consoleCsv(records);
  assert.ok(csv.text.startsWith('Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,Event source,AWS region,Error code,Source IP address,Read only\r\n'));
  const file = writeEvidence(dir, 'event_history.csv', csv.text);

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 3);
  assertSourceIsFile(sourceEndingWith(db, 'event_history.csv'), file, 'cloudtrail:csv', 3);
  const rows = storedEvents(db);
  records.forEach((record, i) => {
    const row = byId(rows, record);
    assert.equal(row.time_ms, Date.parse(String(record.eventTime)));
    assert.equal(row.action, record.eventName);
    assert.equal(row.service, record.eventSource);
    assert.equal(row.principal_name, 'incident-sim', 'the User name column');
    assert.equal(row.credential_id, 'ASIAQXAMPLEKEY000001', 'the AWS access key column');
    assert.equal(row.source_ip, '198.51.100.23');
    assert.equal(row.region, 'us-east-1');
  });
  assert.equal(byId(rows, records[0]!).read_only, 1);
  assert.equal(byId(rows, records[2]!).read_only, 0);
  assert.equal(byId(rows, records[2]!).outcome, 'failure');
  assert.equal(byId(rows, records[2]!).error_code, 'AccessDenied');
});

test(
  "a console CSV row's raw text is the row as written, without its CRLF line ending",
  async () => {
    const dir = tempDir();
    const records = [cloudTrailRecord(), cloudTrailRecord()];
    const csv = consoleCsv(records);
    const file = writeEvidence(dir, 'event_history.csv', csv.text);

    const { db } = await importInto([file]);

    records.forEach((record, i) => assert.equal(storedEvent(db, String(record.eventID)).raw, csv.lines[i]));
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Containers

test('a folder tree is walked recursively; OS clutter such as .DS_Store is skipped, not reported', async () => {
  const dir = tempDir();
  const east = [cloudTrailRecord(), cloudTrailRecord()];
  const west = [cloudTrailRecord({ awsRegion: 'us-west-2' })];
  const f1 = writeS3Delivery(join(dir, 'case-42', 'bucket-a'), east);
  const f2 = writeS3Delivery(join(dir, 'case-42', 'bucket-a'), west, { region: 'us-west-2', stamp: '20240602T2030Z_ZyXwVu9876543210' });
  const f3 = writeEvidence(dir, 'case-42/notes/extra.jsonl', jsonLines([assumeRoleRecord()]));
  writeEvidence(dir, 'case-42/.DS_Store', Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 4);
  assert.equal(result.stats.skipped, 1);
  assert.equal(result.stats.files, 3);
  const sources = storedSources(db);
  assert.deepEqual(sources.map((s) => s.path).sort(), [f1, f2, f3].sort());
  assert.ok(sources.every((s) => s.parent_id === null));
  for (const r of [...east, ...west]) assertNormalized(storedEvent(db, String(r.eventID)), r);
});

test('a .zip of .json.gz log files (stored and deflated members) labels members archive.zip!/inner/path under the archive', async () => {
  const dir = tempDir();
  const a = [cloudTrailRecord(), assumeRoleRecord()];
  const b = [cloudTrailRecord({ awsRegion: 'eu-west-1' })];
  const keyA = s3LogKey();
  const keyB = s3LogKey({ region: 'eu-west-1', stamp: '20240602T2030Z_ZyXwVu9876543210' });
  const gzA = gzip(recordsEnvelope(a));
  const gzB = gzip(recordsEnvelope(b));
  const zipFile = writeEvidence(dir, 'export.zip', zipBuffer([
    { name: 'AWSLogs/', data: '', method: 0 },
    { name: keyA, data: gzA, method: 0 },
    { name: keyB, data: gzB, method: 8 },
  ]));

  const { db, result } = await importInto([zipFile]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 3);
  const archive = sourceEndingWith(db, 'export.zip');
  assert.equal(archive.parent_id, null);
  assert.equal(archive.format, 'zip');
  assert.equal(archive.sha256, sha256(readFileSync(zipFile)));
  assert.equal(archive.size, statSync(zipFile).size);
  assert.equal(archive.complete, 1);
  for (const [key, gz, records] of [[keyA, gzA, a], [keyB, gzB, b]] as const) {
    const member = sourceEndingWith(db, `!/${key}`);
    assert.equal(member.path, `${zipFile}!/${key}`);
    assert.equal(member.parent_id, archive.id);
    assert.equal(member.format, 'cloudtrail:s3');
    assert.equal(member.sha256, sha256(gz), 'the member hash is of its bytes as stored in the archive');
    assert.equal(member.size, gz.length);
    assert.equal(member.events, records.length);
    for (const r of records) {
      const row = storedEvent(db, String(r.eventID));
      assertNormalized(row, r);
      assert.equal(row.raw, JSON.stringify(r));
      assert.equal(row.source_path, member.path);
    }
  }
});

test("a zip from Windows PowerShell 5.1's Compress-Archive (backslash separators) reads as folders: S3 layout, labels with /", async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), assumeRoleRecord()];
  const key = s3LogKey();
  const zipFile = writeEvidence(dir, 'cloudtrail.zip', zipBuffer([
    { name: key.replace(/\//g, '\\'), data: gzip(recordsEnvelope(records)), method: 8 },
    { name: 'AWSLogs\\..\\..\\evil.json', data: '{}', method: 0 },
  ]));

  const { db, result } = await importInto([zipFile]);

  const member = sourceEndingWith(db, `!/${key}`);
  assert.equal(member.path, `${zipFile}!/${key}`);
  assert.equal(member.format, 'cloudtrail:s3');
  for (const r of records) assert.equal(storedEvent(db, String(r.eventID)).source_path, member.path);
  assert.deepEqual(result.problems.map((p) => [p.file, p.reason]), [
    [`${zipFile}!/AWSLogs\\..\\..\\evil.json`, 'unsafe member path (a "../" segment); refused, and nothing is ever extracted to disk'],
  ]);
});


for (const kind of ['tar', 'tar.gz', 'tgz'] as const) {
  test(`a .${kind} archive imports its members, labelled archive.${kind}!/inner/path`, async () => {
    const dir = tempDir();
    const gzRecords = [cloudTrailRecord(), cloudTrailRecord()];
    const lineRecords = [assumeRoleRecord()];
    const gz = gzip(recordsEnvelope(gzRecords));
    const entries = [
      { name: s3LogKey(), data: gz },
      { name: 'notes/lookup.jsonl', data: jsonLines(lineRecords) },
    ];
    const bytes = kind === 'tar' ? await tarBuffer(entries) : await tgzBuffer(entries);
    const file = writeEvidence(dir, `evidence.${kind}`, bytes);

    const { db, result } = await importInto([file]);

    assert.deepEqual(result.problems, []);
    assert.equal(result.stats.events, 3);
    const archive = sourceEndingWith(db, `evidence.${kind}`);
    assert.equal(archive.format, kind === 'tar' ? 'tar' : 'tar.gz');
    assert.equal(archive.sha256, sha256(bytes));
    assert.equal(archive.size, bytes.length);
    assert.equal(archive.parent_id, null);
    const logMember = sourceEndingWith(db, `evidence.${kind}!/${s3LogKey()}`);
    assert.equal(logMember.parent_id, archive.id);
    assert.equal(logMember.format, 'cloudtrail:s3');
    assert.equal(logMember.sha256, sha256(gz));
    const linesMember = sourceEndingWith(db, `evidence.${kind}!/notes/lookup.jsonl`);
    assert.equal(linesMember.parent_id, archive.id);
    for (const r of [...gzRecords, ...lineRecords]) assert.equal(storedEvent(db, String(r.eventID)).raw, JSON.stringify(r));
    assert.equal(storedEvent(db, String(lineRecords[0]!.eventID)).source_path, `${file}!/notes/lookup.jsonl`);
  });
}

test('a zip inside a zip keeps the parent chain: outer.zip → outer.zip!/inner.zip → outer.zip!/inner.zip!/events.jsonl', async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), assumeRoleRecord()];
  const inner = zipBuffer([{ name: 'events.jsonl', data: jsonLines(records) }]);
  const outerFile = writeEvidence(dir, 'outer.zip', zipBuffer([{ name: 'exports/inner.zip', data: inner, method: 0 }]));

  const { db, result } = await importInto([outerFile]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 2);
  const outer = sourceEndingWith(db, 'outer.zip');
  const innerRow = sourceEndingWith(db, 'outer.zip!/exports/inner.zip');
  const leaf = sourceEndingWith(db, 'outer.zip!/exports/inner.zip!/events.jsonl');
  assert.equal(outer.parent_id, null);
  assert.equal(innerRow.parent_id, outer.id);
  assert.equal(leaf.parent_id, innerRow.id);
  assert.equal(outer.format, 'zip');
  assert.equal(innerRow.format, 'zip');
  assert.equal(innerRow.sha256, sha256(inner));
  assert.equal(leaf.format, 'cloudtrail:lines');
  assert.equal(leaf.events, 2);
  for (const r of records) assert.equal(storedEvent(db, String(r.eventID)).source_path, `${outerFile}!/exports/inner.zip!/events.jsonl`);
});

test('a .gz of JSON lines is decompressed; its evidence row hashes the compressed file', async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), cloudTrailRecord(), assumeRoleRecord()];
  const file = writeEvidence(dir, 'siem-export/events.jsonl.gz', gzip(jsonLines(records)));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, 3);
  assertSourceIsFile(sourceEndingWith(db, 'events.jsonl.gz'), file, 'cloudtrail:lines', 3);
  for (const r of records) assert.equal(storedEvent(db, String(r.eventID)).raw, JSON.stringify(r));
});

// ---------------------------------------------------------------------------------------------------------------
// Files that are not events

test('digest files and Insights events are counted as skipped, not as errors', async () => {
  const dir = tempDir();
  const logRecords = [cloudTrailRecord(), cloudTrailRecord()];
  writeS3Delivery(dir, logRecords);
  const digest = writeEvidence(dir, 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/06/02/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20240602T203000Z.json.gz', gzip(JSON.stringify(digestFile())));
  const insights = writeEvidence(dir, 'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/06/02/111122223333_CloudTrail-Insight_us-east-1_20240602T2030Z_QwErTy0987654321.json.gz', gzip(recordsEnvelope([insightRecord(), insightRecord()])));

  const { db, result } = await importInto([dir]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.errors, 0);
  assert.equal(result.stats.skipped, 3, 'one digest file and two Insights records');
  assert.equal(result.stats.events, 2);
  assert.equal(storedEvents(db).length, 2);
  const digestRow = sourceEndingWith(db, 'T203000Z.json.gz');
  assert.equal(digestRow.path, digest);
  assert.equal(digestRow.skipped, 1);
  assert.equal(digestRow.errors, 0);
  assert.match(digestRow.format ?? '', /^cloudtrail-digest/);
  const insightRow = sourceEndingWith(db, 'QwErTy0987654321.json.gz');
  assert.equal(insightRow.path, insights);
  assert.equal(insightRow.skipped, 2);
  assert.match(insightRow.format ?? '', /^cloudtrail-insight/);
});

// ---------------------------------------------------------------------------------------------------------------
// Deduplication

test('the same event delivered by an organisation trail and an account trail is stored once', async () => {
  const dir = tempDir();
  const shared = cloudTrailRecord();
  const orgOnly = cloudTrailRecord();
  const accountOnly = cloudTrailRecord();
  writeS3Delivery(dir, [shared, orgOnly], { org: 'o-abc123' });
  writeS3Delivery(dir, [accountOnly, shared]);

  const { db, result } = await importInto([dir]);

  assert.equal(result.stats.events, 3);
  assert.equal(result.stats.duplicates, 1);
  assert.equal(storedEvents(db).filter((e) => e.native_id === shared.eventID).length, 1);
  const sources = storedSources(db);
  assert.equal(sources.reduce((n, s) => n + s.events, 0), 3);
  assert.equal(sources.reduce((n, s) => n + s.duplicates, 0), 1);
});

test('a console lookup export of an event already in the S3 logs is not stored twice', async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), assumeRoleRecord()];
  writeS3Delivery(dir, records);
  writeEvidence(dir, 'console/lookup-events.json', JSON.stringify({ Events: records.map((r) => lookupEvent(r)) }));

  const { db, result } = await importInto([dir]);

  assert.equal(result.stats.events, 2);
  assert.equal(result.stats.duplicates, 2);
  assert.equal(storedEvents(db).length, 2);
});

test('two different events that share an eventID (as public samples do) are both kept', async () => {
  const dir = tempDir();
  const a = cloudTrailRecord({ eventID: '1' });
  const b = cloudTrailRecord({ eventID: '1', eventName: 'ListUsers' });
  const file = writeEvidence(dir, 'sample.json', recordsEnvelope([a, b]));

  const { db, result } = await importInto([file]);

  assert.equal(result.stats.events, 2);
  assert.equal(result.stats.duplicates, 0);
  const rows = storedEvents(db).filter((e) => e.native_id === '1');
  assert.deepEqual(rows.map((r) => r.action), ['ListRoles', 'ListUsers']);
  assert.deepEqual(rows.map((r) => r.raw), [JSON.stringify(a), JSON.stringify(b)]);
});

// ---------------------------------------------------------------------------------------------------------------
// Odd values real exports carry

test('timestamps with and without ms, with offsets, with a space, and a basic-form creationDate all import in UTC', async () => {
  const dir = tempDir();
  const withMs = cloudTrailRecord({ eventTime: '2024-06-02T20:27:12.345Z' });
  const noMs = cloudTrailRecord({ eventTime: '2024-06-02T20:27:12Z' });
  const offset = cloudTrailRecord({ eventTime: '2024-06-03T07:27:12+11:00' });
  const negative = cloudTrailRecord({ eventTime: '2024-06-02T13:27:12-07:00' });
  const spaced = cloudTrailRecord({ eventTime: '2024-06-02 20:27:12' });
  const basicCreation = cloudTrailRecord();
  const ui = structuredClone(basicCreation.userIdentity) as Record<string, any>;
  ui.sessionContext.attributes.creationDate = '20131102T010628Z';
  basicCreation.userIdentity = ui;
  const records = [withMs, noMs, offset, negative, spaced, basicCreation];
  const file = writeEvidence(dir, 'times.jsonl', jsonLines(records));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, records.length);
  assert.equal(storedEvent(db, String(withMs.eventID)).time_ms, T + 345);
  for (const r of [noMs, offset, negative, spaced]) {
    const row = storedEvent(db, String(r.eventID));
    assert.equal(row.time_ms, T, `${String(r.eventTime)} is ${new Date(T).toISOString()}`);
    assert.equal(row.time_text, r.eventTime, 'the original text is kept');
  }
  const basic = storedEvent(db, String(basicCreation.eventID));
  assert.equal(basic.time_ms, Date.parse(String(basicCreation.eventTime)));
  assert.equal(basic.raw, JSON.stringify(basicCreation));
});

test('integer account ids regain their leading zero; lowercase keys are read like camelCase ones', async () => {
  const dir = tempDir();
  const numeric = cloudTrailRecord({ recipientAccountId: 12345678901 });
  (numeric.userIdentity as Record<string, unknown>).accountId = 12345678901;
  const lower = {
    eventversion: '1.08',
    useridentity: { type: 'IAMUser', principalid: 'AIDAQXAMPLEUSER00001', arn: 'arn:aws:iam::111122223333:user/alice', accountid: '111122223333', accesskeyid: 'AKIAQXAMPLEUSERKEY01', username: 'alice' },
    eventtime: '2024-06-02T20:27:12Z',
    eventsource: 's3.amazonaws.com',
    eventname: 'ListBuckets',
    awsregion: 'eu-central-1',
    sourceipaddress: '203.0.113.9',
    useragent: 'Boto3/1.34.0',
    errorcode: 'AccessDenied',
    requestid: 'QXAMPLE0REQUEST1',
    eventid: '7e1d9c3a-1111-4a2b-9c3d-00000000abcd',
    readonly: 'true',
    eventtype: 'AwsApiCall',
    recipientaccountid: '111122223333',
  };
  const file = writeEvidence(dir, 'odd.jsonl', jsonLines([numeric, lower]));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  const n = storedEvent(db, String(numeric.eventID));
  assert.equal(n.principal_account, '012345678901');
  assert.equal(n.target_account, '012345678901');
  assert.equal(n.raw, JSON.stringify(numeric), 'the raw record keeps the integer as written');
  const l = storedEvent(db, lower.eventid);
  assert.equal(l.action, 'ListBuckets');
  assert.equal(l.service, 's3.amazonaws.com');
  assert.equal(l.time_ms, T);
  assert.equal(l.principal_type, 'IAMUser');
  assert.equal(l.principal_id, 'AIDAQXAMPLEUSER00001');
  assert.equal(l.principal_name, 'arn:aws:iam::111122223333:user/alice');
  assert.equal(l.principal_account, '111122223333');
  assert.equal(l.credential_id, 'AKIAQXAMPLEUSERKEY01');
  assert.equal(l.source_ip, '203.0.113.9');
  assert.equal(l.region, 'eu-central-1');
  assert.equal(l.user_agent, 'Boto3/1.34.0');
  assert.equal(l.outcome, 'failure');
  assert.equal(l.error_code, 'AccessDenied');
  assert.equal(l.read_only, 1);
  assert.equal(l.request_id, 'QXAMPLE0REQUEST1');
  assert.equal(l.event_type, 'AwsApiCall');
});

test('source addresses: padded octets become a literal IP, service names and "redacted" are not IPs, fake regions are kept', async () => {
  const dir = tempDir();
  const padded = cloudTrailRecord({ sourceIPAddress: '010.001.002.003' });
  const ipv6 = cloudTrailRecord({ sourceIPAddress: '2001:DB8::7' });
  const service = cloudTrailRecord({
    userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
    sourceIPAddress: 'lambda.amazonaws.com',
    userAgent: 'lambda.amazonaws.com',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    responseElements: null,
  });
  const redacted = cloudTrailRecord({ sourceIPAddress: 'redacted', userAgent: 'redacted' });
  (redacted.userIdentity as Record<string, unknown>).arn = 'redacted';
  const fakeRegion = cloudTrailRecord({ awsRegion: 'xx-fake-9' });
  const records = [padded, ipv6, service, redacted, fakeRegion];
  const file = writeEvidence(dir, 'addresses.json', JSON.stringify(records));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(result.stats.events, records.length);
  assert.equal(storedEvent(db, String(padded.eventID)).source_ip, '10.1.2.3');
  assert.equal(storedEvent(db, String(ipv6.eventID)).source_ip, '2001:db8::7');
  const svc = storedEvent(db, String(service.eventID));
  assert.equal(svc.source_ip, null);
  assert.equal(svc.source_service, 'lambda.amazonaws.com');
  assert.equal(svc.principal_type, 'AWSService');
  assert.equal(svc.principal_name, 'lambda.amazonaws.com');
  assert.equal(svc.issued_credential_id, null);
  const red = storedEvent(db, String(redacted.eventID));
  assert.equal(red.source_ip, null);
  assert.equal(red.principal_name, 'redacted');
  assert.equal(red.user_agent, 'redacted');
  assert.equal(red.raw, JSON.stringify(redacted));
  assert.equal(storedEvent(db, String(fakeRegion.eventID)).region, 'xx-fake-9');
});

test("AssumeRole's issued access key is recorded, and a multi-KB session token survives byte for byte", async () => {
  const dir = tempDir();
  const token = sessionToken(12 * 1024);
  const assume = assumeRoleRecord({}, 'ASIAQXAMPLEBIGTOKEN1');
  ((assume.responseElements as Record<string, any>).credentials as Record<string, unknown>).sessionToken = token;
  const file = writeS3Delivery(dir, [assume, cloudTrailRecord()]);

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  const row = storedEvent(db, String(assume.eventID));
  assert.equal(row.issued_credential_id, 'ASIAQXAMPLEBIGTOKEN1');
  assert.equal(row.issued_principal, 'arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/pivot');
  assert.equal(row.credential_id, 'ASIAQXAMPLEKEY000001', 'the credential the call was made with is a different one');
  assert.equal(row.raw, JSON.stringify(assume));
  assert.ok(row.raw.includes(token));
});

test('Logstash copies with @timestamp instead of eventTime import with that time', async () => {
  const dir = tempDir();
  const base = cloudTrailRecord({ eventTime: undefined });
  const logstash = { '@timestamp': '2024-06-02T20:27:12.000Z', '@version': '1', type: 'cloudtrail', ...base };
  const file = writeEvidence(dir, 'logstash.jsonl', jsonLines([logstash]));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  const row = storedEvent(db, String(base.eventID));
  assert.equal(row.time_ms, T);
  assert.equal(row.time_text, '2024-06-02T20:27:12.000Z');
  assert.equal(row.action, 'ListRoles');
  assert.equal(row.raw, JSON.stringify(logstash));
});

test('a CSV row with a byte that is not UTF-8 is refused, like a JSON record; the other rows, a real U+FFFD among them, are kept', async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), cloudTrailRecord({ userAgent: 'Bot\uFFFD2/1.0' }), cloudTrailRecord({ userAgent: 'BotX3/1.0' }), cloudTrailRecord()];
  const csv = lakeCsv(records);
  // A valid file first: the real U+FFFD (EF BF BD) is text like any other.
  const valid = writeEvidence(dir, 'valid/result_1.csv', csv.text);
  const first = await importInto([valid]);
  assert.deepEqual(first.result.problems, []);
  assert.equal(first.result.stats.events, 4);
  // Then the same export with one Latin-1 byte (0xE9) in place of the third row's X.
  const bytes = Buffer.from(csv.text, 'utf8');
  const at = bytes.indexOf(Buffer.from('BotX3'));
  bytes[at + 3] = 0xe9;
  const latin1 = writeEvidence(dir, 'latin1/result_1.csv', bytes);
  const { db, result } = await importInto([latin1]);
  assert.equal(result.stats.events, 3, 'the rows around it, the one with a real U+FFFD among them');
  assert.equal(result.stats.errors, 1, 'the row with the bad byte');
  assert.equal(result.problems[0]!.position, 'line 4, record 3');
  assert.ok(result.problems.every((p) => /invalid UTF-8 in this record; skipped/.test(p.reason)), JSON.stringify(result.problems));
  assert.deepEqual(storedEvents(db).map((r) => r.user_agent).filter((ua) => String(ua).startsWith('Bot')), ['Bot\uFFFD2/1.0'], 'only the U+FFFD the file holds');
});
