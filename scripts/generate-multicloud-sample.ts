/**
 * Writes the multi-cloud training sample: Globex's Azure tenant (Entra ID sign-ins as Microsoft Graph pages them,
 * Azure Activity as the REST API pages it) and its GCP project (Cloud Audit Logs as `gcloud logging read
 * --format=json` prints them): two weeks of everyday activity each, three planted AN1348 chains, and the ground
 * truth beside the folder. Built with the scenario builders the correlator's Azure and GCP tests use.
 *
 *   tsx scripts/generate-multicloud-sample.ts [--out resources/samples/globex-multicloud]
 *
 * Nothing depends on the clock: re-running reproduces every file byte for byte.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AZ, AzureScenario, azAt, type Identity } from '../test/support/azure-scenario';
import { GCP, GcpScenario } from '../test/support/gcp-scenario';
import { IPS } from '../test/support/cloudtrail-scenario';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'resources/samples/globex-multicloud' } } });
const out = resolve(values.out!);
const { MIN, HOUR, DAY } = azAt;

const mallory: Identity = { oid: 'e0e00000-0000-4000-8000-00000000000a', upn: 'mallory@attacker.example', name: 'Mallory', home: AZ.attacker, kind: 'user' };
const eve: Identity = { oid: 'e0e00000-0000-4000-8000-00000000000b', upn: 'eve@attacker.example', name: 'Eve', home: AZ.attacker, kind: 'guest' };
const EVIL_SA = 'runner@evil-corp-prod.iam.gserviceaccount.com';
const SUB = `/subscriptions/${AZ.subscription}`;

interface Planted { provider: 'azure' | 'gcp'; entryEventId: string; what: string }
const planted: Planted[] = [];

// Azure 1: a service provider's user from a tenant never seen signs in, assigns a role and lists storage keys.
const azure = new AzureScenario().baseline();
{
  const t = azure.t0 + HOUR;
  const signIn = azure.signIn({ at: t, who: mallory, ip: IPS.torDe, crossTenantAccessType: 'serviceProvider' });
  azure.call({ at: t + 2 * MIN, token: signIn.token, op: 'Microsoft.Compute/virtualMachines/read' });
  azure.call({ at: t + 4 * MIN, token: signIn.token, op: 'Microsoft.Authorization/roleAssignments/write', resource: `${SUB}/providers/Microsoft.Authorization/roleAssignments/0f8fad5b-d9cb-469f-a165-70867728950e` });
  azure.call({ at: t + 6 * MIN, token: signIn.token, op: 'Microsoft.Storage/storageAccounts/listKeys/action' });
  planted.push({ provider: 'azure', entryEventId: signIn.id, what: 'service-provider sign-in from a tenant never seen, then a role assignment and storage account keys' });
}
// Azure 2: a B2B guest turns off diagnostic settings, then its refreshed token (same sign-in session) runs a command on a VM.
{
  const t = azure.t0 + DAY + 3 * HOUR;
  const first = azure.signIn({ at: t, who: eve, ip: IPS.volumeNl });
  azure.call({ at: t + 3 * MIN, token: first.token, op: 'Microsoft.Insights/diagnosticSettings/delete', resource: `${SUB}/providers/microsoft.insights/diagnosticSettings/to-sentinel` });
  const refresh = azure.signIn({ at: t + 20 * MIN, who: eve, ip: IPS.volumeNl, kind: 'nonInteractive', sessionId: first.token.sessionId! });
  azure.call({ at: t + 24 * MIN, token: refresh.token, op: 'Microsoft.Compute/virtualMachines/runCommand/action' });
  planted.push({ provider: 'azure', entryEventId: first.id, what: 'B2B guest blinds the SIEM feed, then its refreshed token runs a command on a VM' });
}

// GCP: another organisation's service account impersonates the deployer, grants itself owner and mints a key.
const gcp = new GcpScenario().baseline();
{
  const t = gcp.t0 + 2 * HOUR;
  const mint = gcp.impersonate({ at: t, caller: EVIL_SA, sa: GCP.deployer, ip: IPS.volumeNl });
  gcp.read({ at: t + MIN, principal: GCP.deployer, delegatedBy: EVIL_SA, ip: IPS.volumeNl });
  gcp.setIamPolicy({ at: t + 3 * MIN, principal: GCP.deployer, delegatedBy: EVIL_SA, ip: IPS.volumeNl, member: `serviceAccount:${EVIL_SA}`, role: 'roles/owner' });
  gcp.createKey({ at: t + 5 * MIN, principal: GCP.deployer, delegatedBy: EVIL_SA, ip: IPS.volumeNl, sa: GCP.deployer });
  planted.push({ provider: 'gcp', entryEventId: mint.insertId, what: "another organisation's service account impersonates the deployer, sets IAM policy and creates a key" });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'azure'), { recursive: true });
mkdirSync(join(out, 'gcp'), { recursive: true });
writeFileSync(join(out, 'azure', 'entra-signins.json'), JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', value: azure.signIns }, null, 1));
writeFileSync(join(out, 'azure', 'azure-activity.json'), JSON.stringify({ value: azure.activity }, null, 1));
writeFileSync(join(out, 'gcp', 'gcp-audit.json'), JSON.stringify(gcp.entries, null, 1));
writeFileSync(`${out}.truth.json`, `${JSON.stringify({
  generator: 'scripts/generate-multicloud-sample.ts',
  tenant: AZ.tenant, subscription: AZ.subscription, project: GCP.project,
  events: { entraSignIns: azure.signIns.length, azureActivity: azure.activity.length, gcpAudit: gcp.entries.length },
  chains: planted,
}, null, 2)}\n`);
process.stderr.write(`wrote ${out}: ${azure.signIns.length} sign-ins, ${azure.activity.length} Activity records, ${gcp.entries.length} GCP audit entries, ${planted.length} planted chains\n`);
