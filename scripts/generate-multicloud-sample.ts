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
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AZ, AzureScenario, azAt, guestRefreshedToken, serviceProviderTakeover } from '../test/support/azure-scenario';
import { EVIL_SA, GCP, GcpScenario, foreignImpersonation } from '../test/support/gcp-scenario';
import { IPS } from '../test/support/cloudtrail-scenario';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'resources/samples/globex-multicloud' } } });
const out = resolve(values.out!);
const { HOUR, DAY } = azAt;

interface Planted { provider: 'azure' | 'gcp'; entryEventId: string; what: string }
const planted: Planted[] = [];

const azure = new AzureScenario().baseline();
const takeover = serviceProviderTakeover(azure, azure.t0 + HOUR);
planted.push({ provider: 'azure', entryEventId: takeover.signIn.id, what: 'service-provider sign-in from a tenant never seen, then a role assignment and storage account keys' });
const guest = guestRefreshedToken(azure, azure.t0 + DAY + 3 * HOUR);
planted.push({ provider: 'azure', entryEventId: guest.first.id, what: 'B2B guest blinds the SIEM feed, then its refreshed token runs a command on a VM' });

// GCP: another organisation's service account impersonates the deployer, grants itself owner and mints a key.
const gcp = new GcpScenario().baseline();
const impersonation = foreignImpersonation(gcp, EVIL_SA, IPS.volumeNl, gcp.t0 + 2 * HOUR);
planted.push({ provider: 'gcp', entryEventId: impersonation.mint.insertId, what: "another organisation's service account impersonates the deployer, sets IAM policy and creates a key" });

rmSync(out, { recursive: true, force: true });
azure.write(out, 'azure');
gcp.write({}, out, 'gcp');
writeFileSync(`${out}.truth.json`, `${JSON.stringify({
  generator: 'scripts/generate-multicloud-sample.ts',
  tenant: AZ.tenant, subscription: AZ.subscription, project: GCP.project,
  events: { entraSignIns: azure.signIns.length, azureActivity: azure.activity.length, gcpAudit: gcp.entries.length },
  chains: planted,
}, null, 2)}\n`);
process.stderr.write(`wrote ${out}: ${azure.signIns.length} sign-ins, ${azure.activity.length} Activity records, ${gcp.entries.length} GCP audit entries, ${planted.length} planted chains\n`);
