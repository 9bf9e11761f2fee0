// Main registers exactly the contract's request channels, each behind the sender check, and answers with
// the Result envelope. Runs without Electron: the table lives in a plain module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REQUEST_CHANNELS, type Result } from '../../shared/ipc/contract';
import type { Handlers } from '../core/services/workbench';
import { APP_URL, IPC_TABLE, isTrustedSender, registerIpc, type SenderInfo } from './ipc-registry';

function fakeIpc() {
  const handlers = new Map<string, (event: SenderInfo, ...args: unknown[]) => Promise<Result<unknown>>>();
  return {
    handlers,
    handle(channel: string, listener: (event: SenderInfo, ...args: unknown[]) => Promise<Result<unknown>>) {
      assert.ok(!handlers.has(channel), `${channel} registered twice`);
      handlers.set(channel, listener);
    },
  };
}

const mainFrame = { url: APP_URL, parent: null, processId: 7, routingId: 1 };
const trusted: SenderInfo = { senderFrame: mainFrame, sender: { mainFrame } };

test('the channels main registers are exactly REQUEST_CHANNELS', () => {
  const ipc = fakeIpc();
  const service = { handlers: {} as Handlers };
  const registered = registerIpc(ipc, service);
  assert.deepEqual([...ipc.handlers.keys()].sort(), [...REQUEST_CHANNELS].sort());
  assert.deepEqual([...registered].sort(), [...REQUEST_CHANNELS].sort());
  assert.deepEqual(Object.keys(IPC_TABLE).sort(), [...REQUEST_CHANNELS].sort());
});

test('only our own top frame showing app:// may call; requests are validated; answers are Result envelopes', async () => {
  const ipc = fakeIpc();
  const calls: unknown[] = [];
  const handlers = { 'jobs.cancel': async (r: unknown) => (calls.push(r), { cancelled: true }) } as unknown as Handlers;
  registerIpc(ipc, { handlers });
  const cancel = ipc.handlers.get('jobs.cancel')!;

  assert.deepEqual(await cancel(trusted, { jobId: 4 }), { ok: true, value: { cancelled: true } });
  assert.deepEqual(calls, [{ jobId: 4 }]);

  const sub = { url: APP_URL, parent: mainFrame, processId: 7, routingId: 2 };
  const page = (url: string) => ({ url, parent: null, processId: 7, routingId: 1 });
  const foreign: SenderInfo[] = [
    { senderFrame: null, sender: { mainFrame } },
    { senderFrame: sub, sender: { mainFrame } },
    { senderFrame: page('https://evil.example/'), sender: { mainFrame } },
    { senderFrame: page('file:///etc/passwd'), sender: { mainFrame } },
    { senderFrame: page('app://other/index.html'), sender: { mainFrame } },
    { senderFrame: page('devtools://devtools/bundled/inspector.html'), sender: { mainFrame } },
    { senderFrame: { ...mainFrame, routingId: 9 }, sender: { mainFrame } }, // a top frame, but not this window's
  ];
  for (const event of foreign) {
    assert.equal(isTrustedSender(event), false, JSON.stringify(event.senderFrame));
    const r = await cancel(event, { jobId: 4 });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'forbidden');
  }
  assert.equal(calls.length, 1, 'refused senders never reach the service');

  const bad = await cancel(trusted, { jobId: 'four' });
  assert.equal(!bad.ok && bad.error.code, 'bad-request');
  assert.match(!bad.ok ? bad.error.message : '', /jobId/);
});
