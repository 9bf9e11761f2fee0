import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  ACCOUNTS, DATADOG_ACCOUNT, NETWORKS, ORG_ACCOUNTS, ORG_ID, generateEvents, isoSeconds, plantedChains, plantedNearMisses, writeS3Layout,
  type CloudTrailRecord, type SynthEvent, type SynthOptions,
} from './cloudtrail-synth';

/** Small enough to run in a second or two, long enough to hold every planted scenario and a weekend. */
const OPTS: SynthOptions = { seed: 1348, startMs: Date.UTC(2026, 9, 1), days: 5, targetEvents: 6000, chains: true };
const MINUTE = 60_000;

type Rec = CloudTrailRecord & {
  eventID: string;
  eventName: string;
  eventTime: string;
  sourceIPAddress: string;
  recipientAccountId: string;
  userIdentity: Record<string, unknown> & { sessionContext?: { sourceIdentity?: string } };
  requestParameters: Record<string, unknown> | null;
  responseElements: { credentials?: { accessKeyId: string } } | null;
};

let cached: SynthEvent[] | null = null;
function events(): SynthEvent[] {
  cached ??= [...generateEvents(OPTS)];
  return cached;
}
const rec = (ev: SynthEvent): Rec => ev.record as Rec;
const byId = (): Map<string, Rec> => new Map(events().map((e) => [rec(e).eventID, rec(e)]));
const issuedKey = (r: Rec): string | undefined => r.responseElements?.credentials?.accessKeyId;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')).sort();
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'crossline-synth-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('same seed gives the same events; another seed gives others', () => {
  const digest = (opts: SynthOptions) => {
    const h = createHash('sha256');
    for (const ev of generateEvents(opts)) h.update(JSON.stringify(ev.record)).update('\n');
    return h.digest('hex');
  };
  const small = { ...OPTS, days: 2, targetEvents: 1500 };
  assert.equal(digest(small), digest(small));
  assert.notEqual(digest(small), digest({ ...small, seed: 7 }));
});

test('same seed writes a byte-identical S3 layout', async () => {
  const small = { ...OPTS, days: 2, targetEvents: 1500 };
  await withTempDir(async (root) => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const statsA = await writeS3Layout(a, generateEvents(small), { digests: true });
    const statsB = await writeS3Layout(b, generateEvents(small), { digests: true });
    assert.deepEqual(statsA, statsB);
    const files = await filesUnder(a);
    assert.deepEqual(await filesUnder(b), files);
    for (const f of files) assert.ok((await readFile(join(a, f))).equals(await readFile(join(b, f))), `${f} differs`);
  });
});

test('events stream in time order, whole seconds, with complete records', () => {
  let last = -Infinity;
  const ids = new Set<string>();
  for (const ev of events()) {
    const r = rec(ev);
    assert.ok(ev.timeMs >= last, 'time order');
    last = ev.timeMs;
    assert.equal(r.eventTime, isoSeconds(ev.timeMs));
    assert.match(r.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(ev.timeMs >= OPTS.startMs && ev.timeMs < OPTS.startMs + OPTS.days * 86_400_000);
    assert.equal(r.eventVersion, '1.08');
    assert.match(r.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(!ids.has(r.eventID), 'eventIDs are unique');
    ids.add(r.eventID);
    assert.equal(r.recipientAccountId, ev.accountId);
    assert.equal(r.awsRegion, ev.region);
    assert.ok(ORG_ACCOUNTS.includes(ev.accountId));
    for (const field of ['userIdentity', 'eventSource', 'eventName', 'sourceIPAddress', 'userAgent', 'readOnly', 'eventType', 'managementEvent', 'eventCategory']) {
      assert.ok(field in r, `${r.eventName} lacks ${field}`);
    }
    assert.ok(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent'].includes(String(r.eventType)));
    if (r.eventType === 'AwsApiCall') assert.ok(r.requestID, `${r.eventName} lacks requestID`);
    assert.doesNotMatch(r.sourceIPAddress, /^(192\.0\.2|198\.51\.100|203\.0\.113)\./, 'no documentation ranges');
  }
});

test('volume, record size, denials and Datadog cadence look like a real organisation', () => {
  const all = events();
  assert.ok(Math.abs(all.length - OPTS.targetEvents) / OPTS.targetEvents < 0.1, `got ${all.length} events`);
  const avg = all.reduce((n, e) => n + JSON.stringify(e.record).length, 0) / all.length;
  assert.ok(avg > 900 && avg < 2000, `average record ${avg} bytes`);
  const denied = all.filter((e) => rec(e).errorCode).length / all.length;
  assert.ok(denied > 0.002 && denied < 0.05, `denials ${denied}`);
  const datadogAssumes = all
    .filter((e) => rec(e).eventName === 'AssumeRole' && rec(e).userIdentity.accountId === DATADOG_ACCOUNT && (NETWORKS.datadog as readonly string[]).includes(rec(e).sourceIPAddress))
    .map((e) => e.timeMs);
  const gaps = datadogAssumes.slice(1).map((t, i) => t - (datadogAssumes[i] as number)).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] as number;
  assert.ok(median >= 9 * MINUTE && median <= 11 * MINUTE, `Datadog median gap ${median / MINUTE} min`);
});

test('temporary keys are issued before use and link calls to their assumption', () => {
  const issued = new Map<string, number>();
  for (const ev of events()) {
    const r = rec(ev);
    const key = issuedKey(r);
    if (key && !issued.has(key)) issued.set(key, ev.timeMs);
    const used = r.userIdentity.accessKeyId;
    if (typeof used === 'string' && used.startsWith('ASIA')) {
      const at = issued.get(used);
      assert.ok(at !== undefined && at <= ev.timeMs, `${r.eventName} uses ${used} before it was issued`);
    }
  }
});

test('cross-account AssumeRole has two views inside the org and one for outside callers', () => {
  const groups = new Map<string, Rec[]>();
  for (const ev of events()) {
    const r = rec(ev);
    if (typeof r.sharedEventID === 'string') groups.set(r.sharedEventID, [...(groups.get(r.sharedEventID) ?? []), r]);
  }
  let twoViews = 0;
  for (const views of groups.values()) {
    const roleView = views.find((v) => v.userIdentity.type === 'AWSAccount');
    assert.ok(roleView, 'the role account sees the caller as AWSAccount');
    const callerAccount = String(roleView.userIdentity.accountId);
    assert.notEqual(callerAccount, roleView.recipientAccountId);
    if (ORG_ACCOUNTS.includes(callerAccount)) {
      assert.equal(views.length, 2);
      const callerView = views.find((v) => v !== roleView) as Rec;
      assert.equal(callerView.recipientAccountId, callerAccount);
      assert.equal(callerView.requestID, roleView.requestID);
      assert.notEqual(callerView.eventID, roleView.eventID);
      assert.equal(callerView.userIdentity.principalId, roleView.userIdentity.principalId);
      twoViews++;
    } else {
      assert.equal(views.length, 1, 'the outside caller\'s own copy is not in the evidence');
    }
  }
  assert.ok(twoViews > 0, 'CI deploys into prod produce in-org two-view events');
});

test('the S3 layout follows CloudTrail delivery paths and file contents', async () => {
  await withTempDir(async (dir) => {
    const stats = await writeS3Layout(dir, generateEvents({ ...OPTS, days: 2, targetEvents: 2000 }), { digests: true });
    const files = await filesUnder(dir);
    const logs = files.filter((f) => f.includes('/CloudTrail/'));
    assert.equal(logs.length, stats.files);
    const pathRe = new RegExp(`^AWSLogs/${ORG_ID}/(\\d{12})/CloudTrail/([a-z]{2}-[a-z]+-\\d)/(\\d{4})/(\\d\\d)/(\\d\\d)/\\1_CloudTrail_\\2_(\\d{4})(\\d\\d)(\\d\\d)T(\\d\\d)(\\d\\d)Z_[A-Za-z0-9]{16}\\.json\\.gz$`);
    let records = 0;
    for (const f of logs) {
      const m = pathRe.exec(f);
      assert.ok(m, `bad path ${f}`);
      const [, account, region, y, mo, d, fy, fmo, fd, hh, mm] = m;
      assert.deepEqual([y, mo, d], [fy, fmo, fd], 'folder date is the file date');
      const text = gunzipSync(await readFile(join(dir, f))).toString('utf8');
      assert.ok(text.startsWith('{"Records":['), 'compact Records wrapper');
      const body = JSON.parse(text) as { Records: Rec[] };
      assert.equal(JSON.stringify(body), text, 'compact JSON');
      assert.ok(body.Records.length > 0);
      const delivered = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm));
      for (const r of body.Records) {
        assert.equal(r.recipientAccountId, account);
        assert.equal(r.awsRegion, region);
        const t = Date.parse(r.eventTime);
        assert.ok(t >= delivered - 5 * MINUTE && t < delivered, `${r.eventTime} is outside the 5-minute window of ${f}`);
      }
      records += body.Records.length;
    }
    assert.equal(records, stats.events);
    assert.ok(stats.gzBytes > 0 && stats.jsonBytes > stats.gzBytes);
  });
});

test('digest files carry the real top-level keys and hash the log files they list', async () => {
  await withTempDir(async (dir) => {
    const stats = await writeS3Layout(dir, generateEvents({ ...OPTS, days: 2, targetEvents: 2000 }), { digests: true });
    const digests = (await filesUnder(dir)).filter((f) => f.includes('/CloudTrail-Digest/'));
    assert.equal(digests.length, stats.digestFiles);
    assert.ok(digests.length > 0 && digests.length <= 3 * ORG_ACCOUNTS.length * 2, `${digests.length} digests`);
    const keys = ['awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint', 'digestSignatureAlgorithm',
      'newestEventTime', 'oldestEventTime', 'previousDigestS3Bucket', 'previousDigestS3Object', 'previousDigestHashValue', 'previousDigestHashAlgorithm', 'previousDigestSignature', 'logFiles'];
    const pathRe = new RegExp(`^AWSLogs/${ORG_ID}/(\\d{12})/CloudTrail-Digest/([a-z]{2}-[a-z]+-\\d)/\\d{4}/\\d\\d/\\d\\d/\\1_CloudTrail-Digest_\\2_[\\w-]+_\\2_\\d{8}T\\d{6}Z\\.json\\.gz$`);
    const byPath = new Map<string, { digest: Record<string, unknown>; raw: Buffer }>();
    for (const f of digests) {
      assert.match(f, pathRe);
      const raw = gunzipSync(await readFile(join(dir, f)));
      const digest = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(digest), keys);
      assert.equal(digest.digestS3Object, f);
      byPath.set(f, { digest, raw });
      for (const lf of digest.logFiles as { s3Object: string; hashValue: string }[]) {
        const content = gunzipSync(await readFile(join(dir, lf.s3Object)));
        assert.equal(lf.hashValue, createHash('sha256').update(content).digest('hex'));
      }
    }
    for (const { digest } of byPath.values()) {
      const prev = digest.previousDigestS3Object;
      if (prev === null) continue;
      const before = byPath.get(String(prev));
      assert.ok(before, 'previous digest exists');
      assert.equal(digest.previousDigestHashValue, createHash('sha256').update(before.raw).digest('hex'));
    }
  });
});

test('planted chains appear in the stream with the linking fields a correlator needs', () => {
  const chains = plantedChains(OPTS);
  assert.deepEqual(chains.map((c) => c.name), ['external-burst', 'role-chain', 'vendor-new-network']);
  const index = byId();
  const planted = new Set(chains.flatMap((c) => c.eventIds));
  for (const chain of chains) {
    const recs = chain.eventIds.map((id) => index.get(id));
    assert.ok(recs.every(Boolean), `${chain.name}: every ground-truth event is generated`);
    const entry = index.get(chain.entryEventId) as Rec;
    assert.equal(entry.eventName, 'AssumeRole');
    assert.equal(entry.userIdentity.type, 'AWSAccount');
    assert.equal(entry.userIdentity.accountId, chain.externalAccount);
    assert.ok(typeof entry.sharedEventID === 'string');
    assert.ok(chain.privilegedEventIds.length >= 2);
    const issued = new Set(chain.assumeEventIds.map((id) => issuedKey(index.get(id) as Rec)).filter(Boolean));
    assert.deepEqual([...issued].sort(), [...new Set(chain.accessKeyIds)].sort());
    for (const id of chain.privilegedEventIds) {
      const r = index.get(id) as Rec;
      assert.equal(r.recipientAccountId, chain.targetAccount);
      assert.equal(r.readOnly, r.eventName === 'GetSecretValue');
      assert.ok(issued.has(String(r.userIdentity.accessKeyId)), `${r.eventName} uses a key the chain was issued`);
      assert.ok(chain.sourceIps.includes(r.sourceIPAddress));
    }
    // The chain's networks are new: nothing outside the planted scenarios uses them.
    for (const ev of events()) {
      if (!planted.has(rec(ev).eventID)) assert.ok(!chain.sourceIps.includes(rec(ev).sourceIPAddress), `${chain.name} IP reused by the baseline`);
    }
  }

  const burst = chains[0]!;
  const t0 = Date.parse((index.get(burst.entryEventId) as Rec).eventTime);
  const names = burst.privilegedEventIds.map((id) => (index.get(id) as Rec).eventName);
  assert.deepEqual(names, ['CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'StopLogging', 'PutBucketPolicy', 'GetSecretValue']);
  for (const id of burst.eventIds.slice(1)) {
    const dt = Date.parse((index.get(id) as Rec).eventTime) - t0;
    assert.ok(dt >= 2 * MINUTE && dt <= 20 * MINUTE, 'the burst follows within 2-20 minutes');
  }
  assert.ok(!ORG_ACCOUNTS.includes(burst.externalAccount as string));

  const chain = chains[1]!;
  const hops = chain.assumeEventIds.map((id) => index.get(id) as Rec);
  assert.equal(hops.length, 3);
  const [, callerView, roleView] = hops as [Rec, Rec, Rec];
  assert.equal(callerView.sharedEventID, roleView.sharedEventID);
  assert.equal(callerView.requestID, roleView.requestID);
  assert.equal(callerView.recipientAccountId, ACCOUNTS.dev);
  assert.equal(roleView.recipientAccountId, ACCOUNTS.prod);
  assert.equal(callerView.requestParameters?.sourceIdentity, 'partner-ops-jk');
  for (const id of chain.privilegedEventIds) assert.equal((index.get(id) as Rec).userIdentity.sessionContext?.sourceIdentity, 'partner-ops-jk');

  const vendor = chains[2]!;
  assert.equal(vendor.externalAccount, DATADOG_ACCOUNT);
  assert.ok(!(NETWORKS.datadog as readonly string[]).includes(vendor.sourceIps[0] as string));
  const modify = vendor.privilegedEventIds.map((id) => index.get(id) as Rec).find((r) => r.eventName === 'ModifySnapshotAttribute');
  assert.deepEqual((modify?.requestParameters?.createVolumePermission as { add: unknown }).add, { items: [{ group: 'all' }] });
});

test('near misses are planted as described', () => {
  const index = byId();
  const [recon, denied, late] = plantedNearMisses(OPTS);
  assert.equal(recon?.name, 'nm-external-recon');
  assert.deepEqual(recon.privilegedEventIds, []);
  for (const id of recon.eventIds) assert.equal((index.get(id) as Rec).readOnly, true);

  assert.equal(denied?.name, 'nm-denied-assume');
  for (const id of denied.eventIds) {
    const r = index.get(id) as Rec;
    assert.equal(r.errorCode, 'AccessDenied');
    assert.equal(r.responseElements, null);
  }
  assert.deepEqual(denied.accessKeyIds, []);

  assert.equal(late?.name, 'nm-sso-late-privileged');
  const [privileged] = late.privilegedEventIds.map((id) => index.get(id) as Rec);
  const entry = index.get(late.entryEventId) as Rec;
  assert.equal(entry.eventName, 'AssumeRoleWithSAML');
  assert.notEqual(privileged?.userIdentity.accessKeyId, issuedKey(entry), 'a different session');
  assert.ok(Date.parse(String(privileged?.eventTime)) - Date.parse(entry.eventTime) > 2 * 60 * MINUTE, 'hours later');
});

test('ground truth depends on the seed and period only, and disappears without chains', () => {
  assert.deepEqual(plantedChains(OPTS), plantedChains({ ...OPTS, targetEvents: 100 }));
  assert.notDeepEqual(plantedChains(OPTS), plantedChains({ ...OPTS, seed: 99 }));
  assert.deepEqual(plantedChains({ ...OPTS, chains: false }), []);
  const plantedIps = new Set<string>(Object.values(NETWORKS.planted));
  for (const ev of generateEvents({ ...OPTS, days: 2, targetEvents: 1500, chains: false })) {
    assert.ok(!plantedIps.has(rec(ev).sourceIPAddress));
  }
});

test('generation streams: the first events of a million-event run come at once', () => {
  const started = performance.now();
  const it = generateEvents({ ...OPTS, days: 30, targetEvents: 1_000_000 });
  for (let i = 0; i < 100; i++) assert.equal(it.next().done, false);
  assert.ok(performance.now() - started < 2000, 'no up-front generation of the whole period');
});
