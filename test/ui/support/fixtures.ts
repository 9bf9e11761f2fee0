import { test as base } from '@playwright/test';
import { startBridge, type Bridge } from './bridge';

/** `bridge`: one `crossline serve` per worker, on a fresh data folder, stopped when the worker ends. */
export const test = base.extend<object, { bridge: Bridge }>({
  bridge: [
    async ({}, use) => {
      const bridge = await startBridge();
      await use(bridge);
      await bridge.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect } from '@playwright/test';
