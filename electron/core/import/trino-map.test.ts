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

test('map values with commas of their own (STS expiration) stay one value; a `, ` before `key=` still separates', () => {
  assert.deepEqual(
    parseTrinoValue('{credentials={accessKeyId=ASIAEXAMPLEISSUED01, sessionToken=IQoJb3JpZ2luX2VjE, expiration=Jul 18, 2023, 4:07:39 PM}, assumedRoleUser={assumedRoleId=AROAROLEID:vendor-sess, arn=arn:aws:sts::111122223333:assumed-role/VendorAccess/vendor-sess}}'),
    {
      credentials: { accessKeyId: 'ASIAEXAMPLEISSUED01', sessionToken: 'IQoJb3JpZ2luX2VjE', expiration: 'Jul 18, 2023, 4:07:39 PM' },
      assumedRoleUser: { assumedRoleId: 'AROAROLEID:vendor-sess', arn: 'arn:aws:sts::111122223333:assumed-role/VendorAccess/vendor-sess' },
    },
  );
  assert.deepEqual(parseTrinoValue('{description=Allows EC2, Lambda and ECS, roleName=app, x-amz-id=1}'), { description: 'Allows EC2, Lambda and ECS', roleName: 'app', 'x-amz-id': '1' });
  // Lists keep separating on every `, `: their elements are not key=value.
  assert.deepEqual(parseTrinoValue('{regions=[us-east-1, eu-west-1], n=2}'), { regions: ['us-east-1', 'eu-west-1'], n: '2' });
});

test('a get-query-results JSON row (every cell a string) normalizes like its CSV row', () => {
  const row = {
    eventID: 'e-9', eventTime: '2024-05-02 10:15:30.000', eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', sourceIPAddress: '185.220.101.45',
    recipientAccountId: '111122223333', readOnly: 'true',
    userIdentity: '{type=AWSAccount, principalid=AROAEXAMPLEID:vendor-sess, arn=null, accountid=999988887777, accesskeyid=ASIAEXAMPLEVENDOR01, username=null, sessioncontext=null}',
    requestParameters: '{roleArn=arn:aws:iam::111122223333:role/VendorAccess, roleSessionName=vendor-sess}',
    responseElements: '{credentials={accessKeyId=ASIAEXAMPLEISSUED01, sessionToken=x, expiration=May 2, 2024, 11:15:30 AM}, assumedRoleUser={assumedRoleId=AROAROLEID:vendor-sess, arn=arn:aws:sts::111122223333:assumed-role/VendorAccess/vendor-sess}}',
  };
  const result = normalizeCloudTrail(row);
  assert.ok(result.ok);
  assert.equal(result.event.principalType, 'AWSAccount');
  assert.equal(result.event.principalId, 'AROAEXAMPLEID:vendor-sess');
  assert.equal(result.event.principalName, null);
  assert.equal(result.event.principalAccount, '999988887777');
  assert.equal(result.event.credentialId, 'ASIAEXAMPLEVENDOR01');
  assert.equal(result.event.issuedCredentialId, 'ASIAEXAMPLEISSUED01');
  assert.equal(result.event.issuedPrincipal, 'arn:aws:sts::111122223333:assumed-role/VendorAccess/vendor-sess');
  assert.equal(result.event.targetResource, 'arn:aws:iam::111122223333:role/VendorAccess');
  // JSON text cells (map values Lake printed as JSON) read the same.
  const json = normalizeCloudTrail({ ...row, userIdentity: '{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","accountId":"111122223333","accessKeyId":"ASIAJSON"}' });
  assert.ok(json.ok);
  assert.equal(json.event.credentialId, 'ASIAJSON');
});
