// The explorer's (and the report's) session filter takes an Entra sign-in session id as well as a credential:
// investigators pivot on sessionId (an adversary-in-the-middle alert names it), and one session spans several sign-ins
// (the interactive one, then refreshes), each issuing its own token (uti) that the Activity calls carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { EventQueries } from '../../electron/db/repos/workbench-repo';
import { AzureScenario, azAt, outsiders, people } from '../support/azure-scenario';

test('a session filter given an Entra sessionId shows its sign-ins and the calls made with the tokens they issued', async () => {
  const s = new AzureScenario();
  const t = s.t0;
  const first = s.signIn({ at: t, who: outsiders.eve, ip: '185.220.101.45', sessionId: 'sess-aitm-1' });
  const refresh = s.signIn({ at: t + 30 * azAt.MIN, who: outsiders.eve, kind: 'nonInteractive', ip: '185.220.101.45', sessionId: 'sess-aitm-1' });
  const a = s.call({ at: t + 5 * azAt.MIN, token: first.token, op: 'Microsoft.Authorization/roleAssignments/write' });
  const b = s.call({ at: t + 35 * azAt.MIN, token: refresh.token, op: 'Microsoft.Storage/storageAccounts/listKeys/action' });
  const other = s.signIn({ at: t + 40 * azAt.MIN, who: people.alice, ip: '203.0.113.10', sessionId: 'sess-alice' });
  s.call({ at: t + 41 * azAt.MIN, token: other.token, op: 'Microsoft.Compute/virtualMachines/read' });
  const dir = s.write();
  const db = openCase(join(dir, 'case.crossline'));
  try {
    await importEvidence(db, [join(dir, 'evidence')], { workers: 1 });
    const q = new EventQueries(db);
    const ids = (credential: string) => q.page({ credential }, undefined, 1000).rows.map((r) => r.nativeId);

    const session = ids('sess-aitm-1');
    const expected = [first.id, refresh.id, a.started, a.done, b.started, b.done].filter((id): id is string => id !== null);
    assert.deepEqual(new Set(session), new Set(expected));
    assert.equal(session.length, expected.length);
    // A token still names just its own calls; a value that names nothing shows nothing.
    assert.deepEqual(new Set(ids(refresh.token.uti!)), new Set([b.started, b.done].filter((id): id is string => id !== null)));
    assert.deepEqual(ids('sess-nobody'), []);
    // The histogram counts the same events.
    const histogram = q.histogram({ credential: 'sess-aitm-1' }, 10);
    assert.equal(histogram.counts.reduce((n, c) => n + c, 0), expected.length);
  } finally {
    db.close();
  }
});
