// The chain on a zoomable time axis: one lane per kind of event. Wheel (or +/-) zooms around the cursor,
// dragging pans, a click on a mark selects its event. The visible window lives in the store's selection.
import { useEffect, useRef, useState } from 'react';
import type { Verdict } from '../../../shared/domain/annotations';
import type { TimelineEvent } from '../../../shared/ipc/contract';
import type { TimeWindow } from '../../state/selection-slice';
import { formatClock, formatDate, formatTime } from '../../ui/format';
import { logText } from '../../ui/log-text';
import { useWidth } from '../../ui/use-width';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];
export const MIN_SPAN = 5 * SECOND;
export const MAX_SPAN = 400 * DAY;

const LANES: { id: string; label: string; roles: TimelineEvent['role'][] }[] = [
  { id: 'entry', label: 'Entry / hops', roles: ['entry', 'assume'] },
  { id: 'privileged', label: 'Privileged', roles: ['privileged'] },
  { id: 'call', label: 'Other calls', roles: ['call'] },
];
const AXIS_H = 20;
const LANE_H = 24;
const LABEL_W = 92;
/** Tick labels (10.5 px): an upper bound of a character's width, so a label near the right edge is never cut. */
const TICK_CHAR_W = 6.6;

/** The chain's span with a margin, as the default window. */
export function fitWindow(events: TimelineEvent[], extraEndMs = 0): TimeWindow | null {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) return null;
  const from = first.timeMs;
  const to = Math.max(last.timeMs, from + extraEndMs);
  const pad = Math.max((to - from) * 0.06, 30 * SECOND);
  return { fromMs: from - pad, toMs: to + pad };
}

/** Zooms a window by `factor` (< 1 zooms in) keeping `atMs` where it is. */
export function zoomWindow(w: TimeWindow, factor: number, atMs = (w.fromMs + w.toMs) / 2): TimeWindow {
  const span = w.toMs - w.fromMs;
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span * factor));
  const ratio = (atMs - w.fromMs) / span;
  const fromMs = atMs - ratio * next;
  return { fromMs, toMs: fromMs + next };
}

function ticks(w: TimeWindow, width: number): { step: number; times: number[] } {
  const span = w.toMs - w.fromMs;
  const maxTicks = Math.max(2, Math.floor(width / 96));
  const step = STEPS.find((s) => span / s <= maxTicks) ?? 30 * DAY;
  const times: number[] = [];
  for (let t = Math.ceil(w.fromMs / step) * step; t <= w.toMs; t += step) times.push(t);
  return { step, times };
}

function tickLabel(t: number, step: number): string {
  if (step >= DAY) return formatDate(t).slice(5);
  const clock = formatClock(t);
  const label = step < MINUTE ? clock : clock.slice(0, 5);
  return t % DAY === 0 ? formatDate(t).slice(5) : label;
}

/**
 * A tick's label right of its line, or left of it (ending at the line) where it would run past the plot's right edge:
 * the last tick of a window used to show as "12:".
 */
function TickLabel({ x, label, rightEdge }: { x: number; label: string; rightEdge: number }) {
  const fits = x + 3 + label.length * TICK_CHAR_W <= rightEdge;
  return (
    <text x={fits ? x + 3 : x - 3} y={12} fontSize={10.5} fill="var(--text-3)" textAnchor={fits ? 'start' : 'end'} data-testid="tick-label">{label}</text>
  );
}

/** The fill of an annotation's flag above its dot: the verdict's colour, or neutral for a note without one. */
const FLAG_FILL: Record<Verdict | 'noted', string> = { malicious: 'var(--critical)', 'needs-review': 'var(--high)', benign: 'var(--ok)', noted: 'var(--text-3)' };

export function TimeAxis({ events, window: w, selectedId, ipFilter, windowEndMs, annotated, onWindow, onSelect }: {
  events: TimelineEvent[];
  /** Annotated events (directly or through their session): their strongest verdict, or `noted`. */
  annotated?: Map<number, Verdict | 'noted'>;
  window: TimeWindow;
  selectedId: number | null;
  ipFilter: string | null;
  /** The end of the correlation window after the entry (UTC epoch ms), drawn as a dashed line. */
  windowEndMs: number | null;
  onWindow(w: TimeWindow): void;
  onSelect(eventId: number): void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const width = useWidth(wrap, 800);
  const [dragging, setDragging] = useState(false);
  const drag = useRef<{ x: number; window: TimeWindow; moved: boolean; eventId: string | null } | null>(null);
  const latest = useRef({ w, onWindow });
  latest.current = { w, onWindow };

  const plotW = Math.max(50, width - LABEL_W);
  const span = w.toMs - w.fromMs;
  const x = (t: number) => LABEL_W + ((t - w.fromMs) / span) * plotW;
  const height = AXIS_H + LANES.length * LANE_H + 4;

  useEffect(() => {
    // React's onWheel is passive; zooming must prevent the page from scrolling.
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const { w: current, onWindow: set } = latest.current;
      const rect = el.getBoundingClientRect();
      const px = e.clientX - rect.left - LABEL_W;
      const at = current.fromMs + (Math.max(0, px) / Math.max(1, rect.width - LABEL_W)) * (current.toMs - current.fromMs);
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const shift = ((e.deltaX || e.deltaY) / Math.max(1, rect.width - LABEL_W)) * (current.toMs - current.fromMs);
        set({ fromMs: current.fromMs + shift, toMs: current.toMs + shift });
      } else {
        set(zoomWindow(current, Math.pow(1.0015, e.deltaY), at));
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const { step, times } = ticks(w, plotW);

  return (
    <div ref={wrap} style={{ width: '100%' }}>
      <svg
        ref={svg}
        className={`axis${dragging ? ' dragging' : ''}`}
        width={width}
        height={height}
        role="group"
        aria-label={`Chain timeline from ${formatTime(w.fromMs)} to ${formatTime(w.toMs)}; wheel or + and - to zoom, drag to pan`}
        data-testid="time-axis"
        data-from-ms={Math.round(w.fromMs)}
        data-to-ms={Math.round(w.toMs)}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          // The mark under the pointer is noted now: with pointer capture, later events target the <svg>.
          const eventId = (e.target as Element).closest('[data-event-id]')?.getAttribute('data-event-id') ?? null;
          drag.current = { x: e.clientX, window: w, moved: false, eventId };
          (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const dx = e.clientX - d.x;
          if (!d.moved && Math.abs(dx) < 3) return;
          if (!d.moved) setDragging(true);
          d.moved = true;
          const shift = (-dx / plotW) * (d.window.toMs - d.window.fromMs);
          onWindow({ fromMs: d.window.fromMs + shift, toMs: d.window.toMs + shift });
        }}
        onPointerUp={() => {
          const d = drag.current;
          drag.current = null;
          setDragging(false);
          if (d && !d.moved && d.eventId) onSelect(Number(d.eventId));
        }}
        onPointerCancel={() => {
          drag.current = null;
          setDragging(false);
        }}
      >
        <defs>
          <clipPath id="plot-clip"><rect x={LABEL_W} y={0} width={plotW} height={height} /></clipPath>
        </defs>
        {LANES.map((lane, i) => (
          <g key={lane.id}>
            <rect x={LABEL_W} y={AXIS_H + i * LANE_H} width={plotW} height={LANE_H} fill={i % 2 ? 'var(--panel)' : 'var(--panel-2)'} />
            <text x={0} y={AXIS_H + i * LANE_H + LANE_H / 2 + 4} fontSize={11} fill="var(--text-3)">{lane.label}</text>
          </g>
        ))}
        <g clipPath="url(#plot-clip)">
          {times.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={AXIS_H - 4} y2={height} stroke="var(--border)" />
              <TickLabel x={x(t)} label={tickLabel(t, step)} rightEdge={LABEL_W + plotW} />
            </g>
          ))}
          {windowEndMs !== null && (
            <g>
              <line x1={x(windowEndMs)} x2={x(windowEndMs)} y1={AXIS_H} y2={height} stroke="var(--text-3)" strokeDasharray="4 3" />
              <text x={x(windowEndMs) - 4} y={AXIS_H + 10} fontSize={10} fill="var(--text-3)" textAnchor="end">window end</text>
            </g>
          )}
          {events.map((e) => {
            const lane = LANES.findIndex((l) => l.roles.includes(e.role));
            const cy = AXIS_H + lane * LANE_H + LANE_H / 2;
            const cx = x(e.timeMs);
            if (cx < LABEL_W - 10 || cx > LABEL_W + plotW + 10) return null;
            const selected = e.id === selectedId;
            const dim = ipFilter !== null && e.sourceIp !== ipFilter;
            const r = e.role === 'entry' ? 7 : e.role === 'privileged' ? 6 : 4.5;
            const flag = annotated?.get(e.id);
            return (
              <g key={e.id} data-event-id={e.id} data-annotated={flag ?? undefined} opacity={dim ? 0.2 : 1} style={{ cursor: 'pointer' }}>
                {flag && <path d={`M${cx - 1} ${cy - r - 2} v-9 l7 3 l-7 3`} fill={FLAG_FILL[flag]} stroke="var(--text)" strokeWidth={0.75} />}
                {selected && <line x1={cx} x2={cx} y1={AXIS_H} y2={height} stroke="var(--accent)" strokeWidth={1.5} />}
                {e.newNetwork && <circle cx={cx} cy={cy} r={r + 3} fill="none" stroke="var(--new-network)" strokeWidth={1.5} />}
                <circle cx={cx} cy={cy} r={selected ? r + 1.5 : r} fill={`var(--${e.role === 'assume' ? 'assume' : e.role})`} stroke={selected ? 'var(--text)' : 'var(--panel)'} strokeWidth={selected ? 2 : 1} />
                <title>{`${formatClock(e.timeMs)} ${logText(e.action)}${e.sourceIp ? ` from ${logText(e.sourceIp)}` : ''}`}</title>
              </g>
            );
          })}
        </g>
        <line x1={LABEL_W} x2={LABEL_W + plotW} y1={AXIS_H} y2={AXIS_H} stroke="var(--border-strong)" />
      </svg>
    </div>
  );
}
