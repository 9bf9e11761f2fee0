// An investigation of the bundled sample case, start to finish, against the real core behind the loopback
// bridge. The steps share one page and one case (serial), as an investigator's session would.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, test } from './support/fixtures';
import { AppPage, SCREENSHOTS } from './support/pages';
import { distinctColours } from './support/pixels';

test.describe.configure({ mode: 'serial' });

let page: Page;
let app: AppPage;
/** Console errors (CSP violations among them) and requests that left the bridge's origin. */
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];
/** The top finding, as the findings screen first showed it. */
let top: { account: string; id: string };

test.beforeAll(async ({ browser, bridge }) => {
  page = await browser.newPage();
  page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  const origin = new URL(bridge.url).origin;
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  app = new AppPage(page);
  await page.goto(bridge.url);
});

test.afterAll(async () => {
  await page.close();
});

test('opens the sample case and waits for the import and the correlation', async () => {
  await expect(app.start.openSample).toBeVisible();
  await app.screenshot('01-start');
  await app.start.openSample.click();
  await expect(page.locator('.shell')).toHaveAttribute('data-screen', 'import');
  // The import runs, then the correlator; the summary says complete and findings appear in the nav.
  await expect(app.importer.summary).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  await expect(page.locator('nav [data-nav="findings"] .nav-count')).toBeVisible({ timeout: 60_000 });
  await expect(app.jobBar).toHaveCount(0, { timeout: 60_000 });
  await expect(app.importer.summary).toContainText('events stored');
  await app.screenshot('02-import-summary');
});

test('lists the top finding as critical with its three AN1348 conditions', async () => {
  await app.go('findings');
  await expect(app.findings.top).toBeVisible();
  await expect(app.findings.top).toHaveAttribute('data-severity', 'critical');
  const conditions = app.findings.conditions(app.findings.top);
  await expect(conditions).toHaveCount(3);
  for (const id of ['entry', 'privileged', 'unfamiliar']) {
    await expect(app.findings.top.locator(`[data-condition="${id}"]`)).toHaveAttribute('data-met', 'true');
  }
  // Sorted by severity: nothing below the top outranks it.
  const severities = await app.findings.all.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
  const rank = { critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>;
  expect(severities.map((s) => rank[s ?? ''] ?? 9)).toEqual([...severities.map((s) => rank[s ?? ''] ?? 9)].sort());
  top = { account: (await app.findings.top.getAttribute('data-source-account')) ?? '', id: (await app.findings.top.getAttribute('data-finding-id')) ?? '' };
  expect(top.account).toMatch(/\d{12}/);
  await app.screenshot('03-findings');
});

test('opens the top finding and steps through its timeline with the keyboard', async () => {
  await app.findings.top.click();
  const tl = app.timeline;
  await expect(tl.screen).toBeVisible();
  await expect(tl.rows.first()).toBeVisible();
  const count = await tl.rows.count();
  expect(count).toBeGreaterThan(2);
  // The entry comes first and is selected; privileged calls are marked.
  await expect(tl.rows.first()).toHaveAttribute('data-role', 'entry');
  await expect(tl.selectedRow).toHaveAttribute('data-role', 'entry');
  await expect(page.locator('[data-testid="timeline-row"][data-role="privileged"]').first()).toBeVisible();
  await expect(tl.histogram).toBeVisible();
  await expect(tl.chainSpan).toHaveCount(1);

  const firstId = await tl.selectedRow.getAttribute('data-event-id');
  await expect(tl.inspector).toHaveAttribute('data-event-id', firstId ?? '');
  await expect(tl.rawJson).toContainText('"eventID"');
  const firstAction = await tl.inspectorAction.textContent();

  await page.keyboard.press('j');
  await expect(tl.selectedRow).not.toHaveAttribute('data-event-id', firstId ?? '');
  const secondId = await tl.selectedRow.getAttribute('data-event-id');
  await expect(tl.inspector).toHaveAttribute('data-event-id', secondId ?? '');
  await expect(tl.rawJson).toContainText('"eventID"');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const fourth = tl.rows.nth(3);
  await expect(fourth).toHaveAttribute('aria-selected', 'true');
  await expect(tl.inspector).toHaveAttribute('data-event-id', (await fourth.getAttribute('data-event-id')) ?? '');
  await page.keyboard.press('k');
  await expect(tl.rows.nth(2)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(tl.selectedRow).toHaveAttribute('data-event-id', firstId ?? '');
  await expect(tl.inspectorAction).toHaveText(firstAction ?? '');
  // A click on the "annotated only" box leaves the focus on it: j still steps through the chain.
  const annotatedOnly = page.getByTestId('annotated-only');
  await annotatedOnly.click();
  await annotatedOnly.click();
  await expect(annotatedOnly).toBeFocused();
  await page.keyboard.press('j');
  await expect(tl.selectedRow).toHaveAttribute('data-event-id', secondId ?? '');
  await page.keyboard.press('k');
  await expect(tl.selectedRow).toHaveAttribute('data-event-id', firstId ?? '');

  // The raw record is text: whatever the log says, the <pre> holds no elements.
  expect(await tl.rawJson.evaluate((el) => el.children.length)).toBe(0);
  const raw = (await tl.rawJson.textContent()) ?? '';
  expect(() => JSON.parse(raw)).not.toThrow();

  // Zoom with the keyboard and the wheel, pan by dragging.
  const fitted = await tl.windowSpan();
  await page.keyboard.press('+');
  await expect.poll(() => tl.windowSpan()).toBeLessThan(fitted * 0.75);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect.poll(() => tl.windowSpan()).toBeGreaterThan(fitted * 1.5);
  await page.keyboard.press('0');
  await expect.poll(() => tl.windowSpan()).toBe(fitted);
  const box = await tl.axis.boundingBox();
  if (!box) throw new Error('no axis');
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await expect.poll(() => tl.windowSpan()).toBeLessThan(fitted);
  const before = Number(await tl.axis.getAttribute('data-from-ms'));
  await page.mouse.move(box.x + box.width * 0.5, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + 10, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Number(await tl.axis.getAttribute('data-from-ms'))).toBeGreaterThan(before);
  await page.keyboard.press('0');
  await page.keyboard.press('j');
  await app.screenshot('04-timeline');
});

test('maps the chain: points drawn, hover tooltip, a click filters the timeline', async () => {
  await app.go('map');
  const m = app.map;
  await expect(m.screen).toBeVisible();
  await expect(m.map).toHaveAttribute('data-idle', 'true');
  await expect.poll(async () => Number(await m.map.getAttribute('data-rendered-points'))).toBeGreaterThan(0);
  await expect(m.chainPoints.first()).toBeVisible();
  // The canvas is drawn: a blank WebGL canvas would be one colour.
  expect(await distinctColours(page, await m.canvas.screenshot())).toBeGreaterThan(3);

  // Hover the first chain point where the map put it, then click it.
  const ip = (await m.chainPoints.first().getAttribute('data-ip')) ?? '';
  const projected = await findPoint(page, ip);
  await page.mouse.move(projected.x, projected.y);
  await expect(m.tooltip).toContainText(ip);
  await expect(m.tooltip).toContainText(/AS\d+/);
  await expect(m.tooltip).toContainText('first seen');
  await app.screenshot('05-map');
  await page.mouse.click(projected.x, projected.y);
  await expect(m.selection).toContainText(ip);

  await app.go('timeline');
  await expect(app.timeline.ipFilter).toContainText(ip);
  const sources = await app.timeline.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source-ip')));
  expect(sources.length).toBeGreaterThan(0);
  expect(new Set(sources)).toEqual(new Set([ip]));
  await app.timeline.ipFilter.getByRole('button').click();
  await expect(app.timeline.ipFilter).toHaveCount(0);
});

test('filters the explorer by action and by source IP, and pages as it scrolls', async () => {
  await app.go('explorer');
  const ex = app.explorer;
  await expect(ex.rows.first()).toBeVisible();
  await expect(ex.total).toContainText('matching events');
  const all = Number(((await ex.total.textContent()) ?? '').replace(/\D/g, ''));
  expect(all).toBeGreaterThan(1000);

  // Scrolling loads the next keyset pages.
  const firstPage = await ex.loaded();
  expect(firstPage).toBeGreaterThan(0);
  for (let i = 0; i < 3; i++) await ex.list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(() => ex.loaded(), { timeout: 20_000 }).toBeGreaterThan(firstPage);
  await app.screenshot('06-explorer');

  await ex.filter('action').fill('AssumeRole');
  await ex.apply.click();
  await expect(ex.rows.first()).toBeVisible();
  await expect.poll(async () => Number(((await ex.total.textContent()) ?? '').replace(/\D/g, ''))).toBeLessThan(all);
  const actions = await ex.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(new Set(actions)).toEqual(new Set(['AssumeRole']));
  await app.screenshot('07-explorer-action');

  await ex.filter('action').fill('');
  await ex.filter('sourceIp').fill('185.220.101.34');
  await ex.apply.click();
  await expect(ex.rows.first()).toBeVisible();
  const ips = await ex.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source-ip')));
  expect(new Set(ips)).toEqual(new Set(['185.220.101.34']));
  // Selecting a row shows its raw record as text.
  await ex.rows.first().click();
  await expect(page.getByTestId('raw-json')).toContainText('185.220.101.34');
  await app.screenshot('08-explorer-ip');
  await ex.clear.click();
  await expect.poll(async () => Number(((await ex.total.textContent()) ?? '').replace(/\D/g, ''))).toBe(all);
});

test('annotates the top finding, filters by verdict, exports the report as HTML and PDF, shows the audit log', async ({ bridge }) => {
  test.setTimeout(180_000);
  // The analyst's name, set once in the settings, goes on every annotation from now on.
  await app.go('settings');
  await page.getByTestId('analyst-name').fill('Dana <Analyst>');
  await page.getByTestId('analyst-save').click();
  await expect(page.getByTestId('analyst-saved')).toBeVisible();
  await app.go('findings');
  await app.findings.top.click();
  const editor = page.getByTestId('annotation-editor');
  await editor.locator('summary').click();
  const note = 'Vendor denies this session <b>not bold</b> — escalate';
  await editor.getByTestId('annotation-verdict').selectOption('malicious');
  await editor.getByTestId('annotation-tags').fill('ir-42, vendor');
  await editor.getByTestId('annotation-note').fill(note);
  await editor.getByTestId('annotation-bookmark').check();
  await editor.getByTestId('annotation-save').click();
  await expect(editor.getByTestId('annotation-saved')).toBeVisible();
  await app.screenshot('09a-annotation');

  await app.go('findings');
  await expect(app.findings.top.getByTestId('finding-verdict')).toHaveAttribute('data-verdict', 'malicious');
  const total = await app.findings.all.count();
  await page.getByTestId('verdict-filter').selectOption('malicious');
  await expect(app.findings.all).toHaveCount(1);
  await page.getByTestId('verdict-filter').selectOption('none');
  await expect(app.findings.all).toHaveCount(total - 1);
  await page.getByTestId('verdict-filter').selectOption('all');
  await expect(app.findings.all).toHaveCount(total);

  const exportPanel = page.getByTestId('report-export');
  await exportPanel.locator('summary').click();
  const html = join(bridge.dataDir, 'ui-report.html');
  await exportPanel.getByTestId('report-out').fill(html);
  await exportPanel.getByTestId('report-export-button').click();
  await expect(exportPanel.getByTestId('report-exported')).toContainText('ui-report.html');
  const text = readFileSync(html, 'utf8');
  expect(text).toContain('Vendor denies this session &lt;b&gt;not bold&lt;/b&gt; — escalate');
  expect(text).toContain('verdict-malicious');
  expect(text).not.toMatch(/<script/i);
  // Exporting again to the same file asks first: nothing is replaced until the analyst says so.
  await exportPanel.getByTestId('report-export-button').click();
  await expect(exportPanel.getByTestId('report-export-error')).toContainText('ui-report.html already exists; choose another name, or replace it');
  await exportPanel.getByTestId('report-replace-button').click();
  await expect(exportPanel.getByTestId('report-exported')).toContainText('ui-report.html');
  await expect(exportPanel.getByTestId('report-replace-button')).toHaveCount(0);

  // The same report as PDF, printed by Chromium through the core; its first pages become PNGs to look at.
  await exportPanel.getByTestId('report-format').selectOption('pdf:report');
  const pdf = join(bridge.dataDir, 'ui-report.pdf');
  await exportPanel.getByTestId('report-out').fill(pdf);
  await exportPanel.getByTestId('report-export-button').click();
  await expect(exportPanel.getByTestId('report-exported')).toContainText('ui-report.pdf', { timeout: 150_000 });
  expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, '09c-report-pdf')], { encoding: 'utf8' });
  if (pages.error) test.info().annotations.push({ type: 'note', description: 'pdftoppm not installed: no PNG of the PDF' });
  // Thousands of evidence files are folded out of print: the sample's report stays a few dozen pages.
  const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
  if (!info.error) {
    const count = Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]);
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThan(100);
  }

  const audit = page.getByTestId('audit-log');
  await audit.locator('summary').click();
  await expect(audit.locator('[data-testid="audit-row"][data-action="annotation.add"]')).toHaveCount(1);
  await expect(audit.locator('[data-testid="audit-row"][data-action="annotation.add"]')).toContainText('Dana <Analyst>');
  await expect(audit.locator('[data-testid="audit-row"][data-action="export"]')).toHaveCount(3); // html, html replaced, pdf: the refused attempt wrote nothing
  await app.screenshot('09b-report-audit');
});

test('annotates an event and its session in the timeline; the timeline, map, explorer and bookmarks show them; exports those views', async ({ bridge }) => {
  await app.go('findings');
  await app.findings.top.click();
  const tl = app.timeline;
  const row = page.locator('[data-testid="timeline-row"][data-role="privileged"]').first();
  await row.click();
  const eventId = (await row.getAttribute('data-event-id')) ?? '';
  await expect(tl.inspector).toHaveAttribute('data-event-id', eventId);

  // The event: needs review, tagged, bookmarked, with a note that carries markup.
  const onEvent = page.getByTestId('event-annotation');
  await onEvent.locator('summary').click();
  await onEvent.getByTestId('annotation-verdict').selectOption('needs-review');
  await onEvent.getByTestId('annotation-tags').fill('persistence');
  await onEvent.getByTestId('annotation-bookmark').check();
  await onEvent.getByTestId('annotation-note').fill('<img src=x onerror=alert(1)> ask the client about this user');
  await onEvent.getByTestId('annotation-save').click();
  await expect(onEvent.getByTestId('annotation-saved')).toBeVisible();
  await expect(row).toHaveAttribute('data-annotated', 'needs-review');
  await expect(tl.axis.locator(`g[data-event-id="${eventId}"]`)).toHaveAttribute('data-annotated', 'needs-review');
  const before = await page.locator('[data-testid="timeline-row"][data-annotated]').count();
  expect(before).toBe(1);

  // Its session: malicious. Every call made with that credential now carries it; malicious outranks needs review.
  const onSession = page.getByTestId('session-annotation');
  await onSession.locator('summary').click();
  await onSession.getByTestId('annotation-verdict').selectOption('malicious');
  await onSession.getByTestId('annotation-save').click();
  await expect(onSession.getByTestId('annotation-saved')).toBeVisible();
  await expect(row).toHaveAttribute('data-annotated', 'malicious');
  await expect.poll(() => page.locator('[data-testid="timeline-row"][data-annotated="malicious"]').count()).toBeGreaterThan(1);
  const annotated = await page.locator('[data-testid="timeline-row"][data-annotated]').count();
  const total = await tl.rows.count();
  expect(annotated).toBeLessThan(total); // the entry itself was made with another credential

  // "Annotated only" keeps exactly the annotated rows, and the map follows it.
  await page.getByTestId('annotated-only').check();
  await expect(tl.rows).toHaveCount(annotated);
  expect(await tl.rows.evaluateAll((rows) => rows.every((r) => r.hasAttribute('data-annotated')))).toBe(true);
  await app.screenshot('10a-timeline-annotated');

  await app.go('map');
  await expect(page.getByTestId('map-annotated-only')).toBeChecked();
  await expect(page.getByTestId('point-annotated').first()).toHaveAttribute('data-verdict', 'malicious');
  await expect(app.map.chainPoints).toHaveCount(await page.getByTestId('point-annotated').count());
  await expect.poll(async () => Number(await app.map.map.getAttribute('data-rendered-annotated'))).toBeGreaterThan(0);
  await app.screenshot('10b-map-annotated');
  await page.getByTestId('map-annotated-only').uncheck();
  await app.go('timeline');
  await expect(tl.rows).toHaveCount(total);

  // Bookmarks: the finding (earlier test) and the event; by tag, only the event; a click opens it in its timeline.
  await app.go('findings');
  const marks = page.getByTestId('bookmarks');
  await expect(marks.getByTestId('bookmark')).toHaveCount(2);
  await expect(marks).toContainText('Dana <Analyst>');
  await expect(marks).toContainText('<img src=x onerror=alert(1)> ask the client');
  expect(await marks.locator('img').count()).toBe(0);
  await marks.getByTestId('bookmarks-tag').fill('persistence');
  await expect(marks.getByTestId('bookmark')).toHaveCount(1);
  await app.screenshot('10c-bookmarks');
  await marks.getByTestId('bookmark').click();
  await expect(tl.screen).toBeVisible();
  await expect(tl.inspector).toHaveAttribute('data-event-id', eventId);
  await expect(tl.selectedRow).toHaveAttribute('data-event-id', eventId);
  // The whole timeline as JSON, written by the core.
  const tlExport = page.getByTestId('timeline-export');
  await tlExport.locator('summary').click();
  await tlExport.getByTestId('report-format').selectOption('json:timeline');
  const tlFile = join(bridge.dataDir, 'ui-timeline.json');
  await tlExport.getByTestId('report-out').fill(tlFile);
  await tlExport.getByTestId('report-export-button').click();
  await expect(tlExport.getByTestId('report-exported')).toContainText(`${total} rows`);
  const exported = JSON.parse(readFileSync(tlFile, 'utf8')) as { id: number; role: string }[];
  expect(exported).toHaveLength(total);
  expect(exported.some((e) => String(e.id) === eventId && e.role === 'privileged')).toBe(true);

  // Every annotation: the session opens the explorer on its credential's calls, all marked.
  await app.go('findings');
  await marks.getByTestId('bookmarks-tag').fill('');
  await marks.getByTestId('bookmarks-scope').selectOption('all');
  await expect(marks.getByTestId('bookmark')).toHaveCount(3);
  await marks.locator('[data-testid="bookmark"][data-kind="session"]').click();
  await expect(app.explorer.screen).toBeVisible();
  await expect(app.explorer.filter('credential')).not.toHaveValue('');
  await expect(app.explorer.rows.first()).toBeVisible();
  const rows = await app.explorer.rows.count();
  await expect(page.getByTestId('explorer-annotated')).toHaveCount(rows);
  await app.screenshot('10d-explorer-session');
  // That view as CSV: a header and one line per matching event.
  const exExport = page.getByTestId('explorer-export');
  await exExport.locator('summary').click();
  const csvFile = join(bridge.dataDir, 'ui-session-events.csv');
  await exExport.getByTestId('report-out').fill(csvFile);
  await exExport.getByTestId('report-export-button').click();
  await expect(exExport.getByTestId('report-exported')).toContainText(`${rows} rows`);
  const lines = readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
  expect(lines).toHaveLength(rows + 1);
  expect(lines[0]).toContain('credentialId');
  await app.explorer.clear.click();
});

test('allowlisting the top finding\'s source account drops that finding', async () => {
  await app.go('settings');
  const st = app.settings;
  await expect(st.about).toContainText('DB-IP');
  await st.field('accounts').fill(top.account);
  await app.screenshot('09-settings');
  await st.about.scrollIntoViewIfNeeded();
  await app.screenshot('09b-settings-about');
  await st.save.click();
  await expect(st.status).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  await app.go('findings');
  await expect(app.findings.all.first()).toBeVisible();
  await expect(app.findings.byAccount(top.account)).toHaveCount(0);
  await app.screenshot('10-findings-after-allowlist');
});

test('follows the dark colour scheme', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(244, 245, 247)');
  await app.screenshot('11-dark-findings');
  await app.findings.top.click();
  await expect(app.timeline.rows.first()).toBeVisible();
  await page.keyboard.press('j');
  await app.screenshot('12-dark-timeline');
  await app.go('map');
  await expect(app.map.map).toHaveAttribute('data-idle', 'true');
  await expect.poll(async () => Number(await app.map.map.getAttribute('data-rendered-points'))).toBeGreaterThan(0);
  await app.screenshot('13-dark-map');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('stayed offline and within its CSP the whole session', async () => {
  expect(foreignRequests).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

/** Where MapLibre drew the point of `ip`, in page coordinates (the map reports its projected points). */
async function findPoint(p: Page, ip: string): Promise<{ x: number; y: number }> {
  const box = await app.map.map.boundingBox();
  const projected = JSON.parse((await app.map.map.getAttribute('data-projected')) ?? '[]') as { ip: string; x: number; y: number }[];
  const point = projected.find((q) => q.ip === ip);
  if (!box || !point) throw new Error(`no point for ${ip} on the map`);
  await p.mouse.move(box.x + point.x - 20, box.y + point.y - 20);
  return { x: box.x + point.x, y: box.y + point.y };
}
