// The analyst's verdict, tags, note and bookmark on a finding, a session or a single event. Everything typed here
// and everything shown from the logs is rendered as text by React.
import { useRef, useState, type KeyboardEvent } from 'react';
import { VERDICTS, type Annotation, type AnnotationTarget, type Verdict } from '../../shared/domain/annotations';
import type { Finding } from '../../shared/domain/correlation';
import { annotationOf, findingTarget, strongestVerdict, type EventNotes, type VerdictFilter } from '../state/annotations-slice';
import { draftOf, fieldsOf, targetKey, type DraftFields } from '../state/drafts-slice';
import { useApp } from '../state/store';

export function VerdictTag({ verdict, testId = 'finding-verdict' }: { verdict: Verdict | null | undefined; testId?: string }) {
  if (!verdict) return null;
  return <span className={`tag verdict verdict-${verdict}`} data-testid={testId} data-verdict={verdict}>{verdict === 'needs-review' ? 'needs review' : verdict}</span>;
}

/** The small marks a list row carries for an annotation: its verdict, a bookmark, its tags. */
export function AnnotationMarks({ annotation }: { annotation: Annotation }) {
  return (
    <>
      <VerdictTag verdict={annotation.verdict} testId="row-verdict" />
      {annotation.bookmarked && <span className="tag bookmark" data-testid="row-bookmark" title="bookmarked">★</span>}
      {annotation.tags.map((t) => <span key={t} className="tag user-tag" title="tag">#{t}</span>)}
      {annotation.note && <span className="tag note-mark" title={annotation.note}>note</span>}
    </>
  );
}

/**
 * What a list row shows of an event's annotations: the strongest verdict of the event's own and its session's
 * (or "noted"), and a star if either is bookmarked; tags and notes on hover.
 */
export function EventNotesMark({ notes, flag = strongestVerdict([notes.event, notes.session]) ?? 'noted' }: { notes: EventNotes; flag?: Verdict | 'noted' }) {
  const all = [notes.event && { ...notes.event, of: 'event' }, notes.session && { ...notes.session, of: 'session' }].filter((a): a is NonNullable<typeof a> => !!a);
  const title = all.map((a) => `${a.of}: ${a.verdict ?? 'no verdict'}${a.tags.length ? ` #${a.tags.join(' #')}` : ''}${a.note ? ` — ${a.note}` : ''}`).join('\n');
  return (
    <span title={title}>
      {flag !== 'noted' ? <VerdictTag verdict={flag} testId="row-verdict" /> : <span className="tag note-mark">noted</span>}
      {all.some((a) => a.bookmarked) && <span className="tag bookmark" data-testid="row-bookmark">★</span>}
    </span>
  );
}

/** "Verdict: all / malicious / benign / needs review / no verdict", the filter of the findings and the bookmarks. */
export function VerdictFilterSelect({ value, onChange, testId, allLabel = 'all' }: { value: VerdictFilter; onChange(filter: VerdictFilter): void; testId: string; allLabel?: string }) {
  return (
    <label className="small">
      Verdict{' '}
      <select value={value} data-testid={testId} onChange={(e) => onChange(e.target.value as VerdictFilter)}>
        <option value="all">{allLabel}</option>
        <option value="malicious">malicious</option>
        <option value="benign">benign</option>
        <option value="needs-review">needs review</option>
        <option value="none">no verdict</option>
      </select>
    </label>
  );
}

export function FindingAnnotationEditor({ finding }: { finding: Finding }) {
  const target = findingTarget(finding);
  // Keyed by target: another finding in the same header starts folded (or unfolded on its own draft).
  return <AnnotationEditor key={targetKey(target)} target={target} title="Annotate finding" testId="annotation-editor" />;
}

/**
 * One target's annotation form, folded into a <details> so a list or the inspector stays compact. What the analyst
 * types goes straight to the target's draft in the store (state/drafts-slice.ts), never into this component's state:
 * the editor unmounts on every screen switch or event selection, and unsaved text must not go with it. A target with
 * a draft opens unfolded and marked "Unsaved draft" until it is saved or discarded. A saved annotation can be edited
 * or deleted; both go to the audit log. Ctrl+Enter (Cmd+Enter) saves, as on the import screen; Escape folds the form
 * and leaves what was typed as the draft.
 */
export function AnnotationEditor({ target, title, testId, hint }: { target: AnnotationTarget; title: string; testId: string; hint?: string }) {
  const annotation = useApp((s) => annotationOf(s.annotations, target));
  const draft = useApp((s) => draftOf(s.annotationDrafts, target));
  const edit = useApp((s) => s.editAnnotationDraft);
  const saveDraft = useApp((s) => s.saveAnnotationDraft);
  const discard = useApp((s) => s.discardAnnotationDraft);
  const remove = useApp((s) => s.deleteAnnotation);
  const error = useApp((s) => s.annotationsError);
  const [status, setStatus] = useState<'saved' | 'deleted' | null>(null);
  const [open, setOpen] = useState(draft !== null);
  const form = draft ?? fieldsOf(annotation);

  const change = (fields: Partial<DraftFields>) => {
    edit(target, fields);
    setStatus(null);
  };
  const onSave = async () => {
    setStatus((await saveDraft(target)) ? 'saved' : null);
  };
  const summary = useRef<HTMLElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLDetailsElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (draft) void onSave();
    } else if (e.key === 'Escape' && open) {
      // Handled here only: a screen's own Escape (the timeline's "every source") is not what the analyst meant.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      summary.current?.focus();
    }
  };
  const onDelete = async () => {
    // Only the saved annotation goes: a draft on top of it stays, to be saved anew or discarded.
    if (annotation && (await remove(annotation.id))) setStatus('deleted');
  };

  return (
    <details className="annotation-editor" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} onKeyDown={onKeyDown} data-testid={testId} data-kind={target.kind} data-draft={draft ? 'true' : undefined}>
      <summary ref={summary}>
        {title} {annotation?.verdict ? <VerdictTag verdict={annotation.verdict} /> : <span className="muted small">no verdict</span>}
        {annotation?.bookmarked && <span className="tag">bookmarked</span>}
        {draft && <span className="tag draft" data-testid="annotation-draft" title="Typed but not saved yet: kept while you work elsewhere in this case">Unsaved draft</span>}
        {hint && <span className="muted small mono"> {hint}</span>}
      </summary>
      <div className="annotation-form">
        <label>
          Verdict{' '}
          <select value={form.verdict} data-testid="annotation-verdict" onChange={(e) => change({ verdict: e.target.value as Verdict | '' })}>
            <option value="">none</option>
            {VERDICTS.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
        <label>
          Tags{' '}
          <input type="text" value={form.tags} placeholder="comma, separated" data-testid="annotation-tags" onChange={(e) => change({ tags: e.target.value })} />
        </label>
        <label>
          <input type="checkbox" checked={form.bookmarked} data-testid="annotation-bookmark" onChange={(e) => change({ bookmarked: e.target.checked })} /> Bookmark
        </label>
        <textarea value={form.note} rows={3} placeholder="Note" data-testid="annotation-note" onChange={(e) => change({ note: e.target.value })} />
        <div className="row">
          <button type="button" className="btn primary" data-testid="annotation-save" disabled={!draft} title="Ctrl+Enter" aria-keyshortcuts="Control+Enter Meta+Enter" onClick={() => void onSave()}>Save annotation</button>
          {draft && <button type="button" className="btn" data-testid="annotation-discard" onClick={() => { discard(target); setStatus(null); }}>Discard draft</button>}
          {annotation && <button type="button" className="btn" data-testid="annotation-delete" onClick={() => void onDelete()}>Delete</button>}
          {status && <span className="muted small" data-testid="annotation-saved"> {status}</span>}
          {error && <span className="error-text"> {error}</span>}
        </div>
      </div>
    </details>
  );
}
