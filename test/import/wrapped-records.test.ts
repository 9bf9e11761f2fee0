// Audit records as the log pipelines customers hand over wrap them: a trail delivered to CloudWatch Logs (the logs CLI's
// filter-log-events / get-log-events output, subscription payloads as Firehose writes them, the export to S3), SIEM
// exports (Splunk _raw, Elasticsearch / elasticdump _source) and Pub/Sub messages of a log sink. The inner record is
// classified and normalized as if it stood alone, the raw record is the wrapper entry as the file holds it, and the
// evidence format names the wrapper. Inner records of no known kind are refused naming the wrapper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportResult } from '../../electron/core/import/import-evidence';
import { DEFAULT_LIMITS } from '../../electron/core/import/limits';
import { problemKind } from '../../electron/core/import/problem-kinds';
import { UNSUPPORTED_KIND } from '../../electron/core/import/record-kind';
import { ECS_ONLY, KINESIS_RECORD, SPLUNK_CUT } from '../../electron/core/import/wrapped-record';
import {
  assumeRoleRecord, cloudTrailRecord, csvLine, gzip, importInto, jsonLines, lookupEvent, sourceEndingWith, storedEvents, tempDir, writeEvidence,
  type CloudTrailRecord, type EventRow,
} from '../support/evidence-fixtures';
import { GcpScenario, GCP } from '../support/gcp-scenario';
import { AzureScenario, people } from '../support/azure-scenario';
import { IPS } from '../support/cloudtrail-scenario';
import { writeAttackScenario } from '../support/attack-case';
import { analyseWritten } from '../support/analyse-evidence';

const ISSUED = 'ASIAQXAMPLEISSUED777';

/** A cross-account AssumeRole, then StopLogging and CreateAccessKey with the issued key: the QA chain. */
function chain(): CloudTrailRecord[] {
  const entry = assumeRoleRecord({}, ISSUED);
  const session = {
    type: 'AssumedRole', principalId: 'AROAQXAMPLETARGET001:pivot', arn: 'arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/pivot',
    accountId: '444455556666', accessKeyId: ISSUED,
  };
  return [
    entry,
    cloudTrailRecord({ userIdentity: session, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', readOnly: false, sourceIPAddress: '185.220.101.45', recipientAccountId: '444455556666' }),
    cloudTrailRecord({ userIdentity: session, eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false, sourceIPAddress: '185.220.101.45', recipientAccountId: '444455556666' }),
  ];
}

/** The values an investigator reads off a CloudTrail event, checked against the record it came from. */
function assertCloudTrail(row: EventRow, record: CloudTrailRecord): void {
  const ui = record.userIdentity as Record<string, string>;
  assert.equal(row.provider, 'aws');
  assert.equal(row.native_id, record.eventID);
  assert.equal(row.action, record.eventName);
  assert.equal(row.service, record.eventSource);
  assert.equal(row.time_ms, Date.parse(String(record.eventTime)));
  assert.equal(row.principal_name, ui.arn ?? null);
  assert.equal(row.principal_account, ui.accountId);
  assert.equal(row.source_ip, record.sourceIPAddress);
  assert.equal(row.credential_id, ui.accessKeyId);
  if (record.eventName === 'AssumeRole') assert.equal(row.issued_credential_id, ISSUED);
}

/** The one byte range of `file` that is `row.raw`, parsed back to `entry`: the raw record is the entry as the file holds it. */
function assertRawIsEntry(row: EventRow, fileText: string, entry: unknown): void {
  assert.ok(fileText.includes(row.raw), `the raw record is a slice of the file: ${row.raw.slice(0, 120)}`);
  assert.deepEqual(JSON.parse(row.raw), entry);
}

function problemsOf(result: ImportResult, file: string) {
  return result.problems.filter((p) => p.file === file).map(({ position, reason }) => ({ position, reason }));
}

/** A CloudWatch Logs log event of a trail's log group (FilteredLogEvent). */
function logEvent(record: unknown, i: number) {
  return {
    logStreamName: '111122223333_CloudTrail_us-east-1',
    timestamp: Date.parse(String((record as CloudTrailRecord).eventTime ?? '2024-06-02T20:00:00Z')),
    message: JSON.stringify(record),
    ingestionTime: Date.parse(String((record as CloudTrailRecord).eventTime ?? '2024-06-02T20:00:00Z')) + 4000,
    eventId: `3784291234567890123456789012345678901234567890123456${String(i).padStart(4, '0')}`,
  };
}

/** The case holds `records` in order, each with its raw record, read from the file ending in `name`, of `format`. */
function assertEachImported(db: Parameters<typeof storedEvents>[0], records: CloudTrailRecord[], raws: string[], name: string, format: string): void {
  const rows = storedEvents(db);
  assert.equal(rows.length, records.length);
  rows.forEach((row, i) => {
    assertCloudTrail(row, records[i]!);
    assert.equal(row.raw, raws[i]);
  });
  assert.equal(sourceEndingWith(db, name).format, format);
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch Logs

test('aws logs filter-log-events output imports the trail events in each message, the log event as raw (cloudtrail:cloudwatch-logs)', async () => {
  const records = chain();
  const entries = records.map(logEvent);
  // As the CLI prints it: four-space indentation, the events array, searchedLogStreams, a nextToken.
  const text = JSON.stringify({ events: entries, searchedLogStreams: [{ logStreamName: '111122223333_CloudTrail_us-east-1', searchedCompletely: true }], nextToken: 'Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXVrxAKDz6n8v3Gny' }, null, 4);
  const dir = tempDir();
  const file = writeEvidence(dir, 'filter-log-events.json', text);

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  const rows = storedEvents(db);
  assert.equal(rows.length, 3);
  rows.forEach((row, i) => {
    assertCloudTrail(row, records[i]!);
    assertRawIsEntry(row, text, entries[i]);
  });
  assert.match(rows[0]!.raw, /^\{\n\s+"logStreamName"/, 'the raw record is the log event, not its message');
  assert.equal(sourceEndingWith(db, 'filter-log-events.json').format, 'cloudtrail:cloudwatch-logs');
});

test('a log group page where application lines outnumber the trail events is still named by what imported (cloudtrail:cloudwatch-logs)', async () => {
  const [entry] = chain();
  const lines = ['START RequestId: 1 Version: $LATEST', 'END RequestId: 1', 'REPORT RequestId: 1 Duration: 2.1 ms'].map((message, i) => ({ logStreamName: '2024/06/02/[$LATEST]abc', timestamp: 1717359000000 + i, message, ingestionTime: 1717359001000, eventId: `l${i}` }));
  const file = writeEvidence(tempDir(), 'mixed.json', JSON.stringify({ events: [logEvent(entry!, 0), ...lines] }));

  const { db, result } = await importInto([file]);

  assert.equal(result.stats.events, 1);
  assert.equal(problemsOf(result, file).length, 3);
  assert.equal(sourceEndingWith(db, 'mixed.json').format, 'cloudtrail:cloudwatch-logs');
});

test('aws logs get-log-events output (timestamp, message, ingestionTime) imports as cloudtrail:cloudwatch-logs', async () => {
  const records = chain();
  const entries = records.map((r) => {
    const { timestamp, message, ingestionTime } = logEvent(r, 0);
    return { timestamp, message, ingestionTime };
  });
  const text = JSON.stringify({ events: entries, nextForwardToken: 'f/38442789012345678901234567890123456789012345678901234567/s', nextBackwardToken: 'b/38442789012345678901234567890123456789012345678901234567/s' });
  const file = writeEvidence(tempDir(), 'get-log-events.json', text);

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  assertEachImported(db, records, entries.map((e) => JSON.stringify(e)), 'get-log-events.json', 'cloudtrail:cloudwatch-logs');
});

test('subscription-filter payloads as Firehose writes them (concatenated, gzip) import; a CONTROL_MESSAGE is skipped, not an error', async () => {
  const records = chain();
  const payload = (logEvents: unknown[], messageType = 'DATA_MESSAGE') => ({
    messageType, owner: '111122223333', logGroup: 'aws-cloudtrail-logs-111122223333', logStream: '111122223333_CloudTrail_us-east-1', subscriptionFilters: ['to-firehose'], logEvents,
  });
  const sub = (r: CloudTrailRecord, i: number) => ({ id: `3784291234567890123456789012345678901234567890123456${i}`, timestamp: Date.parse(String(r.eventTime)), message: JSON.stringify(r) });
  const control = payload([{ id: '', timestamp: Date.parse('2024-06-02T19:59:00Z'), message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }], 'CONTROL_MESSAGE');
  const first = payload([sub(records[0]!, 0), sub(records[1]!, 1)]);
  const second = payload([sub(records[2]!, 2)]);
  // Firehose writes the payloads one after another, no separator between them.
  const text = [control, first, second].map((p) => JSON.stringify(p)).join('');
  const file = writeEvidence(tempDir(), 'firehose/2024/06/02/20/cwl-to-s3-1-2024-06-02-20-00-00-0f0e.gz', gzip(text));

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  const rows = storedEvents(db);
  assert.equal(rows.length, 3);
  rows.forEach((row, i) => assertCloudTrail(row, records[i]!));
  assert.equal(rows[2]!.raw, JSON.stringify(sub(records[2]!, 2)));
  const source = sourceEndingWith(db, '0f0e.gz');
  assert.equal(source.format, 'cloudtrail:cloudwatch-logs-subscription');
  assert.equal(source.skipped, 1, 'the control message');
  assert.equal(source.errors, 0);
});

test('the CloudWatch Logs export to S3 (gzip lines: time, space, event) imports with the whole line as raw, not as a CSV', async () => {
  const records = chain();
  const lines = records.map((r) => `${new Date(Date.parse(String(r.eventTime))).toISOString()} ${JSON.stringify(r)}`);
  // A log group can hold other messages too: one that is not JSON.
  const text = [lines[0], lines[1], '2024-06-02T20:00:09.000Z START RequestId: 6b0f6f6b-0000-4000-8000-000000000001 Version: $LATEST', lines[2]].join('\n') + '\n';
  const dir = tempDir();
  const file = writeEvidence(dir, 'exportedlogs/a1b2c3d4-task/111122223333_CloudTrail_us-east-1/000000.gz', gzip(text));

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), [
    { position: 'line 3, record 3', reason: 'a CloudWatch Logs export line whose message is not a cloud audit record (it is not a JSON object)' },
  ]);
  const rows = storedEvents(db);
  assert.equal(rows.length, 3);
  rows.forEach((row, i) => {
    assertCloudTrail(row, records[i]!);
    assert.equal(row.raw, lines[i], 'the raw record is the whole line, time and all');
  });
  assert.equal(sourceEndingWith(db, '000000.gz').format, 'cloudtrail:cloudwatch-logs-export');
});

test('the CloudWatch Logs export read as a stream (over the small-file size) keeps each line whole across chunk boundaries', async () => {
  const records = Array.from({ length: 2000 }, (_, i) => cloudTrailRecord({ requestParameters: { marker: `${i}-${'m'.repeat(2000 + (i % 97))}` } }));
  const lines = records.map((r) => `${new Date(Date.parse(String(r.eventTime))).toISOString()} ${JSON.stringify(r)}`);
  const file = writeEvidence(tempDir(), 'export/000001', lines.join('\r\n') + '\r\n');

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  const rows = storedEvents(db);
  assert.equal(rows.length, 2000);
  const byId = new Map(rows.map((r) => [r.native_id, r]));
  records.forEach((r, i) => assert.equal(byId.get(String(r.eventID))!.raw, lines[i]));
});

test('a CloudWatch Logs export line over the record cap is refused without being held; the lines around it import', async () => {
  const [a, b] = [cloudTrailRecord(), cloudTrailRecord()];
  const line = (r: CloudTrailRecord) => `${new Date(Date.parse(String(r.eventTime))).toISOString()} ${JSON.stringify(r)}`;
  const huge = line(cloudTrailRecord({ requestParameters: { blob: 'z'.repeat(3 * 1024 * 1024) } }));
  const file = writeEvidence(tempDir(), 'export/000002', [line(a), huge, line(b)].join('\n'));

  const { db, result } = await importInto([file], { limits: { ...DEFAULT_LIMITS, maxRecordBytes: 1024 * 1024 } });

  assert.deepEqual(problemsOf(result, file), [{ position: 'line 2, record 2', reason: 'line larger than 1 MiB; skipped' }]);
  assert.deepEqual(storedEvents(db).map((e) => e.raw), [line(a), line(b)]);
});

test('Azure Activity and GCP audit records carried by CloudWatch Logs import too: the mechanism is the wrapper, not the cloud', async () => {
  const az = new AzureScenario();
  const { token } = az.signIn({ at: az.t0, who: people.alice, ip: IPS.office });
  az.call({ at: az.t0 + 60_000, token, op: 'Microsoft.Authorization/roleAssignments/write' });
  const gcp = new GcpScenario();
  const insert = gcp.setIamPolicy({ at: gcp.t0, principal: GCP.deployer, ip: IPS.torDe, delegatedBy: 'evil@other-org.iam.gserviceaccount.com', member: 'user:eve@evil.example', role: 'roles/owner' });
  const inner = [...az.activity, gcp.entries[0]!];
  const file = writeEvidence(tempDir(), 'mixed-log-group.json', JSON.stringify({ events: inner.map((r, i) => ({ timestamp: az.t0 + i, message: JSON.stringify(r), ingestionTime: az.t0 + i })) }));

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  const rows = storedEvents(db);
  const azure = rows.filter((r) => r.provider === 'azure');
  assert.equal(azure.length, az.activity.length);
  const done = azure.find((r) => r.native_id === az.activity.at(-1)!.eventDataId)!;
  assert.equal(done.action, 'Microsoft.Authorization/roleAssignments/write');
  assert.equal(done.credential_id, token.uti);
  assert.equal(done.source_ip, IPS.office);
  const g = rows.find((r) => r.provider === 'gcp')!;
  assert.equal(g.native_id, insert);
  assert.equal(g.action, 'SetIamPolicy');
  assert.equal(g.source_ip, IPS.torDe);
  assert.equal(g.credential_id, `evil@other-org.iam.gserviceaccount.com>${GCP.deployer}`);
  assert.deepEqual(JSON.parse(g.raw).message, JSON.stringify(gcp.entries[0]));
  assert.equal(sourceEndingWith(db, 'mixed-log-group.json').format, 'azure-activity:cloudwatch-logs');
});

// ---------------------------------------------------------------------------------------------------------------
// SIEM exports

test('a Splunk search export (JSON lines of {"preview","result":{"_raw"}}) imports _raw; a result that is no audit record is refused by name', async () => {
  const records = chain();
  const results = records.map((r, i) => ({
    preview: false, offset: i, ...(i === records.length - 1 ? { lastrow: true } : {}),
    result: {
      _bkt: 'aws~12~5F0A', _cd: `12:${1000 + i}`, _indextime: '1717358830', _raw: JSON.stringify(r), _serial: String(i), _si: ['splunk-idx-1', 'aws'],
      _sourcetype: 'aws:cloudtrail', _time: String(r.eventTime), host: 'aws-inputs', index: 'aws', linecount: '1', source: 's3://org-trail-logs/AWSLogs/...', sourcetype: 'aws:cloudtrail', splunk_server: 'splunk-idx-1',
    },
  }));
  const syslog = { preview: false, offset: 3, result: { _raw: 'Jun  2 20:00:09 bastion sshd[4122]: Accepted publickey for ops from 203.0.113.9', _time: '2024-06-02T20:00:09.000+00:00', sourcetype: 'syslog' } };
  const unknownJson = { preview: false, offset: 4, result: { _raw: JSON.stringify({ level: 'info', msg: 'healthcheck ok' }), sourcetype: '_json' } };
  const text = jsonLines([...results, syslog, unknownJson]);
  const file = writeEvidence(tempDir(), 'splunk-export.json', text);

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), [
    { position: 'line 4, record 4', reason: 'a Splunk result whose _raw is not a cloud audit record (it is not a JSON object)' },
    { position: 'line 5, record 5', reason: 'a Splunk result whose _raw is not a cloud audit record' },
  ]);
  assertEachImported(db, records, results.map((e) => JSON.stringify(e)), 'splunk-export.json', 'cloudtrail:splunk');
});

test('Splunk REST results ({"results":[…]}) read _raw before the fields Splunk extracted beside it', async () => {
  const records = chain();
  // Splunk's aws:cloudtrail extractions: flat names that lose the nesting the normalizer needs.
  const results = records.map((r) => ({
    _raw: JSON.stringify(r), _time: String(r.eventTime), eventName: r.eventName, eventSource: r.eventSource, eventTime: r.eventTime,
    'userIdentity.arn': (r.userIdentity as Record<string, string>).arn, sourcetype: 'aws:cloudtrail',
  }));
  const text = JSON.stringify({ preview: false, init_offset: 0, messages: [], fields: [{ name: '_raw' }, { name: '_time' }], results, highlighted: {} });
  const file = writeEvidence(tempDir(), 'results.json', text);

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  const rows = storedEvents(db);
  rows.forEach((row, i) => {
    assertCloudTrail(row, records[i]!);
    assert.equal(row.raw, JSON.stringify(results[i]));
  });
  assert.equal(sourceEndingWith(db, 'results.json').format, 'cloudtrail:splunk');
});

test('a Splunk CSV export with a _raw column imports each row\'s _raw, the row as raw (cloudtrail:splunk-csv)', async () => {
  const records = chain();
  const lines = records.map((r) => csvLine([r.eventTime, 'aws-inputs', 's3://org-trail-logs/AWSLogs/111122223333/CloudTrail/', 'aws:cloudtrail', JSON.stringify(r)]));
  const file = writeEvidence(tempDir(), 'splunk.csv', ['"_time",host,source,sourcetype,"_raw"', ...lines].join('\n') + '\n');

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), []);
  assertEachImported(db, records, lines, 'splunk.csv', 'cloudtrail:splunk-csv');
});

test("a Splunk _raw cut at 10,000 characters (Splunk's default TRUNCATE) is refused saying so, not as invalid JSON", async () => {
  const [entry] = chain();
  const policy = cloudTrailRecord({ eventName: 'PutRolePolicy', eventSource: 'iam.amazonaws.com', requestParameters: { roleName: 'ops', policyName: 'p', policyDocument: JSON.stringify({ Statement: Array.from({ length: 120 }, (_, i) => ({ Effect: 'Allow', Action: `s3:GetObject${i}`, Resource: '*' })) }) } });
  const full = JSON.stringify(policy);
  assert.ok(full.length > 10_000);
  const lines = [entry!, policy].map((r) => { const raw = JSON.stringify(r); return csvLine([r.eventTime, 'aws:cloudtrail', raw.length > 10_000 ? raw.slice(0, 10_000) : raw]); });
  const file = writeEvidence(tempDir(), 'splunk-cut.csv', ['_time,sourcetype,_raw', ...lines].join('\n') + '\n');

  const { db, result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file), [{ position: 'line 3, record 2', reason: SPLUNK_CUT }]);
  assert.equal(storedEvents(db).length, 1);
});

test('Elasticsearch hits import from _source.event.original (a _search response) and _source.message (elasticdump lines, an array of hits)', async () => {
  const records = chain();
  const hit = (r: CloudTrailRecord, i: number, field: 'original' | 'message') => ({
    _index: '.ds-logs-aws.cloudtrail-default-2024.06.02-000001', _id: `hit-${i}`, _score: 1,
    _source: field === 'original'
      ? { '@timestamp': r.eventTime, event: { action: r.eventName, provider: r.eventSource, outcome: 'success', id: r.eventID, original: JSON.stringify(r) }, cloud: { provider: 'aws', region: 'us-east-1' }, data_stream: { dataset: 'aws.cloudtrail' } }
      : { '@timestamp': r.eventTime, message: JSON.stringify(r), tags: ['cloudtrail'] },
  });
  const search = { took: 7, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { total: { value: 3, relation: 'eq' }, max_score: 1, hits: records.map((r, i) => hit(r, i, 'original')) } };
  const dir = tempDir();
  const searchText = JSON.stringify(search, null, 2);
  const searchFile = writeEvidence(dir, 'search.json', searchText);
  const dumpFile = writeEvidence(dir, 'dump.ndjson', jsonLines(records.map((r, i) => hit(r, i, 'message'))));
  const arrayFile = writeEvidence(dir, 'hits.json', JSON.stringify(records.map((r, i) => hit(r, i, 'original'))));

  for (const [file, suffix] of [[searchFile, 'search.json'], [dumpFile, 'dump.ndjson'], [arrayFile, 'hits.json']] as const) {
    const { db, result } = await importInto([file]);
    assert.deepEqual(problemsOf(result, file), [], suffix);
    const rows = storedEvents(db);
    assert.equal(rows.length, 3, suffix);
    rows.forEach((row, i) => assertCloudTrail(row, records[i]!));
    assert.equal(sourceEndingWith(db, suffix).format, 'cloudtrail:elastic', suffix);
    if (file === searchFile) rows.forEach((row, i) => assertRawIsEntry(row, searchText, search.hits.hits[i]));
    if (file === dumpFile) rows.forEach((row, i) => assert.equal(row.raw, JSON.stringify(hit(records[i]!, i, 'message'))));
  }
});

test('an Elasticsearch hit holding no audit record is refused naming the wrapper; a top-level "hits" object without hits stays one record', async () => {
  const dir = tempDir();
  const file = writeEvidence(dir, 'app-logs.ndjson', jsonLines([
    { _index: 'app', _id: '1', _source: { '@timestamp': '2024-06-02T20:00:00Z', message: 'GET /health 200' } },
    { _index: 'app', _id: '2', _source: { '@timestamp': '2024-06-02T20:00:01Z', level: 'info' } },
  ]));
  const stats = writeEvidence(dir, 'stats.json', JSON.stringify({ hits: { total: 12, cache: 'warm' }, misses: 3 }));

  const { result } = await importInto([file, stats]);

  assert.deepEqual(problemsOf(result, file), [
    { position: 'line 1, record 1', reason: 'an Elasticsearch document whose message is not a cloud audit record (it is not a JSON object)' },
    { position: 'line 2, record 2', reason: ECS_ONLY },
  ]);
  assert.match(ECS_ONLY, /dropped the original; re-index keeping it \(the AWS, Azure and GCP integrations' preserve_original_event tag\)/);
  assert.deepEqual(problemsOf(result, stats), [{ position: 'line 1, record 1', reason: UNSUPPORTED_KIND.unknown }]);
});

test('aws kinesis get-records output is refused naming it, with how to decode its Data', async () => {
  const payload = gzip(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: chain().map((r, i) => logEvent(r, i)) })).toString('base64');
  const text = JSON.stringify({ Records: [0, 1].map((i) => ({ SequenceNumber: `4959${i}`, ApproximateArrivalTimestamp: 1717358830.123, Data: payload, PartitionKey: `p${i}` })), NextShardIterator: 'AAAA', MillisBehindLatest: 0 });
  const file = writeEvidence(tempDir(), 'get-records.json', text);

  const { result } = await importInto([file]);

  assert.deepEqual(problemsOf(result, file).map((p) => p.reason), [KINESIS_RECORD, KINESIS_RECORD]);
  assert.equal(result.stats.events, 0);
});

// ---------------------------------------------------------------------------------------------------------------
// Pub/Sub

test('gcloud pubsub subscriptions pull --format=json and push bodies import the base64 LogEntry (gcp-audit:pubsub)', async () => {
  const gcp = new GcpScenario();
  const insert = gcp.setIamPolicy({ at: gcp.t0, principal: GCP.deployer, ip: IPS.torDe, delegatedBy: 'evil@other-org.iam.gserviceaccount.com', member: 'user:eve@evil.example', role: 'roles/owner' });
  const entry = gcp.entries[0]!;
  const message = (i: number) => ({
    attributes: { 'logging.googleapis.com/timestamp': entry.timestamp },
    data: Buffer.from(JSON.stringify(entry)).toString('base64'),
    messageId: `1105894431${i}`, publishTime: '2026-10-10T09:00:01.123Z',
  });
  const pulled = [{ ackId: 'UAYWLF1GSFE3GQhoUQ5PXiM_NSAoRRIJB08CKF15MEorQVh', message: message(1) }];
  const dir = tempDir();
  const pullText = JSON.stringify(pulled, null, 2);
  const pull = writeEvidence(dir, 'pull.json', pullText);
  const push = writeEvidence(dir, 'push.jsonl', jsonLines([{ message: message(2), subscription: 'projects/acme-prod/subscriptions/audit-push' }]));

  for (const [file, suffix] of [[pull, 'pull.json'], [push, 'push.jsonl']] as const) {
    const { db, result } = await importInto([file]);
    assert.deepEqual(problemsOf(result, file), [], suffix);
    const [row, ...rest] = storedEvents(db);
    assert.equal(rest.length, 0);
    assert.equal(row!.provider, 'gcp');
    assert.equal(row!.native_id, insert);
    assert.equal(row!.action, 'SetIamPolicy');
    assert.equal(row!.principal_name, GCP.deployer);
    assert.equal(row!.source_ip, IPS.torDe);
    assert.equal(row!.time_ms, gcp.t0);
    assert.equal(row!.credential_id, `evil@other-org.iam.gserviceaccount.com>${GCP.deployer}`);
    assert.equal(sourceEndingWith(db, suffix).format, 'gcp-audit:pubsub');
    if (file === pull) assertRawIsEntry(row!, pullText, pulled[0]);
    else assert.deepEqual(JSON.parse(row!.raw).subscription, 'projects/acme-prod/subscriptions/audit-push');
  }
});

test('Pub/Sub messages that are not audit logs: a VPC flow log keeps its out-of-scope refusal, bad data is named', async () => {
  const flow = { insertId: 'x1', logName: 'projects/acme-prod/logs/compute.googleapis.com%2Fvpc_flows', jsonPayload: { connection: { src_ip: '10.0.0.1' } }, timestamp: '2026-10-10T09:00:00Z', resource: { type: 'gce_subnetwork' } };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
  const file = writeEvidence(tempDir(), 'pull.json', JSON.stringify([
    { ackId: 'a', message: { data: b64(flow), messageId: '1' } },
    { ackId: 'b', message: { data: 'this is *not* base64!', messageId: '2' } },
    { ackId: 'c', message: { data: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'), messageId: '3' } },
    { ackId: 'd', message: { data: b64({ hello: 'world' }), messageId: '4' } },
  ]));

  const { result } = await importInto([file]);

  const problems = problemsOf(result, file);
  assert.deepEqual(problems, [
    { position: 'line 1, record 1', reason: UNSUPPORTED_KIND['gcp-other-log'] },
    { position: 'line 1, record 2', reason: 'a Pub/Sub message whose data is not base64' },
    { position: 'line 1, record 3', reason: 'a Pub/Sub message whose data is not UTF-8 text (not a log sink\'s LogEntry)' },
    { position: 'line 1, record 4', reason: 'a Pub/Sub message whose data is not a cloud audit record' },
  ]);
  assert.equal(problemKind(problems[0]!.reason), 'out-of-scope', 'refused by design, as the same entry unwrapped is');
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile wrappers

test('hostile wrappers never crash the import: huge, deeply nested and lying messages each get a reason', async () => {
  const record = cloudTrailRecord();
  const deep = '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000);
  const file = writeEvidence(tempDir(), 'hostile.json', JSON.stringify({
    events: [
      { timestamp: 1, message: deep },
      { timestamp: 2, message: `{"eventName":"${'x'.repeat(3_000_000)}` },
      { timestamp: 3, message: '' },
      { timestamp: 4, message: JSON.stringify([record]) },
      { timestamp: 5, message: JSON.stringify(lookupEvent(record)) },
      { timestamp: 6, message: JSON.stringify({ timestamp: 7, message: JSON.stringify({ timestamp: 8, message: JSON.stringify(record) }) }) },
    ],
  }));

  const { db, result } = await importInto([file]);

  assert.equal(result.status, 'complete');
  const problems = problemsOf(result, file);
  assert.deepEqual(problems.map((p) => p.reason), [
    'a CloudWatch Logs event whose message is not a cloud audit record',
    'a CloudWatch Logs event whose message is not a cloud audit record (invalid JSON)',
    'a CloudWatch Logs event whose message is not a cloud audit record (it is not a JSON object)',
    'a CloudWatch Logs event whose message is not a cloud audit record (it is not a JSON object)',
    'a CloudWatch Logs event whose message is not a cloud audit record',
  ]);
  // A lookup-events entry inside a message is still a record of a known kind.
  const rows = storedEvents(db);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.native_id, record.eventID);
});

test('records of a plain delivery never descend into a page key of their own', async () => {
  const odd = cloudTrailRecord({ events: [1, 2], hits: { hits: [{ a: 1 }] }, results: [] });
  const dir = tempDir();
  const envelope = writeEvidence(dir, 'records.json', JSON.stringify({ Records: [odd] }, null, 1));
  const entry = { ...lookupEvent(cloudTrailRecord()), logEvents: [{ x: 1 }], events: [{ y: 2 }] };
  const lookup = writeEvidence(dir, 'lookup.json', JSON.stringify({ Events: [entry] }));

  const { db, result } = await importInto([envelope, lookup]);

  assert.deepEqual(result.problems, []);
  const rows = storedEvents(db);
  assert.equal(rows.length, 2);
  assert.deepEqual(JSON.parse(rows.find((r) => r.native_id === odd.eventID)!.raw), odd);
});

// ---------------------------------------------------------------------------------------------------------------
// The chain, end to end

test('a cross-account chain delivered via CloudWatch Logs gives the same finding as the plain layout', async () => {
  const plain = writeAttackScenario();
  const text = readFileSync(join(plain.dir, 'evidence', 'cloudtrail.jsonl'), 'utf8');
  const records = text.trim().split('\n').map((l) => JSON.parse(l) as CloudTrailRecord);
  // The same trail, read back from its log group with filter-log-events, one page of at most 10,000 events per file.
  const viaLogs = tempDir();
  mkdirSync(join(viaLogs, 'evidence'));
  for (let page = 0; page * 10_000 < records.length; page++) {
    const events = records.slice(page * 10_000, (page + 1) * 10_000).map((r, i) => logEvent(r, page * 10_000 + i));
    writeFileSync(join(viaLogs, 'evidence', `page-${page}.json`), JSON.stringify({ events, searchedLogStreams: [], nextToken: `t${page}` }, null, 4));
  }

  const expected = await analyseWritten(plain.dir);
  const actual = await analyseWritten(viaLogs);

  assert.equal(expected.findings.length, 1);
  assert.deepEqual(
    actual.findings.map((f) => ({ severity: f.severity, score: f.score, reasons: f.reasons.map((r) => r.text) })),
    expected.findings.map((f) => ({ severity: f.severity, score: f.score, reasons: f.reasons.map((r) => r.text) })),
  );
  assert.deepEqual([...actual.links].sort(), [...expected.links].sort());
  assert.ok(actual.links.has(plain.keyEventId), 'the CreateAccessKey is in the chain');
});

// ---------------------------------------------------------------------------------------------------------------
// Refusals that say what the file is and what to do instead

/** Imports `bad` beside a good JSON-lines file: the good one always imports, whatever the bad one is. */
async function importBeside(write: (dir: string) => string) {
  const dir = tempDir();
  const good = [cloudTrailRecord(), assumeRoleRecord()];
  writeEvidence(dir, 'good/events.jsonl', jsonLines(good));
  const bad = write(dir);
  const { db, result } = await importInto([dir]);
  assert.equal(result.status, 'complete');
  assert.equal(storedEvents(db).filter((e) => e.source_path.endsWith('events.jsonl')).length, 2, 'the good file beside it imported');
  return { db, result, bad };
}

test('gcloud logging read without --format=json (YAML) is refused saying so, naming the file', async () => {
  const yaml = [
    '---', 'insertId: -abc123def', 'logName: projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity', 'protoPayload:',
    "  '@type': type.googleapis.com/google.cloud.audit.AuditLog", '  methodName: SetIamPolicy', "timestamp: '2024-06-02T20:00:01.118Z'", '---', 'insertId: -def456', '',
  ].join('\n');
  const { result, bad } = await importBeside((dir) => writeEvidence(dir, 'gcloud-read.txt', yaml));
  assert.deepEqual(problemsOf(result, bad), [
    { position: null, reason: 'unsupported format: YAML, the default output of `gcloud logging read`, not JSON: rerun it with --format=json' },
  ]);
  const other = await importBeside((dir) => writeEvidence(dir, 'notes.yaml', '---\nowner: ir-team\n'));
  assert.deepEqual(problemsOf(other.result, other.bad), [
    { position: null, reason: 'unsupported format: YAML, not JSON, JSON lines or CSV (for `gcloud logging read`, rerun it with --format=json)' },
  ]);
});

test('Security Lake (OCSF) records are refused as OCSF, with what to export instead, as JSON and as an Athena CSV', async () => {
  const ocsf = {
    metadata: { product: { version: '1.09', name: 'CloudTrail', vendor_name: 'AWS', feature: { name: 'Management' } }, uid: 'e0b7c1a2-0000-4000-8000-000000000001', profiles: ['cloud', 'datetime'], version: '1.1.0' },
    time: 1717358401000, cloud: { region: 'us-east-1', provider: 'AWS' }, api: { operation: 'StopLogging', service: { name: 'cloudtrail.amazonaws.com' } },
    actor: { user: { type: 'AssumedRole', uid: 'AROAQXAMPLE:pivot', credential_uid: 'ASIAQXAMPLEISSUED777', account: { uid: '444455556666' } } },
    src_endpoint: { ip: '185.220.101.45' }, class_name: 'API Activity', class_uid: 6003, category_uid: 6, activity_id: 3, type_uid: 600303, severity_id: 1, status: 'Success',
  };
  const { db, result, bad } = await importBeside((dir) => writeEvidence(dir, 'security-lake.json', JSON.stringify([ocsf, ocsf])));
  const reason = 'an OCSF record (Amazon Security Lake or another OCSF source): not imported, Crossline reads the providers\' own schemas; export the raw CloudTrail events instead (the trail\'s S3 delivery, CloudTrail Lake or lookup-events), or the provider\'s own audit log';
  assert.deepEqual(problemsOf(result, bad), [{ position: 'line 1, record 1', reason }, { position: 'line 1, record 2', reason }]);
  assert.equal(sourceEndingWith(db, 'security-lake.json').format, 'ocsf:array');

  const csv = await importBeside((dir) => writeEvidence(dir, 'athena-ocsf.csv', 'metadata,time,cloud,api,actor,class_uid,class_name\n"{product={name=CloudTrail}}",1717358401000,"{region=us-east-1}","{operation=StopLogging}","{}",6003,API Activity\n'));
  assert.deepEqual(problemsOf(csv.result, csv.bad), [{ position: null, reason: `unsupported CSV: ${reason}` }]);
});

test('an Event Hubs Capture Avro file is refused naming Avro and what to export instead', async () => {
  const avro = Buffer.concat([Buffer.from('Obj\x01', 'latin1'), Buffer.from([0x04, 0x14]), Buffer.from('avro.codec\x0cdeflate\x16avro.schema', 'latin1'), Buffer.alloc(64)]);
  const { result, bad } = await importBeside((dir) => writeEvidence(dir, 'capture/acme-ns/activity/0/2024/06/02/20/00/00.avro', avro));
  assert.deepEqual(problemsOf(result, bad), [{
    position: null,
    reason: 'unsupported format: an Avro container (what Event Hubs Capture writes, the log records in its Body field), not a JSON, JSON lines or CSV log export: export the logs as JSON instead (diagnostic settings to a storage account, az monitor activity-log list, Microsoft Graph or the Entra admin center for sign-ins)',
  }]);
});

test('the Entra admin center\'s AuthDetails companion CSV is skipped as a file without events, not counted as an error', async () => {
  const authDetails = '\ufeffRequest ID,Authentication Method,Authentication Method Detail,Succeeded,Result detail,Authentication step date (UTC),Requirement\r\n'
    + '66666666-aaaa-bbbb-cccc-000000000001,Password,Password in the cloud,true,Correct password,2024-06-02T20:15:29Z,Primary authentication\r\n';
  const { db, result, bad } = await importBeside((dir) => writeEvidence(dir, 'portal/InteractiveSignIns_AuthDetails_2024-06-01_2024-06-03.csv', authDetails));
  assert.deepEqual(problemsOf(result, bad), []);
  assert.equal(result.stats.errors, 0);
  const source = sourceEndingWith(db, 'InteractiveSignIns_AuthDetails_2024-06-01_2024-06-03.csv');
  assert.deepEqual([source.format, source.events, source.skipped, source.errors], ['entra-signin-auth-details:csv', 0, 1, 0]);
});

test('an empty page is said to be one (a skipped file, not an error); among other files the import does not fail', async () => {
  const pages: [string, string, string][] = [
    ['lookup-events.json', '{"Events": [], "NextToken": "eyJuZXh0VG9rZW4iOiBudWxsfQ=="}', 'no events in this file (an empty page of aws cloudtrail lookup-events output, "Events": []); nothing to import'],
    ['graph-signins.json', '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[]}', 'no events in this file (an empty page of a Microsoft Graph or Azure REST response, "value": []); nothing to import'],
    ['entries-list.json', '{"entries":[],"nextPageToken":"EAA46o"}', 'no events in this file (an empty page of a Cloud Logging entries.list response, "entries": []); nothing to import'],
    ['filter-log-events.json', '{\n    "events": [],\n    "searchedLogStreams": [],\n    "nextToken": "Bxkq6"\n}\n', 'no events in this file (an empty page of aws logs filter-log-events / get-log-events output, "events": []); nothing to import'],
    ['query.json', '[]', 'no events in this file (an empty page of a JSON array, []); nothing to import'],
  ];
  const dir = tempDir();
  writeEvidence(dir, 'good/events.jsonl', jsonLines([cloudTrailRecord()]));
  const files = pages.map(([name, text]) => writeEvidence(dir, `pages/${name}`, text));

  const { db, result } = await importInto([dir]);

  assert.equal(result.status, 'complete');
  assert.equal(result.stats.errors, 0, 'an empty page is no error');
  assert.equal(result.stats.skipped, pages.length);
  assert.equal(result.stats.events, 1);
  pages.forEach(([name, , note], i) => {
    assert.deepEqual(problemsOf(result, files[i]!), [{ position: null, reason: note }], name);
    assert.equal(problemKind(note), 'note', 'neither damaged input nor records left out');
    const source = sourceEndingWith(db, name);
    assert.deepEqual([source.events, source.skipped, source.errors], [0, 1, 0], name);
  });
  assert.equal(sourceEndingWith(db, 'lookup-events.json').format, 'empty:events');

  // Alone, the page is still the one reason the import brought nothing.
  const alone = await importInto([files[0]!]);
  assert.deepEqual(alone.result.problems.map((p) => [p.file, p.reason]), [[files[0], pages[0]![2]]]);
});

test('trailing NUL padding after valid JSON is named with its size; the records before it are kept', async () => {
  const records = [cloudTrailRecord(), assumeRoleRecord()];
  const { db, result, bad } = await importBeside((dir) => writeEvidence(dir, 'carved.json', Buffer.concat([Buffer.from(JSON.stringify({ Records: records }, null, 2) + '\n'), Buffer.alloc(4096)])));
  assert.deepEqual(problemsOf(result, bad), [{ position: null, reason: 'trailing NUL padding (4096 bytes) after the last record (a preallocated or carved file); the records before it were kept' }]);
  assert.equal(storedEvents(db).filter((e) => e.source_path === bad).length, 2);

  // Padding between JSON lines (a log appended to a preallocated file) is named where it starts; both sides import.
  const lines = await importBeside((dir) => writeEvidence(dir, 'gap.jsonl', Buffer.concat([Buffer.from(jsonLines([records[0]])), Buffer.alloc(100), Buffer.from(jsonLines([records[1]]))])));
  assert.deepEqual(problemsOf(lines.result, lines.bad), [{ position: 'line 2, record 2', reason: 'NUL padding (100 bytes) between records (a preallocated or carved file); skipped' }]);
  assert.equal(storedEvents(lines.db).filter((e) => e.source_path === lines.bad).length, 2);

  const wiped = await importBeside((dir) => writeEvidence(dir, 'wiped.json', Buffer.alloc(8192)));
  assert.deepEqual(problemsOf(wiped.result, wiped.bad), [{ position: null, reason: 'unsupported format: only NUL bytes (a preallocated, wiped or sparse file): no log data' }]);
});
