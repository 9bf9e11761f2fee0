// The analyst's verdict, tags, note and bookmark on a finding. Everything typed here and everything shown from the
// logs is rendered as text by React.
import { useEffect, useState } from 'react';
import { VERDICTS, type Verdict } from '../../../shared/domain/annotations';
import type { Finding } from '../../../shared/domain/correlation';
import { findingAnnotation } from '../../state/annotations-slice';
import { useApp } from '../../state/store';

export function VerdictTag({ verdict }: { verdict: Verdict | null | undefined }) {
  if (!verdict) return null;
  return <span className={`tag verdict verdict-${verdict}`} data-testid="finding-verdict" data-verdict={verdict}>{verdict === 'needs-review' ? 'needs review' : verdict}</span>;
}

export function FindingAnnotationEditor({ finding }: { finding: Finding }) {
  const annotation = useApp((s) => findingAnnotation(s.annotations, finding));
  const save = useApp((s) => s.saveAnnotation);
  const load = useApp((s) => s.loadAnnotations);
  const error = useApp((s) => s.annotationsError);
  const [verdict, setVerdict] = useState<Verdict | ''>('');
  const [tags, setTags] = useState('');
  const [note, setNote] = useState('');
  const [bookmarked, setBookmarked] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    setVerdict(annotation?.verdict ?? '');
    setTags(annotation?.tags.join(', ') ?? '');
    setNote(annotation?.note ?? '');
    setBookmarked(annotation?.bookmarked ?? false);
  }, [annotation]);

  const onSave = async () => {
    const ok = await save({
      target: { kind: 'finding', provider: finding.provider, entryEventId: finding.entry.eventId },
      verdict: verdict === '' ? null : verdict,
      tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
      note,
      bookmarked,
    });
    setSaved(ok);
  };

  return (
    <details className="annotation-editor" data-testid="annotation-editor">
      <summary>
        Annotate {annotation?.verdict ? <VerdictTag verdict={annotation.verdict} /> : <span className="muted small">no verdict</span>}
        {annotation?.bookmarked && <span className="tag">bookmarked</span>}
      </summary>
      <div className="annotation-form">
        <label>
          Verdict{' '}
          <select value={verdict} data-testid="annotation-verdict" onChange={(e) => { setVerdict(e.target.value as Verdict | ''); setSaved(false); }}>
            <option value="">none</option>
            {VERDICTS.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
        <label>
          Tags{' '}
          <input type="text" value={tags} placeholder="comma, separated" data-testid="annotation-tags" onChange={(e) => { setTags(e.target.value); setSaved(false); }} />
        </label>
        <label>
          <input type="checkbox" checked={bookmarked} data-testid="annotation-bookmark" onChange={(e) => { setBookmarked(e.target.checked); setSaved(false); }} /> Bookmark
        </label>
        <textarea value={note} rows={3} placeholder="Note" data-testid="annotation-note" onChange={(e) => { setNote(e.target.value); setSaved(false); }} />
        <div>
          <button type="button" className="btn primary" data-testid="annotation-save" onClick={() => void onSave()}>Save annotation</button>
          {saved && <span className="muted small" data-testid="annotation-saved"> saved</span>}
          {error && <span className="error-text"> {error}</span>}
        </div>
      </div>
    </details>
  );
}
