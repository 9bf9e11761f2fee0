import { useMemo } from 'react';
import type { Annotation } from '../../../shared/domain/annotations';
import type { GeoPoint, TimelineEvent } from '../../../shared/ipc/contract';
import { notesByEvent, strongestVerdict } from '../../state/annotations-slice';
import { useApp } from '../../state/store';
import { Empty, SeverityBadge } from '../../ui/components';
import { asnLabel, countOf, formatTime } from '../../ui/format';
import { LogText, logText, placeText } from '../../ui/log-text';
import { baselineScope } from './baseline-scope';
import { MapView, type SourceNotes } from './map-view';

/** Per source IP of the chain: how many of its events the analyst annotated (or whose session), and the strongest verdict. */
export function notesBySource(annotations: Annotation[], events: TimelineEvent[]): Map<string, SourceNotes> {
  const byEvent = notesByEvent(annotations, events);
  const out = new Map<string, { notes: (Annotation | null)[]; events: number }>();
  for (const e of events) {
    const n = byEvent.get(e.id);
    if (!n || !e.sourceIp) continue;
    const at = out.get(e.sourceIp) ?? { notes: [], events: 0 };
    at.notes.push(n.event, n.session);
    at.events++;
    out.set(e.sourceIp, at);
  }
  return new Map([...out].map(([ip, v]) => [ip, { verdict: strongestVerdict(v.notes) ?? 'noted', events: v.events }]));
}

export function MapScreen() {
  const finding = useApp((s) => s.findings.find((f) => f.id === s.selection.findingId) ?? null);
  const chainMap = useApp((s) => s.chainMap);
  const selectedIp = useApp((s) => s.selection.ip);
  const selectIp = useApp((s) => s.selectIp);
  const navigate = useApp((s) => s.navigate);
  const findings = useApp((s) => s.findings);
  const openFinding = useApp((s) => s.openFinding);
  const annotations = useApp((s) => s.annotations);
  const timelineEvents = useApp((s) => s.timeline.events);
  const annotatedOnly = useApp((s) => s.annotatedOnly);
  const setAnnotatedOnly = useApp((s) => s.setAnnotatedOnly);
  const notes = useMemo(() => notesBySource(annotations, timelineEvents), [annotations, timelineEvents]);
  const chainPoints = useMemo(() => (annotatedOnly ? chainMap.chain.filter((p) => notes.has(p.ip)) : chainMap.chain), [annotatedOnly, chainMap.chain, notes]);

  if (!finding) {
    const top = findings[0];
    return (
      <Empty title="No chain selected">
        <p>The map shows where a chain&apos;s calls came from, beside where its principal had been before.</p>
        {top && (
          <button type="button" className="btn primary" onClick={() => { openFinding(top.id); navigate('map'); }}>Map the top finding</button>
        )}
      </Empty>
    );
  }

  const pick = (ip: string) => selectIp(selectedIp === ip ? null : ip);
  const scope = baselineScope(finding);
  return (
    <div className="screen-fixed" data-testid="map-screen">
      <div className="map-layout">
        <MapView chain={chainPoints} baseline={chainMap.baseline} baselineLabel={scope.title.toLowerCase()} travelFromBaseline={scope.travel} selectedIp={selectedIp} fitKey={chainMap.findingId} notes={notes} onPick={pick} />
        <aside className="map-side" aria-label="Sources">
          <div>
            <div className="row"><SeverityBadge severity={finding.severity} /><b data-testid="map-principal"><LogText text={finding.entry.principal ?? finding.entry.sourceAccount} fallback="unknown principal" /></b></div>
            <div className="muted small" data-testid="map-entry"><LogText text={finding.entry.action} /> at {formatTime(finding.entry.timeMs)}</div>
          </div>
          {selectedIp ? (
            <div className="panel panel-body" data-testid="map-selection" style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
              <span>Timeline filtered to <b className="mono">{logText(selectedIp)}</b></span>
              <div className="row">
                <button type="button" className="btn small primary" onClick={() => navigate('timeline')}>Open timeline</button>
                <button type="button" className="btn small" onClick={() => selectIp(null)}>Clear</button>
              </div>
            </div>
          ) : (
            <p className="muted small">Click a point to filter the timeline to that source.</p>
          )}
          {chainMap.error && <p className="error-text">{chainMap.error}</p>}
          <label className="small" title="Only sources with events you annotated, or whose session you annotated (also in the timeline)">
            <input type="checkbox" checked={annotatedOnly} data-testid="map-annotated-only" onChange={(e) => setAnnotatedOnly(e.target.checked)} /> annotated sources only ({notes.size})
          </label>
          <PointList title="This chain" points={chainPoints} selectedIp={selectedIp} onPick={pick} testId="chain-point" notes={notes} empty={annotatedOnly ? 'No annotated events in this chain.' : undefined} />
          <PointList title={scope.title} points={chainMap.baseline} selectedIp={selectedIp} onPick={pick} testId="baseline-point" listTestId="baseline-list" empty={scope.empty} />
          <p className="muted small">Locations are approximate (IP geolocation by DB-IP.com, CC BY 4.0). Basemap: Natural Earth.</p>
        </aside>
      </div>
    </div>
  );
}

function PointList({ title, points, selectedIp, onPick, testId, listTestId, notes, empty = 'No located sources.' }: {
  title: string;
  listTestId?: string;
  points: GeoPoint[];
  notes?: Map<string, SourceNotes>;
  selectedIp: string | null;
  onPick(ip: string): void;
  testId: string;
  empty?: string;
}) {
  return (
    <section data-testid={listTestId}>
      <h3 style={{ marginBottom: 6 }}>{title} ({points.length})</h3>
      {points.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="point-list">
          {points.map((p) => (
            <li key={p.ip}>
              <button type="button" aria-pressed={p.ip === selectedIp} onClick={() => onPick(p.ip)} data-testid={testId} data-ip={p.ip}>
                <b className="mono">{logText(p.ip)}</b>
                <span className="small">{logText(asnLabel(p.asn, p.asOrg))}</span>
                <span className="small muted">{placeText(p.city, p.country)} · first {formatTime(p.firstSeenMs, { seconds: false })} · {countOf(p.events, 'event')}</span>
                {notes?.get(p.ip) && <SourceNoteLine notes={notes.get(p.ip)!} />}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SourceNoteLine({ notes }: { notes: SourceNotes }) {
  return (
    <span className="small" data-testid="point-annotated" data-verdict={notes.verdict}>
      {notes.events} annotated event{notes.events === 1 ? '' : 's'}
      {notes.verdict !== 'noted' && <> · <span className={`tag verdict verdict-${notes.verdict}`}>{notes.verdict === 'needs-review' ? 'needs review' : notes.verdict}</span></>}
    </span>
  );
}
