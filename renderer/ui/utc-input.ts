// Times an analyst types into a filter, always UTC, always in the ISO order every other time in the app is shown in.
// A `datetime-local` input would show the browser's locale (11/24/2026, 08:00 PM on an American laptop) beside
// times printed as 2026-11-24 20:00:00 everywhere else, and it keeps only minutes, so re-applying a filter that a
// brush or a chain set to the second would quietly widen it.

const UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(?:Z|UTC|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * The text as UTC epoch ms; undefined when empty, null when it is not such a time (or not a real date). Without a
 * zone it is UTC; an explicit offset (`+02:00`, as pasted from a log) is honoured.
 */
export function parseUtcInput(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const m = UTC_TEXT.exec(t);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const value = Date.UTC(year!, month! - 1, day!, hour, minute, second, ms);
  const d = new Date(value);
  // Date.UTC rolls 2026-02-30 over into March: such a date is refused rather than read as another one.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month! - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  if (m[8] === undefined) return value;
  const offsetMinutes = Number(m[9]) * 60 + Number(m[10]);
  if (Number(m[9]) > 23 || Number(m[10]) > 59) return null;
  return value - (m[8] === '-' ? -1 : 1) * offsetMinutes * 60_000;
}

/** Epoch ms as the input shows it: `2026-11-24 20:00:05`, with milliseconds only when there are any. */
export function formatUtcInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, iso.endsWith('.000Z') ? 19 : 23)}`;
}
