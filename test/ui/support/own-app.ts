// A page on a bridge of its own (its own data folder, so a suite's cases and audit log never meet another's), opened
// once for the suite: the beforeAll / afterAll every such suite had copied. `prepare` sets the core up first (a case,
// an import) through the bridge, as the renderer would.
import { expect, test, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge, type Bridge } from './bridge';
import { AppPage, recordConsoleErrors } from './pages';
import { ORG, Scenario, at } from '../../support/cloudtrail-scenario';

export interface OwnApp {
  bridge: Bridge;
  page: Page;
  app: AppPage;
}

/** Registers the suite's beforeAll / afterAll; `ready` receives the bridge, page and app once the page is open. */
export function useOwnApp(options: {
  viewport?: { width: number; height: number };
  consoleErrors?: string[];
  prepare?: (bridge: Bridge) => Promise<void>;
  ready: (own: OwnApp) => void;
}): void {
  let own: Partial<OwnApp> = {};
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    const bridge = await startBridge();
    own = { bridge };
    await options.prepare?.(bridge);
    const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : {});
    if (options.consoleErrors) recordConsoleErrors(page, options.consoleErrors);
    own = { bridge, page, app: new AppPage(page) };
    await page.goto(bridge.url);
    options.ready(own as OwnApp);
  });
  test.afterAll(async () => {
    await own.page?.close();
    await own.bridge?.stop();
  });
}

/**
 * Creates `name` in the bridge's data folder and imports the scenario's evidence into it, waiting for its findings.
 * The evidence folder is removed then: the case holds every raw record.
 */
export async function importScenario(bridge: Bridge, name: string, evidenceDir: string, findings: number): Promise<void> {
  try {
    await bridge.rpc('case.create', { file: join(bridge.dataDir, name) });
    await bridge.rpc('import.start', { paths: [join(evidenceDir, 'evidence')] });
    await expect.poll(async () => (await bridge.rpc<unknown[]>('findings.list', {})).length, { timeout: 60_000 }).toBe(findings);
  } finally {
    rmSync(evidenceDir, { recursive: true, force: true });
  }
}

/**
 * The small chain several suites open: `baselineDays` of the organisation's routine, then a vendor's account
 * (999988887777) assuming `vendor-support` in prod as `vendor-session` from `sourceIp`, and its IAM calls, each `minutes`
 * after the entry (from the entry's address unless given). Returns the scenario's folder, for importScenario.
 */
export function vendorChain(o: { baselineDays?: number; sourceIp: string; calls: { minutes: number; action: string; sourceIp?: string }[] }): string {
  const s = new Scenario().baseline(o.baselineDays);
  const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/vendor-support`, sessionName: 'vendor-session', sourceIp: o.sourceIp });
  for (const c of o.calls) s.call({ at: s.t0 + at.HOUR + c.minutes * at.MIN, session: entry.session, source: 'iam', action: c.action, sourceIp: c.sourceIp ?? o.sourceIp });
  return s.write();
}
