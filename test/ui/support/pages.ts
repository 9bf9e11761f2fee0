// Page objects: every locator the UI suite uses lives here, named for what an investigator sees.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './bridge';

export const SCREENSHOTS = join(REPO, 'test-results', 'screenshots');

export class AppPage {
  readonly start: StartPage;
  readonly importer: ImportPage;
  readonly findings: FindingsPage;
  readonly timeline: TimelinePage;
  readonly explorer: ExplorerPage;
  readonly map: MapPage;
  readonly settings: SettingsPage;

  constructor(readonly page: Page) {
    this.start = new StartPage(page);
    this.importer = new ImportPage(page);
    this.findings = new FindingsPage(page);
    this.timeline = new TimelinePage(page);
    this.explorer = new ExplorerPage(page);
    this.map = new MapPage(page);
    this.settings = new SettingsPage(page);
  }

  nav(screen: 'start' | 'import' | 'findings' | 'timeline' | 'explorer' | 'map' | 'settings'): Locator {
    return this.page.locator(`nav [data-nav="${screen}"]`);
  }

  async go(screen: Parameters<AppPage['nav']>[0]): Promise<void> {
    await this.nav(screen).click();
    await expect(this.page.locator('.shell')).toHaveAttribute('data-screen', screen);
  }

  get jobBar(): Locator {
    return this.page.getByTestId('job-bar');
  }

  /** Opens a bundled sample from the start screen's button (`testId`) and waits until it is imported and correlated. */
  async openSampleCase(testId: string): Promise<void> {
    await this.page.getByTestId(testId).click();
    await expect(this.page.locator('nav [data-nav="findings"] .nav-count')).toBeVisible({ timeout: 120_000 });
    await expect(this.jobBar).toHaveCount(0, { timeout: 60_000 });
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }
}

export class StartPage {
  constructor(readonly page: Page) {}
  get openSample(): Locator {
    return this.page.getByTestId('open-sample');
  }
}

export class ImportPage {
  constructor(readonly page: Page) {}
  get progress(): Locator {
    return this.page.getByTestId('import-progress');
  }
  get summary(): Locator {
    return this.page.getByTestId('import-summary');
  }
  get problems(): Locator {
    return this.page.getByTestId('import-problems');
  }
}

export class FindingsPage {
  constructor(readonly page: Page) {}
  get list(): Locator {
    return this.page.getByTestId('findings');
  }
  get all(): Locator {
    return this.page.getByTestId('finding');
  }
  get top(): Locator {
    return this.all.first();
  }
  conditions(finding: Locator): Locator {
    return finding.locator('[data-condition]');
  }
  byAccount(account: string): Locator {
    return this.page.locator(`[data-testid="finding"][data-source-account="${account}"]`);
  }
}

export class TimelinePage {
  constructor(readonly page: Page) {}
  get screen(): Locator {
    return this.page.getByTestId('timeline-screen');
  }
  get rows(): Locator {
    return this.page.getByTestId('timeline-row');
  }
  get selectedRow(): Locator {
    return this.page.locator('[data-testid="timeline-row"][aria-selected="true"]');
  }
  get inspector(): Locator {
    return this.page.getByTestId('inspector');
  }
  get inspectorAction(): Locator {
    return this.page.getByTestId('inspector-action');
  }
  get rawJson(): Locator {
    return this.page.getByTestId('raw-json');
  }
  get axis(): Locator {
    return this.page.getByTestId('time-axis');
  }
  get histogram(): Locator {
    return this.screen.getByTestId('histogram');
  }
  get chainSpan(): Locator {
    return this.page.getByTestId('chain-span');
  }
  get ipFilter(): Locator {
    return this.page.getByTestId('ip-filter');
  }
  /** The visible window's length in ms, as the axis reports it. */
  async windowSpan(): Promise<number> {
    const from = Number(await this.axis.getAttribute('data-from-ms'));
    const to = Number(await this.axis.getAttribute('data-to-ms'));
    return to - from;
  }
}

export class ExplorerPage {
  constructor(readonly page: Page) {}
  get screen(): Locator {
    return this.page.getByTestId('explorer-screen');
  }
  filter(name: 'from' | 'to' | 'principal' | 'account' | 'sourceIp' | 'asn' | 'country' | 'action' | 'credential' | 'text'): Locator {
    return this.page.locator(`[data-filter="${name}"]`);
  }
  get apply(): Locator {
    return this.page.getByTestId('apply-filters');
  }
  get clear(): Locator {
    return this.page.getByRole('button', { name: 'Clear' });
  }
  get list(): Locator {
    return this.page.getByTestId('explorer-list');
  }
  get rows(): Locator {
    return this.page.getByTestId('explorer-row');
  }
  get total(): Locator {
    return this.page.getByTestId('explorer-total');
  }
  /** Rows loaded so far (all pages), as the list reports it. */
  async loaded(): Promise<number> {
    return Number(await this.list.getAttribute('data-loaded'));
  }
}

export class MapPage {
  constructor(readonly page: Page) {}
  get screen(): Locator {
    return this.page.getByTestId('map-screen');
  }
  get map(): Locator {
    return this.page.getByTestId('map');
  }
  get canvas(): Locator {
    return this.map.locator('canvas.maplibregl-canvas');
  }
  get tooltip(): Locator {
    return this.page.getByTestId('map-tooltip');
  }
  get chainPoints(): Locator {
    return this.page.getByTestId('chain-point');
  }
  get selection(): Locator {
    return this.page.getByTestId('map-selection');
  }
}

export class SettingsPage {
  constructor(readonly page: Page) {}
  field(name: string): Locator {
    return this.page.locator(`[data-setting="${name}"]`);
  }
  get save(): Locator {
    return this.page.getByTestId('save-settings');
  }
  get status(): Locator {
    return this.page.getByTestId('settings-status');
  }
  get about(): Locator {
    return this.page.getByTestId('about');
  }
}

/** Collects the page's uncaught errors and console errors and warnings into `into`, for a closing `toEqual([])`. */
export function recordConsoleErrors(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') into.push(msg.text());
  });
}
