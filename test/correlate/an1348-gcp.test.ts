// AN1348 in GCP on constructed cases: service account impersonation from another organisation, workload identity
// federation through a new pool provider, impersonation seen only in the calls when Data Access logs are missing; and the
// near misses that must stay quiet. Native ids: GCP `insertId`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPS } from '../support/cloudtrail-scenario';
import { analyseWritten, type Analysis } from '../support/analyse-evidence';
import { EVIL_SA, GCP, GcpScenario, foreignImpersonation, gcpAt, githubPrincipal } from '../support/gcp-scenario';

const { MIN, HOUR } = gcpAt;

const analyse = (s: GcpScenario, o: { dataAccess?: boolean } = {}): Promise<Analysis> => analyseWritten(s.write(o));


test('another organisation’s service account impersonates the deployer, then SetIamPolicy and CreateServiceAccountKey: one critical chain', async () => {
  const s = new GcpScenario().baseline();
  const { mint, look, grant, key } = foreignImpersonation(s);
  const { findings, links } = await analyse(s);

  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  const f = findings[0]!;
  assert.equal(f.provider, 'gcp');
  assert.equal(f.entry.kind, 'service-account-impersonation');
  assert.equal(f.entry.eventId, mint.insertId);
  assert.equal(f.entry.action, 'GenerateAccessToken');
  assert.equal(f.entry.principal, EVIL_SA);
  assert.equal(f.entry.sourceAccount, 'evil-corp-prod');
  assert.equal(f.entry.targetAccount, GCP.project);
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.conditions, { entry: true, privileged: true, unfamiliar: true });
  assert.deepEqual(f.assumeEventIds, [mint.insertId]);
  assert.deepEqual(f.privilegedEventIds, [grant, key]);
  assert.deepEqual(f.eventIds, [mint.insertId, look, grant, key]);
  assert.deepEqual(f.privileged.map((p) => [p.action, p.category, p.offsetMs / MIN]), [
    ['SetIamPolicy', 'permission-escalation', 3],
    ['google.iam.admin.v1.CreateServiceAccountKey', 'credential-minting', 5],
  ]);
  for (const id of [look, grant, key]) assert.equal(links.get(id), 'credential', 'linked by <caller>><service account>');
  assert.match(f.reasons[0]!.text, /a service account of project evil-corp-prod, outside the organisation\) impersonated service account deployer@acme-prod/);
  assert.match(f.reasons.find((r) => r.condition === 'unfamiliar')!.text, /new to the caller's project; .*new to the service account; .*new to the organisation/);
  assert.ok(f.reasons.some((r) => r.condition === 'suppression' && /allowlisting project evil-corp-prod/.test(r.text)));
});

test('a user of a domain the organisation does not use impersonates the deployer: an entry by domain', async () => {
  const s = new GcpScenario().baseline();
  const { mint, grant, key } = foreignImpersonation(s, 'mallory@partner.example', IPS.torDe);
  const { findings } = await analyse(s);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.entry.eventId, mint.insertId);
  assert.equal(findings[0]!.entry.sourceAccount, 'partner.example');
  assert.deepEqual(findings[0]!.privilegedEventIds, [grant, key]);
  assert.match(findings[0]!.reasons[0]!.text, /a user of domain partner\.example, not one the organisation uses routinely/);
});

test('workload identity federation through a pool provider never used before, then impersonation and IAM changes', async () => {
  const s = new GcpScenario().baseline();
  const t = s.t0 + 2 * HOUR;
  const provider = 'projects/123456789012/locations/global/workloadIdentityPools/partner-pool/providers/partner-oidc';
  const mapped = 'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/partner-pool/subject/build-bot';
  const exchange = s.exchange({ at: t, provider, subject: 'build-bot', mapped, ip: IPS.volumeNl });
  const direct = s.read({ at: t + MIN, principal: mapped, ip: IPS.volumeNl });
  const hop = s.impersonate({ at: t + 2 * MIN, caller: mapped, sa: GCP.deployer, ip: IPS.volumeNl });
  const grant = s.setIamPolicy({ at: t + 4 * MIN, principal: GCP.deployer, delegatedBy: mapped, ip: IPS.volumeNl, member: 'principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/partner-pool/*', role: 'roles/editor' });
  const key = s.createKey({ at: t + 6 * MIN, principal: GCP.deployer, delegatedBy: mapped, ip: IPS.volumeNl, sa: GCP.deployer });
  const { findings, links } = await analyse(s);

  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  const f = findings[0]!;
  assert.equal(f.entry.kind, 'workload-identity-federation');
  assert.equal(f.entry.eventId, exchange);
  assert.equal(f.entry.principal, provider);
  assert.deepEqual(f.assumeEventIds, [exchange, hop.insertId]);
  assert.deepEqual(f.privilegedEventIds, [grant, key]);
  assert.deepEqual(f.eventIds, [exchange, direct, hop.insertId, grant, key]);
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  assert.equal(links.get(direct), 'principal', 'the federated principal’s own call: no token id, weaker');
  assert.equal(links.get(hop.insertId), 'principal');
  assert.equal(links.get(grant), 'credential', 'the impersonated token’s calls carry <principal>><service account>');
  assert.ok(f.reasons.some((r) => /^Impersonation chain: principal:\/\/.*partner-pool.* → deployer@acme-prod/.test(r.text)));
  assert.ok(f.reasons.some((r) => r.condition === 'suppression' && r.text.includes(`allowlisting identity provider ${provider}`)));
});

test('without Data Access logs the impersonation is found in the calls’ delegation chain, and the gap is a coverage warning', async () => {
  const s = new GcpScenario().baseline();
  const { grant, key } = foreignImpersonation(s);
  const { findings, coverage, links } = await analyse(s, { dataAccess: false });

  assert.equal(findings.length, 1, 'CI and GitHub Actions, seen only in their delegated calls too, are routine');
  const f = findings[0]!;
  assert.equal(f.entry.kind, 'delegated-calls');
  assert.equal(f.entry.eventId, grant, 'the first delegated call (the read was a Data Access log)');
  assert.deepEqual(f.assumeEventIds, [grant]);
  assert.deepEqual(f.privilegedEventIds, [grant, key], 'the first call is itself privileged');
  assert.deepEqual(f.eventIds, [grant, key]);
  assert.equal(links.get(grant), 'entry');
  assert.equal(links.get(key), 'credential');
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  assert.match(f.reasons[0]!.text, /acted as service account deployer@acme-prod.*the call that minted the token .* is not in the evidence/);
  const gap = coverage.filter((c) => c.kind === 'gcp-no-data-access');
  // acme-dev had only Data Access reads: without them it has no logs at all, so no warning for it.
  assert.deepEqual(gap.map((c) => c.scope), [`project:${GCP.project}`]);
  assert.match(gap[0]!.message, /impersonation .* invisible/);
});

test('near misses stay quiet: CI impersonating inside its project, an organisation user from a new network, GitHub federation, a refused impersonation, a privileged call hours later', async () => {
  const s = new GcpScenario().baseline();
  const t = s.t0 + HOUR;
  // CI impersonates the deployer as every day and changes IAM (from its usual runners).
  s.impersonate({ at: t, caller: GCP.ci, sa: GCP.deployer, ip: IPS.github });
  s.setIamPolicy({ at: t + 2 * MIN, principal: GCP.deployer, delegatedBy: GCP.ci, ip: IPS.github, member: 'serviceAccount:web@acme-prod.iam.gserviceaccount.com', role: 'roles/run.invoker' });
  // Alice (the organisation's domain) impersonates the deployer from a network nobody used and mints a key.
  s.impersonate({ at: t + 10 * MIN, caller: 'alice@acme.example', sa: GCP.deployer, ip: IPS.torDe });
  s.createKey({ at: t + 12 * MIN, principal: GCP.deployer, delegatedBy: 'alice@acme.example', ip: IPS.torDe, sa: GCP.deployer });
  // GitHub Actions as every day.
  s.exchange({ at: t + 20 * MIN, provider: GCP.githubProvider, subject: 'repo:acme/web:ref:refs/heads/main', mapped: githubPrincipal('acme/web'), ip: IPS.github });
  // Another organisation is refused a token.
  s.impersonate({ at: t + 30 * MIN, caller: EVIL_SA, sa: GCP.deployer, ip: IPS.volumeNl, denied: true });
  // A user of another domain impersonates and only reads; hours later Bob changes IAM himself.
  const mint = s.impersonate({ at: t + 40 * MIN, caller: 'eve@partner.example', sa: GCP.deployer, ip: IPS.newGb });
  const read = s.read({ at: t + 42 * MIN, principal: GCP.deployer, delegatedBy: 'eve@partner.example', ip: IPS.newGb });
  const later = s.setIamPolicy({ at: t + 5 * HOUR, principal: 'bob@acme.example', ip: IPS.office, member: 'user:eve@partner.example', role: 'roles/viewer' });
  const { findings, stats } = await analyse(s);

  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  const f = findings[0]!;
  assert.equal(f.entry.eventId, mint.insertId);
  assert.equal(f.conditions.privileged, false);
  assert.ok(f.severity === 'medium' || f.severity === 'low', f.severity);
  assert.deepEqual(f.eventIds, [mint.insertId, read]);
  assert.ok(!f.eventIds.includes(later));
  assert.equal(stats.attempts, 1, 'the refused impersonation');
});

test('a refused privileged call in an impersonation chain is named as an attempt (PERMISSION_DENIED), not counted as privileged', async () => {
  const s = new GcpScenario().baseline();
  const { mint, grant, key } = foreignImpersonation(s);
  const record = s.entries.find((e) => e.insertId === key)! as { protoPayload: { status: unknown } };
  record.protoPayload.status = { code: 7, message: 'PERMISSION_DENIED' };
  const { findings, members } = await analyse(s);

  const f = findings.find((x) => x.entry.eventId === mint.insertId)!;
  assert.deepEqual(f.privilegedEventIds, [grant]);
  assert.deepEqual(f.attempted!.map((a) => [a.eventId, a.category, a.outcome, a.errorCode, a.offsetMs / MIN]), [[key, 'credential-minting', 'failure', 'PERMISSION_DENIED', 5]]);
  const refused = f.reasons.find((r) => r.text.includes('attempted and refused'))!;
  assert.match(refused.text, /^1 privileged call attempted and refused: google\.iam\.admin\.v1\.CreateServiceAccountKey \(PERMISSION_DENIED, Credential minting\) at /);
  assert.deepEqual(refused.eventIds, [key]);
  assert.deepEqual(members.get(key), { role: 'call', category: 'credential-minting' });
});
