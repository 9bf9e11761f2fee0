// Unsaved annotation text is never lost: an investigator types a note on a finding and on an event, goes to other
// screens, comes back and finds both drafts, marked unsaved; saves one (stored by the real core), discards the other.
// Runs on its own bridge, data folder and small case so the investigation suite's case and audit log are untouched.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Annotation } from '../../shared/domain/annotations';
import type { CorrelationSettings } from '../../shared/domain/correlation';
import { IPS, ORG, Scenario, at } from '../support/cloudtrail-scenario';
import { startBridge, type Bridge } from './support/bridge';
import { AppPage, recordConsoleErrors } from './support/pages';

test.describe.configure({ mode: 'serial' });

let bridge: Bridge;
let evidenceDir: string;
let page: Page;
let app: AppPage;
/** Console errors (React warnings and CSP violations among them). */
const consoleErrors: string[] = [];

const rpc = <T = unknown>(channel: string, body: unknown): Promise<T> => bridge.rpc<T>(channel, body);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  bridge = await startBridge();
  // One AN1348 chain over a small baseline: a vendor's role assumption from an unfamiliar network, two privileged calls.
  const s = new Scenario().baseline();
  const entry = s.assumeRole({ at: s.t0 + at.HOUR, callerAccount: '999988887777', roleArn: `arn:aws:iam::${ORG.prod}:role/vendor-support`, sessionName: 'vendor-session', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + at.HOUR + 3 * at.MIN, session: entry.session, source: 'iam', action: 'CreateAccessKey', sourceIp: IPS.torDe });
  s.call({ at: s.t0 + at.HOUR + 4 * at.MIN, session: entry.session, source: 'iam', action: 'AttachUserPolicy', sourceIp: IPS.torDe });
  evidenceDir = s.write();
  await rpc('case.create', { file: join(bridge.dataDir, 'drafts.crossline') });
  await rpc('import.start', { paths: [join(evidenceDir, 'evidence')] });
  await expect.poll(async () => (await rpc<unknown[]>('findings.list', {})).length, { timeout: 60_000 }).toBe(1);
  page = await browser.newPage();
  recordConsoleErrors(page, consoleErrors);
  app = new AppPage(page);
  await page.goto(bridge.url);
});

test.afterAll(async () => {
  await page?.close();
  await bridge?.stop();
  if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
});

test('a note typed before switching screens comes back as a draft; saving stores it, discarding drops it', async () => {
  const note = 'Vendor <b>denies</b> this session — call them';
  const drafts = page.getByTestId('unsaved-drafts');

  // The finding: a verdict, a bookmark and a note, typed, not saved.
  await app.go('findings');
  await app.findings.top.click();
  await expect(app.timeline.rows.first()).toBeVisible();
  const onFinding = page.getByTestId('annotation-editor');
  await onFinding.locator('summary').click();
  await onFinding.getByTestId('annotation-verdict').selectOption('malicious');
  await onFinding.getByTestId('annotation-bookmark').check();
  await onFinding.getByTestId('annotation-note').pressSequentially(note);
  await expect(onFinding.getByTestId('annotation-draft')).toHaveText('Unsaved draft');
  await expect(drafts).toHaveAttribute('data-count', '1');

  // The privileged event: a note, typed, not saved; selecting another event first must not lose it either.
  const row = page.locator('[data-testid="timeline-row"][data-role="privileged"]').first();
  await row.click();
  const eventId = (await row.getAttribute('data-event-id')) ?? '';
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', eventId);
  const onEvent = page.getByTestId('event-annotation');
  await onEvent.locator('summary').click();
  await onEvent.getByTestId('annotation-note').fill('ask the client <i>who</i> created this key');
  await app.timeline.rows.first().click();
  await expect(app.timeline.inspector).not.toHaveAttribute('data-event-id', eventId);
  await expect(drafts).toHaveAttribute('data-count', '2');

  // Away to other screens: nothing is saved, nothing is lost; the top bar keeps count on every screen.
  await app.go('explorer');
  await expect(drafts).toHaveAttribute('data-count', '2');
  await app.go('settings');
  await app.go('start');
  await expect(page.getByTestId('drafts-warning')).toContainText('2 unsaved annotation drafts');
  expect(await rpc<Annotation[]>('annotations.list', {})).toEqual([]);
  await app.screenshot('drafts-01-cases-warning');

  // Back to the finding: its row says so, and its editor opens unfolded on the draft.
  await app.go('findings');
  await expect(app.findings.top.getByTestId('finding-draft')).toBeVisible();
  await app.findings.top.click();
  await expect(onFinding).toHaveAttribute('data-draft', 'true');
  await expect(onFinding.getByTestId('annotation-note')).toBeVisible();
  await expect(onFinding.getByTestId('annotation-note')).toHaveValue(note);
  await expect(onFinding.getByTestId('annotation-verdict')).toHaveValue('malicious');
  await expect(onFinding.getByTestId('annotation-bookmark')).toBeChecked();
  await expect(onFinding.getByTestId('annotation-draft')).toBeVisible();
  await app.screenshot('drafts-02-finding-draft');

  // Save: stored by the core, marked saved, no longer a draft.
  await onFinding.getByTestId('annotation-save').click();
  await expect(onFinding.getByTestId('annotation-saved')).toHaveText('saved');
  await expect(onFinding.getByTestId('annotation-draft')).toHaveCount(0);
  await expect(drafts).toHaveAttribute('data-count', '1');
  const stored = await rpc<Annotation[]>('annotations.list', {});
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ target: { kind: 'finding' }, verdict: 'malicious', bookmarked: true, tags: [], note });

  // The event's draft, found again from the top bar's list (its note shown as text, markup and all).
  await drafts.locator('summary').click();
  const listed = drafts.locator('[data-testid="unsaved-draft"][data-kind="event"]');
  await expect(listed).toHaveCount(1);
  const listedNote = drafts.locator('.drafts-list .note');
  await expect(listedNote).toHaveText('ask the client <i>who</i> created this key');
  expect(await listedNote.locator('i').count()).toBe(0);
  await app.screenshot('drafts-03-top-bar-list');
  await listed.click();
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', eventId);
  await expect(onEvent).toHaveAttribute('data-draft', 'true');
  await expect(onEvent.getByTestId('annotation-note')).toHaveValue('ask the client <i>who</i> created this key');
  await onEvent.getByTestId('annotation-discard').click();
  await expect(onEvent.getByTestId('annotation-note')).toHaveValue('');
  await expect(onEvent.getByTestId('annotation-draft')).toHaveCount(0);
  await expect(drafts).toHaveCount(0);
  expect(await rpc<Annotation[]>('annotations.list', {})).toHaveLength(1);

  // A fresh page reads the saved note back from the core, as text.
  await page.reload();
  await app.go('findings');
  await expect(app.findings.top.getByTestId('finding-verdict')).toHaveAttribute('data-verdict', 'malicious');
  await app.findings.top.click();
  await onFinding.locator('summary').click();
  await expect(onFinding.getByTestId('annotation-note')).toHaveValue(note);
  expect(await onFinding.locator('b').count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});

test('leaving the page with an unsaved draft asks first (browser mode)', async () => {
  const onFinding = page.getByTestId('annotation-editor');
  await onFinding.getByTestId('annotation-tags').fill('vendor');
  await expect(onFinding.getByTestId('annotation-draft')).toBeVisible();
  const asked = page.waitForEvent('dialog');
  void page.evaluate(() => location.reload()).catch(() => undefined);
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  // Stayed: the draft is still there.
  await expect(onFinding.getByTestId('annotation-tags')).toHaveValue('vendor');
});

test('a draft whose finding an allowlist suppressed, and a session draft, are shown, saved and discarded from the top bar', async () => {
  const drafts = page.getByTestId('unsaved-drafts');
  const item = (kind: 'finding' | 'session') => drafts.locator(`[data-testid="unsaved-draft-item"][data-kind="${kind}"]`);
  const openList = async () => {
    if (!(await drafts.evaluate((el) => (el as HTMLDetailsElement).open))) await drafts.locator('summary').click();
  };
  const unfold = async (editor: Locator) => {
    if (!(await editor.evaluate((el) => (el as HTMLDetailsElement).open))) await editor.locator('summary').click();
  };
  // Longer than any snippet, over two lines, with markup: the list shows it whole, as text.
  const note = 'Vendor says the session is theirs.\nNobody there knows 185.220.101.4 (a Tor exit in Berlin): <b>escalate</b> to IR before Friday.';
  const sessionNote = 'this key was handed to the vendor? <i>ask</i>';

  // A note on the finding and one on the session of its privileged call, typed, not saved.
  await app.go('findings');
  await app.findings.top.click();
  await expect(app.timeline.rows.first()).toBeVisible();
  const onFinding = page.getByTestId('annotation-editor');
  await unfold(onFinding);
  await onFinding.getByTestId('annotation-note').fill(note);
  const row = page.locator('[data-testid="timeline-row"][data-role="privileged"]').first();
  await row.click();
  const eventId = Number(await row.getAttribute('data-event-id'));
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', String(eventId));
  const credential = (await rpc<{ event: { credentialId: string | null } }>('events.get', { id: eventId })).event.credentialId;
  expect(credential).toBeTruthy();
  const onSession = page.getByTestId('session-annotation');
  await unfold(onSession);
  await onSession.getByTestId('annotation-note').fill(sessionNote);
  await expect(drafts).toHaveAttribute('data-count', '2');

  // The caller's account is allowlisted and the correlation re-runs: the finding, and the header that held its
  // editor, are gone. Its draft stays, marked, with its note whole.
  const settings = await rpc<CorrelationSettings>('settings.get', {});
  await rpc('settings.set', { settings: { ...settings, allowlist: { ...settings.allowlist, accounts: ['999988887777'] } } });
  await app.go('findings');
  await expect(page.getByText('No AN1348 chains')).toBeVisible();
  await expect(app.findings.all).toHaveCount(0);
  await openList();
  await expect(item('finding')).toHaveAttribute('data-shown', 'false');
  await expect(item('finding').getByTestId('unsaved-draft')).toContainText('not among the current findings');
  await expect(item('finding').getByTestId('unsaved-draft-gone')).toBeVisible();
  const listedNote = item('finding').getByTestId('unsaved-draft-note');
  expect(await listedNote.textContent()).toBe(note);
  expect(await listedNote.locator('b').count()).toBe(0);
  await app.screenshot('drafts-04-suppressed-finding');

  // Going to it says why it cannot be shown, and where the draft can still be settled; the screen and the list stay.
  await item('finding').getByTestId('unsaved-draft').click();
  await expect(page.locator('.notice')).toContainText('not among the current findings');
  await expect(page.locator('.shell')).toHaveAttribute('data-screen', 'findings');
  await expect(item('finding').getByTestId('unsaved-draft-save')).toBeVisible();

  // The session's draft opens the explorer on the credential's calls with the first selected: its editor is there.
  await openList();
  await item('session').getByTestId('unsaved-draft').click();
  await expect(page.locator('.shell')).toHaveAttribute('data-screen', 'explorer');
  await expect(app.explorer.filter('credential')).toHaveValue(credential!);
  const first = app.explorer.rows.first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(app.timeline.inspector).toHaveAttribute('data-event-id', (await first.getAttribute('data-event-id'))!);
  await expect(onSession).toHaveAttribute('data-draft', 'true');
  await expect(onSession.getByTestId('annotation-note')).toHaveValue(sessionNote);

  // Saved from the list without its finding (provider + entry event id); the session's draft discarded there.
  await openList();
  await item('finding').getByTestId('unsaved-draft-save').click();
  await expect(drafts).toHaveAttribute('data-count', '1');
  const stored = await rpc<Annotation[]>('annotations.list', {});
  expect(stored.filter((a) => a.target.kind === 'finding').map((a) => a.note)).toEqual([note]);
  await item('session').getByTestId('unsaved-draft-discard').click();
  await expect(drafts).toHaveCount(0);
  await expect(onSession).not.toHaveAttribute('data-draft', 'true');
  expect((await rpc<Annotation[]>('annotations.list', {})).filter((a) => a.target.kind === 'session')).toEqual([]);

  // Allowlist lifted: the finding is back with the note saved from the top bar.
  await rpc('settings.set', { settings });
  await app.go('findings');
  await expect(app.findings.all).toHaveCount(1);
  await expect(app.findings.top.getByTestId('finding-draft')).toHaveCount(0);
  await app.findings.top.click();
  await unfold(onFinding);
  await expect(onFinding.getByTestId('annotation-note')).toHaveValue(note);
  expect(consoleErrors).toEqual([]);
});
