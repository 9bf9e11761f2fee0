import { EventNotesMark, FindingAnnotationEditor } from '../../ui/annotation-editor';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { Verdict } from '../../../shared/domain/annotations';
import { notesByEvent, strongestVerdict, type EventNotes } from '../../state/annotations-slice';
import type { Finding, Reason } from '../../../shared/domain/correlation';
import { chainRoleLabel } from '../../../shared/domain/chain-words';
import type { TimelineEvent } from '../../../shared/ipc/contract';
import { principalLabel } from '../../../shared/domain/principal-label';
import { visibleTimeline } from '../../state/timeline-slice';
import { useApp, useAppShallow, useAppStore } from '../../state/store';
import { ConditionChecklist, Empty, SeverityBadge } from '../../ui/components';
import { EventInspector } from '../../ui/event-inspector';
import { countOf, formatClock, formatDate, formatDuration, formatOffset, formatTime, titleCase } from '../../ui/format';
import { Histogram } from '../../ui/histogram';
import { fitWindow, TimeAxis, zoomWindow } from './time-axis';
import { ClippedName, PrincipalName, SourceName } from './clipped-name';
import { LogText, logText } from '../../ui/log-text';
import { ExportForm, type ExportChoice } from '../annotations/export-form';
import { focusLanding } from '../../ui/focus-landing';
import { isTyping } from '../../ui/is-typing';

const TIMELINE_CHOICES: ExportChoice[] = [
  { label: 'timeline (CSV)', format: 'csv', what: 'timeline' },
  { label: 'timeline (JSON)', format: 'json', what: 'timeline' },
];

export function TimelineScreen() {
  const findingId = useApp((s) => s.selection.findingId);
  const finding = useApp((s) => s.findings.find((f) => f.id === s.selection.findingId) ?? null);
  const findings = useApp((s) => s.findings);
  const openFinding = useApp((s) => s.openFinding);

  if (findingId === null || !finding) {
    const top = findings[0];
    return (
      <Empty title="No chain selected">
        <p>Open a finding to follow its session event by event.</p>
        {top && <button type="button" className="btn primary" onClick={() => openFinding(top.id)}>Open the top finding</button>}
      </Empty>
    );
  }
  return <ChainTimeline finding={finding} />;
}

function ChainTimeline({ finding }: { finding: Finding }) {
  const store = useAppStore();
  const timeline = useApp((s) => s.timeline);
  const events = useAppShallow((s) => visibleTimeline(s));
  const selection = useApp((s) => s.selection);
  const histogram = useApp((s) => s.caseHistogram);
  const windowMinutes = useApp((s) => s.settings?.windowMinutes ?? 60);
  const selectEvent = useApp((s) => s.selectEvent);
  const setWindow = useApp((s) => s.setWindow);
  const selectIp = useApp((s) => s.selectIp);
  const navigate = useApp((s) => s.navigate);
  const annotations = useApp((s) => s.annotations);
  const annotatedOnly = useApp((s) => s.annotatedOnly);
  const setAnnotatedOnly = useApp((s) => s.setAnnotatedOnly);
  const listRef = useRef<HTMLDivElement>(null);
  const notes = useMemo(() => notesByEvent(annotations, timeline.events), [annotations, timeline.events]);
  const flags = useMemo(() => new Map<number, Verdict | 'noted'>([...notes].map(([id, n]) => [id, strongestVerdict([n.event, n.session]) ?? 'noted'])), [notes]);

  const windowEndMs = finding.entry.timeMs + windowMinutes * 60_000;
  const fitted = useMemo(() => fitWindow(timeline.events, 0), [timeline.events]);
  const w = selection.window ?? fitted;
  const selectedEvent = timeline.events.find((e) => e.id === selection.eventId) ?? null;
  const entryDate = formatDate(finding.entry.timeMs);
  const otherDays = timeline.events.some((e) => formatDate(e.timeMs) !== entryDate);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const state = store.getState();
      const current = state.selection.window ?? fitWindow(state.timeline.events, 0);
      const selected = state.timeline.events.find((x) => x.id === state.selection.eventId);
      const anchor = selected && current && selected.timeMs >= current.fromMs && selected.timeMs < current.toMs ? selected.timeMs : undefined;
      let handled = true;
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          state.stepEvent(1);
          break;
        case 'k':
        case 'ArrowUp':
          state.stepEvent(-1);
          break;
        case '+':
        case '=':
          if (current) state.setWindow(zoomWindow(current, 0.5, anchor));
          break;
        case '-':
        case '_':
          if (current) state.setWindow(zoomWindow(current, 2, anchor));
          break;
        case '0':
          state.setWindow(null);
          break;
        case 'Escape':
          state.selectIp(null);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // The row the focused list points at (aria-activedescendant): the selected one, or the first before any is picked.
  const active = events.find((e) => e.id === selection.eventId) ?? events[0] ?? null;
  // j/k and the arrows step (the window's listener above, wherever the focus is); Enter or Space opens the row the list
  // points at in the inspector when none is selected yet.
  const onGridKey = (e: ReactKeyboardEvent<HTMLTableElement>) => {
    if ((e.key !== 'Enter' && e.key !== ' ') || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    if (active && active.id !== selection.eventId) selectEvent(active.id);
  };

  useEffect(() => {
    // Keep the selected row in view as j/k move through the list.
    const row = listRef.current?.querySelector<HTMLElement>(`tr[data-event-id="${selection.eventId}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selection.eventId]);

  const last = timeline.events.at(-1);
  const spanMarks = histogram && timeline.events[0] && last
    ? [
        ...(w ? [{ fromMs: w.fromMs, toMs: w.toMs, fill: 'var(--chart-window)', stroke: 'var(--accent)', label: 'Visible window' }] : []),
        { fromMs: timeline.events[0].timeMs, toMs: last.timeMs, fill: 'var(--chart-span)', stroke: 'var(--critical)', label: `This chain: ${formatTime(timeline.events[0].timeMs)} – ${formatClock(last.timeMs)}`, testId: 'chain-span' },
      ]
    : [];

  return (
    <div className="screen-fixed" data-testid="timeline-screen" data-finding-id={finding.id}>
      <ChainHeader finding={finding} eventCount={timeline.events.length} />
      <div className="timeline-body">
        <div className="timeline-left">
          {histogram && (
            <div className="overview" aria-label="Whole case overview">
              <div className="overview-label">
                <span>Whole case · {formatDate(histogram.fromMs)} → {formatDate(histogram.toMs)} · click to move the window there</span>
                <span className="legend"><span><i style={{ background: 'var(--critical)' }} />this chain</span><span><i style={{ background: 'var(--accent)' }} />visible window</span></span>
              </div>
              <Histogram
                histogram={histogram}
                marks={spanMarks}
                height={28}
                label="Events over the whole case"
                onPick={(t) => {
                  const span = w ? w.toMs - w.fromMs : 3_600_000;
                  setWindow({ fromMs: t - span / 2, toMs: t + span / 2 });
                }}
              />
            </div>
          )}
          <div className="axis-wrap">
            <div className="axis-toolbar">
              <div className="legend">
                <span><i style={{ background: 'var(--entry)' }} />entry</span>
                <span data-testid="legend-hop"><i style={{ background: 'var(--assume)' }} />{chainRoleLabel('assume', finding.provider)}</span>
                <span><i style={{ background: 'var(--privileged)' }} />privileged</span>
                <span><i style={{ background: 'var(--call)' }} />other</span>
                <span><i style={{ border: '1.5px solid var(--new-network)', background: 'transparent' }} />new network</span>
              </div>
              <div className="grow" />
              <label className="small" title="Only events you annotated, or whose session you annotated (also on the map)">
                <input type="checkbox" checked={annotatedOnly} data-testid="annotated-only" onChange={(e) => setAnnotatedOnly(e.target.checked)} /> annotated only ({notes.size})
              </label>
              {selection.ip && (
                <span className="filter-chip" data-testid="ip-filter">
                  only {logText(selection.ip)}
                  <button type="button" onClick={() => selectIp(null)} aria-label="Show every source IP">×</button>
                </span>
              )}
              {w && <span>{formatDuration(w.toMs - w.fromMs)} shown</span>}
              <button type="button" className="btn small" onClick={() => w && setWindow(zoomWindow(w, 0.5))} aria-label="Zoom in" title="Zoom in (+)">+</button>
              <button type="button" className="btn small" onClick={() => w && setWindow(zoomWindow(w, 2))} aria-label="Zoom out" title="Zoom out (−)">−</button>
              <button type="button" className="btn small" onClick={() => setWindow(null)} title="Fit the chain (0)">Fit</button>
            </div>
            {w && timeline.events.length > 0 ? (
              <TimeAxis
                events={timeline.events}
                window={w}
                selectedId={selection.eventId}
                ipFilter={selection.ip}
                windowEndMs={windowEndMs}
                annotated={flags}
                onWindow={setWindow}
                onSelect={selectEvent}
              />
            ) : (
              <div className="muted small" style={{ padding: 20 }}>{timeline.loading ? 'Loading the chain…' : timeline.error ?? 'No events.'}</div>
            )}
          </div>
          <div className="events-list" ref={listRef} data-testid="timeline-events">
            {/* One tab stop for the whole list (a grid pointing at its selected row), not one per row; the focus lands here
                when a finding is opened from the keyboard. */}
            <table
              role="grid"
              tabIndex={0}
              aria-label="Events of this chain"
              aria-activedescendant={active ? timelineRowId(active.id) : undefined}
              onKeyDown={onGridKey}
              data-testid="timeline-grid"
              {...focusLanding()}
            >
              {/* Action takes what the others leave. Notes appear once something in the chain is annotated, and the
                  time column widens only when the chain runs past the entry's day. */}
              <colgroup>
                <col className={otherDays ? 'col-time-date' : 'col-time'} />
                <col className="col-after" />
                <col />
                <col className="col-principal" />
                <col className="col-source" />
                {notes.size > 0 && <col className="col-notes" />}
              </colgroup>
              <thead>
                <tr>
                  <th title={`Times in UTC; the entry was on ${entryDate}`}>UTC</th>
                  <th title="Time after the entry">After</th>
                  <th>Action</th>
                  <th>Principal</th>
                  <th>Source</th>
                  {notes.size > 0 && <th title="Your verdict on the event, or on its session (the credential it was made with)">Notes</th>}
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <TimelineRow key={e.id} event={e} active={e.id === active?.id} notes={notes.get(e.id)} flag={flags.get(e.id)} notesColumn={notes.size > 0} selected={e.id === selection.eventId} entryDate={entryDate} onSelect={selectEvent} />
                ))}
              </tbody>
            </table>
            {events.length === 0 && !timeline.loading && timeline.events.length > 0 && (
              <div className="muted small" style={{ padding: 16 }} data-testid="timeline-none-shown">
                None of the chain's {countOf(timeline.events.length, 'event')} {selection.ip ? `came from ${selection.ip}` : ''}{selection.ip && annotatedOnly ? ' and ' : ''}{annotatedOnly ? 'is annotated' : ''}.{' '}
                {selection.ip && <button type="button" className="btn small" onClick={() => selectIp(null)}>Show every source</button>}
              </div>
            )}
          </div>
          <div className="list-status">
            <span>{events.length} of {countOf(timeline.events.length, 'event')}{annotatedOnly ? ' (annotated only)' : ''}</span>
            <span><kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> step · <kbd>+</kbd>/<kbd>−</kbd> zoom · <kbd>0</kbd> fit · drag to pan</span>
            <div className="grow" />
            <button type="button" className="btn small" onClick={() => navigate('map')}>Show on map</button>
          </div>
        </div>
        <EventInspector eventId={selection.eventId} timelineEvent={selectedEvent} />
      </div>
    </div>
  );
}

/** A row's element id, for the grid's aria-activedescendant. */
function timelineRowId(eventId: number): string {
  return `timeline-row-${eventId}`;
}

function TimelineRow({ event: e, active, notes, flag, notesColumn, selected, entryDate, onSelect }: {
  event: TimelineEvent;
  /** The row the grid points at: ringed while the grid has the keyboard focus. */
  active: boolean;
  notes: EventNotes | undefined;
  /** The strongest verdict of the event's and its session's annotations, or `noted`. */
  flag: Verdict | 'noted' | undefined;
  /** Whether the table has a Notes column (something in the chain is annotated). */
  notesColumn: boolean;
  selected: boolean;
  entryDate: string;
  onSelect(id: number): void;
}) {
  return (
    <tr
      id={timelineRowId(e.id)}
      aria-selected={selected}
      className={`is-${e.role}`}
      data-active={active || undefined}
      data-event-id={e.id}
      data-annotated={flag}
      data-role={e.role}
      data-source-ip={e.sourceIp ?? ''}
      data-testid="timeline-row"
      onClick={() => onSelect(e.id)}
    >
      <td className="mono time" title={formatTime(e.timeMs, { millis: true })}>{formatClock(e.timeMs)}{formatDate(e.timeMs) !== entryDate && <span className="muted"> {formatDate(e.timeMs).slice(5)}</span>}</td>
      <td className="mono muted">{formatOffset(e.offsetMs)}</td>
      <td className="action" title={logText([e.service ? `${e.service}:${e.action}` : e.action, e.outcome !== 'success' ? e.errorCode ?? e.outcome : null, e.category ? titleCase(e.category) : null].filter(Boolean).join(' · '))}>
        {/* The name keeps its distinctive end; the tags follow it, or take a second line when they do not fit beside it:
            the stage and the category tell an Azure operation's start from its end, and a privileged call's kind. */}
        <div className="action-line">
          <span className={`role-dot role-${e.role}`} aria-hidden="true" />
          <ClippedName name={e.action} title={null} testId="action-name" />
          <span className="action-tags">
            {/* Azure logs an operation in stages: this record is its start, counted once with the record that ended it. */}
            {e.stageOf ? <span className="tag" data-testid="stage-tag" title={logText(`Start of the operation ended by ${e.stageOf}: counted once, with that record`)}>start</span>
              : e.outcome !== 'success' && <span className="tag failed" title={`Outcome: ${e.outcome}`}>{logText(e.errorCode ?? e.outcome)}</span>}
            {e.category ? <span className="tag" data-testid="category-tag">{titleCase(e.category)}</span> : e.role === 'assume' ? <span className="tag">{chainRoleLabel('assume', e.provider)}</span> : null}
          </span>
        </div>
      </td>
      <td className="mono principal" title={logText(principalLabel(e), '')}><PrincipalName name={principalLabel(e)} /></td>
      <td className="mono" title={logText([e.sourceIp ?? e.sourceService, e.country, e.asn !== null ? `AS${e.asn}` : null, e.asOrg].filter(Boolean).join(' · '))}>
        {/* An IPv6 address is cut in the middle, and the tag stays beside it (the cell used to cut both off at its end). */}
        <div className="source-line"><SourceName value={e.sourceIp ?? e.sourceService} />{e.newNetwork && <span className="tag new" title="Unfamiliar before the entry">new</span>}</div>
      </td>
      {notesColumn && <td className="row-notes">{notes && flag && <EventNotesMark notes={notes} flag={flag} />}</td>}
    </tr>
  );
}

const REASON_ORDER: Reason['condition'][] = ['entry', 'privileged', 'unfamiliar', 'travel', 'context', 'suppression'];

/**
 * Whether a chain's reasons start unfolded: on a tall screen, yes; on a laptop the event table needs the height, and the
 * checklist beside the title already says which conditions were met. Once the analyst folds or unfolds them, that
 * choice holds for every chain until the app is reloaded.
 */
let reasonsOpenChoice: boolean | null = null;
const TALL_SCREEN = 960;

function ChainHeader({ finding: f, eventCount }: { finding: Finding; eventCount: number }) {
  const reasons = [...f.reasons].sort((a, b) => REASON_ORDER.indexOf(a.condition) - REASON_ORDER.indexOf(b.condition));
  const [open, setOpen] = useState(() => reasonsOpenChoice ?? window.innerHeight >= TALL_SCREEN);
  return (
    <div className="chain-head" data-testid="chain-header">
      <div className="chain-score">
        <SeverityBadge severity={f.severity} />
        <span className="score">{f.score}<small className="muted">/100</small></span>
      </div>
      <div className="grow chain-main">
        <h2 data-testid="chain-title">
          <LogText text={f.entry.principal ?? f.entry.sourceAccount} fallback="Unknown principal" /> → <LogText text={f.entry.targetAccount} fallback="?" />
          {f.entry.vendor && <span className="tag vendor" style={{ marginLeft: 8 }}><LogText text={f.entry.vendor} /></span>}
        </h2>
        <div className="muted small" data-testid="chain-entry"><LogText text={f.entry.action} /> at {formatTime(f.entry.timeMs)} from <LogText text={f.entry.sourceIp} /> · {countOf(eventCount, 'event')} · {f.privileged.length} privileged</div>
        <details
          className="reasons-box"
          open={open}
          data-testid="chain-reasons"
          onToggle={(e) => {
            const next = e.currentTarget.open;
            if (next !== open) {
              reasonsOpenChoice = next;
              setOpen(next);
            }
          }}
        >
          <summary>
            <span className="reasons-count">Why it was flagged ({countOf(reasons.length, 'reason')})</span>
            {!open && reasons[0] && <span className="reasons-preview muted">{logText(reasons[0].text)}</span>}
          </summary>
          <ul className="reasons">
            {reasons.map((r, i) => (
              <li key={i} data-condition={r.condition}>{logText(r.text)}</li>
            ))}
          </ul>
        </details>
        <div className="chain-actions">
          <FindingAnnotationEditor finding={f} />
          <ExportForm title="Export this timeline" testId="timeline-export" choices={TIMELINE_CHOICES} request={{ findingId: f.id }} />
        </div>
      </div>
      <ConditionChecklist finding={f} />
    </div>
  );
}
