import { useRef } from 'react';
import type { ResponseOf } from '../../shared/ipc/contract';
import { formatNumber, formatTime } from './format';
import { useWidth } from './use-width';

export interface HistogramMark {
  fromMs: number;
  toMs: number;
  /** CSS colour (a variable) of the band. */
  fill: string;
  stroke: string;
  label: string;
  testId?: string;
}

/** Event counts over time as bars (square-root scale, so quiet hours stay visible), with marked spans. */
export function Histogram({ histogram, marks = [], height = 48, label, onPick }: {
  histogram: ResponseOf<'events.histogram'>;
  marks?: HistogramMark[];
  height?: number;
  label: string;
  /** Called with the time under a click. */
  onPick?(timeMs: number): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const { counts, fromMs, toMs } = histogram;
  const max = Math.max(1, ...counts);
  const span = Math.max(1, toMs - fromMs);
  const x = (t: number) => ((t - fromMs) / span) * width;
  const barW = width / Math.max(1, counts.length);
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`${label}: ${formatNumber(total)} events from ${formatTime(fromMs)} to ${formatTime(toMs)}`}
        style={{ display: 'block', cursor: onPick ? 'pointer' : 'default' }}
        onClick={(e) => {
          if (!onPick) return;
          const rect = e.currentTarget.getBoundingClientRect();
          onPick(fromMs + ((e.clientX - rect.left) / rect.width) * span);
        }}
        data-testid="histogram"
      >
        {counts.map((c, i) =>
          c > 0 ? <rect key={i} x={i * barW} width={Math.max(1, barW - 0.5)} y={height - Math.max(1, Math.sqrt(c / max) * (height - 2))} height={Math.max(1, Math.sqrt(c / max) * (height - 2))} fill="var(--chart)" /> : null,
        )}
        {marks.map((m) => {
          const x0 = x(Math.max(fromMs, m.fromMs));
          const x1 = x(Math.min(toMs, m.toMs));
          const w = Math.max(3, x1 - x0);
          return (
            <rect key={m.label} x={Math.min(x0, width - w)} y={0} width={w} height={height} fill={m.fill} stroke={m.stroke} strokeWidth={1} data-testid={m.testId}>
              <title>{m.label}</title>
            </rect>
          );
        })}
      </svg>
    </div>
  );
}
