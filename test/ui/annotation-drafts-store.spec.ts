// Unsaved annotation drafts in the store (renderer/state/drafts-slice.ts), under Node with the fake core: what
// an analyst types survives screen switches, is saved or discarded only on request, and stays with its case.
import { expect, test } from '@playwright/test';
import type { AnnotationTarget } from '../../shared/domain/annotations';
import { createFakeClient } from '../../renderer/ipc/fake-client';
import type { Client } from '../../renderer/ipc/client';
import { annotationOf, findingTarget, sessionTarget } from '../../renderer/state/annotations-slice';
import { draftOf } from '../../renderer/state/drafts-slice';
import { createStore, type AppStore } from '../../renderer/state/store';

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function sampleOpened(client: Client = createFakeClient({ stepMs: 1 })): Promise<{ store: AppStore; target: AnnotationTarget }> {
  const store = createStore(client);
  await store.getState().openSample();
  await until(() => store.getState().findings.length > 0 && Object.values(store.getState().jobs).every((j) => j.finished), 'the sample to be imported and correlated');
  const top = store.getState().findings[0];
  if (!top) throw new Error('no finding');
  return { store, target: findingTarget(top) };
}

test('a draft survives switching screens, and editing back to what is saved drops it', async () => {
  const { store, target } = await sampleOpened();
  const s = () => store.getState();
  s().editAnnotationDraft(target, { note: 'vendor denies <b>this</b>' });
  s().editAnnotationDraft(target, { verdict: 'malicious' });
  s().navigate('map');
  s().navigate('findings');
  expect(draftOf(s().annotationDrafts, target)).toMatchObject({ note: 'vendor denies <b>this</b>', verdict: 'malicious', tags: '', bookmarked: false });
  // Another target of the same kind keeps its own draft.
  const other = findingTarget(s().findings[1]!);
  expect(draftOf(s().annotationDrafts, other)).toBeNull();

  s().editAnnotationDraft(target, { note: '', verdict: '' });
  expect(draftOf(s().annotationDrafts, target)).toBeNull();
  store.dispose();
});

test('saving stores the draft through the core and drops it; discarding drops it without saving', async () => {
  const { store, target } = await sampleOpened();
  const s = () => store.getState();
  s().editAnnotationDraft(target, { note: 'escalate', tags: 'ir-42, vendor ,', bookmarked: true });
  expect(await s().saveAnnotationDraft(target)).toBe(true);
  expect(draftOf(s().annotationDrafts, target)).toBeNull();
  expect(annotationOf(s().annotations, target)).toMatchObject({ note: 'escalate', tags: ['ir-42', 'vendor'], bookmarked: true, verdict: null });

  // A draft on top of the saved annotation starts from its values; discarding it leaves the saved one as it was.
  s().editAnnotationDraft(target, { note: 'escalate to legal' });
  expect(draftOf(s().annotationDrafts, target)).toMatchObject({ note: 'escalate to legal', tags: 'ir-42, vendor', bookmarked: true });
  s().discardAnnotationDraft(target);
  expect(draftOf(s().annotationDrafts, target)).toBeNull();
  await s().loadAnnotations();
  expect(annotationOf(s().annotations, target)?.note).toBe('escalate');
  store.dispose();
});

test('a failed save keeps the draft; text typed while a save is in flight stays a draft', async () => {
  const fake = createFakeClient({ stepMs: 1 });
  let failSaves = false;
  let release: (() => void) | null = null;
  const client: Client = {
    ...fake,
    async invoke(channel, request) {
      if (channel === 'annotations.save') {
        if (failSaves) throw new Error('the case is read-only');
        await new Promise<void>((r) => { release = r; });
      }
      return fake.invoke(channel, request);
    },
  };
  const { store, target } = await sampleOpened(client);
  const s = () => store.getState();

  failSaves = true;
  s().editAnnotationDraft(target, { note: 'first words' });
  expect(await s().saveAnnotationDraft(target)).toBe(false);
  expect(s().annotationsError).toContain('read-only');
  expect(draftOf(s().annotationDrafts, target)?.note).toBe('first words');

  failSaves = false;
  const saving = s().saveAnnotationDraft(target);
  await until(() => release !== null, 'the save to reach the core');
  s().editAnnotationDraft(target, { note: 'first words, and more' });
  release!();
  expect(await saving).toBe(true);
  expect(annotationOf(s().annotations, target)?.note).toBe('first words');
  expect(draftOf(s().annotationDrafts, target)?.note).toBe('first words, and more');
  store.dispose();
});

test('drafts belong to their case: opening another case drops them and says so', async () => {
  const { store, target } = await sampleOpened();
  const s = () => store.getState();
  s().editAnnotationDraft(target, { note: 'only about case A' });
  expect(await s().openCase('/cases/other.crossline')).toBe(true);
  expect(s().caseInfo?.file).toBe('/cases/other.crossline');
  expect(s().annotationDrafts).toEqual({});
  expect(s().notices.map((n) => n.text)).toContainEqual(expect.stringContaining('discarded 1 unsaved annotation draft'));
  store.dispose();
});

test('a draft whose finding is no longer listed: going to it stays put and says why; it saves without the finding', async () => {
  const { store, target } = await sampleOpened();
  const s = () => store.getState();
  const top = s().findings[0]!;
  s().editAnnotationDraft(target, { note: 'the vendor denies it' });
  await s().loadSettings();
  expect(await s().saveSettings({ ...s().settings!, allowlist: { ...s().settings!.allowlist, accounts: [top.entry.sourceAccount!] } })).toBe(true);
  await until(() => s().findings.length > 0 && !s().findings.some((f) => f.entry.eventId === top.entry.eventId), 'the finding to be suppressed');
  s().navigate('findings');

  expect(await s().goToTarget(target)).toBe(false);
  expect(s().screen).toBe('findings');
  expect(s().notices.map((n) => n.text)).toContainEqual(expect.stringContaining('not among the current findings'));
  expect(await s().saveAnnotationDraft(target)).toBe(true);
  expect(draftOf(s().annotationDrafts, target)).toBeNull();
  expect(annotationOf(s().annotations, target)?.note).toBe('the vendor denies it');
  store.dispose();
});

test('a session draft opens the explorer on its credential with the first call selected, so its editor shows', async () => {
  const { store } = await sampleOpened();
  const s = () => store.getState();
  await s().setExplorerFilter({ credential: 'ASIAATTACKER' });
  const calls = s().explorer.rows;
  expect(calls.length).toBeGreaterThan(1);
  const session = sessionTarget(calls[0]!)!;
  s().editAnnotationDraft(session, { note: 'key handed to the vendor?' });
  // Elsewhere, another event selected and another filter applied.
  await s().setExplorerFilter({ text: 'ListBuckets' });
  s().selectEvent(s().explorer.rows.at(-1)?.id ?? null);
  s().navigate('findings');

  expect(await s().goToTarget(session)).toBe(true);
  expect(s().screen).toBe('explorer');
  expect(s().explorer.filter).toEqual({ credential: 'ASIAATTACKER' });
  expect(s().selection.explorerEventId).toBe(calls[0]!.id);
  await until(() => s().detail.event?.id === calls[0]!.id, 'the first call to be shown');
  expect(sessionTarget(s().detail.event!)).toEqual(session);

  // A session with no call in the case says so and selects nothing.
  const unknown = { kind: 'session' as const, provider: 'aws', sessionKey: 'ASIANOWHERE' };
  s().selectEvent(null);
  expect(await s().goToTarget(unknown)).toBe(false);
  expect(s().selection.explorerEventId).toBeNull();
  expect(s().notices.map((n) => n.text)).toContainEqual(expect.stringContaining('cannot be shown'));
  store.dispose();
});
