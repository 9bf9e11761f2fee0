// Every request channel has a validator that takes well-formed requests and refuses unknown fields, wrong
// types and absurd limits (the renderer and, in browser mode, anything that found the token are untrusted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REQUEST_CHANNELS, type RequestChannel } from '../../shared/ipc/contract';
import { DEFAULT_CORRELATION_SETTINGS } from '../../shared/domain/correlation';
import { RequestValidationError, VALIDATORS, isRequestChannel, validateRequest } from '../../shared/ipc/validators';

const settings = structuredClone(DEFAULT_CORRELATION_SETTINGS);
const goodSettings = { ...settings, organisationAccounts: ['111111111111'], allowlist: { ...settings.allowlist, cidrs: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'], asns: [64500] }, geo: { cityMmdb: '/data/GeoLite2-City.mmdb' } };

/** For each channel: requests that must pass, and requests that must be refused. */
const CASES: Record<RequestChannel, { good: unknown[]; bad: unknown[] }> = {
  'app.about': { good: [{}, undefined], bad: [{ x: 1 }, null, [], 'x'] },
  'analyst.set': { good: [{ name: 'Dana Analyst' }, { name: ' Ada <A> ' }], bad: [{}, { name: '' }, { name: '   ' }, { name: 7 }, { name: 'x'.repeat(201) }, { name: 'a', x: 1 }] },
  'case.create': { good: [{ file: '/tmp/a.crossline' }, { file: 'relative/b' }], bad: [{}, { file: '' }, { file: '  ' }, { file: 7 }, { file: 'a\0b' }, { file: 'x'.repeat(5000) }, { file: '/a', extra: true }] },
  'case.open': { good: [{ file: 'C:\\cases\\a.crossline' }], bad: [{ file: null }, { file: ['/a'] }, { path: '/a' }] },
  'case.openSample': { good: [{}, { sample: 'acme-org' }, { sample: 'globex-multicloud' }], bad: [{ file: '/a' }, { sample: 'other' }, { sample: '../acme-org' }, { sample: 1 }] },
  'case.info': { good: [{}], bad: [{ verbose: true }] },
  'case.check': { good: [{}], bad: [{ verbose: true }] },
  'case.recent': { good: [{}], bad: [{ limit: 3 }] },
  'import.start': {
    good: [{ paths: ['/evidence'] }, { paths: ['/a.zip', 'b.json.gz'] }],
    bad: [{ paths: [] }, { paths: '/evidence' }, { paths: [1] }, { paths: [''] }, { paths: Array(1001).fill('/a') }, { paths: ['/a'], recursive: true }, {}],
  },
  'jobs.cancel': { good: [{ jobId: 1 }], bad: [{ jobId: 0 }, { jobId: 1.5 }, { jobId: '1' }, { jobId: -1 }, {}] },
  'findings.list': { good: [{}], bad: [{ severity: 'high' }] },
  'coverage.list': { good: [{}], bad: [{ kind: 'gcp-no-data-access' }] },
  'import.history': { good: [{}], bad: [{ limit: 5 }] },
  'chain.timeline': { good: [{ findingId: 3 }], bad: [{ findingId: 'x' }, { findingId: Number.NaN }, { findingId: 2 ** 60 }, { id: 3 }] },
  'chain.map': { good: [{ findingId: 1 }], bad: [{}, { findingId: 0 }] },
  'events.page': {
    good: [
      { filter: {}, limit: 200 },
      { filter: { action: 'AssumeRole', country: 'de', outcome: 'failure', fromMs: 0, toMs: 10, asn: 24940, text: 'Tor', principal: 'arn:x', account: '1', sourceIp: '185.220.101.34', credential: 'ASIAEXAMPLE' }, after: { timeMs: 5, id: 9 }, limit: 1 },
      { filter: { action: undefined }, limit: 1000 },
    ],
    bad: [
      { filter: {}, limit: 0 }, { filter: {}, limit: 1001 }, { filter: {}, limit: 10.5 }, { filter: {} }, { limit: 10 },
      { filter: { actions: 'x' }, limit: 1 }, { filter: { country: 'Germany' }, limit: 1 }, { filter: { outcome: 'ok' }, limit: 1 },
      { filter: { fromMs: 10, toMs: 5 }, limit: 1 }, { filter: { asn: -1 }, limit: 1 }, { filter: { action: null }, limit: 1 },
      { filter: { text: '' }, limit: 1 }, { filter: {}, after: { timeMs: 1 }, limit: 1 }, { filter: {}, after: { timeMs: 1, id: 2, x: 3 }, limit: 1 },
      { filter: { fromMs: Number.POSITIVE_INFINITY }, limit: 1 }, { filter: [], limit: 1 },
    ],
  },
  'events.get': { good: [{ id: 42 }], bad: [{ id: 0 }, { id: '42' }, { id: 42, raw: true }] },
  'events.histogram': { good: [{ filter: {}, buckets: 120 }], bad: [{ filter: {}, buckets: 0 }, { filter: {}, buckets: 100000 }, { filter: {} }, { buckets: 10 }] },
  'settings.get': { good: [{}], bad: [{ key: 'x' }] },
  'settings.set': {
    good: [{ settings }, { settings: goodSettings }, { settings: { ...settings, baselineDays: 30 } }],
    bad: [
      {}, { settings: {} }, { settings: { ...settings, windowMinutes: 0 } }, { settings: { ...settings, windowMinutes: 60 * 24 * 365 } },
      { settings: { ...settings, baselineDays: 'all' } }, { settings: { ...settings, extra: 1 } },
      { settings: { ...settings, allowlist: { ...settings.allowlist, cidrs: ['not a network'] } } },
      { settings: { ...settings, allowlist: { ...settings.allowlist, cidrs: ['10.0.0.0/33'] } } },
      { settings: { ...settings, allowlist: { ...settings.allowlist, asns: ['64500'] } } },
      { settings: { ...settings, allowlist: { ...settings.allowlist, accounts: 'x' } } },
      { settings: { ...settings, allowlist: { accounts: [], roles: [], cidrs: [], asns: [] } } },
      { settings: { ...settings, geo: { cityMmdb: 5 } } }, { settings: { ...settings, geo: { city: '/a' } } },
    ],
  },
  'correlate.run': { good: [{}], bad: [{ now: true }] },
  'annotations.list': { good: [{}], bad: [{ kind: 'finding' }] },
  'annotations.save': {
    good: [
      { target: { kind: 'finding', provider: 'aws', entryEventId: 'e-1' }, verdict: 'malicious', tags: ['apt', 'vendor'], note: 'Looks bad <b>', bookmarked: true },
      { target: { kind: 'session', provider: 'aws', sessionKey: 'ASIA123' }, verdict: null, tags: [], note: '', bookmarked: false },
      { target: { kind: 'event', provider: 'aws', eventId: 7, nativeId: 'x' }, verdict: 'needs-review', tags: [], note: 'n', bookmarked: false },
    ],
    bad: [
      {}, { target: { kind: 'finding', provider: 'aws', entryEventId: 'e' }, verdict: 'evil', tags: [], note: '', bookmarked: false },
      { target: { kind: 'chain', provider: 'aws' }, verdict: null, tags: [], note: '', bookmarked: false },
      { target: { kind: 'event', provider: 'aws', eventId: 0, nativeId: 'x' }, verdict: null, tags: [], note: '', bookmarked: false },
      { target: { kind: 'finding', provider: 'aws', entryEventId: 'e' }, verdict: null, tags: 'x', note: '', bookmarked: false },
      { target: { kind: 'finding', provider: 'aws', entryEventId: 'e' }, verdict: null, tags: [], note: null, bookmarked: false },
      { target: { kind: 'finding', provider: 'aws', entryEventId: 'e' }, verdict: null, tags: [], note: '', bookmarked: 'yes' },
      { target: { kind: 'finding', provider: 'aws', entryEventId: 'e', extra: 1 }, verdict: null, tags: [], note: '', bookmarked: false },
    ],
  },
  'annotations.delete': { good: [{ id: 3 }], bad: [{ id: 0 }, {}, { id: '3' }] },
  'audit.list': { good: [{}, { limit: 50 }, undefined], bad: [{ limit: 0 }, { limit: 'all' }, { since: 1 }] },
  'report.export': {
    good: [{ format: 'html', out: '/tmp/r.html' }, { format: 'csv', what: 'events', out: 'e.csv', filter: { action: 'AssumeRole' } }, { format: 'json', what: 'timeline', findingId: 2, out: '/tmp/t.json' }, { format: 'pdf', out: '/tmp/r.pdf' }],
    bad: [{ format: 'docx', out: '/tmp/r' }, { format: 'html' }, { format: 'csv', out: '/a', what: 'all' }, { format: 'csv', out: '/a', findingId: 0 }, { format: 'csv', out: '/a', filter: { country: 'Germany' } }, { format: 'html', out: '/a', x: 1 }],
  },
};

test('every request channel has a validator and a case here', () => {
  assert.deepEqual(Object.keys(VALIDATORS).sort(), [...REQUEST_CHANNELS].sort());
  assert.deepEqual(Object.keys(CASES).sort(), [...REQUEST_CHANNELS].sort());
  assert.ok(isRequestChannel('events.page'));
  assert.ok(!isRequestChannel('events.drop') && !isRequestChannel(7) && !isRequestChannel('__proto__'));
});

for (const channel of REQUEST_CHANNELS) {
  test(`${channel}: accepts good requests, refuses bad ones with the field named`, () => {
    for (const good of CASES[channel].good) assert.doesNotThrow(() => validateRequest(channel, good), `${channel} should accept ${JSON.stringify(good)}`);
    for (const bad of CASES[channel].bad) {
      assert.throws(() => validateRequest(channel, bad), (err: unknown) => err instanceof RequestValidationError && err.message.length > 0, `${channel} should refuse ${JSON.stringify(bad)?.slice(0, 200)}`);
    }
  });
}

test('validators normalise what they accept: trimmed strings, upper-case country, undefined fields dropped', () => {
  const r = validateRequest('events.page', { filter: { action: ' AssumeRole ', country: 'de', text: undefined }, limit: 5 });
  assert.deepEqual(r, { filter: { action: 'AssumeRole', country: 'DE' }, limit: 5 });
  assert.throws(() => validateRequest('events.page', JSON.parse('{"filter":{},"limit":1,"__proto__":{"x":1}}')), /unknown field/);
  assert.throws(() => validateRequest('case.open', { file: '/a', constructor: 1 }), /unknown field "constructor"/);
});

test('a source filter is an address or a CIDR block: a typo is refused, not answered with no events', () => {
  for (const ok of ['94.102.49.1', ' 94.102.49.0/24 ', '2A0B:F4C2::42', '2a0b:f4c2::/32']) assert.equal(validateRequest('events.page', { filter: { sourceIp: ok }, limit: 1 }).filter.sourceIp, ok.trim());
  for (const bad of ['94.102.49.1/33', 'hello', '300.1.1.1']) {
    assert.throws(() => validateRequest('events.page', { filter: { sourceIp: bad }, limit: 1 }), /filter\.sourceIp: is not an IP address or CIDR block/);
  }
});
