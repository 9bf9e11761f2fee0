import type { ImportProgress } from '../core/import/import-evidence';

/** One human line of import progress: files, events, events/s, percent and ETA. */
export function progressLine(p: ImportProgress): string {
  if (p.phase === 'indexing') return `importing: ${p.files.toLocaleString('en-US')} files, ${p.events.toLocaleString('en-US')} events stored; building the case's indexes…`;
  const pct = p.bytesTotal > 0 ? ` ${Math.min(100, Math.floor((100 * p.bytesDone) / p.bytesTotal))}%` : '';
  const eta = p.etaMs !== null ? `, ETA ${formatDuration(p.etaMs)}` : '';
  return `importing:${pct} ${p.files.toLocaleString('en-US')} files, ${p.events.toLocaleString('en-US')} events, ${p.eventsPerSecond.toLocaleString('en-US')} events/s${eta}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
