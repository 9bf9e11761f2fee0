// The explorer's (and the report's) principal and source filters as an investigator types them: a user, a role or a
// session name finds every principal it names a part of; a source takes a CIDR block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { EventQueries } from '../../electron/db/repos/workbench-repo';
import type { EventFilter } from '../../shared/ipc/contract';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';

test('principal parts and CIDR blocks', async () => {
  const s = new Scenario().baseline(2);
  const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/vendor-support`, sessionName: 'maint-0917', sourceIp: IPS.torDe });
  const call = s.call({ at: s.t0 + at.HOUR + at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
  const v6 = s.call({ at: s.t0 + at.HOUR + 2 * at.MIN, session: entry.session, source: 'iam', action: 'ListUsers', sourceIp: '2a0b:f4c2::42' });
  const v6b = s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'ListRoles', sourceIp: '2a0b:f4c2:0:0:0:0:0:43' });
  const dir = s.write();
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
    const q = new EventQueries(db);
    const rows = (filter: EventFilter) => q.page(filter, undefined, 1000).rows;
    const names = (filter: EventFilter) => new Set(rows(filter).map((r) => r.principalName ?? r.principalType));

    // A user: her SAML sign-ins and her SSO sessions' calls (…/AWSReservedSSO_…/alice@acme.example).
    const alice = names({ principal: 'alice@acme.example' });
    assert.ok(alice.has('alice@acme.example'));
    assert.ok([...alice].some((n) => /assumed-role\/AWSReservedSSO_AdministratorAccess_abc123\/alice@acme\.example$/.test(String(n))));
    assert.ok(![...alice].some((n) => /bob/.test(String(n))));
    // A role name: every session of it, whoever.
    const role = names({ principal: 'AWSReservedSSO_AdministratorAccess_abc123' });
    assert.ok(['alice', 'bob', 'carol'].every((u) => [...role].some((n) => String(n).endsWith(`/${u}@acme.example`))));
    // A session name: that session's calls.
    assert.deepEqual(rows({ principal: 'maint-0917' }).map((r) => r.nativeId), [call, v6, v6b]);
    // A role's ARN, as AssumeRole's requestParameters give it: its sessions' calls.
    assert.deepEqual(rows({ principal: `arn:aws:iam::${ORG.prod}:role/vendor-support` }).map((r) => r.nativeId), [call, v6, v6b]);
    // An outside account that came in by its id: every event it made.
    const outside = rows({ principal: '999988887777' });
    assert.ok(outside.length >= 1 && outside.every((r) => r.principalAccount === '999988887777'));
    assert.ok(outside.some((r) => r.action === 'AssumeRole'));
    // A part is a whole part: no substring matches.
    assert.equal(rows({ principal: 'maint-09' }).length, 0);
    assert.equal(rows({ principal: 'ice@acme.example' }).length, 0);

    // Sources: a block, a single address as before, a block with nothing in it.
    const tor = rows({ sourceIp: '185.220.101.0/24' });
    assert.deepEqual(new Set(tor.map((r) => r.sourceIp)), new Set([IPS.torDe]));
    assert.equal(tor.length, rows({ sourceIp: IPS.torDe }).length);
    assert.ok(rows({ sourceIp: '81.2.69.0/24' }).length > 0, 'the office block');
    assert.equal(rows({ sourceIp: '10.0.0.0/8' }).length, 0);
    // An IPv6 address typed in another spelling than the stored one, either way round.
    assert.deepEqual(rows({ sourceIp: '2A0B:F4C2:0:0:0:0:0:42' }).map((r) => r.nativeId), [v6]);
    assert.deepEqual(rows({ sourceIp: '2a0b:f4c2::43' }).map((r) => r.nativeId), [v6b]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a GCP caller finds the calls it made through the service account it impersonated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-globex-'));
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [resolve(import.meta.dirname, '..', '..', 'resources', 'samples', 'globex-multicloud')], { workers: 1 });
    const q = new EventQueries(db);
    const runner = 'runner@evil-corp-prod.iam.gserviceaccount.com';
    const rows = q.page({ principal: runner }, undefined, 1000).rows;
    assert.ok(rows.some((r) => r.principalName === runner), 'its own calls');
    const through = rows.filter((r) => r.credentialId?.startsWith(`${runner}>`));
    assert.ok(through.length > 0, 'and those made as the impersonated service account');
    assert.ok(through.some((r) => /SetIamPolicy/i.test(r.action)));
    assert.ok(rows.every((r) => r.principalName === runner || r.credentialId?.startsWith(`${runner}>`)));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
