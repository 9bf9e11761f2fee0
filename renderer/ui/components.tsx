import type { ReactNode } from 'react';
import type { ConditionId, Finding, Severity } from '../../shared/domain/correlation';
import type { JobProgress } from '../../shared/ipc/contract';
import { formatDuration, formatNumber } from './format';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev-${severity}`} data-severity={severity}>{severity}</span>;
}

export const CONDITION_LABELS: Record<ConditionId, string> = {
  entry: 'Third-party entry',
  privileged: 'Privileged calls follow',
  unfamiliar: 'Unfamiliar network or country',
};

/** The three AN1348 conditions as a compact checklist. */
export function ConditionChecklist({ finding }: { finding: Finding }) {
  return (
    <ul className="checklist" aria-label="AN1348 conditions">
      {(Object.keys(CONDITION_LABELS) as ConditionId[]).map((id) => {
        const met = finding.conditions[id];
        return (
          <li key={id} data-condition={id} data-met={met ? 'true' : 'false'}>
            <span className={`check ${met ? 'yes' : 'no'}`} aria-hidden="true">{met ? '✓' : '–'}</span>
            <span>{CONDITION_LABELS[id]}</span>
            <span className="visually-hidden">{met ? 'met' : 'not met'}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function ProgressBar({ fraction, label }: { fraction: number | null | undefined; label: string }) {
  const known = typeof fraction === 'number' && Number.isFinite(fraction);
  const pct = known ? Math.round(Math.max(0, Math.min(1, fraction)) * 100) : undefined;
  return (
    <div className={`progress${known ? '' : ' indeterminate'}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <div style={known ? { width: `${pct}%` } : undefined} />
    </div>
  );
}

/** `1,204 files · 5,400 events/s · ETA 12s` from a progress event. */
export function progressText(p: JobProgress | null): string {
  if (!p) return 'starting…';
  const parts: string[] = [];
  if (p.phase) parts.push(p.phase);
  if (p.files !== undefined) parts.push(`${formatNumber(p.files)} files`);
  if (p.events !== undefined) parts.push(`${formatNumber(p.events)} events`);
  if (p.eventsPerSecond !== undefined) parts.push(`${formatNumber(p.eventsPerSecond)} events/s`);
  if (p.etaMs !== undefined && p.etaMs !== null) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  return parts.join(' · ');
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <b>{value}</b>
      <span>{label}</span>
    </div>
  );
}
