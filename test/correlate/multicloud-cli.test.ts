// One case with all three clouds through the real `crossline` command: an AWS, an Azure and a GCP chain come out with
// the same fields, and the coverage warnings are printed under the findings and carried in --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { AZ, AzureScenario, outsiders } from '../support/azure-scenario';
import { GCP, GcpScenario } from '../support/gcp-scenario';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'crossline.mjs');
const crossline = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const { MIN, HOUR } = at;

test('crossline analyze --json reports AWS, Azure and GCP chains with the same fields, and the coverage warnings', () => {
  const aws = new Scenario().baseline();
  const t = aws.t0 + HOUR;
  const entry = aws.assumeRole({ at: t, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/OrganizationAccountAccessRole`, sessionName: 'x', sourceIp: IPS.torDe });
  const awsKey = aws.call({ at: t + 4 * MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });

  // Azure, without non-interactive sign-ins in the export.
  const az = new AzureScenario(aws.t0).baseline(14, { nonInteractive: false });
  const { mallory } = outsiders;
  const signIn = az.signIn({ at: t + 10 * MIN, who: mallory, ip: IPS.volumeNl, crossTenantAccessType: 'b2bCollaboration' });
  const grant = az.call({ at: t + 14 * MIN, token: signIn.token, op: 'Microsoft.Authorization/roleAssignments/write' });
  const keys = az.call({ at: t + 16 * MIN, token: signIn.token, op: 'Microsoft.Storage/storageAccounts/listKeys/action' });

  // GCP, Admin Activity only.
  const gcp = new GcpScenario(aws.t0).baseline();
  const evil = 'runner@evil-corp-prod.iam.gserviceaccount.com';
  gcp.impersonate({ at: t + 20 * MIN, caller: evil, sa: GCP.deployer, ip: IPS.newGb });
  const iam = gcp.setIamPolicy({ at: t + 22 * MIN, principal: GCP.deployer, delegatedBy: evil, ip: IPS.newGb, member: `serviceAccount:${evil}`, role: 'roles/owner' });
  const saKey = gcp.createKey({ at: t + 24 * MIN, principal: GCP.deployer, delegatedBy: evil, ip: IPS.newGb, sa: GCP.deployer });

  const dir = aws.write();
  az.write(dir);
  gcp.write({ dataAccess: false }, dir);
  const caseFile = join(dir, 'case.crossline');
  try {
    const r = crossline('analyze', join(dir, 'evidence'), '--case', caseFile, '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['stats', 'findings', 'coverage', 'problems']);
    assert.equal(out.stats.errors, 0);
    const byProvider = (p: string) => out.findings.filter((f: any) => f.provider === p && (f.severity === 'critical' || f.severity === 'high'));
    const [a] = byProvider('aws');
    const [z] = byProvider('azure');
    const [g] = byProvider('gcp');
    assert.ok(a && z && g, JSON.stringify(out.findings.map((f: any) => [f.provider, f.severity, f.entry.kind])));
    assert.deepEqual(a.privilegedEventIds, [awsKey]);
    assert.equal(z.entry.eventId, signIn.id);
    assert.equal(z.entry.kind, 'cross-tenant-sign-in');
    assert.deepEqual(z.privilegedEventIds, [grant.done, keys.done]);
    assert.equal(g.entry.kind, 'delegated-calls');
    assert.equal(g.entry.eventId, iam);
    assert.deepEqual(g.privilegedEventIds, [iam, saKey]);
    // The same document shape for every cloud.
    for (const f of [z, g]) {
      assert.deepEqual(Object.keys(f), Object.keys(a));
      assert.deepEqual(Object.keys(f.entry), Object.keys(a.entry));
      assert.deepEqual(Object.keys(f.conditions), Object.keys(a.conditions));
      assert.ok(f.reasons.every((x: unknown) => typeof x === 'string'));
      assert.ok(f.evidence.every((x: any) => Array.isArray(x.eventIds)));
    }
    assert.equal(out.findings.filter((f: any) => f.severity === 'critical' || f.severity === 'high').length, 3, 'nothing else is high');

    const kinds = out.coverage.map((c: any) => c.kind);
    assert.ok(kinds.includes('gcp-no-data-access'), kinds.join(', '));
    assert.ok(kinds.includes('entra-no-noninteractive'), kinds.join(', '));
    for (const c of out.coverage) assert.deepEqual(Object.keys(c), ['kind', 'scope', 'message']);
    assert.ok(out.coverage.some((c: any) => c.kind === 'gcp-no-data-access' && c.scope === `project:${GCP.project}`));
    assert.ok(out.coverage.some((c: any) => c.kind === 'entra-no-noninteractive' && c.scope === `tenant:${AZ.tenant}`));

    // The text output shows them under the findings; `findings --json` reads the same from the case.
    const text = crossline('findings', caseFile);
    assert.equal(text.status, 0, text.stderr);
    const findingsAt = text.stdout.indexOf('findings:');
    const coverageAt = text.stdout.indexOf('coverage:');
    assert.ok(findingsAt >= 0 && coverageAt > findingsAt, 'coverage is printed under the findings');
    assert.match(text.stdout, /\[azure\] SignIn by e4d3c2b1-a098-4f7e-8d6c-5b4a39281706 → 6f1c3a2e-8b4d-4e7a-9c15-2d3e4f5a6b7c/);
    assert.match(text.stdout, /! \[gcp-no-data-access\] project:acme-prod: /);
    assert.match(text.stdout, /azure-privileged 2026\.11\.1, gcp-privileged 2026\.11\.2/);
    const again = JSON.parse(crossline('findings', caseFile, '--json').stdout);
    assert.deepEqual(again.coverage, out.coverage);
    assert.deepEqual(again.findings.map((f: any) => f.entry.eventId), out.findings.map((f: any) => f.entry.eventId));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
