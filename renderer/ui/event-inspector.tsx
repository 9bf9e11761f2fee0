// The selected event: its normalized fields and its raw record. Log data is hostile: everything here is
// rendered as text by React (never as HTML), the raw record inside a <pre>.
import { showBidiControls } from '../../shared/text/bidi-controls';
import { Fragment, useEffect, useMemo, useState } from 'react';
import type { ChainLink } from '../../shared/domain/correlation';
import { chainRoleLabel } from '../../shared/domain/chain-words';
import type { EventRow, TimelineEvent } from '../../shared/ipc/contract';
import { eventTarget, sessionTarget } from '../state/annotations-slice';
import { useApp } from '../state/store';
import { AnnotationEditor } from './annotation-editor';
import { asnLabel, capitalised, formatOffset, formatTime, titleCase, wrapPieces } from './format';

/** How an event joined its chain, strongest first (see ChainLink): the words the timeline shows. */
const LINK_LABEL: Record<ChainLink, string> = {
  entry: 'the entry',
  credential: 'linked by the credential the entry issued',
  'session-name': 'linked by session name and creation time (weaker)',
  'session-id': 'linked by the sign-in session id (weaker)',
  'correlation-id': 'linked by the correlation id (weaker)',
  principal: 'linked by principal and token time (weakest)',
};
const LINK_HELP: Record<ChainLink, string> = {
  entry: 'The role assumption, sign-in, impersonation or federation that starts the chain.',
  credential: 'Made with the exact credential the entry issued: an AWS access key id, an Azure token id (uti), a GCP impersonated credential.',
  'session-name': 'No access key id: the assumed-role ARN and the session creation time match the entry.',
  'session-id': 'Another Entra sign-in of the same sign-in session (sessionId), or a call made with its token.',
  'correlation-id': 'An Azure record sharing the sign-in’s correlationId.',
  principal: 'The federated principal, or the identity plus the token’s issue time within the window.',
};

function prettyJson(raw: string): string | null {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return null;
  }
}

/**
 * A value that may wrap after its separators (/ . : - @ …) and at spaces, never inside a word; only a token too long
 * for a line on its own breaks elsewhere (CSS overflow-wrap). The pieces are text; the <wbr> only marks where.
 */
export function Wrappable({ text }: { text: string }) {
  const pieces = wrapPieces(showBidiControls(text));
  return <>{pieces.map((p, i) => <Fragment key={i}>{i > 0 && <wbr />}{p}</Fragment>)}</>;
}

export function EventInspector({ eventId, timelineEvent, outsideFilter }: {
  /** The event this screen has selected (each screen keeps its own), or null. */
  eventId: number | null;
  timelineEvent?: TimelineEvent | null;
  /** The event shown is not among the explorer's current results: say so, and offer to let it go. */
  outsideFilter?: { onClear(): void };
}) {
  const loaded = useApp((s) => s.detail);
  const loadDetail = useApp((s) => s.loadDetail);
  const [verbatim, setVerbatim] = useState(false);
  // One event's details are loaded at a time, and the other screen may have loaded its own since this one was shown.
  const stale = eventId !== null && loaded.eventId !== eventId;
  useEffect(() => {
    if (stale) void loadDetail(eventId, { blank: true });
  }, [stale, eventId, loadDetail]);
  const detail = stale ? { eventId, event: null, raw: null, loading: true, error: null } : loaded;
  const pretty = useMemo(() => (detail.raw === null ? null : prettyJson(detail.raw)), [detail.raw]);

  if (eventId === null) {
    return (
      <aside className="inspector" aria-label="Event details" data-testid="inspector">
        <div className="empty">Select an event to see its fields and raw record.</div>
      </aside>
    );
  }
  const e = detail.event;
  const rawText = detail.raw === null ? '' : verbatim || pretty === null ? detail.raw : pretty;
  return (
    <aside className="inspector" aria-label="Event details" data-testid="inspector" data-event-id={detail.eventId} data-outside-filter={outsideFilter ? 'true' : undefined}>
      {outsideFilter && (
        <div className="inspector-outside" role="status" data-testid="inspector-outside-filter">
          <span><b>Not in the current filter.</b> This event was selected before the filter was applied.</span>
          <button type="button" className="btn small" data-testid="inspector-clear" onClick={outsideFilter.onClear}>Deselect</button>
        </div>
      )}
      <div className="inspector-head">
        <span className="action" data-testid="inspector-action">{e ? <Wrappable text={e.action} /> : detail.loading ? 'Loading…' : 'Event'}</span>
        {e && <span className="muted small">{formatTime(e.timeMs, { millis: true })}{timelineEvent ? ` · ${formatOffset(timelineEvent.offsetMs)} after entry` : ''}</span>}
        {timelineEvent && (
          <div className="row wrap small">
            <span className={`role-dot role-${timelineEvent.role}`} aria-hidden="true" />
            <span data-testid="inspector-role">{capitalised(chainRoleLabel(timelineEvent.role, timelineEvent.provider))}</span>
            {timelineEvent.category && <span className="tag">{titleCase(timelineEvent.category)}</span>}
            {timelineEvent.newNetwork && <span className="tag new">new network</span>}
            <span className="muted" data-testid="inspector-link" title={LINK_HELP[timelineEvent.link]}>{LINK_LABEL[timelineEvent.link]}{timelineEvent.depth > 0 ? `, hop ${timelineEvent.depth}` : ''}</span>
          </div>
        )}
      </div>
      <div className="inspector-body">
        {detail.error && <p className="error-text">{detail.error}</p>}
        {e && <EventAnnotations event={e} />}
        {e && <Fields event={e} />}
        <section>
          <div className="row" style={{ marginBottom: 6 }}>
            <h3 className="grow">Raw record</h3>
            <div className="seg" role="group" aria-label="Raw record format">
              <button type="button" aria-pressed={!verbatim} onClick={() => setVerbatim(false)}>Formatted</button>
              <button type="button" aria-pressed={verbatim} onClick={() => setVerbatim(true)}>Verbatim</button>
            </div>
          </div>
          <pre className="raw" data-testid="raw-json" aria-busy={detail.loading}>{detail.loading && detail.raw === null ? 'Loading…' : showBidiControls(rawText)}</pre>
        </section>
      </div>
    </aside>
  );
}

/** The analyst's notes on this event, and on its session: every call made with the same credential. */
function EventAnnotations({ event: e }: { event: EventRow }) {
  const session = sessionTarget(e);
  return (
    <section className="inspector-annotations" aria-label="Annotations">
      <AnnotationEditor key={`e${e.id}`} target={eventTarget(e)} title="Annotate event" testId="event-annotation" />
      {session && (
        <AnnotationEditor key={`s${e.credentialId}`} target={session} title="Annotate session" testId="session-annotation" hint={shortKey(e.credentialId!)} />
      )}
    </section>
  );
}

/** A credential as the analyst recognises it: AWS key ids whole, long tokens cut in the middle. */
function shortKey(key: string): string {
  return key.length <= 24 ? key : `${key.slice(0, 12)}…${key.slice(-8)}`;
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
    ['Location', [e.city, e.country].filter(Boolean).join(', ') || null],
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
          <dd>{v === null ? '—' : <Wrappable text={v} />}</dd>
        </div>
      ))}
    </dl>
  );
}
