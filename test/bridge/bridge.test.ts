// The loopback bridge over the real core, end to end: token and Host checks, the bundled sample imported
// and correlated through `case.openSample` with progress over Server-Sent Events, then the reads the app
// makes (findings, a chain's timeline and map, explorer pages with filters and keyset paging, one event's
// raw record, the histogram), and an allowlist in the settings that removes a finding after re-correlation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Finding } from '../../shared/domain/correlation';
import type { EventChannel, EventFilter, EventRow, Events, JobFinished, RequestChannel, RequestOf, ResponseOf, Result } from '../../shared/ipc/contract';
import { startLoopbackServer, type LoopbackServer } from '../../electron/core/bridge/loopback-server';
import { createWorkbench, type Workbench } from '../../electron/core/services/workbench';
import { CONTENT_SECURITY_POLICY } from '../../electron/core/security';

const root = resolve(import.meta.dirname, '..', '..');
const truth = JSON.parse(readFileSync(join(root, 'resources', 'samples', 'acme-org.truth.json'), 'utf8')) as {
  chains: { name: string; kind: string; entryEventId: string; sourceIps: string[]; externalAccount?: string }[];
};
const planted = truth.chains.filter((c) => c.kind !== 'near-miss');

let dir: string;
let service: Workbench;
let server: LoopbackServer;
let port: number;
const received: { channel: EventChannel; payload: unknown }[] = [];
let sse: IncomingMessage | null = null;

/** A raw HTTP request, so the Host header can be anything. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

async function rpc<C extends RequestChannel>(channel: C, req: RequestOf<C>): Promise<ResponseOf<C>> {
  const r = await fetch(`${server.url}/rpc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-crossline-token': server.token }, body: JSON.stringify(req) });
  assert.equal(r.status, 200, `${channel}: HTTP ${r.status}`);
  const result = (await r.json()) as Result<ResponseOf<C>>;
  if (!result.ok) assert.fail(`${channel} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function waitFor<E extends EventChannel>(channel: E, match: (p: Events[E]) => boolean, timeoutMs = 60_000): Promise<Events[E]> {
  const start = Date.now();
  for (;;) {
    const hit = received.find((e) => e.channel === channel && match(e.payload as Events[E]));
    if (hit) return hit.payload as Events[E];
    if (Date.now() - start > timeoutMs) assert.fail(`no ${channel} event within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Subscribes to /events the way the renderer's EventSource does (token in the query) and parses the stream. */
function subscribe(): Promise<void> {
  return new Promise((ready, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: `/events?token=${server.token}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/event-stream/);
      sse = res;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) received.push({ channel: event as EventChannel, payload: JSON.parse(data) });
        }
        ready();
      });
    });
    req.on('error', fail);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossline-bridge-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Crossline</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  service = createWorkbench({ dataDir: join(dir, 'data'), importWorkers: 2, log: () => undefined });
  server = await startLoopbackServer({ service, staticDir, log: () => undefined });
  port = Number(new URL(server.url).port);
  assert.equal(new URL(server.url).hostname, '127.0.0.1');
  assert.match(server.token, /^[0-9a-f]{64}$/);
  assert.equal(server.openUrl, `${server.url}/?token=${server.token}`);
});

after(async () => {
  sse?.destroy();
  await server?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('requests without the token, with a wrong one, or with a foreign Host are refused', async () => {
  const host = `127.0.0.1:${port}`;
  const json = { 'content-type': 'application/json' };
  assert.equal((await raw('POST', '/rpc/app.about', { ...json, host }, '{}')).status, 401);
  assert.equal((await raw('POST', '/rpc/app.about', { ...json, host, 'x-crossline-token': 'f'.repeat(64) }, '{}')).status, 401);
  assert.equal((await raw('POST', `/rpc/app.about?token=${server.token}`, { ...json, host }, '{}')).status, 401, 'the query token is not accepted for requests');
  for (const foreign of ['evil.example', `evil.example:${port}`, `localhost:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
    const r = await raw('POST', '/rpc/app.about', { ...json, host: foreign, 'x-crossline-token': server.token }, '{}');
    assert.equal(r.status, 403, `Host ${foreign}`);
    assert.equal((await raw('GET', `/?token=${server.token}`, { host: foreign })).status, 403, `page with Host ${foreign}`);
  }
  assert.equal((await raw('GET', '/events', { host })).status, 401);
  assert.equal((await raw('GET', '/', { host })).status, 401, 'the page needs the token');

  const page = await raw('GET', `/?token=${server.token}`, { host });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(page.headers['set-cookie'], undefined, 'nothing is set');
  assert.match(page.text, /<title>Crossline<\/title>/);
  assert.equal((await raw('GET', '/assets/app.js', { host })).status, 200, 'the public app code loads without a token');
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
    const r = await raw('GET', path, { host });
    assert.ok(r.status === 400 || r.status === 404, `${path}: ${r.status}`);
    assert.doesNotMatch(r.text, /outside the renderer/);
  }

  const ok = await raw('POST', '/rpc/app.about', { ...json, host, 'x-crossline-token': server.token }, '{}');
  assert.equal(ok.status, 200);
  const about = JSON.parse(ok.text) as Result<ResponseOf<'app.about'>>;
  assert.ok(about.ok && about.value.version && about.value.catalogVersion && about.value.geoSources.some((s) => /DB-IP/.test(s.attribution)));

  const unknown = JSON.parse((await raw('POST', '/rpc/case.delete', { ...json, host, 'x-crossline-token': server.token }, '{}')).text) as Result<unknown>;
  assert.equal(!unknown.ok && unknown.error.code, 'unknown-channel');
  const invalid = JSON.parse((await raw('POST', '/rpc/events.page', { ...json, host, 'x-crossline-token': server.token }, '{"filter":{},"limit":100000}')).text) as Result<unknown>;
  assert.equal(!invalid.ok && invalid.error.code, 'bad-request');
  const noCase = JSON.parse((await raw('POST', '/rpc/findings.list', { ...json, host, 'x-crossline-token': server.token }, '{}')).text) as Result<unknown>;
  assert.equal(!noCase.ok && noCase.error.code, 'no-case');
  assert.equal((await raw('POST', '/rpc/app.about', { host, 'x-crossline-token': server.token, 'content-type': 'text/plain' }, '{}')).status, 415);
});

test('the sample case end to end: import and correlation over SSE, findings, timeline, map, explorer, raw record, settings', async () => {
  await subscribe();
  const { info, jobId } = await rpc('case.openSample', {});
  assert.match(info.file, /samples[\\/]acme-org\.crossline$/);
  const finished: JobFinished = await waitFor('jobs.finished', (f) => f.jobId === jobId);
  assert.equal(finished.status, 'complete', finished.error);
  assert.equal(finished.kind, 'import');
  assert.ok(finished.import!.stats.events > 10_000, `${finished.import!.stats.events} events`);
  assert.ok(finished.correlate!.chains >= planted.length);
  assert.ok(received.some((e) => e.channel === 'jobs.progressed' && (e.payload as Events['jobs.progressed']).jobId === jobId), 'progress was reported');
  const changed = await waitFor('case.changed', (c) => c.lastCorrelationMs !== null);
  assert.equal(changed.events, finished.import!.stats.events);

  // Findings: every planted chain, with the most severe first.
  const findings: Finding[] = await rpc('findings.list', {});
  for (const c of planted) assert.ok(findings.some((f) => f.entry.eventId === c.entryEventId || f.assumeEventIds.includes(c.entryEventId)), `planted chain ${c.name}`);
  const top = findings[0]!;
  assert.equal(top.severity, 'critical');

  // The top finding's timeline: entry first, then in time order, with geo and familiarity.
  const timeline = await rpc('chain.timeline', { findingId: top.id });
  assert.ok(timeline.length >= top.eventIds.length - 1);
  assert.equal(timeline[0]!.role, 'entry');
  assert.ok(timeline[0]!.nativeId === top.entry.eventId || top.assumeEventIds.includes(timeline[0]!.nativeId));
  for (let i = 1; i < timeline.length; i++) {
    const [a, b] = [timeline[i - 1]!, timeline[i]!];
    if (a.role !== 'entry' || b.role !== 'entry') assert.ok(a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.id < b.id) || a.role === 'entry', `timeline order at ${i}`);
  }
  assert.deepEqual(new Set(timeline.map((t) => t.nativeId)), new Set(top.eventIds));
  const entryIp = top.entry.sourceIp!;
  const entryRow = timeline.find((t) => t.sourceIp === entryIp)!;
  assert.ok(entryRow.newNetwork, 'the entry came from a network new to the organisation');
  assert.ok(entryRow.country && entryRow.asn, 'timeline rows carry the IP table’s country and ASN');
  assert.ok(timeline.some((t) => t.role === 'privileged' && t.category));

  const map = await rpc('chain.map', { findingId: top.id });
  assert.ok(map.chain.some((p) => p.ip === entryIp && Number.isFinite(p.lat) && Number.isFinite(p.lon) && p.events >= 1));
  assert.ok(Array.isArray(map.baseline));

  // The explorer: by action, by source IP, by country, each with keyset paging.
  const pageAll = async (filter: EventFilter, limit: number): Promise<EventRow[]> => {
    const rows: EventRow[] = [];
    let afterRow: { timeMs: number; id: number } | undefined;
    for (let pages = 0; pages < 200; pages++) {
      const page = await rpc('events.page', { filter, limit, ...(afterRow ? { after: afterRow } : {}) });
      rows.push(...page.rows);
      if (!page.hasMore) return rows;
      assert.equal(page.rows.length, limit);
      const last = page.rows[page.rows.length - 1]!;
      afterRow = { timeMs: last.timeMs, id: last.id };
    }
    return assert.fail('too many pages');
  };
  const inOrder = (rows: EventRow[]) => rows.every((r, i) => i === 0 || rows[i - 1]!.timeMs < r.timeMs || (rows[i - 1]!.timeMs === r.timeMs && rows[i - 1]!.id < r.id));

  const byAction = await pageAll({ action: 'CreateAccessKey' }, 3);
  assert.ok(byAction.length > 0 && byAction.every((r) => r.action === 'CreateAccessKey'));
  assert.ok(inOrder(byAction));
  const byIp = await pageAll({ sourceIp: entryIp }, 2);
  assert.ok(byIp.length >= 2 && byIp.every((r) => r.sourceIp === entryIp));
  assert.ok(inOrder(byIp) && new Set(byIp.map((r) => r.id)).size === byIp.length);
  const country = entryRow.country!;
  const byCountry = await pageAll({ country: country.toLowerCase() } as EventFilter, 50);
  assert.ok(byCountry.length >= byIp.length && byCountry.every((r) => r.country === country));
  assert.ok(byCountry.some((r) => r.sourceIp === entryIp));
  assert.ok(inOrder(byCountry));
  // One session: every call made with the credential the entry issued, and nothing else.
  const credential = timeline.find((t) => t.role !== 'entry' && t.link === 'credential')!.credentialId!;
  const bySession = await pageAll({ credential }, 4);
  assert.ok(bySession.length >= 2 && bySession.every((r) => r.credentialId === credential) && inOrder(bySession));
  // Its histogram (one grouped pass: the credential index holds no time) puts each call in its bucket.
  const sessionHistogram = await rpc('events.histogram', { filter: { credential }, buckets: 50 });
  const expected = new Array<number>(sessionHistogram.counts.length).fill(0);
  for (const r of bySession) expected[Math.floor((r.timeMs - sessionHistogram.fromMs) / sessionHistogram.bucketMs)]! += 1;
  assert.deepEqual(sessionHistogram.counts, expected);
  const sessionIds = new Set(bySession.map((r) => r.id));
  assert.ok(timeline.filter((t) => t.credentialId === credential).every((t) => sessionIds.has(t.id)), 'the chain’s calls with that credential are all in the session');
  const failures = await pageAll({ outcome: 'failure', action: 'AssumeRole' }, 25);
  assert.ok(failures.every((r) => r.outcome === 'failure' && r.action === 'AssumeRole'));

  // Paging a common filter in small pages gives exactly the first rows of one big page.
  const big = await rpc('events.page', { filter: { action: 'AssumeRole' }, limit: 120 });
  assert.ok(big.hasMore);
  const small: EventRow[] = [];
  let cursor: { timeMs: number; id: number } | undefined;
  for (let i = 0; i < 4; i++) {
    const p = await rpc('events.page', { filter: { action: 'AssumeRole' }, limit: 30, ...(cursor ? { after: cursor } : {}) });
    small.push(...p.rows);
    cursor = { timeMs: p.rows.at(-1)!.timeMs, id: p.rows.at(-1)!.id };
  }
  assert.deepEqual(small.map((r) => r.id), big.rows.map((r) => r.id));
  const none = await rpc('events.page', { filter: { action: 'NoSuchActionAnywhere' }, limit: 10 });
  assert.deepEqual(none, { rows: [], hasMore: false });
  const text = await pageAll({ text: entryIp.split('.').slice(0, 3).join('.') }, 100);
  assert.ok(text.some((r) => r.sourceIp === entryIp));

  const histogram = await rpc('events.histogram', { filter: { sourceIp: entryIp }, buckets: 60 });
  assert.equal(histogram.counts.reduce((a, b) => a + b, 0), byIp.length);
  assert.ok(histogram.counts.length <= 60 && histogram.bucketMs > 0);
  const everything = await rpc('events.histogram', { filter: {}, buckets: 100 });
  assert.equal(everything.counts.reduce((a, b) => a + b, 0), changed.events);

  // One event with its record exactly as it stood in the evidence.
  const one = await rpc('events.get', { id: entryRow.id });
  assert.equal(one.event.nativeId, entryRow.nativeId);
  assert.equal((JSON.parse(one.raw) as { eventID: string }).eventID, entryRow.nativeId);

  // Allowlisting the top finding's source account removes it after the re-correlation job.
  const settings = await rpc('settings.get', {});
  const account = top.entry.sourceAccount!;
  const { jobId: again } = await rpc('settings.set', { settings: { ...settings, allowlist: { ...settings.allowlist, accounts: [...settings.allowlist.accounts, account] } } });
  const refreshed = await waitFor('jobs.finished', (f) => f.jobId === again);
  assert.equal(refreshed.status, 'complete', refreshed.error);
  assert.equal(refreshed.kind, 'correlate');
  const after = await rpc('findings.list', {});
  assert.ok(!after.some((f) => f.entry.eventId === top.entry.eventId), 'the allowlisted account’s finding is gone');
  assert.ok(!after.some((f) => f.entry.sourceAccount === account));
  assert.equal((await rpc('settings.get', {})).allowlist.accounts.includes(account), true);

  const recent = await rpc('case.recent', {});
  assert.equal(recent[0]?.file, info.file);
});

test('the multi-cloud training sample opens as its own case with its Azure and GCP chains', async () => {
  const globex = JSON.parse(readFileSync(join(root, 'resources', 'samples', 'globex-multicloud.truth.json'), 'utf8')) as {
    events: Record<string, number>;
    chains: { provider: string; entryEventId: string }[];
  };
  const { info, jobId } = await rpc('case.openSample', { sample: 'globex-multicloud' });
  assert.match(info.file, /samples[\\/]globex-multicloud\.crossline$/);
  const finished: JobFinished = await waitFor('jobs.finished', (f) => f.jobId === jobId);
  assert.equal(finished.status, 'complete', finished.error);
  assert.equal(finished.import!.stats.events, Object.values(globex.events).reduce((a, b) => a + b, 0));
  const findings: Finding[] = await rpc('findings.list', {});
  for (const c of globex.chains) assert.ok(findings.some((f) => f.entry.eventId === c.entryEventId && f.provider === c.provider), `planted ${c.provider} chain ${c.entryEventId}`);
  assert.equal((await rpc('case.recent', {}))[0]?.file, info.file);
});
