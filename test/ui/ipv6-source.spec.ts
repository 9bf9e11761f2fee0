// An IPv6 source at 1280×800: the explorer's Source column (about 110 px of text) had cut it at its end, so two hosts of
// one network read alike. It is cut in the middle now: the network's start and the host's end both show, and the
// cell's title gives the whole address. The timeline's Source cell does the same, its "new" tag beside it.
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { AppPage } from './support/pages';
import { importScenario, useOwnApp, vendorChain } from './support/own-app';

test.describe.configure({ mode: 'serial' });

const ADDRESS = '2a01:4f8:c17:1a2b:9e4d:55ff:fe21:7b3c';

let page: Page;
let app: AppPage;
const consoleErrors: string[] = [];

useOwnApp({
  viewport: { width: 1280, height: 800 },
  consoleErrors,
  prepare: async (b) => {
    await importScenario(b, 'ipv6.crossline', vendorChain({ baselineDays: 3, sourceIp: ADDRESS, calls: [{ minutes: 3, action: 'CreateAccessKey' }] }), 1);
  },
  ready: (own) => ({ page, app } = own),
});

/** Where `part` of the element's text is painted, and whether all of it is inside the boxes that clip the element. */
async function shown(el: Locator, part: 'start' | 'end', length: number): Promise<boolean> {
  return el.evaluate((node, [which, n]) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    while (walker.nextNode()) texts.push(walker.currentNode as Text);
    const text = which === 'start' ? texts[0] : texts.at(-1);
    if (!text || text.length < (n as number)) return false;
    const range = document.createRange();
    if (which === 'start') range.setStart(text, 0), range.setEnd(text, n as number);
    else range.setStart(text, text.length - (n as number)), range.setEnd(text, text.length);
    const r = range.getBoundingClientRect();
    if (r.width === 0) return false;
    // Every box between the text and the cell that hides what overflows: an ellipsis covers the last character's room
    // inside its box (the cells are monospace).
    const ch = r.width / (n as number);
    for (let box: Element | null = text.parentElement; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX !== 'visible') {
        const c = box.getBoundingClientRect();
        const ellipsis = style.textOverflow === 'ellipsis' && box.scrollWidth > box.clientWidth ? ch : 0;
        if (r.left < c.left - 0.5 || r.right > c.right - ellipsis + 0.5) return false;
      }
      if (box === node.parentElement) break;
    }
    return true;
  }, [part, length] as const);
}

test('explorer: an IPv6 source keeps its start and its end, and says it whole in its title', async () => {
  await app.go('explorer');
  await app.explorer.filter('sourceIp').fill(ADDRESS);
  await app.explorer.apply.click();
  await expect(app.explorer.rows.first()).toBeVisible();
  const cell = app.explorer.rows.first().locator('[role="gridcell"]').nth(4);
  await expect(cell).toHaveAttribute('title', ADDRESS);
  // Too wide for the column: the check is not vacuous.
  const name = cell.getByTestId('source-name');
  expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth || [...el.children].some((c) => c.scrollWidth > c.clientWidth))).toBe(true);
  await expect(name).toHaveText(ADDRESS);
  expect(await shown(name, 'end', ':7b3c'.length), 'the host end shows').toBe(true);
  expect(await shown(name, 'start', '2a01:4f8'.length), 'the network start shows').toBe(true);
  await app.screenshot('80-explorer-ipv6-1280');
});

test('timeline: an IPv6 source keeps its end and its "new" tag', async () => {
  await app.go('findings');
  await app.findings.top.click();
  const row = app.timeline.rows.filter({ hasText: 'CreateAccessKey' });
  const cell = row.locator('td').nth(4);
  await expect(cell).toHaveAttribute('title', new RegExp(`^${ADDRESS} · `));
  const name = cell.getByTestId('source-name');
  await expect(name).toHaveText(ADDRESS);
  expect(await shown(name, 'end', ':7b3c'.length), 'the host end shows').toBe(true);
  expect(await shown(name, 'start', '2a01:4f8'.length), 'the network start shows').toBe(true);
  await expect(cell.locator('.tag.new')).toBeInViewport();
  const tag = (await cell.locator('.tag.new').boundingBox())!;
  const box = (await cell.boundingBox())!;
  expect(tag.x + tag.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
});

test('no console errors or warnings', () => {
  expect(consoleErrors).toEqual([]);
});
