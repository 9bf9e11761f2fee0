// The selected event: its normalized fields and its raw record. Log data is hostile: everything here is
// rendered as text by React (never as HTML), the raw record inside a <pre>.
import { useMemo, useState } from 'react';
import type { EventRow, TimelineEvent } from '../../shared/ipc/contract';
import { useApp } from '../state/store';
import { asnLabel, formatOffset, formatTime, titleCase } from './format';

function prettyJson(raw: string): string | null {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return null;
  }
}

export function EventInspector({ timelineEvent }: { timelineEvent?: TimelineEvent | null }) {
  const detail = useApp((s) => s.detail);
  const [verbatim, setVerbatim] = useState(false);
  const pretty = useMemo(() => (detail.raw === null ? null : prettyJson(detail.raw)), [detail.raw]);

  if (detail.eventId === null) {
    return (
      <aside className="inspector" aria-label="Event details" data-testid="inspector">
        <div className="empty">Select an event to see its fields and raw record.</div>
      </aside>
    );
  }
  const e = detail.event;
  const rawText = detail.raw === null ? '' : verbatim || pretty === null ? detail.raw : pretty;
  return (
    <aside className="inspector" aria-label="Event details" data-testid="inspector" data-event-id={detail.eventId}>
      <div className="inspector-head">
        <span className="action" data-testid="inspector-action">{e?.action ?? (detail.loading ? 'Loading…' : 'Event')}</span>
        {e && <span className="muted small">{formatTime(e.timeMs, { millis: true })}{timelineEvent ? ` · ${formatOffset(timelineEvent.offsetMs)} after entry` : ''}</span>}
        {timelineEvent && (
          <div className="row wrap small">
            <span className={`role-dot role-${timelineEvent.role}`} aria-hidden="true" />
            <span>{titleCase(timelineEvent.role)}</span>
            {timelineEvent.category && <span className="tag">{titleCase(timelineEvent.category)}</span>}
            {timelineEvent.newNetwork && <span className="tag new">new network</span>}
            <span className="muted">linked by {timelineEvent.link}{timelineEvent.depth > 0 ? `, hop ${timelineEvent.depth}` : ''}</span>
          </div>
        )}
      </div>
      <div className="inspector-body">
        {detail.error && <p className="error-text">{detail.error}</p>}
        {e && <Fields event={e} />}
        <section>
          <div className="row" style={{ marginBottom: 6 }}>
            <h3 className="grow">Raw record</h3>
            <div className="seg" role="group" aria-label="Raw record format">
              <button type="button" aria-pressed={!verbatim} onClick={() => setVerbatim(false)}>Formatted</button>
              <button type="button" aria-pressed={verbatim} onClick={() => setVerbatim(true)}>Verbatim</button>
            </div>
          </div>
          <pre className="raw" data-testid="raw-json" aria-busy={detail.loading}>{detail.loading && detail.raw === null ? 'Loading…' : rawText}</pre>
        </section>
      </div>
    </aside>
  );
}

function Fields({ event: e }: { event: EventRow }) {
  const rows: [string, string | null][] = [
    ['Event id', e.nativeId],
    ['Provider', e.provider],
    ['Service', e.service],
    ['Action', e.action],
    ['Outcome', e.errorCode ? `${e.outcome} (${e.errorCode})` : e.outcome],
    ['Read only', e.readOnly === null ? null : e.readOnly ? 'yes' : 'no'],
    ['Principal', e.principalName],
    ['Principal type', e.principalType],
    ['Principal acct', e.principalAccount],
    ['Target account', e.targetAccount],
    ['Source IP', e.sourceIp ?? e.sourceService],
    ['Location', [e.country].filter(Boolean).join(', ') || null],
    ['Network', e.asn !== null || e.asOrg ? asnLabel(e.asn, e.asOrg) : null],
    ['Region', e.region],
    ['Credential', e.credentialId],
    ['User agent', e.userAgent],
    ['Time (as logged)', e.timeText],
  ];
  return (
    <dl className="kv" data-testid="fields">
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
