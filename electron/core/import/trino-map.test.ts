import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrinoValue } from './trino-map';
import { csvRowToRecord, isCloudTrailCsvHeader } from './csv-row';
import { normalizeCloudTrail } from './cloudtrail/normalize-cloudtrail';

test('reads Lake struct cells, nested maps, lists and embedded JSON', () => {
  assert.deepEqual(parseTrinoValue('{type=AssumedRole, arn=arn:aws:sts::111122223333:assumed-role/r/s, sessioncontext={attributes={mfaauthenticated=false}}}'), {
    type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/r/s', sessioncontext: { attributes: { mfaauthenticated: 'false' } },
  });
  assert.deepEqual(parseTrinoValue('{policyDocument={"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}, roleName=x}'), {
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] }, roleName: 'x',
  });
  assert.deepEqual(parseTrinoValue('[{accountid=1, type=AWS::IAM::Role}]'), [{ accountid: '1', type: 'AWS::IAM::Role' }]);
  assert.equal(parseTrinoValue('{broken'), '{broken');
});

test('a CloudTrail Lake CSV row becomes a normalized event', () => {
  const row = {
    eventid: 'e-1', eventtime: '2024-03-21 10:00:00.000', eventname: 'AssumeRole', eventsource: 'sts.amazonaws.com',
    sourceipaddress: '81.2.69.142', awsregion: 'us-east-1', recipientaccountid: '111122223333', readonly: 'false',
    useridentity: '{type=AWSAccount, principalid=AIDAEXAMPLE, accountid=444455556666}',
    responseelements: '{credentials={accessKeyId=ASIAEXAMPLE, sessionToken=x}, assumedRoleUser={arn=arn:aws:sts::111122223333:assumed-role/r/s}}',
  };
  assert.ok(isCloudTrailCsvHeader(Object.keys(row)));
  const result = normalizeCloudTrail(csvRowToRecord(row));
  assert.ok(result.ok);
  assert.equal(result.event.nativeId, 'e-1');
  assert.equal(result.event.timeMs, Date.UTC(2024, 2, 21, 10));
  assert.equal(result.event.principalAccount, '444455556666');
  assert.equal(result.event.issuedCredentialId, 'ASIAEXAMPLE');
  assert.equal(result.event.readOnly, false);
});

test('a console Event history CSV row maps its Title Case columns', () => {
  const row = { 'Event ID': 'e-2', 'Event time': '2024-03-21T10:00:00Z', 'User name': 'alice', 'Event name': 'CreateUser', 'Event source': 'iam.amazonaws.com', 'AWS access key': 'AKIAX', 'Source IP address': '81.2.69.142', 'AWS region': 'us-east-1', 'Error code': '', 'Read only': 'false' };
  const result = normalizeCloudTrail(csvRowToRecord(row));
  assert.ok(result.ok);
  assert.equal(result.event.principalName, 'alice');
  assert.equal(result.event.credentialId, 'AKIAX');
  assert.equal(result.event.sourceIp, '81.2.69.142');
  assert.equal(result.event.outcome, 'success');
});
