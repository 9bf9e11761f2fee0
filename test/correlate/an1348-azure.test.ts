// AN1348 in Azure on constructed cases: cross-tenant and guest sign-ins, foreign service principals and another
// tenant's tokens (Azure Lighthouse), each followed by its token's ARM calls; and the near misses that must stay quiet.
// Native ids: Entra sign-in `id`, Azure Activity `eventDataId`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPS } from '../support/cloudtrail-scenario';
import { analyseWritten, type Analysis, type SettingsTweak } from '../support/analyse-evidence';
import { AZ, AzureScenario, azAt, guestRefreshedToken, guid, outsiders, people, serviceProviderTakeover, type Identity } from '../support/azure-scenario';

const { MIN, HOUR } = azAt;
const SUB = `/subscriptions/${AZ.subscription}`;
const { mallory, eve: guestEve } = outsiders;
const vendorApp: Identity = { oid: 'e0e00000-0000-4000-8000-00000000000c', upn: 'Contoso Backup Connector', name: 'Contoso Backup Connector', home: AZ.vendor, kind: 'app', appId: '5a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' };

const analyse = (s: AzureScenario, tweak?: SettingsTweak): Promise<Analysis> => analyseWritten(s.write(), tweak);

const ids = (...calls: { started: string | null; done: string }[]) => calls.flatMap((c) => [c.started, c.done].filter((x): x is string => x !== null));

test('a service-provider sign-in from a tenant never seen, then a role assignment and storage keys from a new network: one critical chain', async () => {
  const s = new AzureScenario().baseline();
  const { signIn, look, grant, keys } = serviceProviderTakeover(s, s.t0 + HOUR);
  const { findings, links, members } = await analyse(s);

  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  const f = findings[0]!;
  assert.equal(f.provider, 'azure');
  assert.equal(f.entry.kind, 'cross-tenant-sign-in');
  assert.equal(f.entry.eventId, signIn.id);
  assert.equal(f.entry.action, 'SignIn');
  assert.equal(f.entry.principal, 'mallory@attacker.example');
  assert.equal(f.entry.sourceAccount, AZ.attacker);
  assert.equal(f.entry.targetAccount, AZ.tenant);
  assert.equal(f.entry.sourceIp, IPS.torDe);
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.conditions, { entry: true, privileged: true, unfamiliar: true });
  assert.deepEqual(f.assumeEventIds, [signIn.id]);
  assert.deepEqual(f.privilegedEventIds, [grant.done, keys.done], 'the Succeeded records stand for their operations');
  assert.deepEqual(new Set(f.eventIds), new Set([signIn.id, ...ids(look, grant, keys)]));
  assert.deepEqual(f.privileged.map((p) => [p.category, p.offsetMs / MIN]), [['permission-escalation', 4], ['data-exposure', 6]]);
  for (const id of ids(look, grant, keys)) assert.equal(links.get(id), 'credential', 'linked by the token uti');
  // Each write was logged twice (Started, then Succeeded): one operation, counted once; the Started record stays on the
  // timeline in its operation's lane and category, and the finding names the operation it began.
  assert.deepEqual(f.operationStages, { [grant.started!]: grant.done, [keys.started!]: keys.done });
  assert.deepEqual(members.get(grant.started!), { role: 'privileged', category: 'permission-escalation' });
  assert.deepEqual(members.get(keys.started!), { role: 'privileged', category: 'data-exposure' });
  assert.deepEqual(f.attempted, [], 'a Started record whose operation ended is not an attempt without outcome');
  assert.match(f.reasons.find((r) => r.condition === 'privileged')!.text, /^2 privileged calls within 6m00s of the entry: /);
  const acted = f.reasons.find((r) => r.text.startsWith('The chain acted in'))!;
  assert.match(acted.text, /\(2 privileged calls, 1 other call\)/, 'one read, not three calls');
  const stages = f.reasons.find((r) => r.text.startsWith('Azure logged'))!;
  assert.match(stages.text, /^Azure logged 2 operations in stages .*their 2 earlier records are on the timeline but counted with their operation/);
  assert.deepEqual(stages.eventIds, [grant.started, keys.started]);
  const entry = f.reasons.find((r) => r.condition === 'entry')!;
  assert.match(entry.text, /a user of tenant e4d3c2b1-.*signed in across tenants .* to tenant 6f1c3a2e-.* for Azure Resource Manager/);
  assert.match(f.reasons.find((r) => r.condition === 'unfamiliar')!.text, /185\.220\.101\.4 .*new to the home tenant.*new to the organisation/);
  assert.ok(f.reasons.some((r) => r.condition === 'suppression' && /allowlisting tenant e4d3c2b1-a098-4f7e-8d6c-5b4a39281706/.test(r.text)));

  // Allowlisting the tenant removes it.
  const allowed = await analyse(rebuild(s), (st) => (st.allowlist.accounts = [AZ.attacker.toUpperCase()]));
  assert.equal(allowed.findings.length, 0);
  assert.ok(allowed.stats.allowlisted >= 1);
});

/** The same records in a fresh scenario object (analyse consumes the written folder). */
function rebuild(s: AzureScenario): AzureScenario {
  const copy = new AzureScenario(s.t0);
  copy.signIns.push(...s.signIns);
  copy.activity.push(...s.activity);
  return copy;
}

test('a B2B guest whose refreshed token (same sign-in session) does the damage: one chain, the refresh linked by session id', async () => {
  const s = new AzureScenario().baseline();
  const { first, blind, refresh, run } = guestRefreshedToken(s, s.t0 + HOUR);
  const { findings, links, stats } = await analyse(s);

  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.entry.kind, 'guest-sign-in');
  assert.equal(f.entry.eventId, first.id);
  assert.deepEqual(f.assumeEventIds, [first.id, refresh.id]);
  assert.deepEqual(f.privilegedEventIds, [blind.done, run.done]);
  assert.deepEqual(new Set(f.eventIds), new Set([first.id, refresh.id, ...ids(blind, run)]));
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  assert.equal(links.get(blind.done), 'credential');
  assert.equal(links.get(refresh.id), 'session-id');
  assert.equal(links.get(run.done), 'session-id', 'the refreshed token is weaker evidence than the entry’s own');
  assert.ok(f.reasons.some((r) => /^1 later sign-in of the same sign-in session/.test(r.text)));
  const weak = f.reasons.find((r) => /linked through later sign-ins of the same Entra sign-in session \(sessionId\)/.test(r.text))!;
  assert.equal(Number(/^(\d+) event/.exec(weak.text)?.[1]), weak.eventIds.length, 'as many events as it cites');
  assert.match(f.reasons[0]!.text, /^Guest user eve@attacker\.example from tenant e4d3c2b1-/);
  assert.ok(stats.merged >= 1, 'the refresh is merged into the first sign-in’s chain, not a second entry');
});

test('a service principal of an app another tenant owns runs commands on a VM and reads secrets from a new network', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + 2 * HOUR;
  const signIn = s.signIn({ at: t, who: vendorApp, ip: IPS.volumeNl });
  const run = s.call({ at: t + 5 * MIN, token: signIn.token, op: 'Microsoft.Compute/virtualMachines/runCommand/action' });
  const secrets = s.call({ at: t + 7 * MIN, token: signIn.token, op: 'Microsoft.KeyVault/vaults/secrets/read', resource: `${SUB}/resourceGroups/prod-rg/providers/Microsoft.KeyVault/vaults/prod-kv/secrets/db-password` });
  const { findings } = await analyse(s);

  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.entry.kind, 'foreign-service-principal');
  assert.equal(f.entry.eventId, signIn.id);
  assert.equal(f.entry.principal, 'Contoso Backup Connector');
  assert.equal(f.entry.sourceAccount, AZ.vendor);
  assert.deepEqual(f.privilegedEventIds, [run.done, secrets.done]);
  assert.deepEqual(f.privileged.map((p) => p.category), ['execution-and-lateral-movement', 'data-exposure']);
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  assert.match(f.reasons[0]!.text, /^Service principal Contoso Backup Connector, of an app owned by tenant a9b8c7d6-[^ ]*, outside the organisation, signed in to tenant 6f1c3a2e-/);
  assert.match(f.reasons.find((r) => r.condition === 'unfamiliar')!.text, /new to the service principal/);
});

test('another tenant’s token on the subscription (Azure Lighthouse) from a new network: the token’s first call is the entry; the MSP’s routine reads are not listed', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + 3 * HOUR;
  const token = s.lighthouseToken(t, IPS.torDe);
  const look = s.call({ at: t + MIN, token, op: 'Microsoft.Resources/subscriptions/resourceGroups/read', resource: `${SUB}/resourceGroups/prod-rg` });
  const grant = s.call({ at: t + 3 * MIN, token, op: 'Microsoft.Authorization/roleAssignments/write', resource: `${SUB}/providers/Microsoft.Authorization/roleAssignments/7d1e5a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b` });
  const blind = s.call({ at: t + 5 * MIN, token, op: 'Microsoft.Insights/diagnosticSettings/delete', resource: `${SUB}/providers/microsoft.insights/diagnosticSettings/to-sentinel` });
  const { findings, stats } = await analyse(s);

  assert.equal(findings.length, 1, 'the MSP’s fourteen routine sessions are counted, not listed');
  assert.ok(stats.routine >= 14);
  const f = findings[0]!;
  assert.equal(f.entry.kind, 'foreign-tenant-token');
  assert.equal(f.entry.eventId, look.done);
  assert.equal(f.entry.action, 'Microsoft.Resources/subscriptions/resourceGroups/read');
  assert.equal(f.entry.sourceAccount, AZ.msp);
  assert.equal(f.entry.targetAccount, AZ.subscription);
  assert.deepEqual(f.privilegedEventIds, [grant.done, blind.done]);
  assert.deepEqual(new Set(f.eventIds), new Set(ids(look, grant, blind)));
  assert.ok(f.severity === 'critical' || f.severity === 'high', f.severity);
  assert.match(f.reasons[0]!.text, /with a token of tenant d2c3b4a5-.*not the subscription's own tenant \(an Azure Lighthouse delegation/);
});

test('without token ids in the logs the sign-in’s calls are linked by identity and issue time, marked weaker', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  const signIn = s.signIn({ at: t, who: mallory, ip: IPS.torDe, omitUti: true });
  const grant = s.call({ at: t + 4 * MIN, token: signIn.token, op: 'Microsoft.Authorization/roleAssignments/write' });
  const { findings, links } = await analyse(s);
  const f = findings.find((x) => x.entry.eventId === signIn.id)!;
  assert.deepEqual(f.privilegedEventIds, [grant.done]);
  assert.equal(links.get(grant.done), 'principal');
  assert.ok(f.reasons.some((r) => /linked by the identity within the window only/.test(r.text)));
});

test('near misses stay quiet: own users, a routine guest, a read-only guest, a denied sign-in, a privileged call hours later on another session', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  // The organisation's own admin, from a network nobody used, assigning a role.
  const alice = s.signIn({ at: t, who: people.alice, ip: IPS.torDe });
  s.call({ at: t + 2 * MIN, token: alice.token, op: 'Microsoft.Authorization/roleAssignments/write' });
  // The partner's everyday guest, from the partner's usual network, reading.
  const pat = s.signIn({ at: t + 10 * MIN, who: people.pat, ip: IPS.home });
  s.call({ at: t + 12 * MIN, token: pat.token, op: 'Microsoft.Compute/virtualMachines/read' });
  // A new guest from a new network who only reads.
  const eve = s.signIn({ at: t + 20 * MIN, who: guestEve, ip: IPS.volumeNl });
  const eveRead = s.call({ at: t + 22 * MIN, token: eve.token, op: 'Microsoft.Storage/storageAccounts/read' });
  // A denied sign-in from the attacker's tenant.
  s.signIn({ at: t + 30 * MIN, who: mallory, ip: IPS.torDe, errorCode: 50126, crossTenantAccessType: 'b2bCollaboration' });
  // Hours later, Bob's own session assigns a role: not part of the guest's chain.
  const bob = s.signIn({ at: t + 4 * HOUR, who: people.bob, ip: IPS.office });
  const later = s.call({ at: t + 4 * HOUR + 2 * MIN, token: bob.token, op: 'Microsoft.Authorization/roleAssignments/write' });
  const { findings, stats } = await analyse(s);

  assert.equal(findings.length, 1, findings.map((f) => `${f.entry.kind} ${f.entry.principal}`).join('; '));
  const f = findings[0]!;
  assert.equal(f.entry.eventId, eve.id, 'only the new guest, for its new network');
  assert.equal(f.conditions.privileged, false);
  assert.ok(f.severity === 'medium' || f.severity === 'low', f.severity);
  assert.deepEqual(f.eventIds, [eve.id, eveRead.done]);
  assert.ok(!f.eventIds.includes(later.done));
  assert.ok(stats.attempts >= 1, 'the denied sign-in is an attempt');
});

test('coverage: sign-in logs without non-interactive sign-ins, and Activity without any sign-in logs, are warned about', async () => {
  const s = new AzureScenario().baseline(14, { nonInteractive: false });
  const { coverage } = await analyse(s);
  const w = coverage.find((c) => c.kind === 'entra-no-noninteractive');
  assert.ok(w, JSON.stringify(coverage));
  assert.equal(w.scope, `tenant:${AZ.tenant}`);
  assert.match(w.message, /no non-interactive user sign-ins/);
  assert.ok(!coverage.some((c) => c.kind === 'entra-no-service-principal'), 'service principal sign-ins are there');

  const activityOnly = new AzureScenario().baseline();
  activityOnly.signIns.length = 0;
  const none = await analyse(activityOnly);
  assert.deepEqual(none.coverage.filter((c) => c.kind === 'azure-no-signins').map((c) => c.scope), ['provider:azure']);
  assert.equal(none.findings.length, 0);
});

test('a refused privileged operation (Started, then Failed) is one attempt, named with its error code; a Started record with no outcome is said so', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  const signIn = s.signIn({ at: t, who: mallory, ip: IPS.torDe });
  const look = s.call({ at: t + 2 * MIN, token: signIn.token, op: 'Microsoft.Compute/virtualMachines/read' });
  const refused = s.call({ at: t + 4 * MIN, token: signIn.token, op: 'Microsoft.Authorization/roleAssignments/write', status: 'Failed' });
  const pending = s.call({ at: t + 6 * MIN, token: signIn.token, op: 'Microsoft.Storage/storageAccounts/listKeys/action' });
  // The listKeys operation's end never reached the evidence: only its Started record is left.
  s.activity.splice(s.activity.findIndex((r) => r.eventDataId === pending.done), 1);
  const { findings, members } = await analyse(s);

  const f = findings.find((x) => x.entry.eventId === signIn.id)!;
  assert.ok(f, findings.map((x) => x.entry.eventId).join(', '));
  assert.equal(f.conditions.privileged, false);
  assert.ok(f.severity === 'medium' || f.severity === 'low', f.severity);
  assert.deepEqual(f.attempted, [
    { eventId: refused.done, action: 'Microsoft.Authorization/roleAssignments/write', category: 'permission-escalation', outcome: 'failure', errorCode: 'AuthorizationFailed', offsetMs: 4 * MIN },
    { eventId: pending.started, action: 'Microsoft.Storage/storageAccounts/listKeys/action', category: 'data-exposure', outcome: 'unknown', errorCode: null, offsetMs: 6 * MIN - 1000 },
  ]);
  assert.deepEqual(f.operationStages, { [refused.started!]: refused.done });
  const texts = f.reasons.filter((r) => r.condition === 'privileged');
  assert.equal(texts[0]!.text, 'No privileged call succeeded within 60 minutes of the entry (2 attempted without success; 1 other call).');
  assert.match(texts[1]!.text, /^1 privileged call attempted and refused: Microsoft\.Authorization\/roleAssignments\/write \(AuthorizationFailed, Permission escalation\) at .*, \+4m00s\./);
  assert.deepEqual(texts[1]!.eventIds, [refused.done]);
  assert.match(texts[2]!.text, /^1 privileged call attempted with no recorded outcome .*listKeys\/action \(no outcome recorded, Data exposure\)/);
  assert.match(texts[2]!.text, /\(no Succeeded, Failed or Canceled record of the operation in the evidence within 24 hours of its start\)/);
  assert.deepEqual(texts[2]!.eventIds, [pending.started]);
  assert.equal(f.scoreParts!.attempted, 5);
  assert.deepEqual(members.get(refused.started!), { role: 'call', category: 'permission-escalation' });
  assert.deepEqual(members.get(refused.done), { role: 'call', category: 'permission-escalation' });
  assert.deepEqual(members.get(look.done), { role: 'call', category: null });
});

test('another tenant’s token whose first call is a write: the Started record is the entry and the start of that operation, which is one privileged call', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + 3 * HOUR;
  const token = s.lighthouseToken(t, IPS.torDe);
  const grant = s.call({ at: t + MIN, token, op: 'Microsoft.Authorization/roleAssignments/write', resource: `${SUB}/providers/Microsoft.Authorization/roleAssignments/7d1e5a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b` });
  const { findings, members } = await analyse(s);

  const f = findings.find((x) => x.entry.kind === 'foreign-tenant-token' && x.entry.eventId === grant.started)!;
  assert.ok(f, findings.map((x) => `${x.entry.kind} ${x.entry.eventId}`).join('; '));
  assert.deepEqual(f.privilegedEventIds, [grant.done]);
  assert.deepEqual(f.attempted, [], 'the operation succeeded: its Started record is no attempt without outcome');
  assert.deepEqual(f.operationStages, { [grant.started!]: grant.done });
  assert.match(f.reasons.find((r) => r.condition === 'privileged')!.text, /^1 privileged call within 1s of the entry: Microsoft\.Authorization\/roleAssignments\/write/);
  assert.deepEqual(members.get(grant.started!), { role: 'entry', category: 'permission-escalation' });
});

/** The Activity record with this eventDataId, to change what the scenario wrote. */
const activityRecord = (s: AzureScenario, eventDataId: string) => s.activity.find((r) => r.eventDataId === eventDataId)!;
const restTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

test('an operation started within the window that ended after it is one privileged call: its final record is found beyond the window', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  const signIn = s.signIn({ at: t, who: mallory, ip: IPS.torDe });
  s.call({ at: t + 2 * MIN, token: signIn.token, op: 'Microsoft.Compute/virtualMachines/read' });
  // An asynchronous run command: Started at +58 min, Succeeded at +63 min (after the 60-minute window).
  const run = s.call({ at: t + 63 * MIN, token: signIn.token, op: 'Microsoft.Compute/virtualMachines/runCommand/action' });
  activityRecord(s, run.started!).eventTimestamp = restTime(t + 58 * MIN);
  const { findings, members } = await analyse(s);

  const f = findings.find((x) => x.entry.eventId === signIn.id)!;
  assert.ok(f, findings.map((x) => x.entry.eventId).join(', '));
  assert.deepEqual(f.attempted, [], 'it succeeded: no attempt without outcome');
  assert.equal(f.scoreParts!.attempted, 0);
  assert.deepEqual(f.privilegedEventIds, [run.done]);
  assert.equal(f.conditions.privileged, true);
  assert.deepEqual(f.operationStages, { [run.started!]: run.done });
  assert.ok(f.eventIds.includes(run.done), 'the final record joins the chain');
  assert.deepEqual(members.get(run.started!), { role: 'privileged', category: 'execution-and-lateral-movement' });
  assert.ok(!f.reasons.some((r) => /no recorded outcome|no Succeeded or Failed/.test(r.text)), f.reasons.map((r) => r.text).join('\n'));
  const stages = f.reasons.find((r) => r.text.startsWith('Azure logged'))!;
  assert.match(stages.text, /1 of those operations started within the 60-minute window and ended after it: their final records are in the chain too\./);
});

test('a REST page listing the newest record first, with the Started and Succeeded records at the same time: one successful operation', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  const signIn = s.signIn({ at: t, who: mallory, ip: IPS.torDe });
  const grant = s.call({ at: t + 4 * MIN, token: signIn.token, op: 'Microsoft.Authorization/roleAssignments/write', resource: `${SUB}/providers/Microsoft.Authorization/roleAssignments/${guid()}` });
  const started = activityRecord(s, grant.started!);
  started.eventTimestamp = activityRecord(s, grant.done).eventTimestamp;
  // Newest first: the Succeeded record comes before the Started record in the page, so it gets the lower row id.
  s.activity.splice(s.activity.indexOf(started), 1);
  s.activity.push(started);
  const { findings } = await analyse(s);

  const f = findings.find((x) => x.entry.eventId === signIn.id)!;
  assert.deepEqual(f.privilegedEventIds, [grant.done]);
  assert.deepEqual(f.operationStages, { [grant.started!]: grant.done });
  assert.deepEqual(f.attempted, []);
  assert.equal(f.scoreParts!.attempted, 0);
});

test('Started, Canceled, Started, Succeeded under one correlationId: a cancelled attempt and a successful retry, both named', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  const signIn = s.signIn({ at: t, who: mallory, ip: IPS.torDe });
  const correlationId = guid();
  const resource = `${SUB}/providers/Microsoft.Authorization/roleAssignments/${guid()}`;
  const op = 'Microsoft.Authorization/roleAssignments/write';
  const first = s.call({ at: t + 4 * MIN, token: signIn.token, op, resource, correlationId });
  const canceled = activityRecord(s, first.done);
  canceled.status = { value: 'Canceled', localizedValue: 'Canceled' };
  canceled.subStatus = { value: '', localizedValue: '' };
  const retry = s.call({ at: t + 6 * MIN, token: signIn.token, op, resource, correlationId });
  const { findings } = await analyse(s);

  const f = findings.find((x) => x.entry.eventId === signIn.id)!;
  assert.deepEqual(f.privilegedEventIds, [retry.done]);
  assert.deepEqual(f.operationStages, { [first.started!]: first.done, [retry.started!]: retry.done });
  assert.deepEqual(f.attempted, [{ eventId: first.done, action: op, category: 'permission-escalation', outcome: 'canceled', errorCode: null, offsetMs: 4 * MIN }]);
  const cancelled = f.reasons.find((r) => /attempted and cancell?ed/.test(r.text));
  assert.ok(cancelled, f.reasons.map((r) => r.text).join('\n'));
  assert.match(cancelled.text, /^1 privileged call attempted and cancell?ed: Microsoft\.Authorization\/roleAssignments\/write \(Canceled, Permission escalation\) at /);
  assert.deepEqual(cancelled.eventIds, [first.done]);
  assert.ok(!f.reasons.some((r) => /no recorded outcome/.test(r.text)));
});

test('an operation left unfinished at the end of the window, retried later under the same correlationId: the retry’s outcome is not its outcome', async () => {
  const s = new AzureScenario().baseline();
  const t = s.t0 + HOUR;
  const signIn = s.signIn({ at: t, who: mallory, ip: IPS.torDe });
  const correlationId = guid();
  const op = 'Microsoft.Compute/virtualMachines/runCommand/action';
  const resource = `${SUB}/resourceGroups/prod-rg/providers/Microsoft.Compute/virtualMachines/prod-01`;
  const first = s.call({ at: t + 58 * MIN, token: signIn.token, op, resource, correlationId });
  s.activity.splice(s.activity.findIndex((r) => r.eventDataId === first.done), 1);
  const retry = s.call({ at: t + 80 * MIN, token: signIn.token, op, resource, correlationId });
  const { findings } = await analyse(s);

  const f = findings.find((x) => x.entry.eventId === signIn.id)!;
  assert.ok(f, findings.map((x) => x.entry.eventId).join(', '));
  assert.deepEqual(f.privilegedEventIds, []);
  assert.deepEqual(f.attempted!.map((a) => [a.eventId, a.outcome]), [[first.started, 'unknown']]);
  assert.ok(!f.eventIds.includes(retry.done) && !f.eventIds.includes(retry.started!), 'the retry, after the window, is not in the chain');
});
