// A case built from the CloudTrail console's Event history CSV can have no findings whatever happened: the download
// has no account ids, request parameters or response elements, so a role assumption in it cannot start a chain. The
// coverage warnings say so, where the analyst reads "findings: none", instead of letting it pass for a clean case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumeRoleRecord, cloudTrailRecord, consoleCsv, recordsEnvelope, s3LogKey, tempDir, writeEvidence } from '../support/evidence-fixtures';
import { analyseWritten } from '../support/analyse-evidence';

test('console Event history CSV evidence gets a coverage warning naming its events and what to download instead', async () => {
  const dir = tempDir();
  const records = [assumeRoleRecord(), cloudTrailRecord({ eventName: 'StopLogging' }), cloudTrailRecord({ eventName: 'CreateAccessKey' })];
  writeEvidence(dir, 'evidence/event_history.csv', consoleCsv(records).text);
  writeEvidence(dir, 'evidence/second/event_history.csv', consoleCsv([cloudTrailRecord()]).text);

  const { coverage, findings } = await analyseWritten(dir);

  assert.deepEqual(findings, []);
  const thin = coverage.filter((w) => w.kind === 'thin-export');
  assert.equal(thin.length, 1, JSON.stringify(coverage));
  assert.equal(thin[0]!.scope, 'provider:aws');
  assert.match(thin[0]!.message, /^4 events in 2 files come from the CloudTrail console's Event history CSV download, which has no account ids, request parameters or response elements: a role assumption in it names no role, account or issued key, so it cannot start a finding/);
  assert.match(thin[0]!.message, /Download the same events as JSON \(the console's JSON download or aws cloudtrail lookup-events\), or import the trail's S3 logs\.$/);
});

test('the same events as S3 logs get no such warning', async () => {
  const dir = tempDir();
  writeEvidence(dir, `evidence/${s3LogKey()}`, recordsEnvelope([assumeRoleRecord(), cloudTrailRecord()]));

  const { coverage } = await analyseWritten(dir);

  assert.deepEqual(coverage.filter((w) => w.kind === 'thin-export'), []);
});
