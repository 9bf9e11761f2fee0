// The open case's unsaved annotation drafts, in the top bar on every screen: a draft is kept while the analyst works
// elsewhere, so this is where they see that one is waiting, go back to it, or settle it. Each draft can be saved or
// discarded right here, whether or not its target can still be shown: a finding suppressed by an allowlist after the
// draft was typed is no longer listed, and its header (the only editor it had) with it. Saving needs no finding: the
// target is the provider and the entry event id. Notes are the analyst's text and targets name log values: rendered as
// text by React (log values with any bidi control shown by its code point, see describeTarget).
import { useEffect, useState } from 'react';
import { findingOfTarget } from '../../state/annotations-slice';
import { useApp, useAppShallow } from '../../state/store';
import { targetKey, type AnnotationDraft } from '../../state/drafts-slice';
import { VerdictTag } from '../../ui/annotation-editor';
import { describeTarget } from './bookmarks-panel';

export function DraftsIndicator() {
  const drafts = useAppShallow((s) => Object.values(s.annotationDrafts));
  const findings = useApp((s) => s.findings);
  const goTo = useApp((s) => s.goToTarget);
  const save = useApp((s) => s.saveAnnotationDraft);
  const discard = useApp((s) => s.discardAnnotationDraft);
  const error = useApp((s) => s.annotationsError);
  const [open, setOpen] = useState(false);
  /** The targets whose save is in flight (their Save waits). */
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set());
  if (drafts.length === 0) return null;

  const onSave = async (d: AnnotationDraft) => {
    const key = targetKey(d.target);
    setSaving((s) => new Set(s).add(key));
    try {
      await save(d.target);
    } finally {
      setSaving((s) => {
        const next = new Set(s);
        next.delete(key);
        return next;
      });
    }
  };

  return (
    <details className="drafts-indicator" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="unsaved-drafts" data-count={drafts.length}>
      <summary className="tag draft">{drafts.length} unsaved annotation draft{drafts.length === 1 ? '' : 's'}</summary>
      <ul className="drafts-list">
        {drafts.map((d) => {
          const key = targetKey(d.target);
          const gone = d.target.kind === 'finding' && !findingOfTarget(d.target, findings);
          const about = describeTarget(d, findings);
          return (
            <li key={key} data-testid="unsaved-draft-item" data-kind={d.target.kind} data-shown={gone ? 'false' : 'true'}>
              <button
                type="button"
                className="draft-go"
                data-testid="unsaved-draft"
                data-kind={d.target.kind}
                title={`${about}\n${gone ? 'Its finding is no longer listed: save or discard the draft here.' : 'Show it, with its editor.'}`}
                // A finding no longer listed cannot be shown: the list stays open on its Save and Discard, and a notice says why.
                onClick={() => { if (!gone) setOpen(false); void goTo(d.target); }}
              >
                <span className="tag">{d.target.kind}</span>
                <span className="mono grow">{about}</span>
              </button>
              {gone && <div className="small draft-gone" data-testid="unsaved-draft-gone">Its finding is no longer listed (an allowlist or a re-run of the correlation), so its editor is gone: save or discard the draft here.</div>}
              <DraftFieldsLine draft={d} />
              {d.note && <div className="note small" data-testid="unsaved-draft-note">{d.note}</div>}
              <div className="draft-actions">
                <button type="button" className="btn small primary" data-testid="unsaved-draft-save" disabled={saving.has(key)} onClick={() => void onSave(d)}>
                  {saving.has(key) ? 'Saving…' : 'Save'}
                </button>
                <button type="button" className="btn small" data-testid="unsaved-draft-discard" disabled={saving.has(key)} onClick={() => discard(d.target)}>Discard</button>
              </div>
            </li>
          );
        })}
        {error && <li className="error-text small" data-testid="unsaved-drafts-error">{error}</li>}
      </ul>
    </details>
  );
}

/** The draft's verdict, bookmark and tags, as they would be saved. */
function DraftFieldsLine({ draft: d }: { draft: AnnotationDraft }) {
  const tags = d.tags.split(',').map((t) => t.trim()).filter(Boolean);
  if (!d.verdict && !d.bookmarked && tags.length === 0) return null;
  return (
    <div className="draft-fields small" data-testid="unsaved-draft-fields">
      <VerdictTag verdict={d.verdict || null} testId="unsaved-draft-verdict" />
      {d.bookmarked && <span className="tag bookmark" title="bookmarked">★</span>}
      {tags.map((t, i) => <span key={i} className="tag user-tag">#{t}</span>)}
    </div>
  );
}

/**
 * Closing or reloading the window with unsaved drafts asks first: in browser mode with the browser's own prompt, in
 * Electron with the dialog main shows when the page objects (`will-prevent-unload` in electron/main/main.ts).
 */
export function useWarnBeforeUnload(): void {
  const unsaved = useApp((s) => Object.keys(s.annotationDrafts).length > 0);
  useEffect(() => {
    if (!unsaved) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsaved]);
}
