// The analyst's verdict, tags, note and bookmark on a finding, a session or a single event. Everything typed here
// and everything shown from the logs is rendered as text by React.
import { useEffect, useState } from 'react';
import { VERDICTS, type Annotation, type AnnotationTarget, type Verdict } from '../../shared/domain/annotations';
import type { Finding } from '../../shared/domain/correlation';
import { annotationOf, findingTarget, strongestVerdict, type EventNotes, type VerdictFilter } from '../state/annotations-slice';
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
  return <AnnotationEditor target={findingTarget(finding)} title="Annotate finding" testId="annotation-editor" />;
}

/**
 * One target's annotation form, folded into a <details> so a list or the inspector stays compact. A saved
 * annotation can be edited or deleted; both go to the audit log.
 */
export function AnnotationEditor({ target, title, testId, hint }: { target: AnnotationTarget; title: string; testId: string; hint?: string }) {
  const annotation = useApp((s) => annotationOf(s.annotations, target));
  const save = useApp((s) => s.saveAnnotation);
  const remove = useApp((s) => s.deleteAnnotation);
  const error = useApp((s) => s.annotationsError);
  const [verdict, setVerdict] = useState<Verdict | ''>('');
  const [tags, setTags] = useState('');
  const [note, setNote] = useState('');
  const [bookmarked, setBookmarked] = useState(false);
  const [status, setStatus] = useState<'saved' | 'deleted' | null>(null);

  useEffect(() => {
    setVerdict(annotation?.verdict ?? '');
    setTags(annotation?.tags.join(', ') ?? '');
    setNote(annotation?.note ?? '');
    setBookmarked(annotation?.bookmarked ?? false);
  }, [annotation]);
  const edited = () => setStatus(null);

  const onSave = async () => {
    const ok = await save({ target, verdict: verdict === '' ? null : verdict, tags: tags.split(',').map((t) => t.trim()).filter(Boolean), note, bookmarked });
    setStatus(ok ? 'saved' : null);
  };
  const onDelete = async () => {
    if (annotation && (await remove(annotation.id))) setStatus('deleted');
  };

  return (
    <details className="annotation-editor" data-testid={testId} data-kind={target.kind}>
      <summary>
        {title} {annotation?.verdict ? <VerdictTag verdict={annotation.verdict} /> : <span className="muted small">no verdict</span>}
        {annotation?.bookmarked && <span className="tag">bookmarked</span>}
        {hint && <span className="muted small mono"> {hint}</span>}
      </summary>
      <div className="annotation-form">
        <label>
          Verdict{' '}
          <select value={verdict} data-testid="annotation-verdict" onChange={(e) => { setVerdict(e.target.value as Verdict | ''); edited(); }}>
            <option value="">none</option>
            {VERDICTS.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
        <label>
          Tags{' '}
          <input type="text" value={tags} placeholder="comma, separated" data-testid="annotation-tags" onChange={(e) => { setTags(e.target.value); edited(); }} />
        </label>
        <label>
          <input type="checkbox" checked={bookmarked} data-testid="annotation-bookmark" onChange={(e) => { setBookmarked(e.target.checked); edited(); }} /> Bookmark
        </label>
        <textarea value={note} rows={3} placeholder="Note" data-testid="annotation-note" onChange={(e) => { setNote(e.target.value); edited(); }} />
        <div className="row">
          <button type="button" className="btn primary" data-testid="annotation-save" onClick={() => void onSave()}>Save annotation</button>
          {annotation && <button type="button" className="btn" data-testid="annotation-delete" onClick={() => void onDelete()}>Delete</button>}
          {status && <span className="muted small" data-testid="annotation-saved"> {status}</span>}
          {error && <span className="error-text"> {error}</span>}
        </div>
      </div>
    </details>
  );
}
