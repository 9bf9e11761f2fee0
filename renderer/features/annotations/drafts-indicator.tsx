// The open case's unsaved annotation drafts, in the top bar on every screen: a draft is kept while the analyst works
// elsewhere, so this is where they see that one is waiting and go back to it. Notes are the analyst's text and
// targets name log values: rendered as text by React.
import { useEffect, useState } from 'react';
import { useApp, useAppShallow } from '../../state/store';
import { targetKey } from '../../state/drafts-slice';
import { describeTarget } from './bookmarks-panel';

const SNIPPET = 60;

export function DraftsIndicator() {
  const drafts = useAppShallow((s) => Object.values(s.annotationDrafts));
  const findings = useApp((s) => s.findings);
  const goTo = useApp((s) => s.goToTarget);
  const [open, setOpen] = useState(false);
  if (drafts.length === 0) return null;
  return (
    <details className="drafts-indicator" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="unsaved-drafts" data-count={drafts.length}>
      <summary className="tag draft">{drafts.length} unsaved annotation draft{drafts.length === 1 ? '' : 's'}</summary>
      <ul className="drafts-list">
        {drafts.map((d) => (
          <li key={targetKey(d.target)}>
            <button type="button" data-testid="unsaved-draft" data-kind={d.target.kind} onClick={() => { setOpen(false); goTo(d.target); }}>
              <span className="tag">{d.target.kind}</span>
              <span className="mono grow">{describeTarget(d, findings)}</span>
            </button>
            {d.note && <div className="note small">{d.note.length > SNIPPET ? `${d.note.slice(0, SNIPPET)}…` : d.note}</div>}
          </li>
        ))}
      </ul>
    </details>
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
