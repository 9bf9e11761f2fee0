// Every bookmark of the case (or every annotation), newest first, filterable by verdict and tag; a click goes to
// what it is about. Notes and tags are the analyst's text and log values: rendered as text by React.
import { useMemo, useState } from 'react';
import type { Annotation } from '../../../shared/domain/annotations';
import type { Finding } from '../../../shared/domain/correlation';
import { findingOfTarget, passesVerdictFilter, type VerdictFilter } from '../../state/annotations-slice';
import { useApp } from '../../state/store';
import { AnnotationMarks, VerdictFilterSelect } from '../../ui/annotation-editor';
import { formatTime, shortPrincipal } from '../../ui/format';
import { logText } from '../../ui/log-text';

type Scope = 'bookmarked' | 'all';

export function BookmarksPanel() {
  const annotations = useApp((s) => s.annotations);
  const findings = useApp((s) => s.findings);
  const goTo = useApp((s) => s.goToAnnotation);
  const [scope, setScope] = useState<Scope>('bookmarked');
  const [verdict, setVerdict] = useState<VerdictFilter>('all');
  const [tag, setTag] = useState('');

  const shown = useMemo(() => {
    const wanted = tag.trim().replace(/^#/, '').toLowerCase();
    return annotations
      .filter((a) => (scope === 'all' || a.bookmarked) && passesVerdictFilter(verdict, a) && (!wanted || a.tags.some((t) => t.toLowerCase() === wanted)))
      .sort((a, b) => b.updatedMs - a.updatedMs || b.id - a.id);
  }, [annotations, scope, verdict, tag]);
  const bookmarks = annotations.filter((a) => a.bookmarked).length;

  return (
    <section className="panel bookmarks" aria-label="Bookmarks and annotations" data-testid="bookmarks">
      <div className="panel-head row wrap">
        <h2 className="grow">Bookmarks <span className="muted small">{bookmarks} bookmarked · {annotations.length} annotated</span></h2>
        <label className="small">
          Show{' '}
          <select value={scope} data-testid="bookmarks-scope" onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="bookmarked">bookmarks</option>
            <option value="all">every annotation</option>
          </select>
        </label>
        <VerdictFilterSelect value={verdict} onChange={setVerdict} testId="bookmarks-verdict" allLabel="any" />
        <label className="small">
          Tag <input type="text" value={tag} size={10} placeholder="any" data-testid="bookmarks-tag" onChange={(e) => setTag(e.target.value)} />
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="muted small panel-body">
          {annotations.length === 0 ? 'Nothing annotated yet. Annotate a finding, a session or an event and tick Bookmark to list it here.' : 'No annotation matches.'}
        </p>
      ) : (
        <ul className="bookmark-list">
          {shown.map((a) => (
            <li key={a.id}>
              <button type="button" onClick={() => goTo(a)} data-testid="bookmark" data-kind={a.target.kind}>
                <span className="tag">{a.target.kind}</span>
                <span className="mono grow" data-testid="bookmark-target">{describeTarget(a, findings)}</span>
                <AnnotationMarks annotation={a} />
                <span className="muted small">{a.analyst} · {formatTime(a.updatedMs, { seconds: false })}</span>
              </button>
              {a.note && <div className="note small">{a.note}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * What an annotation (or an unsaved draft) is about, in words an analyst recognises; the log values in it (principal,
 * account, session key, event id) with any control that reorders text shown by its code point.
 */
export function describeTarget(a: Pick<Annotation, 'target'>, findings: Finding[]): string {
  const t = a.target;
  if (t.kind === 'finding') {
    const f = findingOfTarget(t, findings);
    return f ? `${shortPrincipal(f.entry.principal ?? f.entry.sourceAccount)} → ${logText(f.entry.targetAccount, '?')} (${f.severity})` : `${t.provider} entry ${logText(t.entryEventId)} (not among the current findings)`;
  }
  if (t.kind === 'session') return `${t.provider} session ${logText(t.sessionKey)}`;
  return `${t.provider} event ${logText(t.nativeId)}`;
}
