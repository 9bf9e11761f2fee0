import type { GeoPoint } from '../../../shared/ipc/contract';
import { useApp } from '../../state/store';
import { Empty, SeverityBadge } from '../../ui/components';
import { asnLabel, formatTime } from '../../ui/format';
import { MapView } from './map-view';

export function MapScreen() {
  const finding = useApp((s) => s.findings.find((f) => f.id === s.selection.findingId) ?? null);
  const chainMap = useApp((s) => s.chainMap);
  const selectedIp = useApp((s) => s.selection.ip);
  const selectIp = useApp((s) => s.selectIp);
  const navigate = useApp((s) => s.navigate);
  const findings = useApp((s) => s.findings);
  const openFinding = useApp((s) => s.openFinding);

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
  return (
    <div className="screen-fixed" data-testid="map-screen">
      <div className="map-layout">
        <MapView chain={chainMap.chain} baseline={chainMap.baseline} selectedIp={selectedIp} fitKey={chainMap.findingId} onPick={pick} />
        <aside className="map-side" aria-label="Sources">
          <div>
            <div className="row"><SeverityBadge severity={finding.severity} /><b>{finding.entry.principal ?? finding.entry.sourceAccount}</b></div>
            <div className="muted small">{finding.entry.action} at {formatTime(finding.entry.timeMs)}</div>
          </div>
          {selectedIp ? (
            <div className="panel panel-body" data-testid="map-selection" style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
              <span>Timeline filtered to <b className="mono">{selectedIp}</b></span>
              <div className="row">
                <button type="button" className="btn small primary" onClick={() => navigate('timeline')}>Open timeline</button>
                <button type="button" className="btn small" onClick={() => selectIp(null)}>Clear</button>
              </div>
            </div>
          ) : (
            <p className="muted small">Click a point to filter the timeline to that source.</p>
          )}
          {chainMap.error && <p className="error-text">{chainMap.error}</p>}
          <PointList title="This chain" points={chainMap.chain} selectedIp={selectedIp} onPick={pick} testId="chain-point" />
          <PointList title="Principal's baseline" points={chainMap.baseline} selectedIp={selectedIp} onPick={pick} testId="baseline-point" empty="No earlier activity of this principal in the evidence." />
          <p className="muted small">Locations are approximate (IP geolocation by DB-IP.com, CC BY 4.0). Basemap: Natural Earth.</p>
        </aside>
      </div>
    </div>
  );
}

function PointList({ title, points, selectedIp, onPick, testId, empty = 'No located sources.' }: {
  title: string;
  points: GeoPoint[];
  selectedIp: string | null;
  onPick(ip: string): void;
  testId: string;
  empty?: string;
}) {
  return (
    <section>
      <h3 style={{ marginBottom: 6 }}>{title} ({points.length})</h3>
      {points.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="point-list">
          {points.map((p) => (
            <li key={p.ip}>
              <button type="button" aria-pressed={p.ip === selectedIp} onClick={() => onPick(p.ip)} data-testid={testId} data-ip={p.ip}>
                <b className="mono">{p.ip}</b>
                <span className="small">{asnLabel(p.asn, p.asOrg)}</span>
                <span className="small muted">{[p.city, p.country].filter(Boolean).join(', ') || 'unknown place'} · first {formatTime(p.firstSeenMs, { seconds: false })} · {p.events} events</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
