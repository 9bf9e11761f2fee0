// The renderer's store and transports under Node, with injected clients: no browser, no core.
import { expect, test } from '@playwright/test';
import { createBridgeTransport } from '../../renderer/ipc/bridge-transport';
import { clientFromTransport, IpcError, type Client } from '../../renderer/ipc/client';
import { createFakeClient } from '../../renderer/ipc/fake-client';
import { visibleTimeline } from '../../renderer/state/timeline-slice';
import { createStore, type AppStore } from '../../renderer/state/store';
import type { Transport } from '../../shared/ipc/contract';

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function sampleOpened(client: Client = createFakeClient({ stepMs: 1 })): Promise<AppStore> {
  const store = createStore(client);
  await store.getState().openSample();
  await until(() => store.getState().findings.length > 0 && Object.values(store.getState().jobs).every((j) => j.finished), 'the sample to be imported and correlated');
  return store;
}

test('opening the sample follows the import, then the correlation, then lists findings by severity', async () => {
  const store = await sampleOpened();
  const s = store.getState();
  expect(s.caseInfo?.name).toBe('acme-org');
  expect(s.importSummary?.status).toBe('complete');
  expect(s.importSummary?.import?.problems.length).toBe(1);
  expect(s.findings.map((f) => f.severity)).toEqual(['critical', 'high']);
  expect(Object.values(s.jobs).map((j) => j.kind).sort()).toEqual(['correlate', 'import']);
  store.dispose();
});

test('opening a finding loads its timeline and map; j/k step; an IP from the map filters the timeline', async () => {
  const store = await sampleOpened();
  const top = store.getState().findings[0];
  if (!top) throw new Error('no finding');
  store.getState().openFinding(top.id);
  expect(store.getState().screen).toBe('timeline');
  await until(() => store.getState().timeline.events.length > 0 && store.getState().detail.raw !== null && store.getState().chainMap.chain.length > 0, 'timeline, detail and map');
  const events = store.getState().timeline.events;
  expect(store.getState().selection.eventId).toBe(events[0]?.id);
  store.getState().stepEvent(1);
  expect(store.getState().selection.eventId).toBe(events[1]?.id);
  await until(() => store.getState().detail.eventId === events[1]?.id && !store.getState().detail.loading, 'the second event');
  store.getState().stepEvent(-1);
  store.getState().stepEvent(-1);
  expect(store.getState().selection.eventId).toBe(events[0]?.id);

  const ip = store.getState().chainMap.chain[0]?.ip ?? null;
  store.getState().selectIp(ip);
  expect(visibleTimeline(store.getState()).every((e) => e.sourceIp === ip)).toBe(true);
  store.getState().selectIp('192.0.2.255');
  expect(visibleTimeline(store.getState())).toEqual([]);
  store.getState().stepEvent(1);
  expect(store.getState().selection.eventId).toBe(events[0]?.id);
  store.dispose();
});

test('the explorer filters and pages with keysets until the last page', async () => {
  const store = await sampleOpened();
  await store.getState().setExplorerFilter({ action: 'AssumeRole', principal: '' });
  expect(store.getState().explorer.filter).toEqual({ action: 'AssumeRole' });
  while (store.getState().explorer.hasMore) await store.getState().loadMoreExplorer();
  const { rows, total } = store.getState().explorer;
  expect(rows.length).toBe(total);
  expect(rows.every((r) => r.action === 'AssumeRole')).toBe(true);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  for (let i = 1; i < rows.length; i++) expect((rows[i]?.timeMs ?? 0) >= (rows[i - 1]?.timeMs ?? 0)).toBe(true);

  await store.getState().setExplorerFilter({});
  expect(store.getState().explorer.rows.length).toBe(200);
  await store.getState().loadMoreExplorer();
  expect(store.getState().explorer.rows.length).toBe(400);
  store.dispose();
});

test('saving an allowlist re-correlates; the finding drops and its selection is cleared', async () => {
  const store = await sampleOpened();
  const top = store.getState().findings[0];
  if (!top?.entry.sourceAccount) throw new Error('no finding');
  store.getState().openFinding(top.id);
  await store.getState().loadSettings();
  const settings = store.getState().settings;
  if (!settings) throw new Error('no settings');
  expect(await store.getState().saveSettings({ ...settings, allowlist: { ...settings.allowlist, accounts: [top.entry.sourceAccount] } })).toBe(true);
  const jobId = store.getState().settingsJobId;
  expect(jobId).not.toBeNull();
  await until(() => store.getState().jobs[jobId ?? -1]?.finished?.status === 'complete', 'the correlation');
  await until(() => !store.getState().findings.some((f) => f.entry.sourceAccount === top.entry.sourceAccount), 'the finding to drop');
  await until(() => store.getState().selection.findingId === null, 'the selection to clear');
  expect(store.getState().timeline.events).toEqual([]);
  store.dispose();
});

test('cancelling an import reports it cancelled and keeps the case usable', async () => {
  const store = createStore(createFakeClient({ stepMs: 20 }));
  await store.getState().createCase('/cases/new.crossline');
  expect(store.getState().screen).toBe('import');
  store.getState().stagePaths(['/evidence/a', ' /evidence/b ', '/evidence/a', '']);
  expect(store.getState().stagedPaths).toEqual(['/evidence/a', '/evidence/b']);
  await store.getState().startImport();
  const jobId = store.getState().importJobId;
  expect(jobId).not.toBeNull();
  expect(store.getState().stagedPaths).toEqual([]);
  await store.getState().cancelJob(jobId ?? -1);
  await until(() => store.getState().importSummary?.status === 'cancelled', 'the cancellation');
  expect(store.getState().jobs[jobId ?? -1]?.finished?.status).toBe('cancelled');
  store.dispose();
});

test('a late answer for an event no longer selected is dropped', async () => {
  const fake = createFakeClient({ stepMs: 1 });
  const delays = new Map<number, number>();
  const slow: Client = {
    ...fake,
    async invoke(channel, request) {
      const value = await fake.invoke(channel, request);
      const id = channel === 'events.get' ? (request as { id: number }).id : -1;
      await new Promise((r) => setTimeout(r, delays.get(id) ?? 0));
      return value;
    },
  };
  const store = await sampleOpened(slow);
  delays.set(1, 120);
  const first = store.getState().loadDetail(1);
  const second = store.getState().loadDetail(2);
  await Promise.all([first, second]);
  expect(store.getState().detail.eventId).toBe(2);
  expect(store.getState().detail.event?.id).toBe(2);
  store.dispose();
});

test('the client unwraps results and turns failures into IpcErrors', async () => {
  const transport: Transport = {
    invoke: async (channel) => (channel === 'case.info' ? { ok: true, value: null } : { ok: false, error: { code: 'no-case', message: 'No case is open.' } }),
    on: () => () => undefined,
  };
  const client = clientFromTransport(transport, 'test');
  expect(await client.invoke('case.info', {})).toBeNull();
  const err = await client.invoke('findings.list', {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(IpcError);
  expect((err as IpcError).code).toBe('no-case');
  expect((err as IpcError).channel).toBe('findings.list');

  const broken = clientFromTransport({ invoke: () => Promise.reject(new Error('socket hang up')), on: () => () => undefined }, 'test');
  expect(((await broken.invoke('case.info', {}).catch((e: unknown) => e)) as IpcError).code).toBe('transport');
});

test('the bridge transport posts to /rpc/<channel> with the token and dispatches SSE events by name', async () => {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (url.endsWith('/rpc/case.recent')) return new Response(JSON.stringify({ ok: true, value: [] }));
    if (url.endsWith('/rpc/case.info')) return new Response('Forbidden', { status: 403 });
    return new Response(JSON.stringify({ ok: false, error: { code: 'bad-request', message: 'no' } }), { status: 400 });
  }) as typeof fetch;
  const sources: FakeEventSource[] = [];
  class FakeEventSource {
    listeners = new Map<string, ((e: { data: string }) => void)[]>();
    constructor(readonly url: string) {
      sources.push(this);
    }
    addEventListener(name: string, l: (e: { data: string }) => void) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
    }
    emit(name: string, data: string) {
      for (const l of this.listeners.get(name) ?? []) l({ data });
    }
  }
  const transport = createBridgeTransport({ baseUrl: 'http://127.0.0.1:9', token: 't0k', fetchImpl, eventSourceImpl: FakeEventSource as unknown as typeof EventSource });
  expect(await transport.invoke('case.recent', {})).toEqual({ ok: true, value: [] });
  expect(calls[0]?.url).toBe('http://127.0.0.1:9/rpc/case.recent');
  expect(calls[0]?.init.method).toBe('POST');
  expect((calls[0]?.init.headers as Record<string, string>)['x-crossline-token']).toBe('t0k');
  expect(await transport.invoke('case.info', {})).toEqual({ ok: false, error: { code: 'http-403', message: 'Forbidden' } });
  expect(await transport.invoke('case.open', { file: 'x' })).toEqual({ ok: false, error: { code: 'bad-request', message: 'no' } });

  const got: number[] = [];
  const off = transport.on('jobs.progressed', (p) => got.push(p.jobId));
  transport.on('jobs.finished', () => got.push(-1));
  expect(sources).toHaveLength(1);
  expect(sources[0]?.url).toBe('http://127.0.0.1:9/events?token=t0k');
  sources[0]?.emit('jobs.progressed', JSON.stringify({ jobId: 7, kind: 'import', fraction: 0.5 }));
  const warn = console.warn;
  console.warn = () => undefined;
  sources[0]?.emit('jobs.progressed', 'not json');
  console.warn = warn;
  sources[0]?.emit('jobs.finished', JSON.stringify({ jobId: 7, kind: 'import', status: 'complete' }));
  off();
  sources[0]?.emit('jobs.progressed', JSON.stringify({ jobId: 8, kind: 'import', fraction: 1 }));
  expect(got).toEqual([7, -1]);
});

test('the native menu opens the chosen sample, opens a case, stages and starts an import, and switches screens', async () => {
  const client = createFakeClient({ stepMs: 1 });
  const store = createStore(client);
  client.emit('menu.invoked', { action: 'case.openSample', sample: 'globex-multicloud' });
  await until(() => store.getState().caseInfo?.name === 'globex-multicloud', 'the multi-cloud sample to open');
  await until(() => Object.values(store.getState().jobs).every((j) => j.finished), 'its import and correlation');
  client.emit('menu.invoked', { action: 'view.explorer' });
  expect(store.getState().screen).toBe('explorer');
  client.emit('menu.invoked', { action: 'case.open', paths: ['/cases/other.crossline'] });
  await until(() => store.getState().caseInfo?.file === '/cases/other.crossline', 'File ▸ Open Case');
  client.emit('menu.invoked', { action: 'import.evidence' }); // dialog cancelled: nothing happens
  expect(store.getState().stagedPaths).toEqual([]);
  const imports = () => Object.values(store.getState().jobs).filter((j) => j.kind === 'import').length;
  const before = imports();
  client.emit('menu.invoked', { action: 'import.evidence', paths: ['/evidence/AWSLogs'] });
  expect(store.getState().screen).toBe('import');
  await until(() => imports() === before + 1, 'File ▸ Import Evidence to start an import');
  store.dispose();
});
