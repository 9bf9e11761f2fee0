import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../shared/domain/correlation';
import { linkSharedSources } from './shared-sources';

function finding(principal: string, timeMs: number, sourceIps: string[], allowlisted: string[] = []): Omit<Finding, 'id'> {
  return {
    severity: 'critical', score: 95, provider: 'aws',
    entry: { eventId: `entry-${principal}`, action: 'AssumeRole', principal, sourceAccount: null, targetAccount: null, sourceIp: sourceIps[0] ?? null, vendor: null, kind: 'cross-account', timeMs },
    assumeEventIds: [], eventIds: [], privilegedEventIds: [], sourceIps, conditions: { entry: true, privileged: true, unfamiliar: true },
    reasons: [{ condition: 'suppression', text: 'Would not be reported after …', eventIds: [] }], privileged: [],
    familiarity: allowlisted.map((ip) => ({ ip, country: null, city: null, asn: null, asOrg: null, lat: null, lon: null, unfamiliar: [], allowlisted: true })),
  };
}

const links = (f: Omit<Finding, 'id'>) => f.reasons.filter((r) => r.text.endsWith('likely the same actor.'));

test('findings sharing a public address name each other, before the suppression line', () => {
  const a = finding('a', 1000, ['94.102.49.1']);
  const b = finding('b', 2000, ['94.102.49.1', '185.220.101.4']);
  const c = finding('c', 3000, ['185.220.101.4']);
  linkSharedSources([c, b, a]);
  assert.deepEqual(links(a).map((r) => r.eventIds), [['entry-b']]);
  assert.match(links(b)[0]!.text, /^94\.102\.49\.1 is also a source of the finding of a \(aws, entry at 1970-01-01T00:00:01Z\)\. 185\.220\.101\.4 is also a source of the finding of c /);
  assert.deepEqual(links(b)[0]!.eventIds, ['entry-a', 'entry-c']);
  assert.equal(b.reasons.at(-1)!.condition, 'suppression', 'the suppression line stays last');
});

test('private, NAT, local and allowlisted addresses link nothing: strangers share them', () => {
  const shared = ['10.0.1.15', '172.20.0.4', '192.168.1.1', '100.64.0.9', '127.0.0.1', 'fe80::1', 'fd00::1'];
  const a = finding('a', 1000, [...shared, '81.2.69.142']);
  const b = finding('b', 2000, [...shared, '81.2.69.142'], ['81.2.69.142']);
  linkSharedSources([a, b]);
  assert.deepEqual(links(a), []);
  assert.deepEqual(links(b), []);
});
