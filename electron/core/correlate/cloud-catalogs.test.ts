import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CatalogError, loadPrivilegedCatalog, loadPrivilegedCatalogs, parsePrivilegedCatalog } from './catalog';

const catalogs = loadPrivilegedCatalogs();

test('the Azure and GCP catalogs load beside AWS’s, with the same categories and ATT&CK style', () => {
  const aws = catalogs.aws;
  for (const provider of ['azure', 'gcp'] as const) {
    const c = catalogs[provider];
    assert.match(c.file.replace(/\\/g, '/'), new RegExp(`resources/catalog/${provider}-privileged\\.json$`));
    assert.equal(c.provider, provider);
    assert.ok(Object.keys(c.actions).length >= 60, `${provider}: ${Object.keys(c.actions).length} actions`);
    assert.deepEqual(Object.keys(c.categories), Object.keys(aws.categories));
    for (const [id, cat] of Object.entries(c.categories)) assert.equal(cat.weight, aws.categories[id]!.weight, `${provider} ${id}`);
    for (const [id, a] of Object.entries(c.actions)) {
      const [service, action] = provider === 'azure' && !id.includes(':') ? [null, id] : [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
      assert.equal(c.classify(service, action)?.action, id, `${id} classifies as itself`);
      for (const t of c.classify(service, action)!.attack) assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
    }
  }
  assert.equal(loadPrivilegedCatalog().provider, 'aws', 'without a provider the loader still reads AWS’s');
});

test('Azure: operation names compared case-insensitively; resource-log operations by namespace; reads are context', () => {
  const az = catalogs.azure;
  assert.equal(az.classify('MICROSOFT.AUTHORIZATION', 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE')?.action, 'Microsoft.Authorization/roleAssignments/write');
  assert.equal(az.classify('Microsoft.Authorization', 'Microsoft.Authorization/roleAssignments/write')?.category, 'permission-escalation');
  assert.equal(az.classify(null, 'microsoft.storage/storageaccounts/listkeys/action')?.category, 'data-exposure');
  assert.equal(az.classify('Microsoft.Compute', 'Microsoft.Compute/virtualMachines/runCommand/action')?.attack[0]?.id, 'T1651');
  assert.equal(az.classify('Microsoft.Insights', 'Microsoft.Insights/diagnosticSettings/delete')?.category, 'defense-evasion');
  assert.equal(az.classify('Microsoft.ManagedIdentity', 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write')?.category, 'credential-minting');
  assert.equal(az.classify('Microsoft.ManagedServices', 'Microsoft.ManagedServices/registrationAssignments/write')?.attack[0]?.id, 'T1484.002');
  assert.equal(az.classify('Microsoft.Compute', 'Microsoft.Compute/snapshots/beginGetAccess/action')?.category, 'data-exposure');
  assert.equal(az.classify('MICROSOFT.KEYVAULT', 'SecretGet')?.action, 'Microsoft.KeyVault:SecretGet');
  assert.equal(az.classify('Microsoft.KeyVault', 'Microsoft.KeyVault/vaults/secrets/read')?.category, 'data-exposure', 'listed, so it wins over */read');
  assert.equal(az.classify('Microsoft.Compute', 'Microsoft.Compute/virtualMachines/read'), null);
  assert.equal(az.isContextOnly('Microsoft.Compute', 'Microsoft.Compute/virtualMachines/read'), true);
  assert.equal(az.classify('Microsoft.aadiam', 'SignIn'), null);
});

test('GCP: methods match by their last dotted parts, within the service', () => {
  const g = catalogs.gcp;
  assert.equal(g.classify('iam.googleapis.com', 'google.iam.admin.v1.CreateServiceAccountKey')?.action, 'iam:CreateServiceAccountKey');
  assert.equal(g.classify('cloudresourcemanager.googleapis.com', 'SetIamPolicy')?.category, 'permission-escalation');
  assert.equal(g.classify('cloudresourcemanager.googleapis.com', 'google.cloud.resourcemanager.v3.Projects.SetIamPolicy')?.action, 'cloudresourcemanager:SetIamPolicy');
  assert.equal(g.classify('iam.googleapis.com', 'google.iam.admin.v1.SetIAMPolicy')?.action, 'iam:SetIAMPolicy');
  assert.equal(g.classify('compute.googleapis.com', 'v1.compute.projects.setCommonInstanceMetadata')?.category, 'credential-minting');
  assert.equal(g.classify('compute.googleapis.com', 'beta.compute.firewalls.insert')?.attack[0]?.id, 'T1562.007');
  assert.equal(g.classify('logging.googleapis.com', 'google.logging.v2.ConfigServiceV2.DeleteSink')?.weight, 40);
  assert.equal(g.classify('secretmanager.googleapis.com', 'google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion')?.category, 'data-exposure');
  assert.equal(g.classify('storage.googleapis.com', 'storage.setIamPermissions')?.category, 'data-exposure');
  assert.equal(g.classify('orgpolicy.googleapis.com', 'google.cloud.orgpolicy.v2.OrgPolicy.UpdatePolicy')?.category, 'defense-evasion');
  // The service must match: a SetIamPolicy elsewhere is not the project's.
  assert.equal(g.classify('pubsub.googleapis.com', 'google.pubsub.v1.Publisher.SetIamPolicy'), null);
  assert.equal(g.classify('iamcredentials.googleapis.com', 'GenerateAccessToken'), null);
  assert.equal(g.isContextOnly('iamcredentials.googleapis.com', 'GenerateAccessToken'), true);
  assert.equal(g.isContextOnly('compute.googleapis.com', 'v1.compute.instances.list'), true);
  assert.equal(g.classify(null, 'v1.compute.instances.setMetadata')?.action, 'compute:instances.setMetadata');
});

test('a catalog names its provider; keys are checked with that provider’s syntax', () => {
  const azure = JSON.parse(readFileSync(catalogs.azure.file, 'utf8'));
  const bad = (mutate: (c: any) => void, ...fragments: string[]) => {
    const copy = structuredClone(azure);
    mutate(copy);
    assert.throws(() => parsePrivilegedCatalog(copy, 'a.json'), (e: unknown) => e instanceof CatalogError && fragments.every((f) => e.message.includes(f)));
  };
  bad((c) => (c.catalog = 'aws-privileged'), 'catalog', 'expected "azure-privileged"');
  bad((c) => (c.actions['roleAssignments/write'] = { category: 'impact' }), 'actions["roleAssignments/write"]', 'Azure action ids are operation names');
  bad((c) => (c.actions['MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE'] = { category: 'impact' }), 'duplicates "Microsoft.Authorization/roleAssignments/write"');
  bad((c) => c.contextOnly.push('Microsoft.Authorization/roleAssignments/write'), 'also listed as privileged');
  assert.throws(() => parsePrivilegedCatalog(azure, 'a.json', 'gcp'), /expected "gcp-privileged"/);
});
