// Real lookups against the bundled DB-IP / ip-location-db data, plus a tiny hand-built MaxMind-shaped
// .mmdb so the analyst's GeoLite2 path is exercised without shipping MaxMind data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asnRangesOf, haversineKm, networkOf, openGeoEnricher, type GeoEnricher } from './geo-enricher';

let geo: GeoEnricher;
before(() => {
  geo = openGeoEnricher(); // ~0.7 s: 134 MB of city data and 0.5M ASN ranges, so opened once
});

const LONDON = { lat: 51.5074, lon: -0.1278 };

test('well-known IPv4 addresses get country, city, coordinates and ASN', () => {
  const a = geo.lookup('81.2.69.142'); // MaxMind's own London test address
  assert.equal(a?.country, 'GB');
  assert.equal(a?.city, 'London');
  assert.ok(haversineKm(LONDON, { lat: a!.lat!, lon: a!.lon! }) < 50);
  assert.equal(a?.asn, 20712);

  const google = geo.lookup('8.8.8.8');
  assert.equal(google?.country, 'US');
  assert.equal(google?.asn, 15169);
  assert.match(google?.asOrg ?? '', /Google/);

  const tor = geo.lookup('185.220.101.1'); // a Tor exit range, typical of hostile sign-ins
  assert.equal(tor?.country, 'DE');
  assert.equal(tor?.asn, 60729);
  assert.ok(tor?.asOrg);
});

test('IPv6 addresses are looked up, and IPv4-mapped IPv6 answers as its IPv4 address', () => {
  const v6 = geo.lookup('2001:4860:4860::8888');
  assert.equal(v6?.asn, 15169);
  assert.match(v6?.asOrg ?? '', /Google/);
  assert.match(v6?.country ?? '', /^[A-Z]{2}$/);
  assert.ok(v6?.city);
  assert.deepEqual(geo.lookup('::ffff:8.8.8.8'), geo.lookup('8.8.8.8'));
  assert.deepEqual(geo.lookup(' [2001:4860:4860::8888] '), v6);
});

test('non-IP strings and private or reserved ranges give null', () => {
  for (const s of ['lambda.amazonaws.com', 'AWS Internal', '', 'not an ip', '999.1.1.1', '3607101441',
    '10.1.2.3', '172.16.5.4', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.1.2.3',
    '192.0.2.1', '198.51.100.7', '203.0.113.9', '224.0.0.251', '255.255.255.255',
    '::', '::1', 'fe80::1%eth0', 'fd00::1', '2001:db8::1', 'ff02::1']) {
    assert.equal(geo.lookup(s), null, s);
  }
});

test('results are memoised and frozen', () => {
  const first = geo.lookup('1.1.1.1');
  assert.ok(first);
  assert.equal(geo.lookup('1.1.1.1'), first);
  assert.ok(Object.isFrozen(first));
});

test('sources name the bundled data, its CC BY 4.0 licence, attribution and build date', () => {
  assert.deepEqual(geo.sources.map((s) => s.kind), ['city', 'city', 'asn', 'asn']);
  for (const s of geo.sources) {
    assert.equal(s.licence, 'CC BY 4.0');
    assert.match(s.attribution, /DB-IP\.com/);
    assert.match(s.buildDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(existsSync(s.file), s.file);
  }
  assert.match(geo.sources[0]!.attribution, /IP geolocation by DB-IP\.com/);
  assert.match(geo.sources[2]!.attribution, /RouteViews/);
});

test('networkOf gives the /24 for IPv4 and the /48 for IPv6', () => {
  assert.equal(networkOf('81.2.69.142'), '81.2.69.0/24');
  assert.equal(networkOf('::ffff:81.2.69.142'), '81.2.69.0/24');
  assert.equal(networkOf('2001:4860:4860::8888'), '2001:4860:4860::/48');
  assert.equal(networkOf('2a03:2880:f003:c07:face:b00c::2'), '2a03:2880:f003::/48');
  assert.equal(networkOf('2001:DB8:0:1::5'), '2001:db8::/48');
  assert.equal(networkOf('2001:0:5:1::5'), '2001:0:5::/48');
  assert.equal(networkOf('lambda.amazonaws.com'), 'lambda.amazonaws.com');
});

test('haversineKm measures great-circle distance', () => {
  assert.equal(haversineKm(LONDON, LONDON), 0);
  assert.ok(Math.abs(haversineKm(LONDON, { lat: 48.8566, lon: 2.3522 }) - 343.6) < 1); // Paris
  assert.ok(Math.abs(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 }) - Math.PI * 6371) < 1e-6);
});

test('a missing or non-mmdb custom path fails with an error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geo-'));
  const missing = join(dir, 'GeoLite2-City.mmdb');
  assert.throws(() => openGeoEnricher({ cityMmdb: missing }), (e: Error) => e.message.includes(missing) && /not found/.test(e.message));
  const text = join(dir, 'notes.mmdb');
  writeFileSync(text, 'hello, not a database\n');
  assert.throws(() => openGeoEnricher({ asnMmdb: text }), (e: Error) => e.message.includes(text) && /not a MaxMind DB/.test(e.message));
  assert.throws(() => openGeoEnricher({ cityMmdb: dir }), (e: Error) => e.message.includes(dir));
});

test("the analyst's MaxMind GeoLite2 City and ASN files are read in MaxMind's record shape", () => {
  const dir = mkdtempSync(join(tmpdir(), 'geo-'));
  const city = join(dir, 'GeoLite2-City.mmdb');
  const asn = join(dir, 'GeoLite2-ASN.mmdb');
  writeFileSync(city, tinyMmdb('GeoLite2-City', {
    country: { iso_code: 'GB', names: { en: 'United Kingdom' } },
    city: { names: { en: 'London', de: 'London' } },
    location: { latitude: 51.5142, longitude: -0.0931, accuracy_radius: 20 },
  }));
  writeFileSync(asn, tinyMmdb('GeoLite2-ASN', { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' }));
  const custom = openGeoEnricher({ cityMmdb: city, asnMmdb: asn });
  const expected = { country: 'GB', city: 'London', lat: 51.5142, lon: -0.0931, asn: 20712, asOrg: 'Andrews & Arnold Ltd' };
  assert.deepEqual(custom.lookup('81.2.69.142'), expected);
  assert.deepEqual(custom.lookup('2a00:1450::1'), expected); // the tiny tree maps all of ::/1 to one record
  assert.equal(custom.lookup('c000::1'), null); // 8000::/1 has no data
  assert.deepEqual(custom.sources.map((s) => [s.kind, s.licence, s.buildDate, s.file]), [
    ['city', 'MaxMind GeoLite2 EULA', '2024-01-02', city],
    ['asn', 'MaxMind GeoLite2 EULA', '2024-01-02', asn],
  ]);
  assert.match(custom.sources[0]!.attribution, /MaxMind/);
});

/**
 * Builds the smallest valid IPv6 MaxMind DB: one tree node whose left half (::/1, which holds IPv4 via
 * ::/96) points at `record`, and whose right half (8000::/1) is empty. Encoding per the MaxMind DB spec.
 */
function tinyMmdb(databaseType: string, record: object): Buffer {
  const ctrl = (type: number, size: number) => {
    const [low, ext] = size < 29 ? [size, []] : [29, [size - 29]]; // sizes 29..284 take one extra byte
    return Buffer.from(type <= 7 ? [(type << 5) | low, ...ext] : [low, type - 7, ...ext]);
  };
  const uint = (type: number, n: bigint) => {
    const bytes: number[] = [];
    for (let v = n; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
    return Buffer.concat([ctrl(type, bytes.length), Buffer.from(bytes)]);
  };
  const enc = (v: unknown): Buffer => {
    if (typeof v === 'string') return Buffer.concat([ctrl(2, Buffer.byteLength(v)), Buffer.from(v)]);
    if (typeof v === 'bigint') return uint(9, v);
    if (typeof v === 'number' && Number.isInteger(v)) return uint(6, BigInt(v));
    if (typeof v === 'number') { const b = Buffer.alloc(8); b.writeDoubleBE(v); return Buffer.concat([ctrl(3, 8), b]); }
    if (Array.isArray(v)) return Buffer.concat([ctrl(11, v.length), ...v.map(enc)]);
    const entries = Object.entries(v as object);
    return Buffer.concat([ctrl(7, entries.length), ...entries.flatMap(([k, x]) => [enc(k), enc(x)])]);
  };
  const nodeCount = 1;
  const tree = Buffer.from([0, 0, nodeCount + 16, 0, 0, nodeCount]); // 24-bit records: left → data offset 0, right → empty
  const metadata = enc({
    node_count: nodeCount, record_size: 24, ip_version: 6, database_type: databaseType, languages: ['en'],
    binary_format_major_version: 2, binary_format_minor_version: 0, build_epoch: 1704153600n, description: { en: 'test' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), enc(record), Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), metadata]);
}

const asnDir = mkdtempSync(join(tmpdir(), 'crossline-asn-'));
after(() => rmSync(asnDir, { recursive: true, force: true }));

/** Writes an ASN CSV of the bundled files' shape and returns its path. */
function asnCsv(name: string, text: string): string {
  const file = join(asnDir, name);
  writeFileSync(file, text);
  return file;
}

test('the ASN table reads ranges inclusively, quoted organisation names, and names the file and line of a bad row', () => {
  // 1.0.0.0–1.0.0.255, 1.0.1.0–1.0.1.255 (a quoted name with a comma and a doubled quote), 1.0.4.0–1.0.4.255 (ASN 0).
  const lookup = asnRangesOf(asnCsv('v4.csv', '16777216,16777471,13335,"Cloudflare, Inc."\n16777472,16777727,64512,"The ""Quoted"" Co"\n16778240,16778495,0,Unrouted\n'), 4);
  assert.deepEqual(lookup('1.0.0.0'), { asn: 13335, asOrg: 'Cloudflare, Inc.' });
  assert.deepEqual(lookup('1.0.0.255'), { asn: 13335, asOrg: 'Cloudflare, Inc.' });
  assert.deepEqual(lookup('1.0.1.7'), { asn: 64512, asOrg: 'The "Quoted" Co' });
  assert.equal(lookup('1.0.2.1'), null, 'between ranges');
  assert.equal(lookup('0.255.255.255'), null, 'before the first range');
  assert.deepEqual(lookup('1.0.4.1'), { asn: null, asOrg: 'Unrouted' });

  const v6 = asnCsv('v6.csv', '2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n');
  assert.deepEqual(asnRangesOf(v6, 6)('2001:4860:4860::8888'), { asn: 15169, asOrg: 'Google LLC' });

  const bad = asnCsv('bad.csv', '16777216,16777471,13335,Cloudflare\n16777472,x,64512,Bad\n');
  assert.throws(() => asnRangesOf(bad, 4), (err: Error) => err.message.includes(bad) && /line 2 is not start,end,asn,organisation/.test(err.message));
  assert.throws(() => asnRangesOf(asnCsv('short.csv', '16777216,16777471\n'), 4), /line 1 is not start,end,asn,organisation/);
  assert.throws(() => asnRangesOf(asnCsv('unsorted.csv', '16777472,16777727,1,B\n16777216,16777471,2,A\n'), 4), /is not sorted by range start \(line 2\)/);
});

test('the ASN table reads CRLF lines and refuses an IPv6 row that is not an address', () => {
  const lookup = asnRangesOf(asnCsv('crlf.csv', '16777216,16777471,13335,"Cloudflare, Inc."\r\n16777472,16777727,64512,Plain Name\r\n'), 4);
  assert.deepEqual(lookup('1.0.0.1'), { asn: 13335, asOrg: 'Cloudflare, Inc.' });
  assert.deepEqual(lookup('1.0.1.1'), { asn: 64512, asOrg: 'Plain Name' });
  const bad = asnCsv('bad6.csv', '2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n2001:zz::,2001:4861::,1,Bad\n');
  assert.throws(() => asnRangesOf(bad, 6), /line 2 is not start,end,asn,organisation/);
});
