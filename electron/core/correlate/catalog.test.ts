import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CatalogError,
  loadKnownAccounts,
  loadPrivilegedCatalog,
  normaliseAccountId,
  parseKnownAccounts,
  parsePrivilegedCatalog,
  serviceShortName,
} from './catalog';

const catalog = loadPrivilegedCatalog();
const shipped = JSON.parse(readFileSync(catalog.file, 'utf8')) as Record<string, unknown>;

/** A copy of the shipped catalog with `mutate` applied, for the failure cases. */
function variant(mutate: (c: any) => void): unknown {
  const copy = structuredClone(shipped) as any;
  mutate(copy);
  return copy;
}

function rejects(data: unknown, ...fragments: (string | RegExp)[]): void {
  assert.throws(
    () => parsePrivilegedCatalog(data, '/cases/bad-catalog.json'),
    (err: unknown) => {
      assert.ok(err instanceof CatalogError, `expected CatalogError, got ${String(err)}`);
      assert.match(err.message, /^\/cases\/bad-catalog\.json: /);
      for (const f of fragments) typeof f === 'string' ? assert.ok(err.message.includes(f), `"${err.message}" lacks "${f}"`) : assert.match(err.message, f);
      return true;
    },
  );
}

test('the shipped catalog loads from the repo root by default and carries its version', () => {
  assert.match(catalog.file.replace(/\\/g, '/'), /resources\/catalog\/aws-privileged\.json$/);
  assert.equal(catalog.version, '2026.11.1');
  assert.equal(catalog.provider, 'aws');
  assert.ok(Object.keys(catalog.actions).length >= 100);
  for (const id of ['credential-minting', 'permission-escalation', 'defense-evasion', 'data-exposure', 'execution-and-lateral-movement', 'persistence', 'impact']) {
    assert.ok(catalog.categories[id], `category ${id}`);
  }
});

test('classify: the four headline calls land in the right category with ATT&CK techniques', () => {
  const key = catalog.classify('iam.amazonaws.com', 'CreateAccessKey');
  assert.equal(key?.category, 'credential-minting');
  assert.equal(key?.title, 'Credential minting');
  assert.deepEqual(key?.attack.map((t) => t.id), ['T1098.001']);
  assert.equal(key?.action, 'iam:CreateAccessKey');

  const stop = catalog.classify('cloudtrail.amazonaws.com', 'StopLogging');
  assert.equal(stop?.category, 'defense-evasion');
  assert.equal(stop?.weight, 40);
  assert.deepEqual(stop?.attack, [{ id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs' }]);

  const policy = catalog.classify('s3.amazonaws.com', 'PutBucketPolicy');
  assert.equal(policy?.category, 'data-exposure');
  assert.ok(policy?.attack.some((t) => t.id === 'T1530'));

  const secret = catalog.classify('secretsmanager.amazonaws.com', 'GetSecretValue');
  assert.equal(secret?.category, 'data-exposure');
  assert.deepEqual(secret?.attack.map((t) => t.id), ['T1555.006']);
});

test('classify: defense evasion and credential minting weigh the most', () => {
  const top = (cat: string) => catalog.categories[cat]!.weight;
  const others = ['permission-escalation', 'data-exposure', 'execution-and-lateral-movement', 'persistence', 'impact'].map(top);
  assert.ok(top('defense-evasion') >= Math.max(...others));
  assert.ok(top('credential-minting') >= Math.max(...others));
  assert.ok(catalog.classify('iam', 'CreateAccessKey')!.weight > catalog.classify('ec2', 'RunInstances')!.weight);
});

test('classify: read-only and context calls, and unknown calls, are null', () => {
  for (const [svc, name] of [
    ['ec2.amazonaws.com', 'DescribeInstances'],
    ['iam.amazonaws.com', 'ListRoles'],
    ['s3.amazonaws.com', 'ListBuckets'],
    ['sts.amazonaws.com', 'GetCallerIdentity'],
    ['iam.amazonaws.com', 'GetAccountAuthorizationDetails'],
    ['sts.amazonaws.com', 'AssumeRole'],
    ['kms.amazonaws.com', 'Decrypt'],
    ['s3.amazonaws.com', 'NoSuchCall'],
  ] as const) {
    assert.equal(catalog.classify(svc, name), null, `${svc} ${name}`);
  }
  assert.equal(catalog.classify(null, 'DescribeInstances'), null);
  assert.equal(catalog.classify('iam.amazonaws.com', ''), null);
  assert.equal(catalog.isContextOnly('ec2.amazonaws.com', 'DescribeInstances'), true);
  assert.equal(catalog.isContextOnly('sts.amazonaws.com', 'GetCallerIdentity'), true);
  assert.equal(catalog.isContextOnly('sts.amazonaws.com', 'AssumeRole'), true);
  // Listed actions win over the Get* pattern.
  assert.equal(catalog.isContextOnly('secretsmanager.amazonaws.com', 'GetSecretValue'), false);
  assert.equal(catalog.isContextOnly('iam.amazonaws.com', 'CreateAccessKey'), false);
});

test('classify: the service must match; a null service falls back to the event name', () => {
  assert.equal(catalog.classify('ec2.amazonaws.com', 'StopLogging'), null);
  assert.equal(catalog.classify('iam', 'StopLogging'), null);
  assert.equal(catalog.classify(null, 'StopLogging')?.action, 'cloudtrail:StopLogging');
  assert.equal(catalog.classify(null, 'CreateAccessKey')?.category, 'credential-minting');
  // CreateUser is listed under iam and identitystore: the heavier entry wins, deterministically.
  assert.equal(catalog.classify(null, 'CreateUser')?.action, 'iam:CreateUser');
});

test('classify: short service names, China partition, case and API-version suffixes are tolerated', () => {
  assert.equal(catalog.classify('iam', 'CreateAccessKey')?.action, 'iam:CreateAccessKey');
  assert.equal(catalog.classify('IAM.amazonaws.com', 'createaccesskey')?.action, 'iam:CreateAccessKey');
  assert.equal(catalog.classify('cloudtrail.amazonaws.com.cn', 'StopLogging')?.action, 'cloudtrail:StopLogging');
  assert.equal(catalog.classify('lambda.amazonaws.com', 'CreateFunction20150331')?.action, 'lambda:CreateFunction');
  assert.equal(catalog.classify('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2')?.action, 'lambda:UpdateFunctionCode');
  assert.equal(catalog.classify('lambda.amazonaws.com', 'AddPermission20150331v2')?.category, 'persistence');
  assert.equal(catalog.classify('ec2-instance-connect.amazonaws.com', 'SendSSHPublicKey')?.category, 'execution-and-lateral-movement');
  assert.equal(serviceShortName('ssm.amazonaws.com'), 'ssm');
  assert.equal(serviceShortName(''), null);
});

test('classify: an action weight overrides its category weight', () => {
  const grant = catalog.classify('kms.amazonaws.com', 'CreateGrant')!;
  assert.equal(grant.category, 'data-exposure');
  assert.equal(grant.weight, 10);
  assert.ok(grant.weight < catalog.categories['data-exposure']!.weight);
});

test('every shipped action names a defined category, a sane weight and valid ATT&CK ids', () => {
  for (const [id, a] of Object.entries(catalog.actions)) {
    assert.match(id, /^[a-z0-9-]+:[A-Za-z0-9]+$/);
    assert.ok(catalog.categories[a.category], `${id} → ${a.category}`);
    const c = catalog.classify(id.split(':')[0]!, id.split(':')[1]!);
    assert.equal(c?.action, id, `${id} classifies as itself`);
    assert.ok(c.weight >= 1 && c.weight <= 40);
    for (const t of c.attack) assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
  }
});

test('invalid catalogs fail with an error naming the file and the entry', () => {
  rejects(
    variant((c) => (c.actions['iam:CreateAccessKey'].category = 'credential-mining')),
    'actions["iam:CreateAccessKey"].category',
    '"credential-mining" is not a defined category',
  );
  rejects(variant((c) => (c.actions['iam:CreateAccessKey'].weight = '40')), 'actions["iam:CreateAccessKey"].weight', 'must be a number');
  rejects(variant((c) => (c.categories['impact'].weight = 400)), 'categories["impact"].weight', 'from 1 to 40');
  rejects(variant((c) => (c.actions['iam.amazonaws.com:CreateAccessKey'] = { category: 'credential-minting' })), 'actions["iam.amazonaws.com:CreateAccessKey"]', 'must match');
  rejects(variant((c) => (c.actions['iam:Create AccessKey'] = { category: 'credential-minting' })), 'actions["iam:Create AccessKey"]');
  rejects(variant((c) => (c.actions['iam:createaccesskey'] = { category: 'credential-minting' })), 'duplicates "iam:CreateAccessKey"');
  rejects(variant((c) => (c.actions['iam:CreateUser'].wieght = 10)), 'actions["iam:CreateUser"]', 'unknown field "wieght"');
  rejects(variant((c) => (c.categories['impact'].attack = [{ id: '1485', name: 'Data Destruction' }])), 'categories["impact"].attack[0].id');
  rejects(variant((c) => c.contextOnly.push('CreateAccessKey')), 'contextOnly[', 'also listed as privileged');
  rejects(variant((c) => delete c.categories), 'categories', 'must be an object');
  rejects(variant((c) => (c.catalog = 'gcp-privileged')), 'catalog', 'expected "aws-privileged"');
  rejects([], '(top level)');

  const dir = mkdtempSync(join(tmpdir(), 'crossline-catalog-'));
  try {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "catalog": "aws-privileged", ');
    assert.throws(() => loadPrivilegedCatalog(broken), (e: unknown) => e instanceof CatalogError && e.message.startsWith(`${broken}: is not valid JSON`));
    const missing = join(dir, 'missing.json');
    assert.throws(() => loadPrivilegedCatalog(missing), (e: unknown) => e instanceof CatalogError && e.message === `${missing}: cannot be read (ENOENT)`);
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify(variant((c) => (c.actions['iam:CreateAccessKey'].weight = 3))));
    assert.equal(loadPrivilegedCatalog(edited).classify('iam.amazonaws.com', 'CreateAccessKey')?.weight, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('known accounts: Datadog and AWS service accounts are recognised', () => {
  const known = loadKnownAccounts();
  assert.equal(known.vendorOf('464622532012'), 'Datadog');
  assert.equal(known.vendorOf('arn:aws:iam::464622532012:root'), 'Datadog');
  assert.equal(known.vendorOf(' 464622532012 '), 'Datadog');
  // A spreadsheet that dropped the leading zero of New Relic's 017663287629.
  assert.equal(known.vendorOf('17663287629'), 'New Relic');
  assert.deepEqual(known.lookup('475085895292'), { name: 'CloudTrail', type: 'aws' });
  assert.equal(known.lookup('464622532012')?.type, null);
  assert.equal(known.vendorOf('111122223333'), null);
  assert.equal(known.vendorOf('not-an-account'), null);
  assert.equal(known.source, 'https://github.com/fwdcloudsec/known_aws_accounts');
  assert.ok(known.licence.length > 0);
  assert.ok(known.version.length > 0);
  assert.ok(known.vendorCount >= 200, `vendors ${known.vendorCount}`);
  assert.ok(known.size >= 400, `accounts ${known.size}`);
});

test('known accounts: invalid lists name the bad vendor entry', () => {
  const base = { list: 'aws-known-accounts', version: 'x', source: 'https://example.test', licence: 'test', vendors: [{ name: 'A', accounts: ['123456789012'] }] };
  assert.equal(parseKnownAccounts(base, 'v.json').vendorOf('123456789012'), 'A');
  assert.throws(
    () => parseKnownAccounts({ ...base, vendors: [{ name: 'Acme', accounts: ['12345'] }] }, 'v.json'),
    (e: unknown) => e instanceof CatalogError && e.message === 'v.json: vendors[0] ("Acme").accounts[0]: "12345" is not a 12-digit AWS account ID',
  );
  assert.throws(() => parseKnownAccounts({ ...base, licence: undefined }, 'v.json'), /v\.json: licence: must be a non-empty string/);
  const shared = parseKnownAccounts({ ...base, vendors: [{ name: 'A', accounts: ['123456789012'] }, { name: 'B', accounts: ['123456789012'] }] }, 'v.json');
  assert.equal(shared.vendorOf('123456789012'), 'A / B');
  assert.equal(shared.size, 1);
  assert.equal(normaliseAccountId('arn:aws:sts::123456789012:assumed-role/x/y'), '123456789012');
});
